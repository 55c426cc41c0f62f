import { CheckCircleOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Space, Table, type TableColumnsType, Tooltip } from 'antd';
import { type ReactNode, useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { MessageKey } from '../../../../common/i18n/zh-CN';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type Page, placesApi, type TRecordKind } from '../api';
import { FreshTag, GridSelect, pagination } from './common';

type Base = { id: string; gridName: string; stale: boolean; verifiedAt: string | null };
type F = { q?: string; regionId?: string; gridId?: string; limit: number; offset: number };

/**
 * The shape every place/thing list shares: text search, region and grid, its own filters, a table
 * with the grid and freshness, verify and edit per row, and a create drawer.
 */
export function RecordListPage<T extends Base, Q extends F>({
  title,
  kind,
  queryKey,
  list,
  extraFilters,
  columns,
  drawer,
  createLabel,
  searchLabel,
}: {
  title: MessageKey;
  kind: TRecordKind;
  queryKey: string;
  list(q: Q): Promise<Page<T>>;
  extraFilters(f: Q, set: (patch: Partial<Q>) => void): ReactNode;
  columns: TableColumnsType<T>;
  drawer(record: T | null, close: () => void, saved: () => void): ReactNode;
  createLabel: MessageKey;
  searchLabel?: MessageKey;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Q>({ limit: 20, offset: 0 } as Q);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const q = useQuery({ queryKey: [queryKey, filters], queryFn: () => list(filters), placeholderData: keepPreviousData });
  const set = (patch: Partial<Q>) => setFilters({ ...filters, ...patch, offset: 0 });
  const manage = can('registry.manage');
  const invalidate = () => qc.invalidateQueries({ queryKey: [queryKey] });
  const verify = async (r: T) => {
    try {
      await placesApi.verify(kind, r.id);
      message.success(t('reg.verified'));
      void invalidate();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card
      title={t(title)}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t(createLabel)}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap size={8} style={{ marginBottom: 10 }}>
        <Input.Search
          aria-label={t(searchLabel ?? 'reg.search')}
          placeholder={t(searchLabel ?? 'reg.search')}
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(s) => set({ q: s.trim() || undefined } as Partial<Q>)}
          style={{ width: 200 }}
        />
        {extraFilters(filters, set)}
        <RegionTreeSelect
          aria-label={t('reg.region')}
          placeholder={t('reg.region')}
          value={filters.regionId}
          onChange={(regionId) => set({ regionId } as Partial<Q>)}
          style={{ width: 170 }}
        />
        <GridSelect value={filters.gridId} onChange={(gridId) => set({ gridId } as Partial<Q>)} style={{ width: 180 }} />
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<T>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 960 }}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          ...columns,
          { title: t('reg.grid'), dataIndex: 'gridName', width: 140, ellipsis: true },
          { title: t('reg.freshness'), key: 'fresh', width: 80, render: (_, r) => <FreshTag stale={r.stale} verifiedAt={r.verifiedAt} /> },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 84,
                  fixed: 'right' as const,
                  render: (_: unknown, r: T) => (
                    <Space size={0}>
                      <Tooltip title={t('reg.verify')}>
                        <Button type="text" size="small" icon={<CheckCircleOutlined />} onClick={() => void verify(r)} aria-label={t('reg.verify')} />
                      </Tooltip>
                      <Tooltip title={t('common.edit')}>
                        <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('common.edit')} />
                      </Tooltip>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing &&
        drawer(
          editing === 'new' ? null : editing,
          () => setEditing(null),
          () => {
            setEditing(null);
            void invalidate();
          },
        )}
    </Card>
  );
}
