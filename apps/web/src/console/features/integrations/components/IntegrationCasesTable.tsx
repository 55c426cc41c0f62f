import { caseChannelLabels } from '@gridgov/contracts/cases';
import { type IntegrationCase, type IntegrationChannel, outboxStateLabels } from '@gridgov/contracts/integrations';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { StatusTag } from '../../cases/components/parts';
import { integrationKeys, integrationsApi } from '../api';

const PAGE = 20;
export const pushColor = { pending: 'processing', failed: 'error', delivered: 'success' } as const;

/** Cases that came in through the 12345 hotline or a device, with their external ids and the newest push back. */
export function IntegrationCasesTable() {
  const { t, label } = useI18n();
  const [channel, setChannel] = useState<IntegrationChannel | 'all'>('all');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const query = { channel: channel === 'all' ? undefined : channel, q: q.trim(), limit: PAGE, offset: (page - 1) * PAGE };
  const list = useQuery({ queryKey: integrationKeys.cases(query), queryFn: () => integrationsApi.cases(query), placeholderData: keepPreviousData });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          value={channel}
          onChange={(v) => {
            setChannel(v as IntegrationChannel | 'all');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('integrations.allChannels') },
            { value: 'hotline', label: label(caseChannelLabels.hotline) },
            { value: 'device', label: label(caseChannelLabels.device) },
          ]}
          data-testid="integration-channel"
        />
        <Input.Search
          allowClear
          placeholder={t('integrations.searchHint')}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          style={{ width: 280 }}
          data-testid="integration-search"
        />
      </Space>
      {list.error && <QueryError error={list.error} retry={() => void list.refetch()} />}
      <Table<IntegrationCase>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="integration-cases"
        scroll={{ x: 1000 }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          {
            title: t('integrations.externalId'),
            dataIndex: 'externalId',
            width: 200,
            render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
          },
          { title: t('integrations.channel'), dataIndex: 'channel', width: 100, render: (c: IntegrationChannel) => label(caseChannelLabels[c]) },
          { title: t('integrations.caseNo'), dataIndex: 'caseNo', width: 190, render: (no: string, r) => <Link to={`/cases/${r.id}`}>{no}</Link> },
          { title: t('integrations.caseTitle'), dataIndex: 'title', ellipsis: true },
          { title: t('integrations.status'), dataIndex: 'status', width: 100, render: (s) => <StatusTag status={s} /> },
          {
            title: t('integrations.lastPush'),
            key: 'push',
            width: 200,
            render: (_, r) =>
              r.lastPush ? (
                <Space size={4}>
                  <Tag color={pushColor[r.lastPush.state]}>{label(outboxStateLabels[r.lastPush.state])}</Tag>
                  <Typography.Text type="secondary">{formatDateTime(r.lastPush.at)}</Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          { title: t('integrations.reportedAt'), dataIndex: 'reportedAt', width: 160, render: (v: string) => formatDateTime(v) },
        ]}
      />
    </Space>
  );
}
