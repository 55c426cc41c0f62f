import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { placesApi, regKeys, type TFreshness } from '../api';
import { shareText } from '../helpers';

type Row = TFreshness['rows'][number];

/** 信息鲜度: the share of records verified within the freshness age, per grid, against the goal. */
export default function FreshnessPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [regionId, setRegionId] = useState<string | undefined>();
  const q = useQuery({ queryKey: regKeys.freshness(regionId), queryFn: () => placesApi.freshness(regionId) });
  const r = q.data;
  const records = r?.rows.reduce((s, x) => s + x.records, 0) ?? 0;
  const verified = r?.rows.reduce((s, x) => s + x.verified, 0) ?? 0;
  const overall = records ? verified / records : null;
  const below = r?.rows.filter((x) => x.share !== null && x.share < r.goal).length ?? 0;
  return (
    <Card
      title={t('nav.freshness')}
      extra={
        <Space>
          <RegionTreeSelect aria-label={t('reg.region')} placeholder={t('reg.region')} value={regionId} onChange={setRegionId} style={{ width: 200 }} />
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
        </Space>
      }
    >
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      {r && (
        <>
          <Space size={32} wrap style={{ marginBottom: 12 }}>
            <Statistic
              title={t('fresh.overall')}
              value={shareText(overall)}
              styles={{ content: { color: overall !== null && overall >= r.goal ? '#389e0d' : '#d46b08' } }}
            />
            <Statistic title={t('reg.goal')} value={shareText(r.goal)} />
            <Statistic title={t('fresh.records')} value={records} />
            <Statistic title={t('fresh.belowGoal')} value={below} />
          </Space>
          <Typography.Paragraph type="secondary">{t('fresh.intro', { days: r.maxAgeDays })}</Typography.Paragraph>
          {below > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('fresh.belowHint', { n: below })} />}
        </>
      )}
      {can('grid.read') && <TriggersCard regionId={regionId} />}
      <Table<Row>
        rowKey="gridId"
        size="small"
        loading={q.isFetching}
        dataSource={[...(r?.rows ?? [])].sort((a, b) => (a.share ?? 2) - (b.share ?? 2))}
        pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true }}
        scroll={{ x: 700 }}
        columns={[
          { title: t('fresh.gridCode'), dataIndex: 'gridCode', width: 190, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
          { title: t('reg.grid'), dataIndex: 'gridName', ellipsis: true },
          { title: t('fresh.records'), dataIndex: 'records', width: 80, align: 'right' },
          { title: t('fresh.verified'), dataIndex: 'verified', width: 80, align: 'right' },
          {
            title: t('fresh.share'),
            dataIndex: 'share',
            width: 220,
            render: (v: number | null) =>
              v === null ? (
                '—'
              ) : (
                <Space>
                  <Progress
                    percent={Math.floor(v * 1000) / 10}
                    size="small"
                    style={{ width: 110, margin: 0 }}
                    status={r && v >= r.goal ? 'success' : 'exception'}
                    format={() => ''}
                  />
                  <span>{shareText(v)}</span>
                  {r && v < r.goal && <Tag color="orange">{t('fresh.below')}</Tag>}
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}

/**
 * 网格调整提示: grids whose registered population moved more than 20 % from the baseline, or that gained
 * a key place — a hint to review the grid's size, dismissed or acted on in 网格调整.
 */
function TriggersCard({ regionId }: { regionId?: string }) {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['adjustmentTriggers', regionId ?? null], queryFn: () => placesApi.triggers(regionId) });
  const [busy, setBusy] = useState<string | null>(null);
  const review = can('grid.adjust.review');
  const run = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      message.success(done);
      await qc.invalidateQueries({ queryKey: ['adjustmentTriggers'] });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const items = q.data?.items ?? [];
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={t('trigger.title', { n: items.length })}
      extra={
        <Space>
          <Link to="/grid-adjustments">{t('nav.gridAdjustments')}</Link>
          {review && (
            <Button size="small" loading={busy === 'scan'} onClick={() => void run('scan', placesApi.scanTriggers, t('trigger.scanned'))}>
              {t('trigger.scan')}
            </Button>
          )}
        </Space>
      }
    >
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={items}
        pagination={{ pageSize: 5, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('trigger.none') }}
        columns={[
          {
            title: t('reg.grid'),
            dataIndex: 'gridName',
            width: 160,
            render: (v: string, r) => <Tooltip title={`${r.communityName} · ${r.gridCode}`}>{v}</Tooltip>,
          },
          {
            title: t('trigger.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (k: 'population_change' | 'new_key_place') => <Tag color="orange">{t(`trigger.kind.${k}`)}</Tag>,
          },
          { title: t('trigger.message'), dataIndex: 'message', render: (m: { zh: string; en: string }) => label(m) },
          { title: t('trigger.detectedAt'), dataIndex: 'detectedAt', width: 150, render: (v: string) => formatDateTime(v) },
          ...(review
            ? [
                {
                  title: t('common.actions'),
                  key: 'a',
                  width: 80,
                  render: (_: unknown, r: { id: string }) => (
                    <Button
                      size="small"
                      type="link"
                      loading={busy === r.id}
                      onClick={() => void run(r.id, () => placesApi.dismissTrigger(r.id), t('trigger.dismissed'))}
                    >
                      {t('trigger.dismiss')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
