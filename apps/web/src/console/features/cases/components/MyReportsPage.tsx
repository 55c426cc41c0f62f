import { ReloadOutlined } from '@ant-design/icons';
import { type CaseStatus, ratingLabels } from '@gridgov/contracts/cases';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { pagination } from '../../registry/components/common';
import { type CaseFilters, caseKeys, casesApi, type TCaseSummary } from '../api';
import { CaseActionModal } from './CaseActionModal';
import { StatusTag } from './parts';

/**
 * What a reporter can do with a case that is done: rate it once (满意 / 基本满意 / 不满意). For a report
 * merged into another case (并案) it is the parent's progress and the parent's rating.
 */
function Progress({ row }: { row: TCaseSummary }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const target = row.status === 'merged' && row.parentCaseId ? row.parentCaseId : row.id;
  const needsDetail = row.status === 'merged' || row.status === 'closed';
  const d = useQuery({ queryKey: caseKeys.detail(target), queryFn: () => casesApi.get(target), enabled: needsDetail });
  const [rating, setRating] = useState(false);
  if (!needsDetail) return null;
  if (d.error) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!d.data) return null;
  const c = d.data;
  return (
    <Space size={6} wrap>
      {row.status === 'merged' && (
        <span data-testid="parent-progress">
          {t('case.mergedInto')}{' '}
          <Link to={`/cases/${c.id}`} style={{ fontFamily: 'monospace' }}>
            {c.caseNo}
          </Link>{' '}
          <StatusTag status={c.status} />
        </span>
      )}
      {c.satisfaction && !c.allowedActions.includes('rate') && (
        <Typography.Text type="secondary">{t('case.rated', { rating: label(ratingLabels[c.satisfaction]) })}</Typography.Text>
      )}
      {c.allowedActions.includes('rate') && (
        <Button size="small" type="primary" onClick={() => setRating(true)} data-testid="rate-open">
          {t('case.rateNow')}
        </Button>
      )}
      {rating && (
        <CaseActionModal
          action="rate"
          caseIds={[c.id]}
          version={c.version}
          caseTitle={c.caseNo}
          onClose={() => setRating(false)}
          submit={async (body) => {
            await casesApi.act(c.id, body);
            setRating(false);
            message.success(t('case.thanks'));
            void qc.invalidateQueries({ queryKey: caseKeys.all });
          }}
        />
      )}
    </Space>
  );
}

/** 我的上报: the caller's own reports (residents, grid workers), their progress, and the rating. */
export default function MyReportsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [f, setF] = useState<CaseFilters>({ view: 'reported', limit: 10, offset: 0 });
  const list = useQuery({ queryKey: caseKeys.list(f), queryFn: () => casesApi.list(f), placeholderData: keepPreviousData });
  return (
    <Card
      title={t('nav.myReports')}
      data-testid="my-reports"
      extra={<Button icon={<ReloadOutlined />} onClick={() => void qc.invalidateQueries({ queryKey: caseKeys.all })} aria-label={t('common.refresh')} />}
    >
      {list.error && <QueryError error={list.error} retry={() => void list.refetch()} />}
      <Table<TCaseSummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        tableLayout="fixed"
        pagination={pagination(t, f, list.data?.total ?? 0, (offset, limit) => setF({ ...f, offset, limit }))}
        columns={[
          {
            title: t('case.no'),
            dataIndex: 'caseNo',
            width: 178,
            render: (v: string, r) => (
              <Link to={`/cases/${r.id}`} data-testid="case-link" style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                {v}
              </Link>
            ),
          },
          { title: t('case.title'), dataIndex: 'title', ellipsis: true },
          { title: t('case.category'), dataIndex: 'categoryName', width: 120, ellipsis: true },
          { title: t('case.status'), dataIndex: 'status', width: 88, render: (v: CaseStatus) => <StatusTag status={v} /> },
          { title: t('case.reportedAt'), dataIndex: 'reportedAt', width: 150, render: (v: string) => formatDateTime(v) },
          { title: t('case.progress'), key: 'progress', width: 280, render: (_, r) => <Progress row={r} /> },
        ]}
      />
    </Card>
  );
}
