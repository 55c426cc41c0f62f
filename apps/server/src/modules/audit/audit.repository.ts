import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees, likeLiteral } from '../regions/subtree.js';

/** What an audit search may return and what the caller asked for. */
export interface AuditSearchFilter {
  /**
   * Rows the caller may see: null = every row (system administrators); otherwise rows whose region
   * lies in `paths`, plus rows without a region whose actor is one of `actorIds`.
   */
  scope: { paths: readonly string[]; actorIds: readonly string[] } | null;
  actorId?: string;
  actorName?: string;
  action?: string;
  /** Actions beginning with this prefix ('auth.'). */
  actionPrefix?: string;
  outcome?: 'ok' | 'denied' | 'failed';
  regionPath?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

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

    /** Newest first, with the total for paging; the region's name joined for display. */
    async search(f: AuditSearchFilter) {
      const conds: Expression<SqlBool>[] = [];
      if (f.scope) {
        const byRegion = inSubtrees('l.region_path', f.scope.paths);
        conds.push(
          f.scope.actorIds.length
            ? sql<SqlBool>`(${byRegion} or (l.region_path is null and l.actor_id = any(${sql.val([...f.scope.actorIds])}::uuid[])))`
            : byRegion,
        );
      }
      if (f.actorId) conds.push(sql<SqlBool>`l.actor_id = ${f.actorId}`);
      else if (f.actorName) conds.push(sql<SqlBool>`lower(l.actor_name) = ${f.actorName.toLowerCase()}`);
      if (f.action) conds.push(sql<SqlBool>`l.action = ${f.action}`);
      if (f.actionPrefix) conds.push(sql<SqlBool>`l.action like ${`${likeLiteral(f.actionPrefix)}%`}`);
      if (f.outcome) conds.push(sql<SqlBool>`l.outcome = ${f.outcome}`);
      if (f.regionPath) conds.push(inSubtrees('l.region_path', [f.regionPath]));
      if (f.from) conds.push(sql<SqlBool>`l.at >= ${f.from}`);
      if (f.to) conds.push(sql<SqlBool>`l.at < ${f.to}`);
      const where = conds.length ? sql<SqlBool>`${sql.join(conds, sql` and `)}` : sql<SqlBool>`true`;

      const rows = await db
        .selectFrom('audit_log as l')
        .leftJoin('region as rg', 'rg.id', 'l.region_id')
        .select([
          'l.id',
          'l.at',
          'l.actor_id',
          'l.actor_name',
          'l.actor_role',
          'l.action',
          'l.outcome',
          'l.target_type',
          'l.target_id',
          'l.region_id',
          // A deleted region keeps its name in the deletion's details.
          sql<string | null>`coalesce(rg.name, case when l.target_type = 'region' then l.details->>'name' end)`.as('region_name'),
          'l.ip',
          'l.request_id',
          'l.details',
        ])
        .where(where)
        .orderBy('l.at', 'desc')
        .orderBy('l.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      const count = await db.selectFrom('audit_log as l').select(sql<number>`count(*)::int`.as('n')).where(where).executeTakeFirstOrThrow();
      return { rows, total: count.n };
    },

    /** Users with a capture root inside these subtrees: the staff whose sign-ins a supervisor sees. */
    async staffIn(paths: readonly string[]): Promise<string[]> {
      if (paths.length === 0) return [];
      const rows = await db
        .selectFrom('user_scope as s')
        .innerJoin('region as r', 'r.id', 's.region_id')
        .select('s.user_id')
        .distinct()
        .where('s.kind', '=', 'capture')
        .where(inSubtrees('r.path', paths))
        .execute();
      return rows.map((r) => r.user_id);
    },

    userIdByUsername(username: string) {
      return db
        .selectFrom('app_user')
        .select('id')
        .where(sql<SqlBool>`lower(username) = ${username.toLowerCase()}`)
        .executeTakeFirst()
        .then((r) => r?.id);
    },

    regionPath(id: string) {
      return db
        .selectFrom('region')
        .select('path')
        .where('id', '=', id)
        .executeTakeFirst()
        .then((r) => r?.path);
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
