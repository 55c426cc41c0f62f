import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { breakGlassApi, regKeys, type TGrant } from '../api';
import { splitServerErrors } from '../helpers';
import { ActionModal, pagination } from './common';

/** 紧急授权复核: every break-the-glass grant in the reviewer's scope, with who, whom, why and what was seen. */
export default function BreakGlassPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<{ pending?: 'true' | 'false'; limit: number; offset: number }>({ pending: 'true', limit: 20, offset: 0 });
  const [reviewing, setReviewing] = useState<TGrant | null>(null);
  const q = useQuery({ queryKey: regKeys.grants(filters), queryFn: () => breakGlassApi.list(filters), placeholderData: keepPreviousData });
  return (
    <Card
      title={t('nav.breakGlass')}
      extra={
        <Space>
          <Switch
            checked={filters.pending === 'true'}
            onChange={(on) => setFilters({ ...filters, pending: on ? 'true' : undefined, offset: 0 })}
            aria-label={t('bg.onlyPending')}
          />
          <span>{t('bg.onlyPending')}</span>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
        </Space>
      }
    >
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<TGrant>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1000 }}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          { title: t('bg.user'), dataIndex: 'userName', width: 100 },
          { title: t('bg.person'), dataIndex: 'personName', width: 90, render: (v: string, g) => <Link to={`/persons/${g.personId}`}>{v}</Link> },
          { title: t('reg.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('bg.grantedAt'), dataIndex: 'grantedAt', width: 150, render: (v: string) => formatDateTime(v) },
          {
            title: t('bg.expiresAt'),
            dataIndex: 'expiresAt',
            width: 150,
            render: (v: string, g) => (g.active ? <Tag color="red">{t('bg.active')}</Tag> : formatDateTime(v)),
          },
          { title: t('bg.entriesSeen'), dataIndex: 'entriesSeen', width: 80, align: 'right' },
          {
            title: t('bg.outcome'),
            key: 'review',
            width: 160,
            fixed: 'right',
            render: (_, g) =>
              g.review ? (
                <Space orientation="vertical" size={0}>
                  <Tag color={g.review.outcome === 'justified' ? 'green' : 'red'}>{t(`bg.${g.review.outcome}`)}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {g.review.reviewerName} {formatDateTime(g.review.reviewedAt)}
                  </Typography.Text>
                </Space>
              ) : (
                <Button size="small" type="primary" onClick={() => setReviewing(g)} data-testid="bg-review">
                  {t('bg.review')}
                </Button>
              ),
          },
        ]}
      />
      {reviewing && (
        <ReviewModal
          grant={reviewing}
          onClose={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null);
            void qc.invalidateQueries({ queryKey: ['breakGlass'] });
          }}
        />
      )}
    </Card>
  );
}

function ReviewModal({ grant, onClose, onDone }: { grant: TGrant; onClose(): void; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ outcome: 'justified' | 'unjustified'; note?: string }>();
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      open
      title={t('bg.reviewTitle')}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        try {
          await breakGlassApi.review(grant.id, { outcome: v.outcome, note: v.note?.trim() || undefined });
          onDone();
        } catch (e) {
          const r = splitServerErrors(e, ['outcome', 'note'], locale);
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      <Typography.Paragraph>
        <strong>{grant.userName}</strong> → <strong>{grant.personName}</strong>（{formatDateTime(grant.grantedAt)}）
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('reg.reason')}：{grant.reason}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="outcome" label={t('bg.outcome')} rules={[{ required: true, message: t('common.required') }]}>
          <Radio.Group
            options={[
              { value: 'justified', label: t('bg.justified') },
              { value: 'unjustified', label: t('bg.unjustified') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('reg.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}
