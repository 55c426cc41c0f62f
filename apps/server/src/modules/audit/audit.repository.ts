import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface AuditEntry {
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  actorId?: string | null;
  actorName?: string | null;
  actorRole?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  regionId?: string | null;
  regionPath?: string | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/** Appends only: the table refuses UPDATE and DELETE (trigger on both engines, grants on PostgreSQL). */
export function createAuditRepository(db: Kysely<DB>) {
  return {
    async append(e: AuditEntry, trx: Kysely<DB> = db): Promise<void> {
      await trx
        .insertInto('audit_log')
        .values({
          action: e.action,
          outcome: e.outcome,
          actor_id: e.actorId ?? null,
          actor_name: e.actorName ?? null,
          actor_role: e.actorRole ?? null,
          target_type: e.targetType ?? null,
          target_id: e.targetId ?? null,
          region_id: e.regionId ?? null,
          region_path: e.regionPath ?? null,
          ip: e.ip ?? null,
          request_id: e.requestId ?? null,
          details: JSON.stringify(e.details ?? {}),
        })
        .execute();
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
