import type { SessionInfo } from '@gridgov/contracts/auth';
import type { Config } from '../../config.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { assertUser } from './auth.guards.js';
import type { AuthRepository } from './auth.repository.js';

export interface SessionServiceDeps {
  repo: Pick<AuthRepository, 'listOpenSessions' | 'findUserSession' | 'revokeSession'>;
  audit: Pick<AuditRepository, 'append'>;
  config: Pick<Config, 'session'>;
}

/** A user's own signed-in devices: list them, sign one out. */
export function createSessionService({ repo, audit, config }: SessionServiceDeps) {
  const idleMs = config.session.idleMinutes * 60_000;
  const isLive = (s: { revoked_at?: Date | null; expires_at: Date; last_seen_at: Date }, now: number) =>
    !s.revoked_at && s.expires_at.getTime() > now && now - s.last_seen_at.getTime() <= idleMs;

  return {
    async list(actor: Principal): Promise<{ items: SessionInfo[] }> {
      assertUser(actor);
      const now = Date.now();
      const rows = await repo.listOpenSessions(actor.userId);
      return {
        items: rows
          .filter((s) => isLive(s, now))
          .map((s) => ({
            id: s.id,
            createdAt: s.created_at.toISOString(),
            lastSeenAt: s.last_seen_at.toISOString(),
            ip: s.ip,
            userAgent: s.user_agent,
            current: s.id === actor.sessionId,
          })),
      };
    },

    /** Revokes one of the caller's live sessions; anyone else's (or an ended one) is not found. */
    async revoke(actor: Principal, id: string, meta: RequestMeta): Promise<{ ok: true }> {
      assertUser(actor);
      const s = await repo.findUserSession(actor.userId, id);
      if (!s || !isLive(s, Date.now())) throw new AppError('NOT_FOUND');
      await repo.revokeSession(s.id);
      await audit.append({
        action: 'auth.session_revoked',
        outcome: 'ok',
        actorId: actor.userId,
        actorName: actor.username,
        actorRole: actor.role,
        targetType: 'session',
        targetId: s.id,
        ip: meta.ip,
        requestId: meta.requestId,
        details: { current: s.id === actor.sessionId },
      });
      return { ok: true };
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
