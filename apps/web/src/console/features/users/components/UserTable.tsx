import { roleLabels } from '@gridgov/contracts/roles';
import type { UserSummary } from '@gridgov/contracts/users';
import { Table, Tag, Tooltip } from 'antd';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import type { UserFilters } from '../api';
import { UserRowActions } from './UserRowActions';

interface Props {
  data: { items: UserSummary[]; total: number } | undefined;
  loading: boolean;
  filters: UserFilters;
  onPage(offset: number, limit: number): void;
  manage: boolean;
  onEdit(u: UserSummary): void;
  onChanged(): void;
}

function StatusTags({ u }: { u: UserSummary }) {
  const { t } = useI18n();
  const tags = [];
  if (u.disabled)
    tags.push(
      <Tag key="d" color="default">
        {t('user.status.disabled')}
      </Tag>,
    );
  if (u.locked)
    tags.push(
      <Tag key="l" color="red">
        {t('user.status.locked')}
      </Tag>,
    );
  if (u.mustChangePassword)
    tags.push(
      <Tag key="m" color="orange">
        {t('user.status.mustChange')}
      </Tag>,
    );
  if (tags.length === 0)
    tags.push(
      <Tag key="ok" color="green">
        {t('user.status.enabled')}
      </Tag>,
    );
  return <>{tags}</>;
}

export function UserTable({ data, loading, filters, onPage, manage, onEdit, onChanged }: Props) {
  const { t, label } = useI18n();
  return (
    <Table<UserSummary>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data?.items ?? []}
      scroll={{ x: 1100 }}
      pagination={{
        current: Math.floor(filters.offset / filters.limit) + 1,
        pageSize: filters.limit,
        total: data?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        showTotal: (n) => t('common.total', { n }),
        onChange: (page, size) => onPage((page - 1) * size, size),
      }}
      columns={[
        { title: t('user.username'), dataIndex: 'username', width: 140, fixed: 'left' },
        { title: t('user.displayName'), dataIndex: 'displayName', width: 100 },
        { title: t('user.mobile'), dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? '—' },
        { title: t('user.role'), dataIndex: 'role', width: 150, ellipsis: true, render: (r: UserSummary['role']) => label(roleLabels[r], r) },
        { title: t('user.orgUnit'), dataIndex: 'orgUnitName', ellipsis: true, render: (v: string | null) => v ?? '—' },
        {
          title: t('user.captureScope'),
          key: 'scope',
          ellipsis: true,
          render: (_, u) => {
            const names = u.captureScope.map((s) => s.name).join('、');
            return names ? <Tooltip title={u.captureScope.map((s) => `${s.name} ${s.code}`).join('\n')}>{names}</Tooltip> : '—';
          },
        },
        { title: t('user.status'), key: 'status', width: 150, render: (_, u) => <StatusTags u={u} /> },
        { title: t('user.lastLogin'), dataIndex: 'lastLoginAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : t('user.never')) },
        ...(manage
          ? [
              {
                title: t('common.actions'),
                key: 'actions',
                width: 120,
                fixed: 'right' as const,
                render: (_: unknown, u: UserSummary) => <UserRowActions user={u} onEdit={() => onEdit(u)} onChanged={onChanged} />,
              },
            ]
          : []),
      ]}
    />
  );
}
