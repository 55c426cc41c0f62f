import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../../common/api/client';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { AuthFrame } from './AuthFrame';

interface Values {
  login: string;
  password: string;
}

/** The server's own message, plus what it tells us about attempts left or the lock's end. */
function LoginError({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const remaining = error.details.remainingAttempts;
  const lockedUntil = error.details.lockedUntil;
  const retryAfter = error.details.retryAfterSeconds;
  const extra: string[] = [];
  if (typeof remaining === 'number') extra.push(t('login.remaining', { n: remaining }));
  if (typeof lockedUntil === 'string') extra.push(t('login.lockedUntil', { time: formatDateTime(lockedUntil) }));
  if (typeof retryAfter === 'number' && typeof lockedUntil !== 'string') extra.push(t('login.retryAfter', { n: Math.ceil(retryAfter) }));
  return (
    <Alert
      data-testid="login-error"
      type={error.code === 'AUTH_ACCOUNT_LOCKED' ? 'warning' : 'error'}
      showIcon
      title={error.message}
      description={extra.length ? extra.map((x) => <div key={x}>{x}</div>) : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

export function LoginPage() {
  const { login, lostReason, probeError } = useAuth();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.login.trim(), v.password);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'INTERNAL', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('login.title')}>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        {t('login.subtitle')}
      </Typography.Paragraph>
      {error ? (
        <LoginError error={error} />
      ) : lostReason ? (
        <Alert type="info" showIcon title={lostReason} style={{ marginBottom: 16 }} />
      ) : probeError ? (
        <Alert type="error" showIcon title={probeError.message} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} size="middle">
        <Form.Item name="login" label={t('login.login')} rules={[{ required: true, whitespace: true, message: t('login.loginRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
