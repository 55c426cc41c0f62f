import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { UserSummary } from '@gridgov/contracts/users';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { type UserFilters, userKeys, usersApi } from '../api';
import { UserDrawer } from './UserDrawer';
import { UserFilterBar } from './UserFilterBar';
import { UserTable } from './UserTable';

/** 用户管理: find people in my jurisdiction, create and edit accounts, reset, unlock, disable. */
export default function UsersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<UserFilters>({ limit: 20, offset: 0 });
  const [editing, setEditing] = useState<UserSummary | 'new' | null>(null);
  const q = useQuery({ queryKey: userKeys.list(filters), queryFn: () => usersApi.list(filters), placeholderData: keepPreviousData });
  const manage = can('user.manage');
  const invalidate = () => qc.invalidateQueries({ queryKey: userKeys.all });

  return (
    <Card
      title={t('nav.users')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('user.create')}
            </Button>
          )}
        </Space>
      }
    >
      <UserFilterBar value={filters} onChange={(f) => setFilters({ ...f, limit: filters.limit, offset: 0 })} />
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <UserTable
        data={q.data}
        loading={q.isFetching}
        filters={filters}
        onPage={(offset, limit) => setFilters({ ...filters, offset, limit })}
        manage={manage}
        onEdit={(u) => setEditing(u)}
        onChanged={invalidate}
      />
      {editing && (
        <UserDrawer
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void invalidate();
          }}
        />
      )}
    </Card>
  );
}
