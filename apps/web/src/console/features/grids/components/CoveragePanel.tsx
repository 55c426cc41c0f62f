import { CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { Coverage } from '../api';
import { issueColors } from '../map/gridLayers';
import { formatM2 } from './format';

type Issue = Coverage['issues'][number];

/** The coverage check's result: a summary line and each overlap / gap with its area, clickable. */
export function CoveragePanel({
  report,
  gridName,
  onFocus,
  onClose,
}: {
  report: Coverage;
  gridName: (id: string) => string;
  onFocus: (i: Issue) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={t('gridMap.coverageTitle')}
      extra={<Button size="small" type="text" icon={<CloseOutlined />} onClick={onClose} aria-label={t('common.close')} />}
      data-testid="coverage-panel"
    >
      <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="coverage-summary">
        {t('gridMap.coverageSummary', {
          communities: report.checkedCommunities,
          grids: report.checkedGrids,
          overlaps: report.overlaps,
          gaps: report.gaps,
          ms: Math.round(report.tookMs),
        })}
      </Typography.Paragraph>
      {report.issues.length === 0 ? (
        <Alert type="success" showIcon title={t('gridMap.coverageOk')} />
      ) : (
        <List
          size="small"
          dataSource={report.issues}
          renderItem={(i, n) => (
            <List.Item
              key={n}
              style={{ cursor: 'pointer', paddingInline: 4 }}
              onClick={() => onFocus(i)}
              data-testid="coverage-issue"
              extra={<Typography.Text strong>{formatM2(i.areaM2)}</Typography.Text>}
            >
              <div>
                <Tag color={issueColors[i.kind]}>{t(`gridMap.issue.${i.kind}`)}</Tag>
                {i.gridIds.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {i.gridIds.map(gridName).join(' / ')}
                  </Typography.Text>
                )}
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
