import { AimOutlined, CameraOutlined, CloseCircleFilled, LeftOutlined } from '@ant-design/icons';
import { caseStatusLabels, type Urgency, urgencyLabels } from '@gridgov/contracts/cases';
import { type AttachmentInfo, type CaseReportResult, type CaseSuggestResult, type ProxyChannel, proxyChannelLabels } from '@gridgov/contracts/intake';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Result, Segmented, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../../common/api/client';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { MapView } from '../../../../common/map/MapView';
import { gridsApi } from '../../grids/api';
import { intakeApi, newIdempotencyKey } from '../api';

type Point = { lng: number; lat: number };
interface Photo {
  key: string;
  name: string;
  preview: string;
  info?: AttachmentInfo;
  error?: string;
}

const URGENCIES: Urgency[] = ['normal', 'urgent', 'critical'];
const PROXY_CHANNELS: ProxyChannel[] = ['phone', 'walk_in', 'opinion_box', 'other'];
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * 上报问题 on a phone (grid workers, residents): description with category suggestions as one types, the
 * location from GPS or a tap on the offline map, photos from the camera, urgency, and the open cases nearby
 * that may be the same problem — before the report is sent. One idempotency key per form: tapping 上报 again
 * after a timeout returns the same case. Center and station staff use the same form to enter a caller's problem
 * (代录: phone call, walk-in, opinion box) with the caller's name and phone.
 */
