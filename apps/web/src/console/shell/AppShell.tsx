import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { roleLabels } from '@gridgov/contracts/roles';
import { Button, Layout, Menu, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../../common/auth/AuthProvider';
import { useI18n } from '../../common/i18n/I18nProvider';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../features/cases/components/NotificationBell';
import { type NavItem, navItems } from './nav';

const { Header, Sider, Content } = Layout;

export function AppShell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { can, logout } = useAuth();
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const allowed = (n: NavItem) => !n.permission || can(n.permission);
  const visible = navItems
    .filter(allowed)
    .map((n) => (n.children ? { ...n, children: n.children.filter(allowed) } : n))
    .filter((n) => !n.children || n.children.length > 0);
  const leaves = visible.flatMap((n) => n.children ?? [n]);
  const selected = leaves.filter((n) => (n.path === '/' ? location.pathname === '/' : location.pathname.startsWith(n.path))).map((n) => n.path);
  // Record pages (/houses/…, /buildings/…) light up their list's entry.
  if (selected.length === 0 && location.pathname.startsWith('/buildings')) selected.push('/houses');
  const openGroups = visible.filter((n) => n.children?.some((c) => selected.includes(c.path))).map((n) => n.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={176} collapsedWidth={52}>
        <div
          className="gg-brand"
          title={t('app.title')}
          style={{
            height: 44,
            display: 'flex',
            alignItems: 'center',
            padding: '0 14px',
            color: '#fff',
            fontWeight: 600,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
            borderBottom: '1px solid rgba(255,255,255,0.08)',
          }}
        >
          <span
            style={{
              display: 'inline-block',
              width: 22,
              height: 22,
              lineHeight: '22px',
              textAlign: 'center',
              background: '#1f5fbf',
              borderRadius: 3,
              marginRight: collapsed ? 0 : 8,
              fontSize: 13,
              flex: 'none',
            }}
          >
            网
          </span>
          {!collapsed && <span style={{ fontSize: 14 }}>{t('app.short')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected}
          defaultOpenKeys={openGroups}
          items={visible.map((n) => ({
            key: n.path,
            icon: n.icon,
            label: t(n.label),
            children: n.children?.map((c) => ({ key: c.path, icon: c.icon, label: t(c.label) })),
          }))}
          onClick={({ key }) => navigate(key)}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #e5e7eb',
            lineHeight: 'normal',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Typography.Text strong style={{ fontSize: 15, whiteSpace: 'nowrap' }}>
            {t('app.title')}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, lineHeight: 'normal', minWidth: 0 }}>
            <UserOutlined />
            <Typography.Text data-testid="me-name" style={{ whiteSpace: 'nowrap' }}>
              {me.displayName}
            </Typography.Text>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {label(roleLabels[me.role], me.role)}
            </Tag>
            {me.orgUnitName && (
              <Typography.Text type="secondary" ellipsis={{ tooltip: me.orgUnitName }} style={{ maxWidth: 220 }}>
                {me.orgUnitName}
              </Typography.Text>
            )}
          </div>
          <NotificationBell />
          <LanguageSwitch />
          <Button icon={<LogoutOutlined />} onClick={() => void logout().then(() => navigate('/'))}>
            {t('header.logout')}
          </Button>
        </Header>
        <Content style={{ padding: 12, minWidth: 0 }}>{children}</Content>
      </Layout>
    </Layout>
  );
}
