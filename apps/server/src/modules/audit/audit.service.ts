import { type AuditEntry, type AuditQuery, auditActionLabels } from '@gridgov/contracts/audit';
import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import { viewRoots } from '../regions/subtree.js';
import type { AuditRepository } from './audit.repository.js';

export interface AuditServiceDeps {
  repo: Pick<AuditRepository, 'search' | 'staffIn' | 'userIdByUsername' | 'regionPath'>;
}

/**
 * Searching the audit log. A system administrator sees every row; anyone else sees the events of
 * their view scope and the region-less events (sign-ins, denials) of staff whose capture scope lies
 * in it — so a street center sees its own staff's sign-ins but not a neighbouring street's.
 */
export function createAuditService({ repo }: AuditServiceDeps) {
  return {
    async search(actor: Principal, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
      const everything = actor.role === 'system_admin';
      let regionPath: string | undefined;
      if (q.regionId) {
        regionPath = await repo.regionPath(q.regionId);
        // Even for a system administrator: a region outside the view scope does not exist for the caller.
        if (!regionPath || !canView(actor, regionPath)) throw new AppError('NOT_FOUND');
      }
      let scope: { paths: string[]; actorIds: string[] } | null = null;
      if (!everything) {
        const paths = viewRoots(actor).map((r) => r.path);
        scope = { paths, actorIds: await repo.staffIn(paths) };
      }
      let actorId: string | undefined;
      let actorName: string | undefined;
      if (q.actor) {
        actorId = await repo.userIdByUsername(q.actor);
        if (!actorId) actorName = q.actor;
      }
      const prefix = q.action?.endsWith('.*') ? q.action.slice(0, -1) : undefined;
      const { rows, total } = await repo.search({
        scope,
        actorId,
        actorName,
        action: prefix ? undefined : q.action,
        actionPrefix: prefix,
        outcome: q.outcome,
        regionPath,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        limit: q.limit,
        offset: q.offset,
      });
      return {
        total,
        items: rows.map((r) => ({
          id: Number(r.id),
          at: new Date(r.at).toISOString(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          actorRole: r.actor_role,
          action: r.action,
          outcome: r.outcome,
          targetType: r.target_type,
          targetId: r.target_id,
          regionId: r.region_id,
          regionName: r.region_name,
          ip: r.ip,
          requestId: r.request_id,
          details: r.details ?? {},
        })),
      };
    },

    /** Action keys with their labels, for the filter dropdown. */
    actions() {
      return Object.entries(auditActionLabels).map(([key, l]) => ({ key, zh: l.zh, en: l.en }));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
