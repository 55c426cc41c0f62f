import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';

export interface IntegrationCaseRow {
  id: string;
  case_no: string;
  channel: string;
  external_id: string | null;
  title: string;
  status: string;
  category_name: string;
  region_name: string;
  reported_at: Date;
  push_state: string | null;
  push_at: Date | null;
}

export interface OutboxListRow {
  id: number;
  case_id: string;
  case_no: string;
  target: string;
  kind: string;
  payload: unknown;
  state: 'pending' | 'failed' | 'delivered';
  attempts: number;
  last_error: string | null;
  next_at: Date;
  delivered_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
}

/** A delivery's state from its columns (the same CASE in every query). */
const stateOf = sql`CASE WHEN o.delivered_at IS NOT NULL THEN 'delivered' WHEN o.failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END`;

/**
 * SQL of the integrations console: hotline/device cases and the webhook outbox, both limited to cases under
 * the caller's view roots (`paths`) before paging and counting.
 */
export function createHotlineAdminRepository(db: Kysely<DB>) {
  return {
    db,
    async cases(q: { paths: string[]; channels: string[]; q?: string; limit: number; offset: number }): Promise<{ rows: IntegrationCaseRow[]; total: number }> {
      const text = q.q?.trim();
      const where = sql<SqlBool>`c.channel = any(${q.channels}::text[]) AND ${inSubtrees('c.region_path', q.paths)}
        ${text ? sql`AND (c.external_id = ${text} OR c.case_no = ${text} OR c.external_id LIKE ${`%${text.replace(/[\\%_]/g, '\\$&')}%`})` : sql``}`;
      const rows = await sql<IntegrationCaseRow>`
        SELECT c.id, c.case_no, c.channel, c.external_id, c.title, c.status, cat.name AS category_name, r.name AS region_name,
               c.reported_at, p.state AS push_state, p.at AS push_at
        FROM event_case c
        JOIN event_category cat ON cat.id = c.category_id
        JOIN region r ON r.id = c.region_id
        LEFT JOIN LATERAL (
          SELECT ${stateOf} AS state, coalesce(o.delivered_at, o.failed_at, o.created_at) AS at
          FROM webhook_outbox o WHERE o.case_id = c.id ORDER BY o.id DESC LIMIT 1
        ) p ON true
        WHERE ${where}
        ORDER BY c.reported_at DESC, c.id DESC
        LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
      const count = await sql<{ n: string | number }>`SELECT count(*) AS n FROM event_case c WHERE ${where}`.execute(db);
      return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
    },

    async outbox(q: { paths: string[]; state?: string; id?: number; limit: number; offset: number }): Promise<{ rows: OutboxListRow[]; total: number }> {
      const where = sql<SqlBool>`${inSubtrees('c.region_path', q.paths)} ${q.state ? sql`AND ${stateOf} = ${q.state}` : sql``}
        ${q.id ? sql`AND o.id = ${q.id}` : sql``}`;
      const rows = await sql<OutboxListRow>`
        SELECT o.id, o.case_id, c.case_no, o.target, o.kind, o.payload, ${stateOf} AS state, o.attempts, o.last_error, o.next_at,
               o.delivered_at, o.failed_at, o.created_at
        FROM webhook_outbox o JOIN event_case c ON c.id = o.case_id
        WHERE ${where}
        ORDER BY o.id DESC
        LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
      const count = await sql<{ n: string | number }>`
        SELECT count(*) AS n FROM webhook_outbox o JOIN event_case c ON c.id = o.case_id WHERE ${where}`.execute(db);
      return { rows: rows.rows.map((r) => ({ ...r, id: Number(r.id) })), total: Number(count.rows[0]?.n ?? 0) };
    },

    /** Deliveries per state under the view roots (one FILTER aggregate). */
    async outboxCounts(paths: string[]): Promise<{ pending: number; failed: number; delivered: number }> {
      const r = await sql<{ pending: string | number; failed: string | number; delivered: string | number }>`
        SELECT count(*) FILTER (WHERE o.delivered_at IS NULL AND o.failed_at IS NULL) AS pending,
               count(*) FILTER (WHERE o.delivered_at IS NULL AND o.failed_at IS NOT NULL) AS failed,
               count(*) FILTER (WHERE o.delivered_at IS NOT NULL) AS delivered
        FROM webhook_outbox o JOIN event_case c ON c.id = o.case_id
        WHERE ${inSubtrees('c.region_path', paths)}`.execute(db);
      const row = r.rows[0];
      return { pending: Number(row?.pending ?? 0), failed: Number(row?.failed ?? 0), delivered: Number(row?.delivered ?? 0) };
    },

    async findDelivery(
      id: number,
      trx: Kysely<DB> = db,
    ): Promise<{ id: number; case_id: string; region_path: string; state: string; attempts: number } | undefined> {
      const r = await sql<{ id: number; case_id: string; region_path: string; state: string; attempts: number }>`
        SELECT o.id, o.case_id, c.region_path, ${stateOf} AS state, o.attempts
        FROM webhook_outbox o JOIN event_case c ON c.id = o.case_id WHERE o.id = ${id}`.execute(trx);
      const row = r.rows[0];
      return row ? { ...row, id: Number(row.id) } : undefined;
    },

    /**
     * A failed delivery back to pending, due now. Only a row still failed is changed (a second click, or two
     * administrators at once, change nothing the second time). The attempts stay: one more failure gives up again.
     */
    async requeue(id: number, trx: Kysely<DB>): Promise<boolean> {
      const r = await sql`UPDATE webhook_outbox SET failed_at = NULL, next_at = now()
        WHERE id = ${id} AND failed_at IS NOT NULL AND delivered_at IS NULL`.execute(trx);
      return Number(r.numAffectedRows ?? 0) > 0;
    },
  };
}
export type HotlineAdminRepository = ReturnType<typeof createHotlineAdminRepository>;
