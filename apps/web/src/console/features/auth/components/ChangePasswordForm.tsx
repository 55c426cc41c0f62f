import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useAuth, useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { PasswordChecklist, passwordIssues } from '../../../components/PasswordChecklist';
import { applyServerErrors } from '../../../forms/serverErrors';
import { passwordApi } from '../api';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Used by the forced change after sign-in and by 个人设置. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const me = useMe();
  const { refresh } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = Form.useWatch('currentPassword', form) ?? '';
  const next = Form.useWatch('newPassword', form) ?? '';

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await passwordApi.change({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t('password.changed'));
      form.resetFields();
      await refresh();
      onDone?.();
    } catch (e) {
      setError(applyServerErrors(form, e, ['currentPassword', 'newPassword'], { password: 'newPassword' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} style={{ maxWidth: 380 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        rules={[
          { required: true, message: t('common.required') },
          {
            validator: async (_, v: string) =>
              v && passwordIssues({ password: v, username: me.username, current }).length > 0 ? Promise.reject(new Error(t('password.policy'))) : undefined,
          },
        ]}
        style={{ marginBottom: 8 }}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <PasswordChecklist password={next} username={me.username} current={current} />
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: async (_, v) => (v && v !== getFieldValue('newPassword') ? Promise.reject(new Error(t('password.mismatch'))) : undefined),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
