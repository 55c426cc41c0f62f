import { z } from 'zod';

/** Roles from product.md / requirements K19, narrowed to what the foundation models. */
export const roles = [
  'system_admin',
  'district_center',
  'street_center',
  'community_station',
  'grid_leader',
  'grid_worker',
  'dept_handler',
  'resident',
] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  district_center: { zh: '区级中心人员', en: 'District center staff' },
  street_center: { zh: '街道/乡镇中心人员', en: 'Street/town center staff' },
  community_station: { zh: '社区/村工作站人员', en: 'Community station staff' },
  grid_leader: { zh: '网格长', en: 'Grid leader' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  dept_handler: { zh: '职能部门处置人员', en: 'Department handler' },
  resident: { zh: '居民', en: 'Resident' },
};

/**
 * Permissions are what a role may do at all; *where* it may do it is the user's scope.
 * Keep names `<area>.<verb>`; the console's navigation and the server's policies read the same list.
 */
export const permissions = [
  'region.read',
  'region.manage',
  'orgunit.manage',
  'user.read',
  'user.manage',
  'audit.read',
  'token.manage',
  /** Deployment-wide settings (level names, later calendars and catalogues): system administrators. */
  'system.configure',
  /** Apply for a grid split / merge / redraw (community station or above, in its capture scope). */
  'grid.adjust.apply',
  /** Review (approve / return) grid adjustments: centers. */
  'grid.adjust.review',
  /** Grids, their map, coverage check, size norms and staffing, read within the view scope: all staff. */
  'grid.read',
  /** Create grids, edit their attributes, boundaries and staff, community boundaries, size norms: centers and stations. */
  'grid.manage',
  /** Registry (persons, houses, organisations, facilities, key places) read within the view scope; grid staff only their grids. */
  'registry.read',
  /** Create, edit, verify and move registry records within the capture scope. */
  'registry.manage',
  /** Import and export registry files (exports are masked unless `pii.export_unmasked`). */
  'registry.import',
  /** Cross-check (数据比对) a list from another department against the registry. */
  'registry.crosscheck',
  /** See one identifying number in clear, with a reason; audited. */
  'pii.unmask',
  /** Export identifying numbers in clear, with a reason; audited. */
  'pii.export_unmasked',
  /** See special-group entries of sensitivity 2 (敏感). */
  'special.sensitive',
  /** See special-group entries of sensitivity 3 (高度敏感). */
  'special.restricted',
  /** Open a time-limited, audited emergency grant on one person's sensitive entries (break-the-glass). */
  'registry.breakglass',
  /** Review break-the-glass grants. */
  'registry.breakglass.review',
  /** Report a problem (grid workers, residents, stations, centers); residents see only their own reports. */
  'case.report',
  /** Read cases within the view scope (staff); grid staff their grids' cases, departments the cases sent to them. */
  'case.read',
  /** Accept, file, dispatch, close, suspend, cancel, supervise cases within the capture scope: centers and stations. */
  'case.dispatch',
  /** Claim, handle and feed back cases dispatched to one's org unit: departments (and stations for their own cases). */
  'case.handle',
  /** Edit the event catalogue, its time limits and the routing rules. */
  'case.configure',
  /** Case indicators (处置率, 按期结案率 …) within the view scope. */
  'indicator.read',
] as const;
export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

const staffRead: Permission[] = ['region.read', 'grid.read'];
/** District and street centers: the same rights, each within its own scope. */
const center: Permission[] = [
  'region.read',
  'region.manage',
  'user.read',
  'user.manage',
  'audit.read',
  'grid.adjust.apply',
  'grid.adjust.review',
  'grid.read',
  'grid.manage',
  'registry.read',
  'registry.manage',
  'registry.import',
  'registry.crosscheck',
  'pii.unmask',
  'special.sensitive',
  'special.restricted',
  'registry.breakglass',
  'registry.breakglass.review',
  'case.report',
  'case.read',
  'case.dispatch',
  'case.handle',
  'indicator.read',
];
/** Grid leaders and workers: collect and keep the registry of their own grids. */
const gridStaff: Permission[] = [
  ...staffRead,
  'registry.read',
  'registry.manage',
  'pii.unmask',
  'registry.breakglass',
  'case.report',
  'case.read',
  'indicator.read',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  // Every permission; what a system administrator may touch is still bounded by the admin's scope.
  system_admin: permissions,
  // Only the district center may export identifying numbers in clear.
  district_center: [...center, 'pii.export_unmasked', 'case.configure'],
  street_center: center,
  community_station: [
    'region.read',
    'user.read',
    'grid.adjust.apply',
    'grid.read',
    'grid.manage',
    'registry.read',
    'registry.manage',
    'registry.import',
    'registry.crosscheck',
    'pii.unmask',
    'special.sensitive',
    'registry.breakglass',
    'case.report',
    'case.read',
    'case.dispatch',
    'case.handle',
    'indicator.read',
  ],
  grid_leader: [...gridStaff, 'special.sensitive'],
  grid_worker: gridStaff,
  dept_handler: [...staffRead, 'case.read', 'case.handle', 'indicator.read'],
  resident: ['case.report'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** Roles a user with `role` may create or edit: never one above their own. */
export const assignableRoles: Record<Role, readonly Role[]> = {
  system_admin: roles,
  district_center: ['district_center', 'street_center', 'community_station', 'grid_leader', 'grid_worker', 'dept_handler'],
  street_center: ['street_center', 'community_station', 'grid_leader', 'grid_worker', 'dept_handler'],
  community_station: [],
  grid_leader: [],
  grid_worker: [],
  dept_handler: [],
  resident: [],
};
