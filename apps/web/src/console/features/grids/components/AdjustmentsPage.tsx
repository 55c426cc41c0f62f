import { ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { AdjustmentSummary } from '@gridgov/contracts/adjustments';
import { adjustmentKindLabels } from '@gridgov/contracts/adjustments';
import { AdjustmentStatus, adjustmentStatusLabels } from '@gridgov/contracts/grids';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type AdjustmentFilters, adjustmentsApi, gridKeys } from '../api';
import { AdjustmentDrawer, StatusTag } from './AdjustmentDrawer';

/** 网格调整: applications to split / merge / redraw grids, their review, notice and effect. */
export default function AdjustmentsPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const openId = params.get('id');
  const [filters, setFilters] = useState<AdjustmentFilters>({ limit: 20, offset: 0 });
  const q = useQuery({ queryKey: gridKeys.adjustmentList(filters), queryFn: () => adjustmentsApi.list(filters), placeholderData: keepPreviousData });
  const [applying, setApplying] = useState(false);

  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('id', id);
    else next.delete('id');
    setParams(next);
  };

  const applyDue = async () => {
    setApplying(true);
    try {
      const r = await adjustmentsApi.applyDue();
      message.success(t('adj.applyDueDone', { applied: r.applied.length, returned: r.returned.length }));
      await qc.invalidateQueries({ queryKey: gridKeys.adjustments });
      await qc.invalidateQueries({ queryKey: gridKeys.all });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setApplying(false);
    }
  };

  return (
    <Card
      title={t('nav.gridAdjustments')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          {can('system.configure') && (
            <Popconfirm title={t('adj.applyDueConfirm')} onConfirm={() => void applyDue()} okText={t('common.ok')} cancelText={t('common.cancel')}>
              <Button icon={<ThunderboltOutlined />} loading={applying} data-testid="adj-apply-due">
                {t('adj.applyDue')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('adj.status')}
          style={{ width: 140 }}
          value={filters.status}
          onChange={(v?: string) => setFilters({ ...filters, status: v, offset: 0 })}
          options={AdjustmentStatus.options.map((s) => ({ value: s, label: label(adjustmentStatusLabels[s]) }))}
          aria-label={t('adj.status')}
        />
        <RegionTreeSelect
          value={filters.regionId}
          onChange={(v) => setFilters({ ...filters, regionId: v, offset: 0 })}
          placeholder={t('adj.region')}
          style={{ width: 240 }}
          allowClear
          aria-label={t('adj.region')}
        />
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<AdjustmentSummary>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('adj.empty') }}
        scroll={{ x: 1000 }}
        onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' }, 'data-testid': 'adjustment-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: Math.floor(filters.offset / filters.limit) + 1,
          pageSize: filters.limit,
          total: q.data?.total ?? 0,
          showTotal: (n) => t('common.total', { n }),
          onChange: (page, size) => setFilters({ ...filters, offset: (page - 1) * size, limit: size }),
        }}
        columns={[
          { title: t('adj.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
          { title: t('adj.community'), dataIndex: 'communityName', width: 120 },
          { title: t('adj.kind'), dataIndex: 'kind', width: 90, render: (v: AdjustmentSummary['kind']) => label(adjustmentKindLabels[v]) },
          {
            title: t('adj.sourceGrids'),
            dataIndex: 'sourceGrids',
            render: (gs: AdjustmentSummary['sourceGrids']) => (
              <Space size={[4, 4]} wrap>
                {gs.map((g) => (
                  <Tag key={g.id} title={g.code}>
                    {g.name}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: t('adj.proposal'), dataIndex: 'proposalCount', width: 90, render: (n: number) => t('adj.proposalCount', { n }) },
          { title: t('adj.status'), dataIndex: 'status', width: 90, render: (s: AdjustmentSummary['status']) => <StatusTag status={s} /> },
          { title: t('adj.effectiveDate'), dataIndex: 'effectiveDate', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('adj.createdBy'), dataIndex: 'createdBy', width: 100, render: (u: AdjustmentSummary['createdBy']) => u?.displayName ?? '—' },
        ]}
      />
      {openId && <AdjustmentDrawer id={openId} onClose={() => open(null)} />}
    </Card>
  );
}
