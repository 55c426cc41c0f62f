import { ReloadOutlined } from '@ant-design/icons';
import {
  type CaseAction,
  type CaseActionRequest,
  type CaseListView,
  type CaseStatus,
  caseActionLabels,
  type SlaLevel,
  slaLevelLabels,
} from '@gridgov/contracts/cases';
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Input, Select, Space, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { MessageKey } from '../../../../common/i18n/zh-CN';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { GridSelect, pagination } from '../../registry/components/common';
import { type BulkRequest, type CaseFilters, caseKeys, casesApi, type TCaseSummary } from '../api';
import { CaseActionModal } from './CaseActionModal';
import { Age, CategoryTreeSelect, SlaTag, StatusTag, SupervisionTag, UrgencyTag } from './parts';

export interface CaseTab {
  key: string;
  label: MessageKey;
  /** Statuses of the tab; empty = every status (with `open` when set). */
  status: CaseStatus[];
  open?: boolean;
  /** Bulk actions offered on the tab's rows. */
  bulk?: CaseAction[];
}

const slaLevels: SlaLevel[] = ['green', 'yellow', 'red', 'paused'];

/**
 * A case list of one view (queue, inbox, mine, reported): tabs with counts, filters, a table that fits
 * 1280 px, and — in the dispatcher queue — row selection with bulk 受理/立案/派遣.
 */
