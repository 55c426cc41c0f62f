import { type OrgUnit, type OrgUnitKind, orgUnitKindLabels, type RegionNode, type UpdateOrgUnitRequest } from '@gridgov/contracts/regions';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { applyServerErrors } from '../../../forms/serverErrors';
import { regionsApi } from '../api';

interface Values {
  kind: OrgUnitKind;
  name: string;
  deptCode?: string;
  phone?: string;
}
const FIELDS = ['kind', 'name', 'deptCode', 'phone'] as const;

/** Create an org unit at `region`, or edit `unit` (its kind and region stay). */
export function OrgUnitFormModal({ region, unit, onClose, onSaved }: { region: RegionNode; unit: OrgUnit | null; onClose(): void; onSaved(): Promise<void> }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? unit?.kind;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const deptCode = v.deptCode?.trim() || undefined;
    const phone = v.phone?.trim() || undefined;
    try {
      if (unit) {
        const patch: UpdateOrgUnitRequest = {};
        if (v.name.trim() !== unit.name) patch.name = v.name.trim();
        if ((deptCode ?? null) !== unit.deptCode) patch.deptCode = deptCode ?? null;
        if ((phone ?? null) !== unit.phone) patch.phone = phone ?? null;
        if (Object.keys(patch).length > 0) await regionsApi.updateOrgUnit(unit.id, patch);
        message.success(t('common.saved'));
      } else {
        await regionsApi.createOrgUnit({
          regionId: region.id,
          kind: v.kind,
          name: v.name.trim(),
          deptCode: v.kind === 'department' ? deptCode : undefined,
          phone,
        });
        message.success(t('org.created'));
      }
      await onSaved();
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={unit ? t('org.editTitle', { name: unit.name }) : t('org.createTitle', { name: region.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          unit
            ? { kind: unit.kind, name: unit.name, deptCode: unit.deptCode ?? '', phone: unit.phone ?? '' }
            : { kind: region.level === 'community' ? 'station' : 'center' }
        }
      >
        <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true }]}>
          <Select disabled={!!unit} options={(['center', 'station', 'department'] as const).map((k) => ({ value: k, label: label(orgUnitKindLabels[k]) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        {kind === 'department' && (
          <Form.Item name="deptCode" label={t('org.deptCode')}>
            <Input maxLength={16} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('org.phone')}>
          <Input maxLength={32} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
