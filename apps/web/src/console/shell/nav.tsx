import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BorderOuterOutlined,
  BranchesOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DiffOutlined,
  EditOutlined,
  EnvironmentOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  InboxOutlined,
  KeyOutlined,
  LineChartOutlined,
  MobileOutlined,
  PartitionOutlined,
  ProfileOutlined,
  SafetyOutlined,
  SendOutlined,
  SettingOutlined,
  ShopOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  ToolOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { Permission } from '@gridgov/contracts/roles';
import type { ReactNode } from 'react';
import type { MessageKey } from '../../common/i18n/zh-CN';

export interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only to holders of this permission; the server enforces it again on every call. */
  permission?: Permission;
  /** A group (sub-menu): `path` is only its key; shown when at least one child is. */
  children?: NavItem[];
}

export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <DashboardOutlined /> },
  { path: '/regions', label: 'nav.regions', icon: <ApartmentOutlined />, permission: 'region.read' },
  { path: '/grid-map', label: 'nav.gridMap', icon: <BorderOuterOutlined />, permission: 'grid.read' },
  { path: '/grids', label: 'nav.grids', icon: <TableOutlined />, permission: 'grid.read' },
  { path: '/grid-adjustments', label: 'nav.gridAdjustments', icon: <PartitionOutlined />, permission: 'grid.read' },
  {
    path: 'group:registry',
    label: 'nav.registryGroup',
    icon: <DatabaseOutlined />,
    children: [
      { path: '/persons', label: 'nav.persons', icon: <IdcardOutlined />, permission: 'registry.read' },
      { path: '/houses', label: 'nav.houses', icon: <HomeOutlined />, permission: 'registry.read' },
      { path: '/organisations', label: 'nav.organisations', icon: <ShopOutlined />, permission: 'registry.read' },
      { path: '/facilities', label: 'nav.facilities', icon: <ToolOutlined />, permission: 'registry.read' },
      { path: '/key-places', label: 'nav.keyPlaces', icon: <EnvironmentOutlined />, permission: 'registry.read' },
      { path: '/special-groups', label: 'nav.specialGroups', icon: <HeartOutlined />, permission: 'registry.read' },
    ],
  },
  {
    path: 'group:registry-work',
    label: 'nav.registryWork',
    icon: <CheckSquareOutlined />,
    children: [
      { path: '/verification', label: 'nav.verification', icon: <CheckSquareOutlined />, permission: 'registry.manage' },
      { path: '/freshness', label: 'nav.freshness', icon: <LineChartOutlined />, permission: 'registry.read' },
      { path: '/registry-io', label: 'nav.registryIo', icon: <SwapOutlined />, permission: 'registry.import' },
      { path: '/cross-check', label: 'nav.crossCheck', icon: <DiffOutlined />, permission: 'registry.crosscheck' },
      { path: '/break-glass', label: 'nav.breakGlass', icon: <SafetyOutlined />, permission: 'registry.breakglass.review' },
    ],
  },
  {
    path: 'group:cases',
    label: 'nav.casesGroup',
    icon: <AlertOutlined />,
    children: [
      { path: '/cases', label: 'nav.caseQueue', icon: <SendOutlined />, permission: 'case.dispatch' },
      { path: '/case-inbox', label: 'nav.caseInbox', icon: <InboxOutlined />, permission: 'case.handle' },
      { path: '/my-cases', label: 'nav.myCases', icon: <ProfileOutlined />, permission: 'case.read' },
      { path: '/m/report', label: 'nav.reportProblem', icon: <MobileOutlined />, permission: 'case.report' },
      { path: '/my-reports', label: 'nav.myReports', icon: <EditOutlined />, permission: 'case.report' },
      { path: '/catalogue', label: 'nav.catalogue', icon: <UnorderedListOutlined />, permission: 'case.read' },
      { path: '/routing-rules', label: 'nav.routingRules', icon: <BranchesOutlined />, permission: 'case.dispatch' },
      { path: '/integrations', label: 'nav.integrations', icon: <ApiOutlined />, permission: 'case.configure' },
    ],
  },
  { path: '/calendar', label: 'nav.calendar', icon: <CalendarOutlined />, permission: 'region.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user.read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  { path: '/tokens', label: 'nav.tokens', icon: <KeyOutlined />, permission: 'token.manage' },
  { path: '/settings', label: 'nav.settings', icon: <SettingOutlined /> },
];
