import { CheckCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDate } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { placesApi, regKeys, type TRecordKind, type TTask } from '../api';
import { FilterSelect, GridSelect, pagination } from './common';

const KINDS: TRecordKind[] = ['person', 'house', 'organisation', 'facility', 'key_place'];
/** Where a task's record opens in the console (lists for kinds without a page of their own). */
const pageOf = (k: TRecordKind, id: string) =>
  k === 'person'
    ? `/persons/${id}`
    : k === 'house'
      ? `/houses/${id}`
      : k === 'organisation'
        ? '/organisations'
        : k === 'facility'
          ? '/facilities'
          : '/key-places';

/** 核实任务: records not verified within the freshness age, for the grid worker to check and confirm. */
export default function VerificationPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<{ kind?: TRecordKind; gridId?: string; limit: number; offset: number }>({ limit: 20, offset: 0 });
  const [busy, setBusy] = useState<string | null>(null);
  const q = useQuery({ queryKey: regKeys.tasks(filters), queryFn: () => placesApi.tasks(filters), placeholderData: keepPreviousData });
  const verify = async (task: TTask) => {
    setBusy(task.id);
    try {
      await placesApi.verify(task.kind, task.id);
      message.success(t('reg.verified'));
      await qc.invalidateQueries({ queryKey: ['tasks'] });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card title={t('nav.verification')} extra={<Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />}>
      <Typography.Paragraph type="secondary">{t('task.intro')}</Typography.Paragraph>
      <Space wrap size={8} style={{ marginBottom: 10 }}>
        <FilterSelect
          label={t('task.kind')}
          value={filters.kind}
          onChange={(kind) => setFilters({ ...filters, kind, offset: 0 })}
          options={KINDS.map((k) => ({ value: k, label: t(`task.kind.${k}`) }))}
          width={130}
        />
        <GridSelect value={filters.gridId} onChange={(gridId) => setFilters({ ...filters, gridId, offset: 0 })} style={{ width: 200 }} />
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<TTask>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 760 }}
        locale={{ emptyText: t('task.none') }}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          { title: t('task.kind'), dataIndex: 'kind', width: 90, render: (k: TRecordKind) => t(`task.kind.${k}`) },
          { title: t('reg.name'), dataIndex: 'label', width: 160, render: (v: string, r) => <Link to={pageOf(r.kind, r.id)}>{v}</Link> },
          { title: t('reg.address'), dataIndex: 'address', ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('reg.grid'), dataIndex: 'gridName', width: 150, ellipsis: true },
          { title: t('reg.verifiedBy'), dataIndex: 'verifiedAt', width: 110, render: (v: string | null) => (v ? formatDate(v) : t('reg.neverVerified')) },
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            fixed: 'right',
            render: (_, r) => (
              <Button size="small" icon={<CheckCircleOutlined />} loading={busy === r.id} onClick={() => void verify(r)} data-testid="task-verify">
                {t('reg.verify')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
