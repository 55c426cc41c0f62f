import { passwordProblems } from '@gridgov/contracts/auth';
import type { FieldIssue } from '@gridgov/contracts/errors';
import type { Role } from '@gridgov/contracts/roles';
import type { CreateUserRequest, ResetPasswordRequest, SetScopesRequest, UpdateUserRequest, UserListQuery, UserSummary } from '@gridgov/contracts/users';
import type { Kysely } from 'kysely';
import type { AppUserUpdate, DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { actorOf, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { hashPassword } from '../auth/password.js';
import { canManageUser, canSeeUser, coversUser, mayAssignRole, roleShapeIssues, type UserPlacement } from './users.policy.js';
import { type ScopeIds, type UserRow, type UserScopeRow, type UsersRepository, uniqueViolation } from './users.repository.js';

export interface UsersServiceDeps {
  repo: UsersRepository;
  audit: Pick<AuditRepository, 'append'>;
}

/** 13812345678 → 138****5678 */
export const maskMobile = (m: string | null) => (m ? `${m.slice(0, 3)}****${m.slice(-4)}` : null);

const issue = (path: string, code: string, message: string): FieldIssue => ({ path, code, message });

interface Loaded {
  row: UserRow;
  scopes: UserScopeRow[];
  placement: UserPlacement;
}

function placementOf(row: UserRow, scopes: readonly UserScopeRow[]): UserPlacement {
  return { id: row.id, role: row.role as Role, capturePaths: scopes.filter((s) => s.kind === 'capture').map((s) => s.path) };
}

function toSummary(row: UserRow, scopes: readonly UserScopeRow[], fullMobile: boolean): UserSummary {
  const ref = (kind: 'capture' | 'view') => scopes.filter((s) => s.kind === kind).map((s) => ({ regionId: s.regionId, code: s.code, name: s.name }));
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    mobile: fullMobile ? row.mobile : maskMobile(row.mobile),
    role: row.role as Role,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_name ?? null,
    disabled: row.disabled,
    locked: row.locked_until !== null && row.locked_until.getTime() > Date.now(),
    mustChangePassword: row.must_change_password,
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
    captureScope: ref('capture'),
    viewScope: ref('view'),
  };
}

/** Turns a unique-index violation into the error the client can act on. */
function conflictFrom(err: unknown): AppError | null {
  const which = uniqueViolation(err);
  if (which === null) return null;
  if (which.includes('username')) return new AppError('USERNAME_TAKEN', { fields: [issue('username', 'taken', '用户名已被使用 / the username is taken')] });
  if (which.includes('mobile'))
    return new AppError('MOBILE_TAKEN', { fields: [issue('mobile', 'taken', '手机号已被其他账号使用 / the mobile number is in use')] });
  return new AppError('CONFLICT');
}

async function withConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw conflictFrom(err) ?? err;
  }
}

const dedupe = (ids: readonly string[]) => [...new Set(ids)];

