import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { DedicatedKind, dedicatedKindLabels, type GridDetail, GridType, gridTypeLabels } from '@gridgov/contracts/grids';
import { Alert, App, Button, Card, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { areaM2 } from '../../../../common/map/geometry';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { gridsApi } from '../api';
import { describeError, isOverlapRefusal } from '../serverText';
import { formatNumber } from './format';
import { SaveOrDraftButtons } from './SaveOrDraftButtons';

interface Values {
  name: string;
  gridType: GridDetail['gridType'];
  dedicatedKind?: NonNullable<GridDetail['dedicatedKind']>;
  areaCode: string;
  landmarks: string[];
}

/** 新建网格: pick the community, draw the boundary on the map (snapping to neighbours), name it. */
export function CreateGridPanel({
  communityId,
  geometry,
  onCommunity,
  onRedraw,
  onCreated,
  onCancel,
}: {
  communityId: string | null;
  geometry: AreaGeometry | null;
  onCommunity: (id: string) => void;
  onRedraw: () => void;
  onCreated: (g: GridDetail) => void;
  onCancel: () => void;
}) {
  const { t, label, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('gridType', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const create = async (draft: boolean) => {
    if (!communityId || !geometry) return;
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const g = await gridsApi.create({
        communityId,
        name: v.name,
        gridType: v.gridType,
        ...(v.gridType === '03' && v.dedicatedKind ? { dedicatedKind: v.dedicatedKind } : {}),
        areaCode: v.areaCode || '00',
        landmarks: v.landmarks ?? [],
        geometry,
        draft,
      });
      message.success(t('gridMap.create.created', { code: g.code }));
      onCreated(g);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('gridMap.create.title')} data-testid="create-grid-panel">
      <Typography.Text type="secondary">{t('gridMap.create.pickCommunity')}</Typography.Text>
      <RegionTreeSelect
        value={communityId}
        onChange={(v) => v && onCommunity(v)}
        style={{ width: '100%', margin: '6px 0 10px' }}
        aria-label={t('grid.community')}
      />
      {communityId && !geometry && <Alert type="info" showIcon title={t('gridMap.create.hint')} />}
      {communityId && geometry && (
        <Form form={form} layout="vertical" size="small" initialValues={{ gridType: '01', areaCode: '00', landmarks: [] }}>
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 10 }}
            title={t('gridMap.create.drawn', { area: formatNumber(areaM2(geometry)) })}
            action={
              <Button size="small" onClick={onRedraw}>
                {t('gridMap.action.redo')}
              </Button>
            }
          />
          <Form.Item name="name" label={t('grid.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="gridType" label={t('grid.type')}>
            <Select options={GridType.options.map((g) => ({ value: g, label: label(gridTypeLabels[g]) }))} />
          </Form.Item>
          {type === '03' && (
            <Form.Item name="dedicatedKind" label={t('grid.dedicatedKind')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={DedicatedKind.options.map((k) => ({ value: k, label: label(dedicatedKindLabels[k]) }))} />
            </Form.Item>
          )}
          <Form.Item
            name="areaCode"
            label={t('grid.areaCode')}
            extra={t('grid.areaCodeHint')}
            rules={[{ pattern: /^\d{2}$/, message: t('grid.areaCodeHint') }]}
          >
            <Input maxLength={2} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="landmarks" label={t('grid.landmarks')} extra={t('grid.landmarksHint')}>
            <Select mode="tags" open={false} tokenSeparators={['，', ',']} />
          </Form.Item>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 10 }}
              title={describeError(error, locale)}
              description={isOverlapRefusal(error) ? t('gridMap.edit.draftOffer') : undefined}
            />
          )}
          <SaveOrDraftButtons label={t('common.create')} busy={busy} error={error} onSave={(draft) => void create(draft)} onCancel={onCancel} />
        </Form>
      )}
      {!(communityId && geometry) && (
        <Button style={{ marginTop: 10 }} onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      )}
    </Card>
  );
}
