import type { AdjustmentReport } from '@gridgov/contracts/adjustments';
import { REPORT_ITEM_CAP } from '@gridgov/contracts/adjustments';
import { Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';

type Entry = AdjustmentReport['records'][number];

function GridRefs({ grids, color }: { grids: AdjustmentReport['createdGrids']; color: string }) {
  const { t } = useI18n();
  if (grids.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {grids.map((g) => (
        <Tag key={g.id} color={color} data-grid-code={g.code}>
          {g.name} <span style={{ fontFamily: 'monospace', opacity: 0.8 }}>{g.code}</span>
        </Tag>
      ))}
    </Space>
  );
}

/** What an adjustment did when it took effect: grids retired / created / reshaped, records moved per type. */
export function ReattributionReport({ report }: { report: AdjustmentReport }) {
  const { t, label } = useI18n();
  return (
    <Card size="small" title={t('adj.report')} data-testid="adjustment-report">
      <Descriptions column={1} size="small" styles={{ label: { width: 110 } }}>
        <Descriptions.Item label={t('adj.effectiveDate')}>{report.effectiveDate}</Descriptions.Item>
        <Descriptions.Item label={t('adj.appliedAt')}>{formatDateTime(report.appliedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('adj.reportRetired')}>
          <GridRefs grids={report.retiredGrids} color="default" />
        </Descriptions.Item>
        <Descriptions.Item label={t('adj.reportCreated')}>
          <span data-testid="report-created">
            <GridRefs grids={report.createdGrids} color="green" />
          </span>
        </Descriptions.Item>
        {report.reshapedGrids.length > 0 && (
          <Descriptions.Item label={t('adj.reportReshaped')}>
            <GridRefs grids={report.reshapedGrids} color="blue" />
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Paragraph strong style={{ margin: '8px 0' }} data-testid="report-total">
        {t('adj.reportTotal', { n: report.totalMoved })}
      </Typography.Paragraph>
      {report.records.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('adj.reportNoRecords')} />
      ) : (
        <Table<Entry>
          rowKey="type"
          size="small"
          pagination={false}
          dataSource={report.records}
          data-testid="report-records"
          columns={[
            { title: t('adj.reportType'), dataIndex: 'label', render: (_, r) => label(r.label, r.type) },
            { title: t('adj.reportMoved'), dataIndex: 'moved', align: 'right', width: 80 },
            { title: t('adj.reportUnplaced'), dataIndex: 'unplaced', align: 'right', width: 90 },
            {
              title: t('adj.reportPairs'),
              render: (_, r) =>
                r.byGrids.length === 0 ? (
                  <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
                ) : (
                  <Space orientation="vertical" size={0}>
                    {r.byGrids.map((p) => (
                      <span key={`${p.fromGridCode}-${p.toGridCode}`} style={{ fontFamily: 'monospace', fontSize: 12 }}>
                        {p.fromGridCode} → {p.toGridCode}：{p.count}
                      </span>
                    ))}
                  </Space>
                ),
            },
          ]}
          expandable={{
            rowExpandable: (r) => r.items.length > 0,
            expandedRowRender: (r) => (
              <>
                <Table
                  rowKey="id"
                  size="small"
                  pagination={{ pageSize: 20, size: 'small' }}
                  dataSource={r.items}
                  columns={[
                    { title: t('adj.recordId'), dataIndex: 'id' },
                    { title: t('adj.fromGrid'), dataIndex: 'fromGridCode' },
                    { title: t('adj.toGrid'), dataIndex: 'toGridCode' },
                  ]}
                />
                {r.truncated && <Typography.Text type="secondary">{t('adj.reportTruncated', { n: REPORT_ITEM_CAP })}</Typography.Text>}
              </>
            ),
          }}
        />
      )}
    </Card>
  );
}