/** User administration: every rule about who may see, create and change which account. */
export function createUsersService({ repo, audit }: UsersServiceDeps) {
  /** The user if the actor may see them; otherwise NOT_FOUND, whether or not they exist. */
  async function loadVisible(actor: Principal, id: string, trx?: Kysely<DB>): Promise<Loaded> {
    const row = await repo.findById(id, trx);
    if (!row) throw new AppError('NOT_FOUND');
    const scopes = await repo.scopesOf([row.id], trx);
    const placement = placementOf(row, scopes);
    if (!canSeeUser(actor, placement)) throw new AppError('NOT_FOUND');
    return { row, scopes, placement };
  }

  /** The user if the actor may manage them: visible, inside the capture scope, and of a role the actor could assign. */
  async function loadManaged(actor: Principal, id: string): Promise<Loaded> {
    const u = await loadVisible(actor, id);
    if (!coversUser(actor, u.placement)) throw new AppError('OUT_OF_SCOPE');
    if (!mayAssignRole(actor, u.placement.role)) throw new AppError('FORBIDDEN', { details: { role: u.placement.role } });
    return u;
  }

  async function summaryOf(actor: Principal, id: string): Promise<UserSummary> {
    const u = await loadVisible(actor, id);
    return toSummary(u.row, u.scopes, canManageUser(actor, u.placement));
  }

  /** Region ids exist (VALIDATION_FAILED) and lie in the actor's capture scope (OUT_OF_SCOPE), per request field. */
  async function checkRegions(actor: Principal, ids: { captureRegionIds: readonly string[]; viewRegionIds: readonly string[] }) {
    const all = dedupe([...ids.captureRegionIds, ...ids.viewRegionIds]);
    const regions = new Map((await repo.regionsByIds(all)).map((r) => [r.id, r]));
    const unknown: FieldIssue[] = [];
    const outside: FieldIssue[] = [];
    for (const field of ['captureRegionIds', 'viewRegionIds'] as const) {
      ids[field].forEach((id, i) => {
        const r = regions.get(id);
        if (!r) unknown.push(issue(`${field}.${i}`, 'unknown_region', '区划不存在 / no such region'));
        else if (!canCapture(actor, r.path)) outside.push(issue(`${field}.${i}`, 'out_of_scope', '超出您的管辖范围 / outside your jurisdiction'));
      });
    }
    if (unknown.length) throw new AppError('VALIDATION_FAILED', { fields: unknown });
    if (outside.length) throw new AppError('OUT_OF_SCOPE', { fields: outside });
    const codes = (list: readonly string[]) => dedupe(list).map((id) => regions.get(id)?.code as string);
    const firstCapture = ids.captureRegionIds[0] ? regions.get(ids.captureRegionIds[0]) : undefined;
    return {
      scopes: { capture: dedupe(ids.captureRegionIds), view: dedupe(ids.viewRegionIds) } satisfies ScopeIds,
      codes: { capture: codes(ids.captureRegionIds), view: codes(ids.viewRegionIds) },
      firstCapture: firstCapture ? { regionId: firstCapture.id, regionPath: firstCapture.path } : { regionId: null, regionPath: null },
    };
  }

  /**
   * The org unit a user is placed in: it must exist, lie in the actor's capture scope when it is
   * being assigned, and be a department for a department handler.
   */
  async function checkOrgUnit(actor: Principal, role: Role, orgUnitId: string | null, assigning: boolean) {
    if (orgUnitId === null) {
      if (role === 'dept_handler')
        throw new AppError('VALIDATION_FAILED', {
          fields: [issue('orgUnitId', 'department_required', '职能部门处置人员须属于一个职能部门 / a department handler needs a department')],
        });
      return;
    }
    const org = await repo.orgUnitById(orgUnitId);
    if (!org) throw new AppError('VALIDATION_FAILED', { fields: [issue('orgUnitId', 'unknown_org_unit', '机构不存在 / no such org unit')] });
    if (assigning && !canCapture(actor, org.regionPath))
      throw new AppError('OUT_OF_SCOPE', { fields: [issue('orgUnitId', 'out_of_scope', '超出您的管辖范围 / outside your jurisdiction')] });
    if (role === 'dept_handler' && org.kind !== 'department') {
      throw new AppError('VALIDATION_FAILED', {
        fields: [issue('orgUnitId', 'department_required', '职能部门处置人员须属于一个职能部门 / a department handler needs a department')],
      });
    }
  }

  function checkPassword(password: string, ctx: { username: string; mobile: string | null }) {
    const problems = passwordProblems(password, ctx);
    if (problems.length) {
      throw new AppError('PASSWORD_POLICY', { fields: [issue('password', problems[0] as string, problems.join(', '))], details: { problems } });
    }
  }

  const refuseSelf = (actor: Principal, id: string, path: string) => {
    if (actor.userId === id)
      throw new AppError('FORBIDDEN', {
        fields: [issue(path, 'self', '不能修改自己的角色、管辖范围或状态 / you cannot change your own role, scopes or status')],
      });
  };

  /** Audit columns for an event about a user, filed under the user's first capture region. */
  function auditBase(actor: Principal, meta: RequestMeta, userId: string, region: { regionId: string | null; regionPath: string | null }) {
    return { outcome: 'ok' as const, ...actorOf(actor), targetType: 'user', targetId: userId, ...region, ip: meta.ip, requestId: meta.requestId };
  }
  const firstCaptureOf = (scopes: readonly UserScopeRow[]) => {
    const s = scopes.find((x) => x.kind === 'capture');
    return s ? { regionId: s.regionId, regionPath: s.path } : { regionId: null, regionPath: null };
  };
  const codesOf = (scopes: readonly UserScopeRow[], kind: 'capture' | 'view') => scopes.filter((s) => s.kind === kind).map((s) => s.code);

  return {
    async list(actor: Principal, query: UserListQuery) {
      let regionPath: string | undefined;
      if (query.regionId) {
        const [region] = await repo.regionsByIds([query.regionId]);
        if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
        regionPath = region.path;
      }
      const { rows, total } = await repo.list({
        visiblePaths: actor.view.map((v) => v.path),
        includeUnscoped: actor.role === 'system_admin',
        q: query.q || undefined,
        role: query.role,
        regionPath,
        disabled: query.disabled === undefined ? undefined : query.disabled === 'true',
        limit: query.limit,
        offset: query.offset,
      });
      const scopes = await repo.scopesOf(rows.map((r) => r.id));
      const byUser = new Map<string, UserScopeRow[]>();
      for (const s of scopes) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
      // Lists never show a full phone number, whoever asks.
      return { items: rows.map((r) => toSummary(r, byUser.get(r.id) ?? [], false)), total };
    },

    get: summaryOf,

    async create(actor: Principal, input: CreateUserRequest, meta: RequestMeta): Promise<UserSummary> {
      if (!mayAssignRole(actor, input.role))
        throw new AppError('FORBIDDEN', { fields: [issue('role', 'role_not_assignable', '您不能授予该角色 / you cannot assign this role')] });
      const shape = roleShapeIssues(
        input.role,
        { capture: input.captureRegionIds.length, view: input.viewRegionIds.length, hasOrgUnit: input.orgUnitId !== undefined },
        { capture: 'captureRegionIds', view: 'viewRegionIds' },
      );
      if (shape.length) throw new AppError('VALIDATION_FAILED', { fields: shape });
      const regions = await checkRegions(actor, input);
      await checkOrgUnit(actor, input.role, input.orgUnitId ?? null, true);
      const mobile = input.mobile ?? null;
      checkPassword(input.password, { username: input.username, mobile });
      const passwordHash = await hashPassword(input.password);

      const id = await withConflicts(() =>
        repo.transaction(async (trx) => {
          const userId = await repo.insertUser(
            { username: input.username, displayName: input.displayName, mobile, role: input.role, orgUnitId: input.orgUnitId ?? null, passwordHash },
            trx,
          );
          await repo.insertScopes(userId, regions.scopes, trx);
          await audit.append(
            {
              ...auditBase(actor, meta, userId, regions.firstCapture),
              action: 'user.created',
              details: { username: input.username, role: input.role, capture: regions.codes.capture, view: regions.codes.view },
            },
            trx,
          );
          return userId;
        }),
      );
      return summaryOf(actor, id);
    },

    async update(actor: Principal, id: string, input: UpdateUserRequest, meta: RequestMeta): Promise<UserSummary> {
      const { row, scopes } = await loadManaged(actor, id);
      const role = input.role ?? (row.role as Role);
      if (input.role !== undefined && input.role !== row.role) refuseSelf(actor, id, 'role');
      if (input.disabled !== undefined && input.disabled !== row.disabled) refuseSelf(actor, id, 'disabled');
      if (!mayAssignRole(actor, role))
        throw new AppError('FORBIDDEN', { fields: [issue('role', 'role_not_assignable', '您不能授予该角色 / you cannot assign this role')] });

      const orgUnitId = input.orgUnitId !== undefined ? input.orgUnitId : row.org_unit_id;
      const shape = roleShapeIssues(
        role,
        { capture: scopes.filter((s) => s.kind === 'capture').length, view: scopes.filter((s) => s.kind === 'view').length, hasOrgUnit: orgUnitId !== null },
        { capture: 'role', view: 'role' },
      );
      if (shape.length) throw new AppError('VALIDATION_FAILED', { fields: shape });
      const orgChanging = input.orgUnitId !== undefined && input.orgUnitId !== row.org_unit_id;
      if (orgChanging || role !== row.role) await checkOrgUnit(actor, role, orgUnitId, orgChanging);

      const set: AppUserUpdate = {};
      const changed: string[] = [];
      if (input.displayName !== undefined && input.displayName !== row.display_name) {
        set.display_name = input.displayName;
        changed.push('displayName');
      }
      if (input.mobile !== undefined && input.mobile !== row.mobile) {
        set.mobile = input.mobile;
        changed.push('mobile');
      }
      if (role !== row.role) {
        set.role = role;
        changed.push('role');
      }
      if (orgChanging) {
        set.org_unit_id = orgUnitId;
        changed.push('orgUnitId');
      }
      const disabling = input.disabled !== undefined && input.disabled !== row.disabled;
      if (disabling) set.disabled = input.disabled;
      if (!changed.length && !disabling) return toSummary(row, scopes, true);

      const action = disabling ? (input.disabled ? 'user.disabled' : 'user.enabled') : 'user.updated';
      const details: Record<string, unknown> = { changed };
      if (role !== row.role) details.role = { from: row.role, to: role };
      await withConflicts(() =>
        repo.transaction(async (trx) => {
          await repo.updateUser(id, set, trx);
          if (disabling && input.disabled) await repo.revokeSessions(id, trx);
          await audit.append({ ...auditBase(actor, meta, id, firstCaptureOf(scopes)), action, details }, trx);
        }),
      );
      return summaryOf(actor, id);
    },

    async setScopes(actor: Principal, id: string, input: SetScopesRequest, meta: RequestMeta): Promise<UserSummary> {
      const { row, scopes } = await loadManaged(actor, id);
      refuseSelf(actor, id, 'captureRegionIds');
      const shape = roleShapeIssues(
        row.role as Role,
        { capture: input.captureRegionIds.length, view: input.viewRegionIds.length, hasOrgUnit: false },
        { capture: 'captureRegionIds', view: 'viewRegionIds' },
      );
      if (shape.length) throw new AppError('VALIDATION_FAILED', { fields: shape });
      const regions = await checkRegions(actor, input);
      const before = { capture: codesOf(scopes, 'capture'), view: codesOf(scopes, 'view') };
      // The principal is loaded from user_scope on every request, so the new scope applies at once.
      await repo.transaction(async (trx) => {
        await repo.replaceScopes(id, regions.scopes, trx);
        await audit.append(
          { ...auditBase(actor, meta, id, regions.firstCapture), action: 'user.scopes_changed', details: { before, after: regions.codes } },
          trx,
        );
      });
      return summaryOf(actor, id);
    },

    async resetPassword(actor: Principal, id: string, input: ResetPasswordRequest, meta: RequestMeta): Promise<UserSummary> {
      const { row, scopes } = await loadManaged(actor, id);
      refuseSelf(actor, id, 'password');
      checkPassword(input.password, { username: row.username, mobile: row.mobile });
      const passwordHash = await hashPassword(input.password);
      await repo.transaction(async (trx) => {
        await repo.updateUser(
          id,
          { password_hash: passwordHash, must_change_password: true, password_changed_at: new Date(), failed_logins: 0, locked_until: null },
          trx,
        );
        await repo.revokeSessions(id, trx);
        await audit.append({ ...auditBase(actor, meta, id, firstCaptureOf(scopes)), action: 'user.password_reset' }, trx);
      });
      return summaryOf(actor, id);
    },

    async unlock(actor: Principal, id: string, meta: RequestMeta): Promise<UserSummary> {
      const { scopes } = await loadManaged(actor, id);
      await repo.transaction(async (trx) => {
        await repo.updateUser(id, { failed_logins: 0, locked_until: null }, trx);
        await audit.append({ ...auditBase(actor, meta, id, firstCaptureOf(scopes)), action: 'user.updated', details: { unlocked: true } }, trx);
      });
      return summaryOf(actor, id);
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
