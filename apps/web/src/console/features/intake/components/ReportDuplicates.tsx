import { caseStatusLabels } from '@gridgov/contracts/cases';
import type { DuplicateCandidate } from '@gridgov/contracts/intake';
import { NoticeBar, Space } from 'antd-mobile';
import { useI18n } from '../../../../common/i18n/I18nProvider';

/** The open cases nearby that may be the same problem, shown before the report is sent. */
export function ReportDuplicates({ duplicates }: { duplicates: DuplicateCandidate[] }) {
  const { t, label } = useI18n();
  return (
    <div style={{ margin: '0 12px 12px' }} data-testid="report-duplicates">
      <NoticeBar
        color="alert"
        wrap
        content={
          <Space direction="vertical" style={{ '--gap': '4px' }}>
            <strong>{t('intake.duplicates')}</strong>
            {duplicates.map((d) => (
              <span key={d.id}>
                <strong>{d.caseNo}</strong> {d.title} · {label(caseStatusLabels[d.status])} · {t('intake.distance', { m: Math.round(d.distanceM) })}
              </span>
            ))}
            <span style={{ color: 'var(--adm-color-weak)' }}>{t('intake.duplicatesHint')}</span>
          </Space>
        }
      />
    </div>
  );
}
