import type { ScopeRef } from '@gridgov/contracts/auth';
import { roleLabels } from '@gridgov/contracts/roles';
import { Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth, useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { navItems } from '../../../shell/nav';

function ScopeTags({ scope }: { scope: ScopeRef[] }) {
  const { t } = useI18n();
  if (scope.length === 0) return <Typography.Text type="secondary">{t('home.noScope')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {scope.map((s) => (
        <Tag key={s.regionId} title={s.code}>
          {s.name} <span style={{ color: '#8c8c8c' }}>{s.code}</span>
        </Tag>
      ))}
    </Space>
  );
}

/** 工作台: who am I, where may I act, and where can I go from here. */
export function HomePage() {
  const me = useMe();
  const { can } = useAuth();
  const { t, label } = useI18n();
  // Groups (基础信息, 事件处置 …) are menus, not pages: their permitted entries are the links.
  const links = navItems.flatMap((n) => n.children ?? [n]).filter((n) => n.path !== '/' && (!n.permission || can(n.permission)));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('home.greeting', { name: me.displayName })}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card title={t('home.account')}>
            <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
              <Descriptions.Item label={t('home.username')}>{me.username}</Descriptions.Item>
              <Descriptions.Item label={t('home.role')}>{label(roleLabels[me.role], me.role)}</Descriptions.Item>
              <Descriptions.Item label={t('home.orgUnit')}>
                {me.orgUnitName ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.captureScope')}>
                <ScopeTags scope={me.captureScope} />
              </Descriptions.Item>
              <Descriptions.Item label={t('home.viewScope')}>
                <ScopeTags scope={me.viewScope} />
              </Descriptions.Item>
              <Descriptions.Item label={t('home.permissions')}>
                {me.permissions.length === 0 ? (
                  <Typography.Text type="secondary">{t('home.noPermissions')}</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {me.permissions.map((p) => (
                      <Tag key={p} color="geekblue">
                        {t(`perm.${p}`)}
                      </Tag>
                    ))}
                  </Space>
                )}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
              {t('home.scopeHint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('home.quickLinks')}>
            {links.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Row gutter={[8, 8]}>
                {links.map((n) => (
                  <Col span={12} key={n.path}>
                    <Link to={n.path}>
                      <Card size="small" hoverable styles={{ body: { display: 'flex', alignItems: 'center', gap: 8 } }}>
                        <span style={{ fontSize: 18, color: '#1f5fbf' }}>{n.icon}</span>
                        <span>{t(n.label)}</span>
                      </Card>
                    </Link>
                  </Col>
                ))}
              </Row>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
