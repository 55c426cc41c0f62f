import type { Permission, Role } from '@gridgov/contracts/roles';

/** The root of a region subtree a principal may act in, with its materialised path. */
export interface ScopeRoot {
  regionId: string;
  path: string;
}

/** Who is calling: a signed-in user (cookie session) or a machine client (API token). */
export interface Principal {
  kind: 'user' | 'token';
  /** The user, or for a token the user who created it. */
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: string | null;
  permissions: ReadonlySet<Permission>;
  /** Where the principal may write. */
  capture: readonly ScopeRoot[];
  /** What the principal may read (always includes the capture scope). */
  view: readonly ScopeRoot[];
  /**
   * For grid leaders and workers: the grids they serve (grid_staff). Registry records (people, houses,
   * organisations …) are visible to them only in these grids, on top of the region scope. null = not narrowed.
   */
  grids?: readonly string[] | null;
  sessionId?: string;
  tokenId?: string;
  mustChangePassword: boolean;
  locale: 'zh-CN' | 'en';
}

export function inScope(roots: readonly ScopeRoot[], path: string | null | undefined): boolean {
  if (!path) return false;
  return roots.some((r) => path.startsWith(r.path));
}

/** True when the principal may read a record located at `path` (a region's materialised path). */
export const canView = (p: Principal, path: string | null | undefined) => inScope(p.view, path) || inScope(p.capture, path);
/** True when the principal may write a record located at `path`. */
export const canCapture = (p: Principal, path: string | null | undefined) => inScope(p.capture, path);

/** A registry record: the region path of its grid's community and the grid. */
export interface RecordPlace {
  regionPath: string | null | undefined;
  gridId: string;
}

const narrowed = (p: Principal, gridId: string) => !p.grids || p.grids.includes(gridId);
/** Read a registry record: in the view scope and, for grid staff, in one of their grids. */
export const canViewRecord = (p: Principal, r: RecordPlace) => canView(p, r.regionPath) && narrowed(p, r.gridId);
/** Write a registry record: in the capture scope and, for grid staff, in one of their grids. */
export const canCaptureRecord = (p: Principal, r: RecordPlace) => canCapture(p, r.regionPath) && narrowed(p, r.gridId);
