import type { ActorKind } from '@gridgov/contracts/cases';
import type { Role } from '@gridgov/contracts/roles';
import { canCapture, canView, type Principal } from '../../http/principal.js';

/**
 * Who the caller is to one case (contracts/cases.ts `ActorKind`) and whether they may see it at all.
 * Pure functions over the principal and the case's row; the services call them after loading the case,
 * and the list queries apply the same rules in SQL (cases.repository.ts `listScope`).
 */

/** The fields of a case that access depends on. */
export interface CaseAccessFields {
  region_path: string;
  grid_id: string | null;
  lead_org_unit_id: string | null;
  co_org_unit_ids: readonly string[] | null;
  reporter_user_id: string | null;
  /** Reporters of the cases merged into this one (并案): they follow and rate the parent. */
  child_reporter_ids?: readonly string[];
}

/** Roles that dispatch (受理、立案、派遣、结案 …) within their capture scope. */
export const DISPATCHER_ROLES: readonly Role[] = ['district_center', 'street_center', 'community_station', 'system_admin'];
/** Grid staff: their grids' cases only. */
export const GRID_STAFF_ROLES: readonly Role[] = ['grid_worker', 'grid_leader'];

const isGridStaff = (p: Principal) => GRID_STAFF_ROLES.includes(p.role);
const servesGrid = (p: Principal, gridId: string | null) => gridId !== null && (p.grids ?? []).includes(gridId);
const isMember = (p: Principal, orgUnitId: string | null) => p.orgUnitId !== null && orgUnitId !== null && p.orgUnitId === orgUnitId;
const isCoMember = (p: Principal, ids: readonly string[] | null) => p.orgUnitId !== null && (ids ?? []).includes(p.orgUnitId);

/** True when the caller reported the case, or a case merged into it. */
export function isReporter(p: Principal, c: CaseAccessFields): boolean {
  return c.reporter_user_id === p.userId || (c.child_reporter_ids ?? []).includes(p.userId);
}

/**
 * The caller's roles on this case:
 * - dispatcher: a center, community station or administrator with `case.dispatch` whose capture scope holds the case;
 * - handler: a member (with `case.handle`) of the lead org unit;
 * - co_handler: a member of a cooperating org unit (联办);
 * - grid_staff: a grid worker or leader serving the case's grid;
 * - reporter: the reporter of the case or of a case merged into it.
 */
export function actorKinds(p: Principal, c: CaseAccessFields): ActorKind[] {
  const kinds: ActorKind[] = [];
  if (DISPATCHER_ROLES.includes(p.role) && p.permissions.has('case.dispatch') && canCapture(p, c.region_path)) kinds.push('dispatcher');
  if (p.permissions.has('case.handle') && isMember(p, c.lead_org_unit_id)) kinds.push('handler');
  if (isCoMember(p, c.co_org_unit_ids)) kinds.push('co_handler');
  if (isGridStaff(p) && servesGrid(p, c.grid_id)) kinds.push('grid_staff');
  if (isReporter(p, c)) kinds.push('reporter');
  return kinds;
}

/**
 * Whether the caller may see the case (out of view → NOT_FOUND, no existence leak):
 * - everyone sees their own reports (and the parents of their merged reports);
 * - without `case.read` (residents) nothing else;
 * - members of the lead or a cooperating org unit see the cases sent to them;
 * - departments (dept_handler) see only those;
 * - grid staff: within their view scope, only their grids' cases;
 * - centers, stations, administrators: their view scope.
 */
export function canViewCase(p: Principal, c: CaseAccessFields): boolean {
  if (isReporter(p, c)) return true;
  if (!p.permissions.has('case.read')) return false;
  if (isMember(p, c.lead_org_unit_id) || isCoMember(p, c.co_org_unit_ids)) return true;
  if (p.role === 'dept_handler') return false;
  if (isGridStaff(p)) return canView(p, c.region_path) && servesGrid(p, c.grid_id);
  return canView(p, c.region_path);
}
