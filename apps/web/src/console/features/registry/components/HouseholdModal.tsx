import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { relationToHeadLabels } from '@gridgov/contracts/registry-codes';
import { Alert, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { personsApi, type TPersonDetail } from '../api';
import { splitServerErrors } from '../helpers';
import { ActionModal, HouseSelect, PersonSelect, useCodeOptions } from './common';

type V = { number?: string; houseId?: string; members: { personId: string; relation: string }[] };

/** 户: the household number, its house and each member's relation to the head. */
export function HouseholdModal({ p, onClose, onDone }: { p: TPersonDetail; onClose(): void; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<V>();
  const relations = useCodeOptions(relationToHeadLabels);
  const [error, setError] = useState<string | null>(null);
  const h = p.household;
  // Names of current members, so the pickers show them before any search.
  const [known] = useState(() => new Map((h?.members ?? [{ personId: p.id, name: p.name }]).map((m) => [m.personId, m.name])));
  const initial: V = {
    number: h?.number ?? undefined,
    houseId: h?.houseId ?? p.houseId ?? undefined,
    members: h?.members.map((m) => ({ personId: m.personId, relation: m.relation })) ?? [{ personId: p.id, relation: 'head' }],
  };
  return (
    <ActionModal
      open
      title={t('person.householdEdit')}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        setError(null);
        try {
          await personsApi.setHousehold(p.id, {
            number: v.number?.trim() || undefined,
            houseId: v.houseId || undefined,
            members: v.members.map((m) => ({ personId: m.personId, relation: m.relation as never })),
          });
          onDone();
        } catch (e) {
          const r = splitServerErrors(e, ['number', 'houseId', 'members'], locale);
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="number" label={t('person.householdNo')}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="houseId" label={t('reg.house')}>
          <HouseSelect known={p.houseId && p.address ? { id: p.houseId, name: p.address } : undefined} />
        </Form.Item>
        <Typography.Text strong>{t('person.members')}</Typography.Text>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'personId']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 0, width: 260 }}>
                    <PersonSelect known={known} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'relation']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 0, width: 150 }}>
                    <Select options={relations} aria-label={t('person.relationToHead')} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ relation: 'other_relative' })} style={{ marginTop: 8 }}>
                {t('person.addMember')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </ActionModal>
  );
}
