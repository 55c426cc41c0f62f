import {
  ApartmentOutlined,
  AuditOutlined,
  BorderOuterOutlined,
  DashboardOutlined,
  KeyOutlined,
  PartitionOutlined,
  SettingOutlined,
  TableOutlined,
  TeamOutlined,
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
}

export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <DashboardOutlined /> },
  { path: '/regions', label: 'nav.regions', icon: <ApartmentOutlined />, permission: 'region.read' },
  { path: '/grid-map', label: 'nav.gridMap', icon: <BorderOuterOutlined />, permission: 'grid.read' },
  { path: '/grids', label: 'nav.grids', icon: <TableOutlined />, permission: 'grid.read' },
  { path: '/grid-adjustments', label: 'nav.gridAdjustments', icon: <PartitionOutlined />, permission: 'grid.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user.read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  { path: '/tokens', label: 'nav.tokens', icon: <KeyOutlined />, permission: 'token.manage' },
  { path: '/settings', label: 'nav.settings', icon: <SettingOutlined /> },
];
