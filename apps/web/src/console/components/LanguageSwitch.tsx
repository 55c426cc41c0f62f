import { GlobalOutlined } from '@ant-design/icons';
import { App, Select } from 'antd';
import { useAuth } from '../../common/auth/AuthProvider';
import { type Locale, useI18n } from '../../common/i18n/I18nProvider';

const options = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

/** Language picker: remembered on this device, and on the account when signed in. */
export function LanguageSwitch({ variant = 'borderless' }: { variant?: 'borderless' | 'outlined' }) {
  const { locale, t } = useI18n();
  const { changeLocale } = useAuth();
  const { message } = App.useApp();
  return (
    <Select
      aria-label={t('header.language')}
      value={locale}
      variant={variant}
      prefix={<GlobalOutlined />}
      options={options}
      style={{ width: 116 }}
      onChange={(v: Locale) => {
        changeLocale(v).catch((e: Error) => message.error(e.message));
      }}
    />
  );
}
