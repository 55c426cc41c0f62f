import { Alert, Button } from 'antd';
import { useAuth, useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { AuthFrame } from './AuthFrame';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown instead of the console while the account still has an initial or reset password. */
export function ForcePasswordChange() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useI18n();
  return (
    <AuthFrame title={t('password.forceTitle')} width={440}>
      <Alert type="warning" showIcon title={t('password.forceIntro')} style={{ marginBottom: 16 }} />
      <div style={{ marginBottom: 12 }}>
        {me.displayName}（{me.username}）
      </div>
      <ChangePasswordForm />
      <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => void logout()}>
        {t('header.logout')}
      </Button>
    </AuthFrame>
  );
}