export function CaseListPage({
  view,
  title,
  tabs,
  filters: showFilters = true,
  extraColumns = [],
  testId,
}: {
  view: CaseListView;
  title: MessageKey;
  tabs: CaseTab[];
  filters?: boolean;
  extraColumns?: TableColumnsType<TCaseSummary>;
  testId: string;
}) {
  const { t, label } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [tabKey, setTabKey] = useState(tabs[0]?.key ?? 'all');
  const tab = tabs.find((x) => x.key === tabKey) ?? tabs[0];
  const [f, setF] = useState<Omit<CaseFilters, 'view' | 'status' | 'open'>>({ limit: 20, offset: 0 });
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkAction, setBulkAction] = useState<CaseAction | null>(null);

  const tabQuery = (x: CaseTab | undefined): Pick<CaseFilters, 'view' | 'status' | 'open'> => ({
    view,
    status: x?.status.length ? x.status : undefined,
    open: x?.open ? 'true' : undefined,
  });
  const filters: CaseFilters = { ...f, ...tabQuery(tab) };
  const list = useQuery({ queryKey: caseKeys.list(filters), queryFn: () => casesApi.list(filters), placeholderData: keepPreviousData });
  // Counts per tab under the same filters (one row each; the total is what counts).
  const { limit: _l, offset: _o, ...countFilters } = f;
  const counts = useQueries({
    queries: tabs.map((x) => {
      const q: CaseFilters = { ...countFilters, ...tabQuery(x), limit: 1, offset: 0 };
      return { queryKey: [...caseKeys.count(view, x.status), q], queryFn: () => casesApi.list(q) };
    }),
  });
  const set = (patch: Partial<typeof f>) => {
    setF({ ...f, ...patch, offset: 0 });
    setSelected([]);
  };
  const refresh = () => qc.invalidateQueries({ queryKey: caseKeys.all });

  const rows = list.data?.items ?? [];
  const selectedRows = rows.filter((r) => selected.includes(r.id));

  const columns: TableColumnsType<TCaseSummary> = [
    {
      title: t('case.no'),
      dataIndex: 'caseNo',
      width: 178,
      render: (v: string, r) => (
        <Link to={`/cases/${r.id}`} data-testid="case-link">
          <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{v}</span>
        </Link>
      ),
    },
    {
      title: t('case.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (v: string, r) => (
        <Space size={4}>
          {r.urgency !== 'normal' && <UrgencyTag urgency={r.urgency} />}
          <SupervisionTag level={r.supervision} />
          <span title={v}>{v}</span>
        </Space>
      ),
    },
    { title: t('case.category'), dataIndex: 'categoryName', width: 110, ellipsis: true },
    {
      title: t('case.place'),
      key: 'place',
      width: 124,
      ellipsis: true,
      render: (_, r) => r.gridName ?? <Typography.Text type="warning">{`${r.regionName}（${t('case.noGrid')}）`}</Typography.Text>,
    },
    { title: t('case.status'), dataIndex: 'status', width: 88, render: (v: CaseStatus) => <StatusTag status={v} /> },
    { title: t('case.sla'), dataIndex: 'slaLevel', width: 90, render: (v: SlaLevel, r) => <SlaTag level={r.suspended ? 'paused' : v} dueAt={r.stageDueAt} /> },
    ...extraColumns,
    { title: t('case.reportedAt'), dataIndex: 'reportedAt', width: 96, render: (v: string) => <Age at={v} /> },
  ];

  const bulkButtons = tab?.bulk ?? [];
  const runBulk = async (action: CaseAction, body: CaseActionRequest) => {
    const { results } = await casesApi.bulk({
      ids: selected,
      action: action as BulkRequest['action'],
      note: body.note,
      leadOrgUnitId: body.leadOrgUnitId,
      coOrgUnitIds: body.coOrgUnitIds,
    });
    const failed = results.filter((r) => !r.ok);
    const caseNo = (id: string) => rows.find((r) => r.id === id)?.caseNo ?? id;
    void refresh();
    setSelected([]);
    setBulkAction(null);
    if (failed.length === 0) message.success(t('case.bulkDone', { action: label(caseActionLabels[action]), n: results.length }));
    else
      modal.warning({
        title: t('case.bulkPartly', { ok: results.length - failed.length, failed: failed.length }),
        content: (
          <ul style={{ paddingInlineStart: 18, margin: 0 }} data-testid="bulk-failures">
            {failed.map((r) => (
              <li key={r.id}>{`${caseNo(r.id)}: ${r.message ?? r.code ?? ''}`}</li>
            ))}
          </ul>
        ),
      });
  };

  const extra: ReactNode = (
    <Space>
      {bulkButtons.map((a) => (
        <Button
          key={a}
          type={a === 'dispatch' ? 'primary' : 'default'}
          disabled={selectedRows.length === 0}
          onClick={() => setBulkAction(a)}
          data-testid={`bulk-${a}`}
        >
          {`${t('case.bulk')}${label(caseActionLabels[a])}${selectedRows.length ? ` (${selectedRows.length})` : ''}`}
        </Button>
      ))}
      <Button icon={<ReloadOutlined />} onClick={() => void refresh()} aria-label={t('common.refresh')} />
    </Space>
  );

  return (
    <Card title={t(title)} extra={extra} data-testid={testId}>
      {tabs.length > 1 && (
        <Tabs
          size="small"
          activeKey={tab?.key}
          onChange={(k) => {
            setTabKey(k);
            setSelected([]);
            setF({ ...f, offset: 0 });
          }}
          style={{ marginTop: -8 }}
          items={tabs.map((x, i) => ({
            key: x.key,
            label: (
              <span data-testid={`case-tab-${x.key}`}>
                {t(x.label)}{' '}
                <Badge
                  count={counts[i]?.data?.total ?? 0}
                  showZero
                  overflowCount={9999}
                  color={x.key === tab?.key ? '#1f5fbf' : '#bfbfbf'}
                  size="small"
                  data-testid={`case-count-${x.key}`}
                />
              </span>
            ),
          }))}
        />
      )}
      {showFilters && (
        <Space wrap size={8} style={{ marginBottom: 10 }}>
          <Input.Search
            aria-label={t('case.search')}
            placeholder={t('case.search')}
            allowClear
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(s) => set({ q: s.trim() || undefined })}
            style={{ width: 200 }}
          />
          <CategoryTreeSelect value={f.categoryId} onChange={(categoryId) => set({ categoryId })} style={{ width: 170 }} />
          <RegionTreeSelect
            aria-label={t('case.region')}
            placeholder={t('case.region')}
            value={f.regionId}
            onChange={(regionId) => set({ regionId })}
            style={{ width: 150 }}
          />
          <GridSelect value={f.gridId} onChange={(gridId) => set({ gridId })} style={{ width: 160 }} />
          <Select<SlaLevel[]>
            mode="multiple"
            aria-label={t('case.sla')}
            placeholder={t('case.sla')}
            allowClear
            value={f.sla ?? []}
            onChange={(sla) => set({ sla: sla.length ? sla : undefined })}
            options={slaLevels.map((s) => ({ value: s, label: label(slaLevelLabels[s]) }))}
            style={{ minWidth: 150 }}
            maxTagCount="responsive"
          />
        </Space>
      )}
      {list.error && <QueryError error={list.error} retry={() => void list.refetch()} />}
      <Table<TCaseSummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={rows}
        columns={columns}
        tableLayout="fixed"
        rowSelection={
          bulkButtons.length
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), columnWidth: 32, preserveSelectedRowKeys: false }
            : undefined
        }
        pagination={{
          ...pagination(t, f, list.data?.total ?? 0, (offset, limit) => setF({ ...f, offset, limit })),
          // Over 10,000 the server stops counting (totalIsLowerBound): say "at least".
          ...(list.data?.totalIsLowerBound ? { showTotal: (n: number) => t('case.totalAtLeast', { n: n - 1 }) } : {}),
        }}
      />
      {bulkAction && (
        <CaseActionModal action={bulkAction} caseIds={selected} onClose={() => setBulkAction(null)} submit={(body) => runBulk(bulkAction, body)} />
      )}
    </Card>
  );
}
