import { App, Card, Col, Radio, Row, Space, Typography } from 'antd';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { type Locale, useI18n } from '../../../../common/i18n/I18nProvider';
import { ChangePasswordForm } from '../../auth/components/ChangePasswordForm';
import { SessionsCard } from './SessionsCard';

/** 个人设置: password, language, and my sessions on other devices. */
export default function SettingsPage() {
  const { t, locale } = useI18n();
  const { changeLocale } = useAuth();
  const { message } = App.useApp();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card title={t('settings.password')}>
            <ChangePasswordForm />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('settings.language')}>
            <Radio.Group
              value={locale}
              onChange={(e) => {
                changeLocale(e.target.value as Locale).then(
                  () => message.success(t('common.saved')),
                  (err: Error) => message.error(err.message),
                );
              }}
              options={[
                { value: 'zh-CN', label: '简体中文' },
                { value: 'en', label: 'English' },
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
              {t('settings.languageHint')}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
      <SessionsCard />
    </Space>
  );
}
