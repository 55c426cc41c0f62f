import type { CreatedApiToken } from '@gridgov/contracts/auth';
import type { Permission } from '@gridgov/contracts/roles';
import { Alert, Checkbox, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { applyServerErrors } from '../../../forms/serverErrors';
import { tokensApi } from '../api';

interface Values {
  name: string;
  permissions: Permission[];
  regionIds: string[];
  expiresAt?: Dayjs | null;
}
const FIELDS = ['name', 'permissions', 'regionIds', 'expiresAt'] as const;

export function CreateTokenModal({ onClose, onCreated }: { onClose(): void; onCreated(c: CreatedApiToken): void }) {
  const me = useMe();
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      onCreated(
        await tokensApi.create({
          name: v.name.trim(),
          permissions: v.permissions,
          regionIds: v.regionIds,
          expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : undefined,
        }),
      );
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('token.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ permissions: [], regionIds: me.viewScope.map((s) => s.regionId) }}>
        <Form.Item name="name" label={t('token.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={64} placeholder="12345 热线对接" />
        </Form.Item>
        <Form.Item name="permissions" label={t('token.permissions')} rules={[{ required: true, type: 'array', min: 1, message: t('common.required') }]}>
          <Checkbox.Group options={me.permissions.map((p) => ({ value: p, label: t(`perm.${p}`) }))} />
        </Form.Item>
        <Form.Item name="regionIds" label={t('token.regions')} rules={[{ required: true, type: 'array', min: 1, message: t('common.required') }]}>
          <RegionTreeSelect multiple known={me.viewScope} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('token.expiresAt')} extra={t('token.expiresHint')}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
