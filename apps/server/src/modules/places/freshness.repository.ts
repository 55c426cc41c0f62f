import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { GridFilter } from '../registry-common/record-scope.js';
import { gridCondition } from './common.js';

export type RecordKind = 'person' | 'house' | 'organisation' | 'facility' | 'key_place';

export interface TaskRow {
  kind: RecordKind;
  id: string;
  label: string;
  address: string | null;
  verified_at: Date | string | null;
  grid_id: string;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
}

/** Each record kind as (kind, id, label, address, verified_at, grid_id) rows, narrowed by `where` on alias x. */
function branches(kind: RecordKind | undefined, where: (alias: string) => RawBuilder<unknown>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (!kind || kind === 'person') {
    parts.push(sql`SELECT 'person'::text AS kind, x.id, x.name AS label, coalesce(h.address, x.current_address) AS address, x.verified_at, x.grid_id
      FROM person x LEFT JOIN house h ON h.id = x.house_id WHERE x.status = 'active' ${where('x')}`);
  }
  if (!kind || kind === 'house')
    parts.push(sql`SELECT 'house'::text AS kind, x.id, x.address AS label, x.address, x.verified_at, x.grid_id FROM house x WHERE true ${where('x')}`);
  if (!kind || kind === 'organisation') {
    parts.push(
      sql`SELECT 'organisation'::text AS kind, x.id, x.name AS label, x.address, x.verified_at, x.grid_id FROM organisation x WHERE true ${where('x')}`,
    );
  }
  if (!kind || kind === 'facility')
    parts.push(sql`SELECT 'facility'::text AS kind, x.id, x.name AS label, x.address, x.verified_at, x.grid_id FROM facility x WHERE true ${where('x')}`);
  if (!kind || kind === 'key_place')
    parts.push(sql`SELECT 'key_place'::text AS kind, x.id, x.name AS label, x.address, x.verified_at, x.grid_id FROM key_place x WHERE true ${where('x')}`);
  return sql.join(parts, sql` UNION ALL `);
}

const stale = (days: number) => sql`(x.verified_at IS NULL OR x.verified_at < now() - make_interval(days => ${days}::int))`;

export function createFreshnessRepository(db: Kysely<DB>) {
  return {
    /** Records never verified or verified longer ago than `days`, oldest first (never verified before all). */
    async tasks(
      f: { filter: GridFilter; kind?: RecordKind; gridId?: string; days: number; limit: number; offset: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: TaskRow[]; total: number }> {
      const where = (a: string) =>
        sql`AND ${stale(f.days)} ${gridCondition(f.filter, `${a}.grid_id`)} ${f.gridId ? sql`AND ${sql.ref(`${a}.grid_id`)} = ${f.gridId}` : sql``}`;
      const union = branches(f.kind, where);
      const rows = await sql<TaskRow>`SELECT t.kind, t.id, t.label, t.address, t.verified_at, g.id AS grid_id, g.code AS grid_code, g.name AS grid_name,
          c.id AS community_id, c.name AS community_name
        FROM (${union}) t JOIN grid g ON g.id = t.grid_id JOIN region c ON c.id = g.community_id
        ORDER BY t.verified_at NULLS FIRST, g.code, t.kind, t.label, t.id
        LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${union}) t`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    /** Per current grid in the filter: records, and records verified within `days`. */
    async perGrid(filter: GridFilter, days: number, trx: Kysely<DB> = db) {
      const where = (a: string) => gridCondition(filter, `${a}.grid_id`);
      const r = await sql<{ grid_id: string; grid_code: string; grid_name: string; records: number; verified: number }>`
        WITH recs AS (${branches(undefined, where)})
        SELECT g.id AS grid_id, g.code AS grid_code, g.name AS grid_name, count(r.id)::int AS records,
          (count(*) FILTER (WHERE r.verified_at >= now() - make_interval(days => ${days}::int)))::int AS verified
        FROM grid g LEFT JOIN recs r ON r.grid_id = g.id
        WHERE g.valid_to IS NULL ${gridCondition(filter, 'g.id')}
        GROUP BY g.id, g.code, g.name
        ORDER BY g.code`.execute(trx);
      return r.rows;
    },
  };
}
export type FreshnessRepository = ReturnType<typeof createFreshnessRepository>;
