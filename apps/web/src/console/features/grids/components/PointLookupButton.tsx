import { AimOutlined } from '@ant-design/icons';
import { CoordSystem } from '@gridgov/contracts/geojson';
import type { GridLocateResult } from '@gridgov/contracts/gridlookup';
import { Alert, Button, DatePicker, Form, InputNumber, Popover, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { gridsApi } from '../api';
import { describeError, localPart } from '../serverText';

interface Values {
  lng: number;
  lat: number;
  coordSystem: CoordSystem;
  on?: Dayjs;
}

/**
 * 按坐标查网格: "which grid is (or was, on a date) this point in?" — coordinates from a phone, AMap or Baidu
 * (GCJ-02 / BD-09 are converted on the server), answered from the boundary history.
 */
export function PointLookupButton({ onShow }: { onShow: (gridId: string) => void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<GridLocateResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      setResult(await gridsApi.locate({ lng: v.lng, lat: v.lat, coordSystem: v.coordSystem, on: v.on?.format('YYYY-MM-DD') }));
    } catch (e) {
      setResult(null);
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  const content = (
    <div style={{ width: 300 }} data-testid="point-lookup">
      <Form form={form} layout="vertical" size="small" initialValues={{ coordSystem: 'WGS84' }} onFinish={() => void run()}>
        <Space.Compact block>
          <Form.Item name="lng" label={t('lookup.lng')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} aria-label={t('lookup.lng')} />
          </Form.Item>
          <Form.Item name="lat" label={t('lookup.lat')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} aria-label={t('lookup.lat')} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="coordSystem" label={t('lookup.coordSystem')}>
          <Select options={CoordSystem.options.map((c) => ({ value: c, label: t(`lookup.crs.${c}`) }))} />
        </Form.Item>
        <Form.Item name="on" label={t('lookup.on')} extra={t('lookup.onHint')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('lookup.run')}
        </Button>
      </Form>
      {error && <Alert style={{ marginTop: 8 }} type="error" showIcon title={error} />}
      {result && (
        <div style={{ marginTop: 8 }} data-testid="point-lookup-result">
          {result.found && result.grid ? (
            <Alert
              type="success"
              showIcon
              title={
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>
                    {result.grid.name}（{result.grid.communityName}）
                  </Typography.Text>
                  <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12 }}>{result.grid.code}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('lookup.asOf', { date: result.on })}
                  </Typography.Text>
                  <Button size="small" type="link" style={{ padding: 0 }} onClick={() => result.grid && onShow(result.grid.id)}>
                    {t('lookup.show')}
                  </Button>
                </Space>
              }
            />
          ) : (
            <Alert type="info" showIcon title={result.message ? localPart(result.message, locale) : t('lookup.none')} />
          )}
        </div>
      )}
    </div>
  );

  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" content={content} title={t('lookup.title')} placement="bottomLeft">
      <Button icon={<AimOutlined />} data-testid="point-lookup-open">
        {t('lookup.title')}
      </Button>
    </Popover>
  );
}
