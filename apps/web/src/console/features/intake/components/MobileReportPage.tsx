import { type Urgency, urgencyLabels } from '@gridgov/contracts/cases';
import { type CaseReportResult, type ProxyChannel, proxyChannelLabels } from '@gridgov/contracts/intake';
import { useQuery } from '@tanstack/react-query';
import { Button, ConfigProvider, Form, ImageUploader, type ImageUploadItem, Input, NavBar, NoticeBar, Selector, Switch, TextArea, Toast } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../../../common/api/client';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { intakeApi, newIdempotencyKey } from '../api';
import { type Point, useReportSuggest } from '../hooks/useReportSuggest';
import { ReportCategoryField } from './ReportCategoryField';
import { ReportDone } from './ReportDone';
import { ReportDuplicates } from './ReportDuplicates';
import { ReportLocationField } from './ReportLocationField';

const URGENCIES: Urgency[] = ['normal', 'urgent', 'critical'];
const PROXY_CHANNELS: ProxyChannel[] = ['phone', 'walk_in', 'opinion_box', 'other'];

interface Values {
  description?: string;
  categoryId?: string;
  location?: Point | null;
  address?: string;
  photos?: ImageUploadItem[];
  urgency: Urgency;
  peopleInvolved?: string;
  channelDetail?: ProxyChannel;
  callerName?: string;
  callerPhone?: string;
}

/** A server field path (`proxy.callerName`, `attachmentIds.0`) → the form field that shows it. */
const FIELD_OF: Record<string, keyof Values> = {
  description: 'description',
  categoryId: 'categoryId',
  location: 'location',
  address: 'address',
  attachmentIds: 'photos',
  urgency: 'urgency',
  peopleInvolved: 'peopleInvolved',
  'proxy.channelDetail': 'channelDetail',
  'proxy.callerName': 'callerName',
  'proxy.callerPhone': 'callerPhone',
};
const fieldOf = (path: string) => FIELD_OF[path.split('.').slice(0, 2).join('.')] ?? FIELD_OF[path.split('.')[0] ?? ''];

/** One value out of a Selector (which holds an array). */
function OneOf<V extends string>({ value, onChange, options }: { value?: V; onChange?: (v: V) => void; options: { value: V; label: string }[] }) {
  return (
    <Selector<V> columns={options.length} options={options} value={value ? [value] : []} onChange={(v) => v[0] && onChange?.(v[0])} showCheckMark={false} />
  );
}

/**
 * 上报问题 on a phone (grid workers, residents), built with antd-mobile: description with category suggestions
 * as one types, the location from GPS or a tap on the offline map, photos from the camera (uploaded at once,
 * purpose 上报), urgency, and the open cases nearby that may be the same problem — before the report is sent.
 * One idempotency key per form: tapping 上报 again after a timeout returns the same case. Center and station
 * staff use the same form to enter a caller's problem (代录: phone call, walk-in, opinion box) with the
 * caller's name and phone. A refusal shows each field's message under that field.
 */
