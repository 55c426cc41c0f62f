import { caseStatusLabels } from '@gridgov/contracts/cases';
import type { CaseReportResult } from '@gridgov/contracts/intake';
import { Button, Result, Space } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../../../common/i18n/I18nProvider';

/** After 上报: the case number (copyable by long-press), where it went, and the next steps. */
export function ReportDone({ done, again, mine }: { done: CaseReportResult; again: () => void; mine: string }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  return (
    <div style={{ padding: 12 }}>
      <Result
        status="success"
        title={done.created ? t('intake.success') : t('intake.alreadyReported')}
        description={
          <Space direction="vertical" style={{ '--gap': '4px' }}>
            <span>
              {t('intake.caseNo')}
              <strong data-testid="report-case-no" style={{ userSelect: 'all' }}>
                {done.caseNo}
              </strong>
            </span>
            <span>
              {done.categoryName} · {done.gridName ?? done.regionName}
              {done.noGrid ? ` (${t('intake.noGrid')})` : ''}
            </span>
            <span>{label(caseStatusLabels[done.status])}</span>
            {done.selfDisposeError && <span style={{ color: 'var(--adm-color-warning)' }}>{done.selfDisposeError}</span>}
          </Space>
        }
      />
      <Space direction="vertical" block style={{ '--gap': '12px', padding: '0 12px' }}>
        <Button block color="primary" size="large" onClick={again}>
          {t('intake.reportAnother')}
        </Button>
        <Button block size="large" onClick={() => navigate(mine)}>
          {t('intake.myReports')}
        </Button>
      </Space>
    </div>
  );
}
