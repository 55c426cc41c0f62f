import { levelsOf, type SpecialFieldDef, sensitivityLabels, specialGroupByCode, specialLevelLabels } from '@gridgov/contracts/special-groups';
import { Alert, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { personsApi } from '../api';
import { compact, splitServerErrors } from '../helpers';
import { ActionModal, DateInput, dateItemProps, PersonSelect } from './common';
import { useVisibleTypes } from './PersonsPage';

function FieldInput({ f }: { f: SpecialFieldDef }) {
  const { t } = useI18n();
  if (f.type === 'enum') return <Select allowClear options={(f.options ?? []).map((o) => ({ value: o, label: o }))} />;
  if (f.type === 'number') return <InputNumber style={{ width: '100%' }} />;
  if (f.type === 'date') return <DateInput />;
  if (f.type === 'bool') return <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />;
  return <Input maxLength={500} />;
}

/**
 * 登记特殊人群: the form is built from the register's field list in contracts/special-groups.ts, so a
 * new register type needs no console change. Without `personId` the person is picked first.
 */
export function SpecialEntryModal({ personId, typeCode, onClose, onSaved }: { personId?: string; typeCode?: string; onClose(): void; onSaved(): void }) {
  const { t, label, locale } = useI18n();
  const types = useVisibleTypes();
  const [form] = Form.useForm();
  const code = (Form.useWatch('typeCode', form) as string | undefined) ?? typeCode;
  const type = code ? specialGroupByCode.get(code) : undefined;
  const [error, setError] = useState<string | null>(null);
  const names = ['personId', 'typeCode', 'level', 'since', 'until', 'note', ...(type?.fields ?? []).map((f) => `fields.${f.key}`)];

  return (
    <ActionModal
      open
      title={t('special.add')}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        setError(null);
        const fields: Record<string, string | number | boolean | null> = {};
        for (const f of type?.fields ?? []) {
          const x = v.fields?.[f.key];
          if (x !== undefined && x !== null && x !== '') fields[f.key] = typeof x === 'string' ? x.trim() : x;
        }
        try {
          await personsApi.addSpecial(personId ?? v.personId, {
            typeCode: v.typeCode,
            level: v.level,
            fields,
            ...compact({ since: v.since, until: v.until, note: v.note }),
          });
          onSaved();
        } catch (e) {
          const r = splitServerErrors(e, names, locale, { SPECIAL_TYPE_UNKNOWN: 'typeCode' });
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" initialValues={{ typeCode }}>
        {!personId && (
          <Form.Item name="personId" label={t('person.name')} rules={[{ required: true, message: t('common.required') }]}>
            <PersonSelect />
          </Form.Item>
        )}
        <Row gutter={8}>
          <Col span={14}>
            <Form.Item name="typeCode" label={t('special.type')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={types.map((g) => ({ value: g.code, label: label(g) }))}
                onChange={() => form.setFieldsValue({ level: undefined, fields: {} })}
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="level"
              label={type?.scale === 'risk' ? t('special.risk') : t('special.priority')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select disabled={!type} options={(type ? levelsOf(type) : []).map((l) => ({ value: l, label: label(specialLevelLabels[l]) }))} />
            </Form.Item>
          </Col>
        </Row>
        {type && (
          <>
            <Space style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">{t('special.sensitivity')}</Typography.Text>
              <Tag color={type.sensitivity === 3 ? 'magenta' : type.sensitivity === 2 ? 'gold' : 'default'}>{label(sensitivityLabels[type.sensitivity])}</Tag>
            </Space>
            <Row gutter={8}>
              {type.fields.map((f) => (
                <Col span={12} key={f.key}>
                  <Form.Item
                    name={['fields', f.key]}
                    label={label(f)}
                    valuePropName={f.type === 'bool' ? 'checked' : 'value'}
                    rules={f.required ? [{ required: true, message: t('common.required') }] : []}
                    {...(f.type === 'date' ? dateItemProps : {})}
                  >
                    <FieldInput f={f} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        )}
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="since" label={t('person.since')} {...dateItemProps}>
              <DateInput />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="until" label={t('person.until')} {...dateItemProps}>
              <DateInput />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('reg.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}

/** An entry's own fields, labelled by the register's definitions. */
export function SpecialFieldsView({ typeCode, fields }: { typeCode: string; fields: Record<string, unknown> }) {
  const { t, label } = useI18n();
  const defs = specialGroupByCode.get(typeCode)?.fields ?? [];
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => {
      const d = defs.find((f) => f.key === k);
      const text = typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : String(v);
      return `${d ? label(d) : k}：${text}`;
    });
  return <span style={{ fontSize: 12 }}>{parts.join('；') || '—'}</span>;
}
