import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Notifications addressed to a user or to their org unit. */
export function createNotificationsRepository(db: Kysely<DB>) {
  const mine = (userId: string, orgUnitId: string | null) =>
    orgUnitId ? sql`(n.user_id = ${userId}::uuid OR n.org_unit_id = ${orgUnitId}::uuid)` : sql`n.user_id = ${userId}::uuid`;
  return {
    async list(q: { userId: string; orgUnitId: string | null; unreadOnly: boolean; limit: number; offset: number }) {
      const where = sql`${mine(q.userId, q.orgUnitId)} ${q.unreadOnly ? sql`AND n.read_at IS NULL` : sql``}`;
      const rows = await sql<{
        id: string | number;
        kind: string;
        title: string;
        body: string;
        case_id: string | null;
        case_no: string | null;
        user_id: string | null;
        org_unit_name: string | null;
        created_at: Date;
        read_at: Date | null;
      }>`
        SELECT n.id, n.kind, n.title, n.body, n.case_id, c.case_no, n.user_id, o.name AS org_unit_name, n.created_at, n.read_at
        FROM notification n
        LEFT JOIN event_case c ON c.id = n.case_id
        LEFT JOIN org_unit o ON o.id = n.org_unit_id
        WHERE ${where}
        ORDER BY (n.read_at IS NULL) DESC, n.created_at DESC, n.id DESC
        LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
      const total = await sql<{ n: string | number }>`SELECT count(*) AS n FROM notification n WHERE ${where}`.execute(db);
      return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
    },

    async unreadCount(userId: string, orgUnitId: string | null): Promise<number> {
      const r = await sql<{ n: string | number }>`
        SELECT (SELECT count(*) FROM notification n WHERE n.user_id = ${userId}::uuid AND n.read_at IS NULL)
             + ${orgUnitId ? sql`(SELECT count(*) FROM notification n WHERE n.org_unit_id = ${orgUnitId}::uuid AND n.read_at IS NULL AND n.user_id IS NULL)` : sql`0`} AS n`.execute(
        db,
      );
      return Number(r.rows[0]?.n ?? 0);
    },

    /** Marks one of the caller's notifications read (once; the first reader's time stays). False: not theirs. */
    async markRead(id: number, userId: string, orgUnitId: string | null): Promise<boolean> {
      const r = await sql<{ id: string }>`
        UPDATE notification n SET read_at = coalesce(n.read_at, now())
        WHERE n.id = ${id} AND ${mine(userId, orgUnitId)}
        RETURNING n.id`.execute(db);
      return r.rows.length > 0;
    },
  };
}
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
