import type { Permission } from '@gridgov/contracts/roles';
import { Button, Result, Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
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
const CalendarPage = lazy(() => import('./features/calendar/components/CalendarPage'));
const PersonsPage = lazy(() => import('./features/registry/components/PersonsPage'));
const PersonPage = lazy(() => import('./features/registry/components/PersonPage'));
const HousesPage = lazy(() => import('./features/registry/components/HousesPage'));
const HousePage = lazy(() => import('./features/registry/components/HousePage'));
const BuildingPage = lazy(() => import('./features/registry/components/BuildingPage'));
const OrganisationsPage = lazy(() => import('./features/registry/components/OrganisationsPage'));
const FacilitiesPage = lazy(() => import('./features/registry/components/FacilitiesPage'));
const KeyPlacesPage = lazy(() => import('./features/registry/components/KeyPlacesPage'));
const SpecialGroupsPage = lazy(() => import('./features/registry/components/SpecialGroupsPage'));
const VerificationPage = lazy(() => import('./features/registry/components/VerificationPage'));
const FreshnessPage = lazy(() => import('./features/registry/components/FreshnessPage'));
const RegistryIoPage = lazy(() => import('./features/registry/components/RegistryIoPage'));
const CrossCheckPage = lazy(() => import('./features/registry/components/CrossCheckPage'));
const BreakGlassPage = lazy(() => import('./features/registry/components/BreakGlassPage'));
const CaseQueuePage = lazy(() => import('./features/cases/components/CaseQueuePage'));
const CaseInboxPage = lazy(() => import('./features/cases/components/CaseInboxPage'));
const MyCasesPage = lazy(() => import('./features/cases/components/MyCasesPage'));
const MyReportsPage = lazy(() => import('./features/cases/components/MyReportsPage'));
const CaseDetailPage = lazy(() => import('./features/cases/components/CaseDetailPage'));
const CataloguePage = lazy(() => import('./features/catalogue/components/CataloguePage'));
const RoutingRulesPage = lazy(() => import('./features/catalogue/components/RoutingRulesPage'));
const IntegrationsPage = lazy(() => import('./features/integrations/components/IntegrationsPage'));
const MobileReportPage = lazy(() => import('./features/intake/components/MobileReportPage'));

/** Registry pages and the permission each needs (the server checks again on every call). */
const registryRoutes: { path: string; permission: Permission; Page: React.ComponentType }[] = [
  { path: '/persons', permission: 'registry.read', Page: PersonsPage },
  { path: '/persons/:id', permission: 'registry.read', Page: PersonPage },
  { path: '/houses', permission: 'registry.read', Page: HousesPage },
  { path: '/houses/:id', permission: 'registry.read', Page: HousePage },
  { path: '/buildings/:id', permission: 'registry.read', Page: BuildingPage },
  { path: '/organisations', permission: 'registry.read', Page: OrganisationsPage },
  { path: '/facilities', permission: 'registry.read', Page: FacilitiesPage },
  { path: '/key-places', permission: 'registry.read', Page: KeyPlacesPage },
  { path: '/special-groups', permission: 'registry.read', Page: SpecialGroupsPage },
  { path: '/verification', permission: 'registry.manage', Page: VerificationPage },
  { path: '/freshness', permission: 'registry.read', Page: FreshnessPage },
  { path: '/registry-io', permission: 'registry.import', Page: RegistryIoPage },
  { path: '/cross-check', permission: 'registry.crosscheck', Page: CrossCheckPage },
  { path: '/break-glass', permission: 'registry.breakglass.review', Page: BreakGlassPage },
];

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
  const { pathname } = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous' || !me) return <LoginPage />;
  if (me.mustChangePassword) return <ForcePasswordChange />;
  // Phone pages (/m/…): full screen, without the console's menu.
  if (pathname.startsWith('/m/')) {
    return (
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route
            path="/m/report"
            element={
              <Guard permission="case.report">
                <MobileReportPage />
              </Guard>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    );
  }
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
          {registryRoutes.map(({ path, permission, Page }) => (
            <Route
              key={path}
              path={path}
              element={
                <Guard permission={permission}>
                  <Page />
                </Guard>
              }
            />
          ))}
          <Route
            path="/cases"
            element={
              <Guard permission="case.dispatch">
                <CaseQueuePage />
              </Guard>
            }
          />
          <Route
            path="/case-inbox"
            element={
              <Guard permission="case.handle">
                <CaseInboxPage />
              </Guard>
            }
          />
          <Route
            path="/my-cases"
            element={
              <Guard permission="case.read">
                <MyCasesPage />
              </Guard>
            }
          />
          <Route
            path="/my-reports"
            element={
              <Guard permission="case.report">
                <MyReportsPage />
              </Guard>
            }
          />
          {/* Staff (case.read) and reporters (case.report, residents) alike; the page and the server check. */}
          <Route path="/cases/:id" element={<CaseDetailPage />} />
          <Route
            path="/catalogue"
            element={
              <Guard permission="case.read">
                <CataloguePage />
              </Guard>
            }
          />
          <Route
            path="/routing-rules"
            element={
              <Guard permission="case.dispatch">
                <RoutingRulesPage />
              </Guard>
            }
          />
          <Route
            path="/integrations"
            element={
              <Guard permission="case.configure">
                <IntegrationsPage />
              </Guard>
            }
          />
          <Route
            path="/calendar"
            element={
              <Guard permission="region.read">
                <CalendarPage />
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
