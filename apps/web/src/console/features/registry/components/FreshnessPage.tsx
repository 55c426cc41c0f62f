import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { placesApi, regKeys, type TFreshness } from '../api';
import { shareText } from '../helpers';

type Row = TFreshness['rows'][number];

/** 信息鲜度: the share of records verified within the freshness age, per grid, against the goal. */
export default function FreshnessPage() {
  const { t } = useI18n();
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