export default function MobileReportPage() {
  const { t, label, locale } = useI18n();
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const description = Form.useWatch('description', form);
  const categoryId = Form.useWatch('categoryId', form);
  const point = Form.useWatch('location', form);
  const address = Form.useWatch('address', form);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<CaseReportResult | null>(null);
  // 代录 is for the staff who take calls and visits (the same people who accept cases).
  const mayProxy = can('case.dispatch');
  const [proxy, setProxy] = useState(false);
  const home = me?.role === 'resident' ? '/my-reports' : '/';

  const catalogue = useQuery({ queryKey: ['catalogue', 'active'], queryFn: intakeApi.catalogue, staleTime: 300_000 });
  const suggest = useReportSuggest(description, point, categoryId);

  const upload = async (file: File): Promise<ImageUploadItem> => {
    try {
      const info = await intakeApi.upload(file, 'report');
      return { key: info.id, url: URL.createObjectURL(file), extra: info };
    } catch (e) {
      Toast.show({ icon: 'fail', content: e instanceof ApiError ? e.message : String(e) });
      throw e;
    }
  };

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      const res = await intakeApi.report({
        description: (values.description ?? '').trim(),
        categoryId: values.categoryId,
        location: values.location ? { ...values.location, crs: 'WGS84' } : undefined,
        address: values.address?.trim() || undefined,
        urgency: values.urgency,
        peopleInvolved: values.peopleInvolved?.trim() || undefined,
        attachmentIds: (values.photos ?? []).map((p) => (p.extra as { id: string }).id),
        idempotencyKey: idemKey,
        proxy:
          proxy && values.callerName
            ? { channelDetail: values.channelDetail ?? 'phone', callerName: values.callerName.trim(), callerPhone: values.callerPhone?.trim() || undefined }
            : undefined,
      });
      setDone(res);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e));
      // Each field's message under its field; what no field shows stays in the box above the button.
      const byField = new Map<keyof Values, string[]>();
      const rest = err.fields.filter((f) => {
        const name = fieldOf(f.path);
        if (name) byField.set(name, [...(byField.get(name) ?? []), f.message]);
        return !name;
      });
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      setError(new ApiError(err.status, err.code, err.message, rest, err.details));
      Toast.show({ icon: 'fail', content: err.message });
    } finally {
      setSending(false);
    }
  };

  const again = () => {
    for (const p of form.getFieldValue('photos') ?? []) URL.revokeObjectURL((p as ImageUploadItem).url);
    setDone(null);
    setError(null);
    form.resetFields();
    setIdemKey(newIdempotencyKey());
  };

  const header = (
    <NavBar onBack={() => navigate(home)} backIcon style={{ background: '#1f5fbf', color: '#fff', '--height': '48px' }} backArrow>
      {t('intake.title')}
    </NavBar>
  );

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN}>
      <div style={{ minHeight: '100vh', background: '#f5f6f8', '--adm-color-primary': '#1f5fbf' } as React.CSSProperties} data-testid="mobile-report">
        {header}
        {done ? (
          <ReportDone done={done} again={again} mine={me?.role === 'resident' ? '/my-reports' : '/my-cases'} />
        ) : (
          <Form
            form={form}
            layout="vertical"
            mode="card"
            initialValues={{ urgency: 'normal', channelDetail: 'phone', photos: [] }}
            onFinish={submit}
            style={{ maxWidth: 640, margin: '0 auto', paddingBottom: 24 }}
            footer={
              <>
                {error && (error.fields.length > 0 || error.code === 'NETWORK') && (
                  <NoticeBar
                    color="error"
                    wrap
                    style={{ marginBottom: 12 }}
                    data-testid="report-error"
                    content={[error.message, ...error.fields.map((f) => f.message)].join('；')}
                  />
                )}
                <Button
                  block
                  type="submit"
                  color="primary"
                  size="large"
                  loading={sending}
                  disabled={!description?.trim() || (!point && !address?.trim()) || uploading}
                  data-testid="report-submit"
                >
                  {uploading ? t('intake.uploading') : t('intake.submit')}
                </Button>
              </>
            }
          >
            {mayProxy && (
              <Form.Item label={t('intake.proxy')} description={proxy ? t('intake.proxyHint') : undefined} childElementPosition="right">
                <Switch checked={proxy} onChange={setProxy} data-testid="report-proxy" />
              </Form.Item>
            )}
            {proxy && (
              <>
                <Form.Item name="channelDetail" label={t('intake.proxyChannel')}>
                  <OneOf options={PROXY_CHANNELS.map((c) => ({ value: c, label: label(proxyChannelLabels[c]) }))} />
                </Form.Item>
                <Form.Item
                  name="callerName"
                  label={t('intake.callerName')}
                  rules={[{ required: true, whitespace: true, message: t('intake.callerNameRequired') }]}
                  data-testid="report-caller-name"
                >
                  <Input maxLength={40} clearable />
                </Form.Item>
                <Form.Item name="callerPhone" label={t('intake.callerPhone')} data-testid="report-caller-phone">
                  <Input maxLength={20} inputMode="tel" type="tel" clearable />
                </Form.Item>
              </>
            )}
            <Form.Item
              name="description"
              label={t('intake.description')}
              rules={[{ required: true, whitespace: true, message: t('intake.descriptionRequired') }]}
              data-testid="report-description"
            >
              <TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} showCount placeholder={t('intake.descriptionHint')} />
            </Form.Item>
            <Form.Item name="categoryId" label={t('intake.category')}>
              <ReportCategoryField catalogue={catalogue.data} suggestions={suggest?.categories ?? []} />
            </Form.Item>
            <Form.Item
              name="location"
              label={t('intake.location')}
              required
              dependencies={['address']}
              rules={[
                {
                  validator: (_, v) =>
                    v || form.getFieldValue('address')?.trim() ? Promise.resolve() : Promise.reject(new Error(t('intake.locationRequired'))),
                },
              ]}
            >
              <ReportLocationField />
            </Form.Item>
            <Form.Item name="address" label={t('intake.address')}>
              <Input placeholder={t('intake.addressHint')} maxLength={200} clearable />
            </Form.Item>
            {suggest && suggest.duplicates.length > 0 && <ReportDuplicates duplicates={suggest.duplicates} />}
            <Form.Item name="photos" label={t('intake.photos')} data-testid="report-photos">
              <ImageUploader
                upload={upload}
                accept="image/*"
                capture="environment"
                multiple
                maxCount={9}
                onUploadQueueChange={(tasks) => setUploading(tasks.some((x) => x.status === 'pending'))}
                renderItem={(node, item) => (
                  <div data-testid="report-photo" data-uploaded={item.extra ? 'yes' : 'no'}>
                    {node}
                  </div>
                )}
              />
            </Form.Item>
            <Form.Item name="urgency" label={t('intake.urgency')}>
              <OneOf options={URGENCIES.map((u) => ({ value: u, label: label(urgencyLabels[u]) }))} />
            </Form.Item>
            <Form.Item name="peopleInvolved" label={t('intake.peopleInvolved')}>
              <Input maxLength={500} clearable />
            </Form.Item>
          </Form>
        )}
      </div>
    </ConfigProvider>
  );
}
