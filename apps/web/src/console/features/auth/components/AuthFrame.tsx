import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { LanguageSwitch } from '../../../components/LanguageSwitch';

/** The plain frame around the sign-in and forced password screens. */
export function AuthFrame({ title, width = 380, children }: { title: string; width?: number; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div style={{ minHeight: '100%', display: 'flex', flexDirection: 'column', background: '#eef1f6' }}>
      <div style={{ height: 48, background: '#14213d', color: '#fff', display: 'flex', alignItems: 'center', padding: '0 20px', gap: 10 }}>
        <span style={{ width: 24, height: 24, lineHeight: '24px', textAlign: 'center', background: '#1f5fbf', borderRadius: 3, fontWeight: 600 }}>网</span>
        <span style={{ fontSize: 16, fontWeight: 600 }}>{t('app.title')}</span>
        <span style={{ flex: 1 }} />
        <div style={{ background: '#fff', borderRadius: 3 }}>
          <LanguageSwitch />
        </div>
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'flex-start', justifyContent: 'center', paddingTop: '10vh' }}>
        <Card style={{ width, maxWidth: 'calc(100vw - 24px)' }} title={title}>
          {children}
        </Card>
      </div>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 12, fontSize: 12 }}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}
