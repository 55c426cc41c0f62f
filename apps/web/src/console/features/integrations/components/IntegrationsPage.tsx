import { KeyOutlined } from '@ant-design/icons';
import { Card, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { IntegrationCasesTable } from './IntegrationCasesTable';
import { OutboxTable } from './OutboxTable';

/**
 * 热线与设备接入 (district center): what the 12345 hotline and devices sent in through their API tokens, and
 * the status pushes back to the hotline. The tokens themselves are issued on the API 令牌 page.
 */
export default function IntegrationsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState('cases');
  return (
    <Card title={t('integrations.title')} data-testid="integrations-page">
      <Typography.Paragraph type="secondary" data-testid="integrations-intro">
        {t('integrations.intro')}{' '}
        {can('token.manage') ? (
          <Link to="/tokens">
            <KeyOutlined /> {t('integrations.tokensLink')}
          </Link>
        ) : (
          t('integrations.tokensByAdmin')
        )}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'cases', label: t('integrations.casesTab'), children: <IntegrationCasesTable /> },
          { key: 'outbox', label: t('integrations.outboxTab'), children: <OutboxTable /> },
        ]}
      />
    </Card>
  );
}
