import { LimitUnit, limitUnitLabels } from '@gridgov/contracts/calendar';
import { HandlingLevel, handlingLevelLabels } from '@gridgov/contracts/cases';
import { type CatalogueClass, type CatalogueItem, type CategoryRules, defaultStageLimits, limitStages } from '@gridgov/contracts/catalogue';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError } from '../../../../common/api/client';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { regionsApi } from '../../regions/api';
import { splitServerErrors } from '../../registry/helpers';
import { catalogueApi, catalogueKeys } from '../api';

interface FormValues {
  code?: string;
  name: string;
  rules: Omit<CategoryRules, 'deptCode'> & { deptCode: string | null | undefined };
}

const FORM_FIELDS = [
  'code',
  'name',
  'classId',
  'rules.deptCode',
  'rules.level',
  ...limitStages.flatMap((s) => [`rules.limits.${s}.amount`, `rules.limits.${s}.unit`, `rules.limits.${s}`]),
  'rules.selfDispose',
  'rules.admitted',
  'rules.feedback',
  'rules.closure',
  'rules.keywords',
];

const defaultRules: FormValues['rules'] = {
  deptCode: null,
  level: 'community',
  limits: defaultStageLimits,
  selfDispose: false,
  admitted: true,
  feedback: '',
  closure: '',
  keywords: [],
};

