import type { Permission } from '@gridgov/contracts/roles';
import { Button, Result, Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { useAuth } from '../common/auth/AuthProvider';
import { useI18n } from '../common/i18n/I18nProvider';
import { ForcePasswordChange } from './features/auth/components/ForcePasswordChange';
import { LoginPage } from './features/auth/components/LoginPage';
import { HomePage } from './features/home/components/HomePage';
import { AppShell } from './shell/AppShell';

const RegionsPage = lazy(() => import('./features/regions/components/RegionsPage'));
const UsersPage = lazy(() => import('./features/users/components/UsersPage'));
const AuditPage = lazy(() => import('./features/audit/components/AuditPage'));
const TokensPage = lazy(() => import('./features/tokens/components/TokensPage'));
const SettingsPage = lazy(() => import('./features/settings/components/SettingsPage'));
const GridMapPage = lazy(() => import('./features/grids/components/GridMapPage'));
const GridListPage = lazy(() => import('./features/grids/components/GridListPage'));
const AdjustmentsPage = lazy(() => import('./features/grids/components/AdjustmentsPage'));

function FullPageSpin() {
  return (
    <div style={{ display: 'flex', height: '100%', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useI18n();
  if (!can(permission))
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('common.forbidden')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.backHome')}</Button>
          </Link>
        }
      />
    );
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function ConsoleRoutes() {
  const { status, me } = useAuth();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous' || !me) return <LoginPage />;
  if (me.mustChangePassword) return <ForcePasswordChange />;
  return (
    <AppShell>
      <Suspense fallback={<Spin style={{ margin: 48 }} />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route
            path="/regions"
            element={
              <Guard permission="region.read">
                <RegionsPage />
              </Guard>
            }
          />
          <Route
            path="/users"
            element={
              <Guard permission="user.read">
                <UsersPage />
              </Guard>
            }
          />
          <Route
            path="/audit"
            element={
              <Guard permission="audit.read">
                <AuditPage />
              </Guard>
            }
          />
          <Route
            path="/tokens"
            element={
              <Guard permission="token.manage">
                <TokensPage />
              </Guard>
            }
          />
          <Route
            path="/grid-map"
            element={
              <Guard permission="grid.read">
                <GridMapPage />
              </Guard>
            }
          />
          <Route
            path="/grids"
            element={
              <Guard permission="grid.read">
                <GridListPage />
              </Guard>
            }
          />
          <Route
            path="/grid-adjustments"
            element={
              <Guard permission="grid.read">
                <AdjustmentsPage />
              </Guard>
            }
          />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/login" element={<HomePage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </AppShell>
  );
}
