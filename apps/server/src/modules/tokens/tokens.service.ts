import type { ApiTokenInfo, CreateApiTokenRequest, CreatedApiToken } from '@gridgov/contracts/auth';
import type { ErrorCode, FieldIssue } from '@gridgov/contracts/errors';
import type { Permission } from '@gridgov/contracts/roles';
import { AppError } from '../../http/app-error.js';
import { canCapture, type Principal, type ScopeRoot } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { AuthRepository } from '../auth/auth.repository.js';
import { loadPrincipal } from '../auth/principal.loader.js';
import { tokenHash } from '../auth/session-token.js';
import { apiTokenPrefix, newApiToken } from './token-secret.js';
import type { TokenRepository, TokenRow } from './tokens.repository.js';

export interface TokenServiceDeps {
  repo: TokenRepository;
  /** The creator's account and scopes, which bound what a token may do. */
  users: Pick<AuthRepository, 'findUserById' | 'scopesOf' | 'staffedGrids'>;
  audit: Pick<AuditRepository, 'append'>;
  /** Keys the stored hash (the session secret): a database copy alone cannot match tokens. */
  secret: string;
  now?: () => number;
}

const TOUCH_INTERVAL_MS = 60_000;

function toInfo(t: TokenRow): ApiTokenInfo {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    permissions: t.permissions as Permission[],
    regionIds: t.region_ids,
    createdAt: t.created_at.toISOString(),
    expiresAt: t.expires_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    createdBy: t.created_by,
    createdByName: t.created_by_name,
  };
}

/** API tokens for machine clients (12345 hotline bridge, IoT gateways, upper-level platforms). */
export function createTokenService({ repo, users, audit, secret, now = Date.now }: TokenServiceDeps) {
  const msg = (p: Principal, zh: string, en: string) => (p.locale === 'en' ? en : zh);
  const mayManage = (actor: Principal, t: TokenRow) => t.created_by === actor.userId || actor.role === 'system_admin';

  return {
    /**
     * Issues a token acting for the caller, narrowed to some of the caller's permissions and to
     * regions inside the caller's capture scope. The secret is returned here and never again.
     */
    async create(actor: Principal, input: CreateApiTokenRequest, meta: RequestMeta): Promise<CreatedApiToken> {
      // A token may not mint further tokens: revoking it must end everything it could do.
      if (actor.kind !== 'user') throw new AppError('FORBIDDEN');
      const permissions = [...new Set(input.permissions)];
      const notHeld = permissions.map((p, i) => ({ p, i })).filter(({ p }) => !actor.permissions.has(p));
      if (notHeld.length) {
        throw new AppError('FORBIDDEN', {
          fields: notHeld.map(({ p, i }) => ({
            path: `permissions.${i}`,
            code: 'not_held',
            message: msg(actor, `您的角色没有权限 ${p}`, `your role does not hold ${p}`),
          })),
        });
      }
      const regionIds = [...new Set(input.regionIds)];
      const regions = new Map((await repo.regionsByIds(regionIds)).map((r) => [r.id, r.path]));
      // Unknown and foreign regions get the same answer, so the check reveals nothing outside the scope.
      const outside: FieldIssue[] = regionIds.flatMap((id, i) =>
        canCapture(actor, regions.get(id))
          ? []
          : [{ path: `regionIds.${i}`, code: 'out_of_scope', message: msg(actor, '该区划不在您的管辖范围内', 'this region is outside your jurisdiction') }],
      );
      if (outside.length) throw new AppError('OUT_OF_SCOPE', { fields: outside });
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= now()) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'expiresAt', code: 'in_past', message: msg(actor, '到期时间必须晚于当前时间', 'must be in the future') }],
        });
      }

      const { token, prefix } = newApiToken();
      const { id } = await repo.insert({
        name: input.name,
        prefix,
        tokenHash: tokenHash(token, secret),
        permissions,
        regionIds,
        createdBy: actor.userId,
        expiresAt,
      });
      const firstRegion = regionIds[0] as string;
      await audit.append({
        ...auditContext(actor, meta),
        action: 'token.created',
        outcome: 'ok',
        targetType: 'api_token',
        targetId: id,
        regionId: firstRegion,
        regionPath: regions.get(firstRegion) ?? null,
        details: { name: input.name, prefix, permissions, regionIds, expiresAt: expiresAt?.toISOString() ?? null },
      });
      const row = await repo.findById(id);
      if (!row) throw new Error(`api token ${id} vanished after insert`);
      return { token, info: toInfo(row) };
    },

    /** The caller's own tokens; a system administrator sees everyone's. */
    async list(actor: Principal): Promise<{ items: ApiTokenInfo[] }> {
      const rows = await repo.list(actor.role === 'system_admin' ? {} : { createdBy: actor.userId });
      return { items: rows.map(toInfo) };
    },

    /** Revokes at once; revoking a revoked token changes nothing. Someone else's token is not found. */
    async revoke(actor: Principal, id: string, meta: RequestMeta): Promise<ApiTokenInfo> {
      const t = await repo.findById(id);
      if (!t || !mayManage(actor, t)) throw new AppError('NOT_FOUND');
      if (t.revoked_at) return toInfo(t);
      await repo.revoke(id);
      await audit.append({
        ...auditContext(actor, meta),
        action: 'token.revoked',
        outcome: 'ok',
        targetType: 'api_token',
        targetId: id,
        details: { name: t.name, prefix: t.prefix, createdBy: t.created_by_name, viaToken: actor.tokenId ?? null },
      });
      const after = await repo.findById(id);
      return toInfo(after ?? t);
    },

    /**
     * The principal behind `Authorization: Bearer ggt_…`: the creator's role, the token's permissions
     * that the role still holds, and the token's regions that are still inside the creator's capture
     * scope. Revoked, expired, unknown tokens and tokens of disabled creators are all invalid.
     */
    async resolve(token: string): Promise<{ principal: Principal } | { failure: ErrorCode }> {
      const invalid = { failure: 'AUTH_TOKEN_INVALID' as const };
      if (!apiTokenPrefix(token)) return invalid;
      const t = await repo.findByHash(tokenHash(token, secret));
      const at = now();
      if (!t || t.revoked_at || (t.expires_at && t.expires_at.getTime() <= at)) return invalid;
      const creator = await users.findUserById(t.created_by);
      if (!creator || creator.disabled) return invalid;
      const base = await loadPrincipal(users, creator);
      const permissions = new Set((t.permissions as Permission[]).filter((p) => base.permissions.has(p)));
      const regions = await repo.regionsByIds(t.region_ids);
      const roots: ScopeRoot[] = regions.filter((r) => canCapture(base, r.path)).map((r) => ({ regionId: r.id, path: r.path }));
      // Record use at most once a minute: a busy integration must not write on every call.
      if (!t.last_used_at || at - t.last_used_at.getTime() > TOUCH_INTERVAL_MS) await repo.touch(t.id);
      const { sessionId: _none, ...user } = base;
      return { principal: { ...user, kind: 'token', tokenId: t.id, permissions, capture: roots, view: roots, mustChangePassword: false } };
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;
