import type { AdjustmentDetail } from '@gridgov/contracts/adjustments';
import { adjustmentKindLabels } from '@gridgov/contracts/adjustments';
import { adjustmentStatusLabels, gridTypeLabels } from '@gridgov/contracts/grids';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Descriptions, Drawer, Empty, Popconfirm, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { adjustmentsApi, gridKeys, gridsApi } from '../api';
import { previewColors } from '../map/gridLayers';
import { AreaPreviewMap, type PreviewArea } from './AreaPreviewMap';
import { formatM2 } from './format';
import { ReattributionReport } from './ReattributionReport';
import { ReviewModal } from './ReviewModal';

export const statusColors: Record<AdjustmentDetail['status'], string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  approved: 'cyan',
  notice: 'gold',
  effective: 'success',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: AdjustmentDetail['status'] }) {
  const { label } = useI18n();
  return (
    <Tag color={statusColors[status]} data-status={status}>
      {label(adjustmentStatusLabels[status])}
    </Tag>
  );
}

/** One application: what it proposes (before / after on a map), where it stands, what may be done now. */
export function AdjustmentDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: gridKeys.adjustment(id), queryFn: () => adjustmentsApi.get(id) });
  const a = q.data;
  const sources = useQueries({
    queries: (a?.sourceGrids ?? []).map((g) => ({ queryKey: gridKeys.detail(g.id), queryFn: () => gridsApi.get(g.id), retry: false })),
  });
  const [reviewing, setReviewing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = (next: AdjustmentDetail) => {
    qc.setQueryData(gridKeys.adjustment(id), next);
    void qc.invalidateQueries({ queryKey: gridKeys.adjustments });
    void qc.invalidateQueries({ queryKey: gridKeys.all });
  };
  const act = async (name: 'submit' | 'withdraw') => {
    setBusy(name);
    try {
      const next = await adjustmentsApi[name](id);
      message.success(t(name === 'submit' ? 'adj.submittedMsg' : 'adj.withdrawnMsg'));
      refresh(next);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const before: PreviewArea[] = sources.flatMap((s) =>
    s.data?.geometry ? [{ geometry: s.data.geometry, color: '#64748b', label: s.data.name, sub: s.data.code }] : [],
  );
  const after: PreviewArea[] = (a?.proposal ?? []).map((p, i) => ({
    geometry: p.geometry,
    color: previewColors[i % previewColors.length] as string,
    label: p.name,
  }));

  return (
    <Drawer open width={760} onClose={onClose} title={t('adj.detail')} destroyOnHidden data-testid="adjustment-drawer">
      {q.isLoading && <Spin style={{ margin: 24 }} />}
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      {a && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap>
            <StatusTag status={a.status} />
            <Typography.Text strong>
              {a.communityName} · {label(adjustmentKindLabels[a.kind])}
            </Typography.Text>
            <div style={{ flex: 1 }} />
            {a.can.submit && (
              <Button type="primary" loading={busy === 'submit'} onClick={() => void act('submit')} data-testid="adj-submit">
                {t('adj.submit')}
              </Button>
            )}
            {a.can.review && (
              <Button type="primary" onClick={() => setReviewing(true)} data-testid="adj-review">
                {t('adj.review')}
              </Button>
            )}
            {a.can.withdraw && (
              <Popconfirm title={t('adj.withdrawConfirm')} onConfirm={() => void act('withdraw')}>
                <Button danger loading={busy === 'withdraw'}>
                  {t('adj.withdraw')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          <Descriptions column={2} size="small" bordered styles={{ label: { width: 100 } }}>
            <Descriptions.Item label={t('adj.reason')} span={2}>
              {a.reason}
            </Descriptions.Item>
            <Descriptions.Item label={t('adj.sourceGrids')} span={2}>
              <Space size={[4, 4]} wrap>
                {a.sourceGrids.map((g) => (
                  <Tag key={g.id}>
                    {g.name} <span style={{ fontFamily: 'monospace' }}>{g.code}</span>
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('adj.createdBy')}>{a.createdBy?.displayName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('adj.createdAt')}>{formatDateTime(a.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('adj.noticeDays')}>{a.noticeDays}</Descriptions.Item>
            <Descriptions.Item label={t('adj.noticeFrom')}>{a.noticeFrom ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('adj.effectiveDate')}>
              <span data-testid="adj-effective-date">{a.effectiveDate ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('adj.reviewedBy')}>{a.reviewedBy?.displayName ?? '—'}</Descriptions.Item>
            {a.reviewNote && (
              <Descriptions.Item label={t('adj.reviewNote')} span={2}>
                {a.reviewNote}
              </Descriptions.Item>
            )}
            {a.trigger && (
              <Descriptions.Item label={t('adj.trigger')} span={2}>
                <Typography.Text code>{JSON.stringify(a.trigger)}</Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Row gutter={8}>
            <Col span={12}>
              <Typography.Text strong>{t('adj.before')}</Typography.Text>
              {before.length > 0 ? (
                <AreaPreviewMap areas={before} testId="adj-before-map" />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={sources.some((s) => s.isLoading) ? <Spin size="small" /> : t('adj.noPreview')} />
              )}
            </Col>
            <Col span={12}>
              <Typography.Text strong>{t('adj.after')}</Typography.Text>
              {after.length > 0 ? (
                <AreaPreviewMap areas={after} testId="adj-after-map" />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('adj.noPreview')} />
              )}
            </Col>
          </Row>
          <Table
            rowKey={(_, i) => String(i)}
            size="small"
            pagination={false}
            dataSource={a.proposal}
            columns={[
              {
                title: t('grid.name'),
                dataIndex: 'name',
                render: (v: string, _r, i) => (
                  <Space size={6}>
                    <span style={{ width: 10, height: 10, display: 'inline-block', background: previewColors[i % previewColors.length] }} />
                    {v}
                  </Space>
                ),
              },
              { title: t('grid.type'), dataIndex: 'gridType', render: (v: keyof typeof gridTypeLabels) => label(gridTypeLabels[v]) },
              { title: t('grid.area'), dataIndex: 'areaM2', align: 'right', render: (v: number) => formatM2(v) },
            ]}
          />
          {a.report && <ReattributionReport report={a.report} />}
        </Space>
      )}
      {a && reviewing && (
        <ReviewModal
          adjustment={a}
          onClose={() => setReviewing(false)}
          onDone={(next) => {
            setReviewing(false);
            refresh(next);
          }}
        />
      )}
    </Drawer>
  );
}
