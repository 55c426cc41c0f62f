import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from '../common/api/client';
import { AuthProvider } from '../common/auth/AuthProvider';
import { I18nProvider, useI18n } from '../common/i18n/I18nProvider';
import { ConsoleRoutes } from './ConsoleRoutes';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip might.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

/** System fonts only (no web fonts): the CJK face comes from the OS (PingFang, YaHei, Noto CJK). */
const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif";

function AntdConfig({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{
        // Dense but readable for a dispatcher: 13px text, 28px controls (antd's compact algorithm
        // goes down to 10px text, too small for a long shift).
        token: { colorPrimary: '#1f5fbf', borderRadius: 3, fontSize: 13, controlHeight: 28, fontFamily: FONT },
        components: {
          Layout: { headerHeight: 44, headerPadding: '0 16px', siderBg: '#14213d', headerBg: '#ffffff' },
          Menu: { darkItemBg: '#14213d', darkSubMenuItemBg: '#0f1a31', itemHeight: 36 },
          Card: { headerHeight: 40, headerPadding: 12, bodyPadding: 12, headerFontSize: 14 },
          Form: { itemMarginBottom: 14, verticalLabelPadding: '0 0 4px' },
          Table: { cellPaddingBlockSM: 5, cellPaddingInlineSM: 8 },
          Descriptions: { itemPaddingBottom: 6 },
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AntdConfig>
          <BrowserRouter>
            <AuthProvider>
              <ConsoleRoutes />
            </AuthProvider>
          </BrowserRouter>
        </AntdConfig>
      </I18nProvider>
    </QueryClientProvider>
  );
}