export default function MobileReportPage() {
  const { t, label } = useI18n();
  const { me, can } = useAuth();
  const [form] = Form.useForm();
  const [formKey, setFormKey] = useState(0);
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const address = Form.useWatch('address', form) as string | undefined;
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [point, setPoint] = useState<Point | null>(null);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [suggest, setSuggest] = useState<CaseSuggestResult | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<CaseReportResult | null>(null);
  // 代录 is for the staff who take calls and visits (the same people who accept cases).
  const mayProxy = can('case.dispatch');
  const [proxy, setProxy] = useState(false);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markerRef = useRef<Marker | null>(null);

  const catalogue = useQuery({ queryKey: ['catalogue', 'active'], queryFn: intakeApi.catalogue, staleTime: 300_000 });
  const options = useMemo(
    () =>
      (catalogue.data?.classes ?? [])
        .filter((c) => c.active)
        .map((c) => ({ label: c.name, options: c.items.filter((i) => i.active).map((i) => ({ value: i.id, label: `${i.code} ${i.name}` })) })),
    [catalogue.data],
  );

  // Suggestions follow the text and the point (debounced): categories, and open cases nearby.
  useEffect(() => {
    const text = description.trim();
    if (text.length < 2 && !point) {
      setSuggest(null);
      return;
    }
    const timer = setTimeout(() => {
      intakeApi
        .suggest({ text: text || undefined, location: point ?? undefined, categoryId })
        .then(setSuggest)
        .catch(() => setSuggest(null));
    }, 400);
    return () => clearTimeout(timer);
  }, [description, point, categoryId]);

  // The marker follows the chosen point.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!point) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) markerRef.current = new Marker({ color: '#d4380d' }).setLngLat([point.lng, point.lat]).addTo(map);
    else markerRef.current.setLngLat([point.lng, point.lat]);
  }, [point]);

  const locate = () => {
    if (!navigator.geolocation) {
      setLocError(t('intake.gpsUnavailable'));
      return;
    }
    setLocating(true);
    setLocError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const p = { lng: round(pos.coords.longitude), lat: round(pos.coords.latitude) };
        setPoint(p);
        mapRef.current?.flyTo({ center: [p.lng, p.lat], zoom: Math.max(mapRef.current.getZoom(), 16) });
      },
      () => {
        setLocating(false);
        setLocError(t('intake.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const addPhotos = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = `${file.name}-${Math.random()}`;
      const preview = URL.createObjectURL(file);
      setPhotos((ps) => [...ps, { key, name: file.name, preview }]);
      intakeApi
        .upload(file)
        .then((info) => setPhotos((ps) => ps.map((p) => (p.key === key ? { ...p, info } : p))))
        .catch((e: unknown) => setPhotos((ps) => ps.map((p) => (p.key === key ? { ...p, error: e instanceof ApiError ? e.message : String(e) } : p))));
    }
  };

  const submit = async (values: {
    address?: string;
    urgency: Urgency;
    peopleInvolved?: string;
    channelDetail?: ProxyChannel;
    callerName?: string;
    callerPhone?: string;
  }) => {
    setSending(true);
    setError(null);
    try {
      const res = await intakeApi.report({
        description: description.trim(),
        categoryId,
        location: point ? { ...point, crs: 'WGS84' } : undefined,
        address: values.address?.trim() || undefined,
        urgency: values.urgency,
        peopleInvolved: values.peopleInvolved?.trim() || undefined,
        attachmentIds: photos.flatMap((p) => (p.info ? [p.info.id] : [])),
        idempotencyKey: idemKey,
        proxy:
          proxy && values.callerName
            ? { channelDetail: values.channelDetail ?? 'phone', callerName: values.callerName.trim(), callerPhone: values.callerPhone?.trim() || undefined }
            : undefined,
      });
      setDone(res);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)));
    } finally {
      setSending(false);
    }
  };

  const again = () => {
    for (const p of photos) URL.revokeObjectURL(p.preview);
    setPhotos([]);
    setDescription('');
    setCategoryId(undefined);
    setPoint(null);
    setSuggest(null);
    setDone(null);
    setError(null);
    form.resetFields();
    setFormKey((k) => k + 1);
    setIdemKey(newIdempotencyKey());
  };

  const uploading = photos.some((p) => !p.info && !p.error);
  const header = (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '10px 12px', background: '#1f5fbf', color: '#fff' }}>
      <Link to={me?.role === 'resident' ? '/my-reports' : '/'} style={{ color: '#fff' }} aria-label={t('intake.back')}>
        <LeftOutlined />
      </Link>
      <Typography.Text strong style={{ color: '#fff', fontSize: 17 }}>
        {t('intake.title')}
      </Typography.Text>
    </div>
  );

  if (done) {
    return (
      <div style={{ minHeight: '100%', background: '#fff' }}>
        {header}
        <Result
          status="success"
          title={done.created ? t('intake.success') : t('intake.alreadyReported')}
          subTitle={
            <Space direction="vertical" size={4}>
              <span>
                {t('intake.caseNo')}
                <Typography.Text strong copyable data-testid="report-case-no">
                  {done.caseNo}
                </Typography.Text>
              </span>
              <span>
                {done.categoryName} · {done.gridName ?? done.regionName}
                {done.noGrid ? ` (${t('intake.noGrid')})` : ''}
              </span>
              <span>{label(caseStatusLabels[done.status])}</span>
              {done.selfDisposeError && <Typography.Text type="warning">{done.selfDisposeError}</Typography.Text>}
            </Space>
          }
          extra={[
            <Button key="again" type="primary" size="large" onClick={again}>
              {t('intake.reportAnother')}
            </Button>,
            <Link key="mine" to={me?.role === 'resident' ? '/my-reports' : '/my-cases'}>
              <Button size="large">{t('intake.myReports')}</Button>
            </Link>,
          ]}
        />
      </div>
    );
  }

  return (
    <div style={{ minHeight: '100%', background: '#f5f6f8' }} data-testid="mobile-report">
      {header}
      <Form
        key={formKey}
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ urgency: 'normal' }}
        onFinish={submit}
        style={{ padding: 12, maxWidth: 640, margin: '0 auto' }}
      >
        {mayProxy && (
          <Form.Item label={t('intake.proxy')} extra={proxy ? t('intake.proxyHint') : undefined}>
            <Switch checked={proxy} onChange={setProxy} data-testid="report-proxy" />
          </Form.Item>
        )}
        {proxy && (
          <>
            <Form.Item name="channelDetail" label={t('intake.proxyChannel')} initialValue="phone">
              <Segmented block options={PROXY_CHANNELS.map((c) => ({ value: c, label: label(proxyChannelLabels[c]) }))} />
            </Form.Item>
            <Form.Item name="callerName" label={t('intake.callerName')} rules={[{ required: true, whitespace: true, message: t('intake.callerNameRequired') }]}>
              <Input maxLength={40} data-testid="report-caller-name" />
            </Form.Item>
            <Form.Item name="callerPhone" label={t('intake.callerPhone')}>
              <Input maxLength={20} inputMode="tel" data-testid="report-caller-phone" />
            </Form.Item>
          </>
        )}
        <Form.Item label={t('intake.description')} required>
          <Input.TextArea
            data-testid="report-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={4000}
            placeholder={t('intake.descriptionHint')}
          />
        </Form.Item>

        <Form.Item label={t('intake.category')} extra={categoryId ? undefined : t('intake.categoryAuto')}>
          {suggest && suggest.categories.length > 0 && (
            <div style={{ marginBottom: 6 }} data-testid="category-suggestions">
              <Typography.Text type="secondary">{t('intake.suggested')}</Typography.Text>{' '}
              {suggest.categories.map((c) => (
                <Tag.CheckableTag key={c.id} checked={categoryId === c.id} onChange={(on) => setCategoryId(on ? c.id : undefined)} style={{ marginBottom: 4 }}>
                  {c.name}
                </Tag.CheckableTag>
              ))}
            </div>
          )}
          <Select
            data-testid="report-category"
            showSearch
            allowClear
            value={categoryId}
            onChange={(v) => setCategoryId(v)}
            options={options}
            loading={catalogue.isLoading}
            optionFilterProp="label"
            placeholder={t('intake.categoryPlaceholder')}
          />
        </Form.Item>

        <Form.Item label={t('intake.location')} required extra={point ? `${point.lng.toFixed(6)}, ${point.lat.toFixed(6)}` : t('intake.locationHint')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button icon={<AimOutlined />} onClick={locate} loading={locating} block data-testid="report-gps">
              {t('intake.useGps')}
            </Button>
            {locError && <Typography.Text type="danger">{locError}</Typography.Text>}
            <div style={{ height: 220, borderRadius: 4, overflow: 'hidden' }} data-testid="report-map">
              <MapView
                compact
                center={[117.02, 36.67]}
                zoom={13}
                style={{ height: '100%' }}
                onReady={(map) => {
                  mapRef.current = map;
                  map.on('click', (e) => setPoint({ lng: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
                  // Staff who may read grids see the grid outlines for orientation (residents see the plain map).
                  if (!can('grid.read')) return;
                  map.addSource('report-grids', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
                  map.addLayer({ id: 'report-grids-line', type: 'line', source: 'report-grids', paint: { 'line-color': '#1f5fbf', 'line-width': 1 } });
                  map.addLayer({ id: 'report-grids-fill', type: 'fill', source: 'report-grids', paint: { 'fill-color': '#1f5fbf', 'fill-opacity': 0.04 } });
                  const load = () => {
                    const bb = map.getBounds();
                    gridsApi
                      .features([bb.getWest(), bb.getSouth(), bb.getEast(), bb.getNorth()].map((n) => n.toFixed(5)).join(','))
                      .then((fc) => (map.getSource('report-grids') as GeoJSONSource | undefined)?.setData(fc as never))
                      .catch(() => undefined);
                  };
                  map.on('moveend', load);
                  load();
                }}
              />
            </div>
          </Space>
        </Form.Item>
        <Form.Item name="address" label={t('intake.address')}>
          <Input placeholder={t('intake.addressHint')} maxLength={200} />
        </Form.Item>

        {suggest && suggest.duplicates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 14 }}
            data-testid="report-duplicates"
            message={t('intake.duplicates')}
            description={
              <Space direction="vertical" size={2}>
                {suggest.duplicates.map((d) => (
                  <span key={d.id}>
                    <Typography.Text strong>{d.caseNo}</Typography.Text> {d.title} · {label(caseStatusLabels[d.status])} ·{' '}
                    {t('intake.distance', { m: Math.round(d.distanceM) })}
                  </span>
                ))}
                <Typography.Text type="secondary">{t('intake.duplicatesHint')}</Typography.Text>
              </Space>
            }
          />
        )}

        <Form.Item label={t('intake.photos')}>
          <Space wrap>
            {photos.map((p) => (
              <div key={p.key} style={{ position: 'relative', width: 72, height: 72 }} data-testid="report-photo" data-uploaded={p.info ? 'yes' : 'no'}>
                <img src={p.preview} alt={p.name} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4, opacity: p.info ? 1 : 0.5 }} />
                {!p.info && !p.error && <Spin size="small" style={{ position: 'absolute', left: 26, top: 26 }} />}
                <CloseCircleFilled
                  aria-label={t('intake.removePhoto')}
                  onClick={() => setPhotos((ps) => ps.filter((x) => x.key !== p.key))}
                  style={{ position: 'absolute', right: -6, top: -6, color: '#595959', fontSize: 18, background: '#fff', borderRadius: 9 }}
                />
                {p.error && (
                  <Typography.Text type="danger" style={{ fontSize: 11, display: 'block', width: 72 }}>
                    {p.error}
                  </Typography.Text>
                )}
              </div>
            ))}
            <label
              style={{
                width: 72,
                height: 72,
                border: '1px dashed #8c8c8c',
                borderRadius: 4,
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
                cursor: 'pointer',
                background: '#fff',
              }}
            >
              <CameraOutlined style={{ fontSize: 24, color: '#595959' }} />
              <input
                type="file"
                accept="image/*"
                capture="environment"
                multiple
                data-testid="report-photo-input"
                style={{ display: 'none' }}
                onChange={(e) => {
                  addPhotos(e.target.files);
                  e.target.value = '';
                }}
              />
            </label>
          </Space>
        </Form.Item>

        <Form.Item name="urgency" label={t('intake.urgency')}>
          <Segmented block options={URGENCIES.map((u) => ({ value: u, label: label(urgencyLabels[u]) }))} />
        </Form.Item>
        <Form.Item name="peopleInvolved" label={t('intake.peopleInvolved')}>
          <Input maxLength={500} />
        </Form.Item>

        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 14 }}
            data-testid="report-error"
            message={error.message}
            description={error.fields.length ? error.fields.map((f) => f.message).join('；') : undefined}
          />
        )}
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={sending}
          disabled={!description.trim() || (!point && !address?.trim()) || uploading}
          data-testid="report-submit"
        >
          {uploading ? t('intake.uploading') : t('intake.submit')}
        </Button>
      </Form>
    </div>
  );
}
