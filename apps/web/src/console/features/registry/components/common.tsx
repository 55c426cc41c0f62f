import { EyeOutlined } from '@ant-design/icons';
import type { Labels } from '@gridgov/contracts/registry-codes';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Result, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../../common/api/client';
import { formatDate } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { gridKeys, gridsApi } from '../../grids/api';
import { personsApi, placesApi } from '../api';
import { localText } from '../helpers';

/** Debounced text for search-as-you-type pickers. */
export function useDebounced(text: string, ms = 250): string {
  const [v, setV] = useState(text);
  useEffect(() => {
    const h = setTimeout(() => setV(text.trim()), ms);
    return () => clearTimeout(h);
  }, [text, ms]);
  return v;
}

/** Options of a contracts code table ({key: {zh, en}}) in the UI language. */
export function useCodeOptions<K extends string>(labels: Labels<K>) {
  const { label } = useI18n();
  return (Object.keys(labels) as K[]).map((k) => ({ value: k, label: label(labels[k]) }));
}

type PickerProps = { value?: string; onChange?: (v: string | undefined) => void; placeholder?: string; style?: React.CSSProperties; id?: string };

/** A grid by code prefix or name (the caller's view scope; the server narrows it). */
export function GridSelect({ value, onChange, placeholder, style, id, known }: PickerProps & { known?: { id: string; name: string } }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const hits = useQuery({ queryKey: gridKeys.search(`reg:${q}`), queryFn: () => gridsApi.list({ q: q || undefined, limit: 30, offset: 0 }) });
  const options = (hits.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.name}（${g.code}）` }));
  if (known && value === known.id && !options.some((o) => o.value === known.id)) options.unshift({ value: known.id, label: known.name });
  return (
    <Select
      id={id}
      aria-label={id ? undefined : (placeholder ?? t('reg.grid'))}
      allowClear
      showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={placeholder ?? t('reg.grid')}
      options={options}
      loading={hits.isFetching}
      style={style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}

/** A house by address text. */
export function HouseSelect({ value, onChange, placeholder, style, id, known }: PickerProps & { known?: { id: string; name: string } }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const hits = useQuery({ queryKey: ['houses', 'pick', q], queryFn: () => placesApi.houses({ q: q || undefined, limit: 30, offset: 0 }) });
  const options = (hits.data?.items ?? []).map((h) => ({ value: h.id, label: `${h.address}（${h.gridName}）` }));
  if (known && value === known.id && !options.some((o) => o.value === known.id)) options.unshift({ value: known.id, label: known.name });
  return (
    <Select
      id={id}
      aria-label={id ? undefined : (placeholder ?? t('reg.house'))}
      allowClear
      showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={placeholder ?? t('reg.houseSearch')}
      options={options}
      loading={hits.isFetching}
      style={style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}

/** A person by name (fuzzy) or, for 18 characters, by 身份证号. */
export function PersonSelect({ value, onChange, placeholder, style, id, exclude, known }: PickerProps & { exclude?: string; known?: Map<string, string> }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const byId = /^\d{17}[\dXx]$/.test(q);
  const hits = useQuery({
    queryKey: ['persons', 'pick', q],
    queryFn: () => personsApi.list(byId ? { idNumber: q, limit: 20, offset: 0 } : { q, limit: 20, offset: 0 }),
    enabled: q.length > 0,
  });
  return (
    <Select
      id={id}
      aria-label={id ? undefined : (placeholder ?? t('reg.personPick'))}
      allowClear
      showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={placeholder ?? t('reg.personPick')}
      options={[
        ...(value && known?.has(value) && !hits.data?.items.some((p) => p.id === value) ? [{ value, label: known.get(value) ?? value }] : []),
        ...(hits.data?.items ?? []).filter((p) => p.id !== exclude).map((p) => ({ value: p.id, label: `${p.name} ${p.idNumberMasked ?? ''} ${p.gridName}` })),
      ]}
      loading={hits.isFetching}
      notFoundContent={q && hits.isFetched ? t('reg.noMatch') : undefined}
      style={style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}

/** Form.Item props that keep a DatePicker's value as 'YYYY-MM-DD' in the form. */
export const dateItemProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : undefined }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};
export function DateInput(props: React.ComponentProps<typeof DatePicker>) {
  return <DatePicker style={{ width: '100%' }} {...props} />;
}

/** 网格 or 经纬度: where a record is when it has no house. */
export function PlacementItems({ known, required }: { known?: { id: string; name: string }; required?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="gridId" label={t('reg.grid')} extra={t('reg.placementHint')} rules={required ? [{ required: true, message: t('common.required') }] : []}>
        <GridSelect known={known} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item name="lng" label={t('reg.lng')}>
            <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="lat" label={t('reg.lat')}>
            <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** 已核实 / 待核实 with who and when. */
export function FreshTag({ stale, verifiedAt }: { stale: boolean; verifiedAt: string | null }) {
  const { t } = useI18n();
  const tip = verifiedAt ? t('reg.verifiedAt', { at: formatDate(verifiedAt) }) : t('reg.neverVerified');
  return (
    <Tooltip title={tip}>
      {stale ? (
        <Tag color="orange" data-testid="stale-tag">
          {t('reg.stale')}
        </Tag>
      ) : (
        <Tag color="green">{t('reg.fresh')}</Tag>
      )}
    </Tooltip>
  );
}

/** A page's record failed to load: 404 says 记录不存在 (out of scope looks the same, on purpose). */
export function RecordError({ error, retry, back }: { error: unknown; retry?: () => void; back: { to: string; label: string } }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={t('reg.notFound')}
        subTitle={t('reg.notFoundHint')}
        extra={
          <Link to={back.to}>
            <Button type="primary">{back.label}</Button>
          </Link>
        }
      />
    );
  return <QueryError error={error} retry={retry} />;
}

/**
 * 查看明文: asks why, calls the audited unmask, shows the clear value in the modal only. The value lives
 * in this component's state and is gone when the modal closes.
 */
export function UnmaskButton({
  fieldLabel,
  masked,
  unmask,
  compact,
}: {
  fieldLabel: string;
  masked: string | null;
  unmask: (reason: string) => Promise<string | null>;
  /** Icon only (tables), the label as its tooltip. */
  compact?: boolean;
}) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [value, setValue] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!masked) return null;
  const close = () => {
    setOpen(false);
    setValue(undefined);
    setReason('');
    setError(null);
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setValue(await unmask(reason.trim()));
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...e.fields.map((f) => localText(f.message, locale))].join('；') : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Tooltip title={compact ? t('reg.unmask') : undefined}>
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="unmask-open" aria-label={t('reg.unmask')}>
          {compact ? null : t('reg.unmask')}
        </Button>
      </Tooltip>
      <Modal
        open={open}
        title={t('reg.unmaskTitle', { field: fieldLabel })}
        onCancel={close}
        destroyOnHidden
        footer={
          value === undefined ? (
            <Space>
              <Button onClick={close}>{t('common.cancel')}</Button>
              <Button type="primary" loading={busy} disabled={reason.trim().length < 4} onClick={() => void submit()} data-testid="unmask-submit">
                {t('reg.unmaskConfirm')}
              </Button>
            </Space>
          ) : (
            <Button type="primary" onClick={close}>
              {t('common.close')}
            </Button>
          )
        }
      >
        {value === undefined ? (
          <>
            <Typography.Paragraph type="secondary">{t('reg.unmaskIntro')}</Typography.Paragraph>
            <Form layout="vertical">
              <Form.Item label={t('reg.reason')} required extra={t('reg.reasonMin', { n: 4 })}>
                <Input.TextArea
                  aria-label={t('reg.reason')}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={200}
                  rows={2}
                  placeholder={t('reg.unmaskReasonPlaceholder')}
                />
              </Form.Item>
            </Form>
            {error && <Alert type="error" showIcon title={error} />}
          </>
        ) : (
          <>
            <Typography.Paragraph>{fieldLabel}</Typography.Paragraph>
            <Typography.Text copyable={!!value} strong style={{ fontSize: 18, fontFamily: 'monospace' }} data-testid="unmasked-value">
              {value ?? '—'}
            </Typography.Text>
            <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('reg.unmaskAudited')} />
          </>
        )}
      </Modal>
    </>
  );
}

/** One modal that asks for a reason (and maybe more) and runs an action; used for merge, review …. */
export function ActionModal({
  open,
  title,
  onClose,
  onOk,
  children,
  okText,
  okDanger,
}: {
  open: boolean;
  title: string;
  onClose(): void;
  onOk(): Promise<void>;
  children: ReactNode;
  okText?: string;
  okDanger?: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      okText={okText ?? t('common.ok')}
      okButtonProps={{ danger: okDanger, loading: busy }}
      onOk={async () => {
        setBusy(true);
        try {
          await onOk();
        } catch (e) {
          if (e instanceof Error && !(e instanceof ApiError) && e.message === 'invalid') return;
          message.error(e instanceof Error ? e.message : String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </Modal>
  );
}

/** Table pagination in the house style. */
export function pagination(
  t: (k: 'common.total', v: { n: number }) => string,
  f: { limit: number; offset: number },
  total: number,
  onPage: (offset: number, limit: number) => void,
) {
  return {
    current: Math.floor(f.offset / f.limit) + 1,
    pageSize: f.limit,
    total,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    size: 'small' as const,
    showTotal: (n: number) => t('common.total', { n }),
    onChange: (page: number, size: number) => onPage((page - 1) * size, size),
  };
}

/** A list filter: a clearable select whose placeholder is also its accessible name. */
export function FilterSelect<V extends string>({
  label,
  value,
  onChange,
  options,
  width,
}: {
  label: string;
  value: V | undefined;
  onChange: (v: V | undefined) => void;
  options: { value: V; label: React.ReactNode }[];
  width: number;
}) {
  return <Select aria-label={label} placeholder={label} allowClear value={value} onChange={onChange} options={options} style={{ width }} />;
}
