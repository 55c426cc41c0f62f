import { auditActionLabels } from '@gridgov/contracts/audit';
import { type Role, roleLabels } from '@gridgov/contracts/roles';
import { Descriptions, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { AuditEntry, AuditFilters } from '../api';

const outcomeColor = { ok: 'green', denied: 'red', failed: 'orange' } as const;

function Details({ e }: { e: AuditEntry }) {
  const { t } = useI18n();
  const entries = Object.entries(e.details ?? {});
  return (
    <Descriptions size="small" column={1} bordered styles={{ label: { width: 140 } }}>
      {e.requestId && <Descriptions.Item label={t('common.requestId')}>{e.requestId}</Descriptions.Item>}
      {e.targetId && <Descriptions.Item label={t('audit.target')}>{`${e.targetType ?? ''} ${e.targetId}`}</Descriptions.Item>}
      {entries.length === 0 ? (
        <Descriptions.Item label={t('audit.details')}>{t('audit.noDetails')}</Descriptions.Item>
      ) : (
        entries.map(([k, v]) => (
          <Descriptions.Item key={k} label={k}>
            <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12, whiteSpace: 'pre-wrap' }}>
              {typeof v === 'string' ? v : JSON.stringify(v, null, 2)}
            </Typography.Text>
          </Descriptions.Item>
        ))
      )}
    </Descriptions>
  );
}

export function AuditTable({
  data,
  loading,
  filters,
  onPage,
}: {
  data: { items: AuditEntry[]; total: number } | undefined;
  loading: boolean;
  filters: AuditFilters;
  onPage(offset: number, limit: number): void;
}) {
  const { t, label } = useI18n();
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data?.items ?? []}
      scroll={{ x: 1000 }}
      expandable={{ expandedRowRender: (e) => <Details e={e} />, expandRowByClick: true }}
      pagination={{
        current: Math.floor(filters.offset / filters.limit) + 1,
        pageSize: filters.limit,
        total: data?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: [50, 100, 200],
        showTotal: (n) => t('common.total', { n }),
        onChange: (page, size) => onPage((page - 1) * size, size),
      }}
      columns={[
        { title: t('audit.time'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
        {
          title: t('audit.actor'),
          key: 'actor',
          width: 200,
          render: (_, e) =>
            e.actorName ? (
              <span>
                {e.actorName}
                {e.actorRole && (
                  <span style={{ color: '#8c8c8c', marginInlineStart: 6, fontSize: 12 }}>{label(roleLabels[e.actorRole as Role], e.actorRole)}</span>
                )}
              </span>
            ) : (
              '—'
            ),
        },
        { title: t('audit.action'), dataIndex: 'action', width: 170, render: (a: string) => <span title={a}>{label(auditActionLabels[a], a)}</span> },
        {
          title: t('audit.outcome'),
          dataIndex: 'outcome',
          width: 80,
          render: (o: AuditEntry['outcome']) => <Tag color={outcomeColor[o]}>{t(`audit.outcome.${o}`)}</Tag>,
        },
        {
          title: t('audit.target'),
          key: 'target',
          ellipsis: true,
          render: (_, e) => (e.targetType ? `${e.targetType}${e.targetId ? ` · ${e.targetId}` : ''}` : '—'),
        },
        { title: t('audit.region'), dataIndex: 'regionName', width: 140, render: (v: string | null) => v ?? '—' },
        { title: t('audit.ip'), dataIndex: 'ip', width: 120, render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}
