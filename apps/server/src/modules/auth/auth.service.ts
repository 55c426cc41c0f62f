import type { LoginRequest, Me } from '@gridgov/contracts/auth';
import type { Config } from '../../config.js';
import { authEpoch } from '../../db/auth-writes.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { assertNotThrottled, assertUser, countIpFailure } from './auth.guards.js';
import type { AuthRepository } from './auth.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import { decoyHash, verifyPassword } from './password.js';
import { loadPrincipal } from './principal.loader.js';
import { newToken, tokenHash } from './session-token.js';

/** How long a session read is reused (see resolveSession): another process's logout or role change applies within it. */
export const SESSION_CACHE_MS = 1000;

export interface AuthServiceDeps {
  repo: AuthRepository;
  audit: Pick<AuditRepository, 'append'>;
  config: Pick<Config, 'session' | 'login'> & { sessionSecret: string };
  /** Failed sign-ins per client IP (shared with the password change). */
  throttle: LoginThrottle;
}

/** Sign-in, sessions and the principal behind a session cookie. */
export function createAuthService({ repo, audit, config, throttle }: AuthServiceDeps) {
  const secret = config.sessionSecret;
  type SessionRow = NonNullable<Awaited<ReturnType<AuthRepository['findSessionWithUser']>>>;
  const sessions = new Map<string, { at: number; epoch: number; row: SessionRow }>();

  async function me(p: Principal): Promise<Me> {
    const scopes = await repo.scopesOf(p.userId);
    const org = await repo.orgUnitName(p.orgUnitId);
    const ref = (kind: 'capture' | 'view') => scopes.filter((s) => s.kind === kind).map((s) => ({ regionId: s.regionId, code: s.code, name: s.name }));
    return {
      id: p.userId,
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      orgUnitId: p.orgUnitId,
      orgUnitName: org?.name ?? null,
      permissions: [...p.permissions],
      captureScope: ref('capture'),
      viewScope: ref('view'),
      mustChangePassword: p.mustChangePassword,
      locale: p.locale,
    };
  }

  return {
    async me(p: Principal): Promise<Me> {
      assertUser(p);
      return me(p);
    },

    /** Login CSRF: a browser said the sign-in comes from another site. Audited, then refused. */
    async refuseCrossSiteLogin(meta: RequestMeta & { origin: string | null; fetchSite: string | null }): Promise<never> {
      await audit.append({
        action: 'access.denied',
        outcome: 'denied',
        targetType: 'route',
        targetId: 'POST /api/auth/login',
        ip: meta.ip,
        requestId: meta.requestId,
        details: { reason: 'login_csrf', origin: meta.origin?.slice(0, 200) ?? null, fetchSite: meta.fetchSite },
      });
      throw new AppError('CSRF_INVALID');
    },

    /** Sets the language of the console and of error messages for the signed-in user. */
    async setLocale(p: Principal, locale: 'zh-CN' | 'en'): Promise<Me> {
      assertUser(p);
      await repo.setLocale(p.userId, locale);
      return me({ ...p, locale });
    },

    /**
     * Checks the password, applies lockout, creates a session. Unknown users cost the same time as
     * known ones and get the same error, so the endpoint does not reveal which usernames exist.
     */
    async login(input: LoginRequest, meta: RequestMeta) {
      assertNotThrottled(throttle, meta.ip);
      const user = await repo.findUserByLogin(input.login);
      if (!user) {
        await verifyPassword(await decoyHash(), input.password);
        await countIpFailure(throttle, audit, meta);
        await audit.append({
          action: 'auth.login_failed',
          outcome: 'failed',
          ip: meta.ip,
          requestId: meta.requestId,
          details: { login: input.login.slice(0, 64), reason: 'unknown_user' },
        });
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }
      const actor = { actorId: user.id, actorName: user.username, actorRole: user.role, ip: meta.ip, requestId: meta.requestId };
      if (user.locked_until && user.locked_until > new Date()) {
        await verifyPassword(await decoyHash(), input.password);
        await countIpFailure(throttle, audit, meta);
        await audit.append({ ...actor, action: 'auth.login_failed', outcome: 'denied', details: { reason: 'locked' } });
        throw new AppError('AUTH_ACCOUNT_LOCKED', { details: { lockedUntil: user.locked_until.toISOString() } });
      }
      const ok = await verifyPassword(user.password_hash, input.password);
      if (!ok) {
        await countIpFailure(throttle, audit, meta);
        const lockUntil = new Date(Date.now() + config.login.lockMinutes * 60_000);
        const r = await repo.recordFailure(user.id, config.login.maxFailures, lockUntil);
        await audit.append({ ...actor, action: 'auth.login_failed', outcome: 'failed', details: { reason: 'wrong_password', failures: r.failed_logins } });
        if (r.locked_until && r.locked_until > new Date()) {
          await audit.append({ ...actor, action: 'auth.locked', outcome: 'ok', details: { until: r.locked_until.toISOString() } });
          throw new AppError('AUTH_ACCOUNT_LOCKED', { details: { lockedUntil: r.locked_until.toISOString() } });
        }
        throw new AppError('AUTH_INVALID_CREDENTIALS', { details: { remainingAttempts: Math.max(0, config.login.maxFailures - r.failed_logins) } });
      }
      if (user.disabled) {
        await audit.append({ ...actor, action: 'auth.login_failed', outcome: 'denied', details: { reason: 'disabled' } });
        throw new AppError('AUTH_ACCOUNT_DISABLED');
      }
      await repo.recordSuccess(user.id);
      const token = newToken();
      const csrfToken = newToken();
      const session = await repo.createSession({
        tokenHash: tokenHash(token, secret),
        userId: user.id,
        csrfToken,
        expiresAt: new Date(Date.now() + config.session.ttlHours * 3_600_000),
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      await audit.append({ ...actor, action: 'auth.login', outcome: 'ok', targetType: 'session', targetId: session.id });
      const principal = await loadPrincipal(repo, user, { sessionId: session.id });
      return { token, csrfToken, me: await me(principal), ttlSeconds: config.session.ttlHours * 3600 };
    },

    /**
     * The principal behind a session cookie, or why there is none. Slides the idle timeout. A session read is
     * reused for up to SESSION_CACHE_MS unless a write to the tables a principal is built from came in between
     * (auth-writes.ts): a console page's burst of calls, or a grid worker's reports, read it once.
     */
    async resolveSession(token: string): Promise<{ principal: Principal; csrfToken: string } | { failure: 'AUTH_SESSION_EXPIRED' }> {
      const hash = tokenHash(token, secret);
      const t = performance.now();
      const epoch = authEpoch();
      const hit = sessions.get(hash);
      let row = hit && hit.epoch === epoch && t - hit.at < SESSION_CACHE_MS ? hit.row : undefined;
      if (!row) {
        row = await repo.findSessionWithUser(hash);
        if (sessions.size >= 10_000) sessions.clear();
        if (row) sessions.set(hash, { at: t, epoch, row });
        else sessions.delete(hash);
      }
      const now = Date.now();
      if (!row || row.revoked_at || row.expires_at.getTime() <= now || now - row.last_seen_at.getTime() > config.session.idleMinutes * 60_000) {
        return { failure: 'AUTH_SESSION_EXPIRED' };
      }
      const { session_id, csrf_token, expires_at: _e, revoked_at: _r, last_seen_at, scopes, staffed_grids, ...user } = row;
      if (user.disabled) return { failure: 'AUTH_SESSION_EXPIRED' };
      // Write the last-seen time at most once a minute: a busy console must not write on every call.
      if (now - last_seen_at.getTime() > 60_000) {
        await repo.touchSession(session_id);
        const kept = sessions.get(hash);
        if (kept?.row === row) kept.row = { ...row, last_seen_at: new Date(now) };
      }
      return { principal: await loadPrincipal(repo, user, { sessionId: session_id }, { scopes, grids: staffed_grids }), csrfToken: csrf_token };
    },

    async logout(p: Principal, meta: RequestMeta) {
      assertUser(p);
      if (p.sessionId) await repo.revokeSession(p.sessionId);
      await audit.append({
        action: 'auth.logout',
        outcome: 'ok',
        actorId: p.userId,
        actorName: p.username,
        actorRole: p.role,
        targetType: 'session',
        targetId: p.sessionId ?? null,
        ip: meta.ip,
        requestId: meta.requestId,
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
