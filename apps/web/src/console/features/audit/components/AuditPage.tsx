import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { type AuditFilters, auditApi, auditKeys } from '../api';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditTable } from './AuditTable';

/** 审计日志: who did what, where, with what outcome. */
export default function AuditPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>({ limit: 50, offset: 0 });
  const q = useQuery({ queryKey: auditKeys.list(filters), queryFn: () => auditApi.list(filters), placeholderData: keepPreviousData });
  return (
    <Card title={t('nav.audit')} extra={<Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />}>
      <AuditFilterBar value={filters} onChange={(f) => setFilters({ ...f, limit: filters.limit, offset: 0 })} />
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <AuditTable data={q.data} loading={q.isFetching} filters={filters} onPage={(offset, limit) => setFilters({ ...filters, offset, limit })} />
    </Card>
  );
}
