import type { UserSummary } from '@gridgov/contracts/users';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { PasswordChecklist, passwordIssues } from '../../../components/PasswordChecklist';
import { applyServerErrors } from '../../../forms/serverErrors';
import { usersApi } from '../api';

export function ResetPasswordModal({ user, onClose, onDone }: { user: UserSummary; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const password = Form.useWatch('password', form) ?? '';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A masked mobile (138****5678) cannot be checked against; the server checks the real one.
  const mobile = user.mobile && !user.mobile.includes('*') ? user.mobile : null;

  const submit = async (v: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await usersApi.resetPassword(user.id, v.password);
      message.success(t('user.resetDone'));
      onDone();
    } catch (e) {
      setError(applyServerErrors(form, e, ['password'], { newPassword: 'password' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('user.resetPasswordTitle', { name: user.displayName })}
      okText={t('user.resetPassword')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="password"
          label={t('user.tempPassword')}
          extra={t('user.passwordHint')}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: async (_, v: string) =>
                v && passwordIssues({ password: v, username: user.username, mobile }).length ? Promise.reject(new Error(t('password.policy'))) : undefined,
            },
          ]}
          style={{ marginBottom: 8 }}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <PasswordChecklist password={password} username={user.username} mobile={mobile} />
      </Form>
    </Modal>
  );
}