/** Edit (or create) a catalogue item: its rules, saved as a new version; the version history below. */
export function ItemDrawer({
  item,
  cls,
  editable,
  onClose,
  onSaved,
}: {
  item?: CatalogueItem;
  cls: CatalogueClass;
  editable: boolean;
  onClose: () => void;
  onSaved: (item: CatalogueItem) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const zh = locale !== 'en';
  const lbl = (x: { zh: string; en: string }) => (zh ? x.zh : x.en);
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(item?.rules.version);
  const depts = useQuery({ queryKey: ['org-units', 'departments'], queryFn: () => regionsApi.orgUnits({ kind: 'department' }) });
  const versions = useQuery({
    queryKey: catalogueKeys.versions(item?.id ?? 'new'),
    queryFn: () => catalogueApi.versions(item?.id as string),
    enabled: !!item,
  });

  const deptOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of depts.data ?? []) if (d.deptCode && !seen.has(d.deptCode)) seen.set(d.deptCode, d.name);
    // The item's own code stays selectable even when the caller cannot see that department.
    if (item?.rules.deptCode && !seen.has(item.rules.deptCode)) seen.set(item.rules.deptCode, item.rules.deptName ?? item.rules.deptCode);
    return [...seen].map(([code, name]) => ({ value: code, label: `${name}（${code}）` }));
  }, [depts.data, item]);

  const initial: FormValues = item
    ? {
        name: item.name,
        rules: {
          deptCode: item.rules.deptCode,
          level: item.rules.level,
          limits: Object.fromEntries(
            limitStages.map((s) => [s, { amount: item.rules.limits[s].amount, unit: item.rules.limits[s].unit }]),
          ) as CategoryRules['limits'],
          selfDispose: item.rules.selfDispose,
          admitted: item.rules.admitted,
          feedback: item.rules.feedback,
          closure: item.rules.closure,
          keywords: item.rules.keywords,
        },
      }
    : { code: cls.code, name: '', rules: defaultRules };

  const submit = async (v: FormValues) => {
    setBusy(true);
    setError(null);
    const rules: CategoryRules = { ...v.rules, deptCode: v.rules.deptCode ?? null, feedback: v.rules.feedback ?? '', closure: v.rules.closure ?? '' };
    try {
      const saved = item
        ? await catalogueApi.updateItem(item.id, { name: v.name, rules, version })
        : await catalogueApi.createItem({ classId: cls.id, code: v.code ?? '', name: v.name, rules });
      setVersion(saved.rules.version);
      message.success(t('catalogue.savedVersion', { version: saved.rules.version }));
      onSaved(saved);
      if (item) void versions.refetch();
      else onClose();
    } catch (e) {
      const r = splitServerErrors(e, FORM_FIELDS, locale, { CATEGORY_CODE_TAKEN: 'code' });
      form.setFields(r.byField as never);
      setError(e instanceof ApiError && e.code === 'CONFLICT' ? t('catalogue.stale') : r.rest);
    } finally {
      setBusy(false);
    }
  };

  const unitOptions = LimitUnit.options.map((u) => ({ value: u, label: lbl(limitUnitLabels[u]) }));
  return (
    <Drawer
      open
      size={720}
      title={item ? `${item.code} ${item.name}` : t('catalogue.newItemIn', { name: cls.name })}
      onClose={onClose}
      destroyOnHidden
      footer={
        editable && (
          <Space style={{ float: 'right' }}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="item-save">
              {item ? t('catalogue.saveVersion') : t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      {item && (
        <Typography.Paragraph type="secondary" data-testid="item-version">
          {t('catalogue.currentVersion', { version: version ?? item.rules.version })}
        </Typography.Paragraph>
      )}
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} disabled={!editable} onFinish={(v) => void submit(v)}>
        <Row gutter={12}>
          {!item && (
            <Col span={8}>
              <Form.Item name="code" label={t('catalogue.code')} rules={[{ required: true }]} extra={t('catalogue.codeHint', { code: cls.code })}>
                <Input maxLength={12} />
              </Form.Item>
            </Col>
          )}
          <Col span={item ? 24 : 16}>
            <Form.Item name="name" label={t('catalogue.name')} rules={[{ required: true }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name={['rules', 'deptCode']} label={t('catalogue.dept')} extra={t('catalogue.deptHint')}>
              <Select allowClear options={deptOptions} loading={depts.isLoading} placeholder={t('catalogue.noDept')} aria-label={t('catalogue.dept')} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name={['rules', 'level']} label={t('catalogue.level')} rules={[{ required: true }]}>
              <Select options={HandlingLevel.options.map((l) => ({ value: l, label: lbl(handlingLevelLabels[l]) }))} aria-label={t('catalogue.level')} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('catalogue.limits')}
        </Divider>
        {limitStages.map((s) => (
          <Row gutter={8} key={s} align="top">
            <Col span={5} style={{ paddingTop: 5 }}>
              <Typography.Text>{t(`catalogue.stage.${s}`)}</Typography.Text>
            </Col>
            <Col span={9}>
              <Form.Item name={['rules', 'limits', s, 'amount']} rules={[{ required: true }]}>
                <InputNumber
                  style={{ width: '100%' }}
                  min={0}
                  aria-label={`${t(`catalogue.stage.${s}`)} ${t('catalogue.amount')}`}
                  data-testid={`limit-${s}-amount`}
                />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item name={['rules', 'limits', s, 'unit']} rules={[{ required: true }]}>
                <Select options={unitOptions} aria-label={`${t(`catalogue.stage.${s}`)} ${t('catalogue.unit')}`} data-testid={`limit-${s}-unit`} />
              </Form.Item>
            </Col>
          </Row>
        ))}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name={['rules', 'selfDispose']} label={t('catalogue.selfDispose')} valuePropName="checked" extra={t('catalogue.selfDisposeHint')}>
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['rules', 'admitted']} label={t('catalogue.admitted')} valuePropName="checked" extra={t('catalogue.admittedHint')}>
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name={['rules', 'feedback']} label={t('catalogue.feedback')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name={['rules', 'closure']} label={t('catalogue.closure')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name={['rules', 'keywords']} label={t('catalogue.keywords')} extra={t('catalogue.keywordsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} aria-label={t('catalogue.keywords')} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {item && (
        <>
          <Divider titlePlacement="start" plain>
            {t('catalogue.history')}
          </Divider>
          <Table
            size="small"
            rowKey="version"
            loading={versions.isLoading}
            dataSource={versions.data?.versions ?? []}
            pagination={false}
            data-testid="version-history"
            columns={[
              { title: t('catalogue.version'), dataIndex: 'version', width: 60, render: (v: number) => `v${v}` },
              { title: t('catalogue.changedAt'), dataIndex: 'createdAt', width: 130, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
              { title: t('catalogue.changedBy'), dataIndex: 'createdBy', width: 90, render: (v: string | null) => v ?? t('catalogue.seeded') },
              { title: t('catalogue.dept'), key: 'dept', render: (_, v) => v.deptName ?? v.deptCode ?? '—' },
              {
                title: t('catalogue.limits'),
                key: 'limits',
                render: (_, v) => limitStages.map((s) => `${t(`catalogue.stage.${s}`)} ${lbl(v.limits[s])}`).join('；'),
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
