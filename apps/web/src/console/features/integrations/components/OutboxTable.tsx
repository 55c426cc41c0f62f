import { type CaseStatus, caseStatusLabels } from '@gridgov/contracts/cases';
import { type OutboxDelivery, type OutboxState, outboxStateLabels } from '@gridgov/contracts/integrations';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { describeError } from '../../grids/serverText';
import { integrationKeys, integrationsApi } from '../api';
import { pushColor } from './IntegrationCasesTable';

const PAGE = 20;
const STATES: OutboxState[] = ['failed', 'pending', 'delivered'];

/**
 * The webhook outbox: status pushes to the hotline by state, with attempts, the last error and the next retry.
 * A failed push (given up after the last retry) can be put back in the queue (重试); the job sends it within a minute.
 */
export function OutboxTable() {
  const { t, label, locale } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [state, setState] = useState<OutboxState>('failed');
  const [page, setPage] = useState(1);
  const query = { state, limit: PAGE, offset: (page - 1) * PAGE };
  const list = useQuery({ queryKey: integrationKeys.outbox(query), queryFn: () => integrationsApi.outbox(query), placeholderData: keepPreviousData });
  const counts = list.data?.counts;

  const retry = async (d: OutboxDelivery) => {
    try {
      await integrationsApi.retry(d.id);
      message.success(t('integrations.retried', { id: d.externalId ?? d.caseNo }));
    } catch (e) {
      message.error(describeError(e, locale));
    }
    await qc.invalidateQueries({ queryKey: integrationKeys.all });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list.data && !list.data.hotlineConfigured && (
        <Alert
          type="warning"
          showIcon
          message={t('integrations.notConfigured')}
          description={t('integrations.notConfiguredHint')}
          data-testid="outbox-not-configured"
        />
      )}
      <Tabs
        activeKey={state}
        onChange={(k) => {
          setState(k as OutboxState);
          setPage(1);
        }}
        items={STATES.map((s) => ({
          key: s,
          label: (
            <Space size={6} data-testid={`outbox-tab-${s}`}>
              {label(outboxStateLabels[s])}
              <Badge count={counts?.[s] ?? 0} showZero overflowCount={9999} color={s === 'failed' ? 'red' : s === 'pending' ? 'blue' : 'green'} />
            </Space>
          ),
        }))}
      />
      {list.error && <QueryError error={list.error} retry={() => void list.refetch()} />}
      <Table<OutboxDelivery>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="outbox-table"
        scroll={{ x: 1100 }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          {
            title: t('integrations.externalId'),
            dataIndex: 'externalId',
            width: 180,
            render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
          },
          { title: t('integrations.caseNo'), dataIndex: 'caseNo', width: 190, render: (no: string, r) => <Link to={`/cases/${r.caseId}`}>{no}</Link> },
          {
            title: t('integrations.pushedStatus'),
            dataIndex: 'status',
            width: 100,
            render: (s: string | null) => (s ? label(caseStatusLabels[s as CaseStatus], s) : '—'),
          },
          {
            title: t('integrations.state'),
            dataIndex: 'state',
            width: 100,
            render: (s: OutboxState) => <Tag color={pushColor[s]}>{label(outboxStateLabels[s])}</Tag>,
          },
          { title: t('integrations.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
          {
            title: t('integrations.lastError'),
            dataIndex: 'lastError',
            ellipsis: true,
            render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—'),
          },
          {
            title: t('integrations.when'),
            key: 'when',
            width: 210,
            render: (_, d) =>
              d.state === 'pending'
                ? `${t('integrations.nextAt')} ${formatDateTime(d.nextAt)}`
                : d.state === 'failed'
                  ? `${t('integrations.failedAt')} ${formatDateTime(d.failedAt)}`
                  : `${t('integrations.deliveredAt')} ${formatDateTime(d.deliveredAt)}`,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right',
            render: (_, d) =>
              d.state === 'failed' ? (
                <Popconfirm title={t('integrations.retryConfirm')} onConfirm={() => retry(d)} okText={t('integrations.retry')}>
                  <Button size="small" type="link" data-testid={`retry-${d.id}`}>
                    {t('integrations.retry')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
