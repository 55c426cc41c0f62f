import type { FieldIssue } from '@gridgov/contracts/errors';
import { assignableRoles, type Role } from '@gridgov/contracts/roles';
import { canCapture, canView, type Principal } from '../../http/principal.js';

/** What the policy needs to know about a user someone wants to see or manage. */
export interface UserPlacement {
  id: string;
  role: Role;
  /** Materialised paths of the user's capture-scope roots. */
  capturePaths: readonly string[];
}

const isAdmin = (p: Principal) => p.role === 'system_admin';

/**
 * A user is visible when every capture root lies in the actor's view scope. Users without any
 * capture scope (residents) belong to no region: only a system administrator sees them.
 */
export function canSeeUser(actor: Principal, u: UserPlacement): boolean {
  if (u.capturePaths.length === 0) return isAdmin(actor);
  return u.capturePaths.every((path) => canView(actor, path));
}

/** The actor's capture scope covers the user (the scope half of "may manage"). */
export function coversUser(actor: Principal, u: UserPlacement): boolean {
  if (!actor.permissions.has('user.manage')) return false;
  if (u.capturePaths.length === 0) return isAdmin(actor);
  return u.capturePaths.every((path) => canCapture(actor, path));
}

/** Roles the actor may hand out; a role outside this list is also a user the actor may not edit. */
export const mayAssignRole = (actor: Principal, role: Role) => assignableRoles[actor.role].includes(role);

/** Full management right: scope over the user and a role the actor could have given them. */
export const canManageUser = (actor: Principal, u: UserPlacement) => coversUser(actor, u) && mayAssignRole(actor, u.role);

const STAFF_NEEDS_CAPTURE = { zh: '工作人员至少需要一个采集（管辖）范围', en: 'staff need at least one capture scope' };
const RESIDENT_NO_SCOPE = { zh: '居民账号不能设置管辖范围', en: 'a resident has no scopes' };

/**
 * Role/scope sanity: residents have no scopes and no org unit; every staff role needs at least one
 * capture scope. `field` names the request field to blame when a scope is missing.
 */
export function roleShapeIssues(role: Role, s: { capture: number; view: number; hasOrgUnit: boolean }, field: { capture: string; view: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (role === 'resident') {
    if (s.capture > 0) issues.push({ path: field.capture, code: 'resident_scope', message: `${RESIDENT_NO_SCOPE.zh} / ${RESIDENT_NO_SCOPE.en}` });
    if (s.view > 0) issues.push({ path: field.view, code: 'resident_scope', message: `${RESIDENT_NO_SCOPE.zh} / ${RESIDENT_NO_SCOPE.en}` });
    if (s.hasOrgUnit) issues.push({ path: 'orgUnitId', code: 'resident_org_unit', message: '居民账号不属于任何机构 / a resident belongs to no org unit' });
  } else if (s.capture === 0) {
    issues.push({ path: field.capture, code: 'capture_required', message: `${STAFF_NEEDS_CAPTURE.zh} / ${STAFF_NEEDS_CAPTURE.en}` });
  }
  return issues;
}
