import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** The bits of a case that decide who may see its attachments. */

export interface CategoryRow {
  id: string;
  code: string;
  name: string;
  class_name: string;
  version: number;
  keywords: string[];
  self_dispose: boolean;
}

export interface RegionHit {
  id: string;
  name: string;
  level: string;
  path: string;
  depth: number;
}

export interface CaseResultRow {
  id: string;
  case_no: string;
  title: string;
  status: string;
  channel: string;
  category_id: string;
  category_name: string;
  region_id: string;
  region_name: string;
  grid_id: string | null;
  grid_name: string | null;
  no_grid: boolean;
  reported_at: Date;
  idem_hash: string | null;
  reporter_user_id: string | null;
  region_path: string;
}

export interface OutboxRow {
  id: number;
  case_id: string;
  target: string;
  payload: unknown;
  attempts: number;
}

const point = (lng: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)`;

const caseResultSelect = sql`
  SELECT c.id, c.case_no, c.title, c.status, c.channel, c.category_id, cat.name AS category_name, c.region_id,
         r.name AS region_name, c.grid_id, g.name AS grid_name, c.no_grid, c.reported_at, c.idem_hash,
         c.reporter_user_id, c.region_path
  FROM event_case c
  JOIN event_category cat ON cat.id = c.category_id
  JOIN region r ON r.id = c.region_id
  LEFT JOIN grid g ON g.id = c.grid_id`;

/** All SQL of intake: attachments, catalogue keywords, region containment, duplicates, idempotency, outbox. */
export function createIntakeRepository(db: Kysely<DB>) {
  return {
    db,
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    // ─── attachments (rows and files: attachments.repository.ts) ─────────────
    /** Attachments among `ids` this user uploaded and nobody linked yet (locked for the linking transaction). */
    async unlinkedOf(trx: Kysely<DB>, userId: string, ids: readonly string[]): Promise<string[]> {
      if (!ids.length) return [];
      const r = await sql<{ id: string }>`
        SELECT id FROM event_case_attachment
        WHERE id = ANY(${sql.val([...ids])}::uuid[]) AND uploaded_by = ${userId} AND case_id IS NULL
        FOR UPDATE`.execute(trx);
      return r.rows.map((x) => x.id);
    },

    // ─── catalogue ────────────────────────────────────────────────────────────
    /** Active items with their current rules (keywords, 自行处置). */
    async activeItems(): Promise<CategoryRow[]> {
      const r = await sql<CategoryRow>`
        SELECT c.id, c.code, c.name, p.name AS class_name, v.version, v.keywords, v.self_dispose
        FROM event_category c
        JOIN event_category p ON p.id = c.parent_id
        JOIN event_category_version v ON v.category_id = c.id AND v.version = c.current_version
        WHERE c.kind = 'item' AND c.active AND p.active
        ORDER BY c.code`.execute(db);
      return r.rows.map((row) => ({ ...row, keywords: typeof row.keywords === 'string' ? JSON.parse(row.keywords) : row.keywords }));
    },

    // ─── location ─────────────────────────────────────────────────────────────
    /** Every region whose boundary holds the point, deepest first. */
    async regionsAt(lng: number, lat: number): Promise<RegionHit[]> {
      const r = await sql<RegionHit>`
        SELECT id, name, level, path, length(path) - length(replace(path, '/', '')) AS depth
        FROM region
        WHERE boundary IS NOT NULL AND ST_Intersects(boundary, ${point(lng, lat)})
        ORDER BY length(path) DESC`.execute(db);
      return r.rows.map((x) => ({ ...x, depth: Number(x.depth) }));
    },

    async region(id: string): Promise<{ id: string; name: string; path: string; level: string } | undefined> {
      return await db.selectFrom('region').select(['id', 'name', 'path', 'level']).where('id', '=', id).executeTakeFirst();
    },

    /** The grid's community and the grid's station point (a point for an address match). */
    async gridPlace(gridId: string): Promise<{ community_id: string; name: string; lng: number | null; lat: number | null } | undefined> {
      const r = await sql<{ community_id: string; name: string; lng: number | null; lat: number | null }>`
        SELECT g.community_id, g.name,
               (g.station->>'lng')::float8 AS lng, (g.station->>'lat')::float8 AS lat
        FROM grid g WHERE g.id = ${gridId}`.execute(db);
      return r.rows[0];
    },

    async communityOfGrid(gridId: string): Promise<{ id: string; name: string; path: string; grid_name: string } | undefined> {
      const r = await sql<{ id: string; name: string; path: string; grid_name: string }>`
        SELECT r.id, r.name, r.path, g.name AS grid_name FROM grid g JOIN region r ON r.id = g.community_id WHERE g.id = ${gridId}`.execute(db);
      return r.rows[0];
    },

    // ─── duplicates ───────────────────────────────────────────────────────────
    async duplicates(q: {
      lng: number;
      lat: number;
      radiusM: number;
      since: Date;
      categoryIds: readonly string[] | null;
      openStatuses: readonly string[];
      scopePaths: readonly string[] | null;
      limit: number;
    }): Promise<{ id: string; case_no: string; title: string; status: string; category_name: string; distance_m: number; reported_at: Date }[]> {
      const p = point(q.lng, q.lat);
      const cat = q.categoryIds ? sql`AND c.category_id = ANY(${sql.val([...q.categoryIds])}::uuid[])` : sql``;
      const scope = q.scopePaths
        ? q.scopePaths.length
          ? sql`AND (${sql.join(
              q.scopePaths.map((s) => sql`c.region_path LIKE ${`${s}%`}`),
              sql` OR `,
            )})`
          : sql`AND false`
        : sql``;
      const r = await sql<{ id: string; case_no: string; title: string; status: string; category_name: string; distance_m: number; reported_at: Date }>`
        SELECT c.id, c.case_no, c.title, c.status, cat.name AS category_name,
               ST_Distance(c.geom::geography, ${p}::geography)::float8 AS distance_m, c.reported_at
        FROM event_case c JOIN event_category cat ON cat.id = c.category_id
        WHERE c.geom IS NOT NULL
          AND ST_DWithin(c.geom::geography, ${p}::geography, ${q.radiusM}::float8)
          AND c.reported_at >= ${q.since}
          AND c.status = ANY(${sql.val([...q.openStatuses])}::text[])
          AND c.parent_case_id IS NULL
          ${cat} ${scope}
        ORDER BY distance_m, c.reported_at DESC
        LIMIT ${q.limit}`.execute(db);
      return r.rows.map((x) => ({ ...x, distance_m: Number(x.distance_m) }));
    },

    // ─── cases (read back) ────────────────────────────────────────────────────
    async caseResult(id: string, trx: Kysely<DB> = db): Promise<CaseResultRow | undefined> {
      const r = await sql<CaseResultRow>`${caseResultSelect} WHERE c.id = ${id}`.execute(trx);
      return r.rows[0];
    },
    async caseByIdem(scope: string, key: string, trx: Kysely<DB> = db): Promise<CaseResultRow | undefined> {
      const r = await sql<CaseResultRow>`${caseResultSelect} WHERE c.idem_scope = ${scope} AND c.idempotency_key = ${key}`.execute(trx);
      return r.rows[0];
    },
    async caseByExternal(channel: string, externalId: string, trx: Kysely<DB> = db): Promise<CaseResultRow | undefined> {
      const r = await sql<CaseResultRow>`${caseResultSelect} WHERE c.channel = ${channel} AND c.external_id = ${externalId}`.execute(trx);
      return r.rows[0];
    },
    /** What createCaseRecord does not take: the body hash of an idempotent report and when the problem happened. */
    async categoryByCode(code: string): Promise<{ id: string; active: boolean; kind: string } | undefined> {
      return await db.selectFrom('event_category').select(['id', 'active', 'kind']).where('code', '=', code).executeTakeFirst();
    },

    // ─── webhook outbox ───────────────────────────────────────────────────────
    async enqueue(trx: Kysely<DB>, row: { caseId: string; target: string; kind: string; payload: unknown }): Promise<void> {
      await trx
        .insertInto('webhook_outbox')
        .values({ case_id: row.caseId, target: row.target, kind: row.kind, payload: JSON.stringify(row.payload) })
        .execute();
    },

    /**
     * Claims up to `limit` due pushes: on PostgreSQL rows another process holds are skipped (FOR UPDATE SKIP
     * LOCKED) and the claim pushes next_at ahead by the lease, so a process that dies mid-delivery leaves
     * them to be retried after the lease. PGlite is one process; the same statement works there.
     */
    async claimDue(limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
      const r = await sql<OutboxRow>`
        UPDATE webhook_outbox o SET next_at = now() + make_interval(secs => ${leaseSeconds}::float8)
        WHERE o.id IN (
          SELECT id FROM webhook_outbox
          WHERE delivered_at IS NULL AND failed_at IS NULL AND next_at <= now()
          ORDER BY next_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.case_id, o.target, o.payload, o.attempts`.execute(db);
      return r.rows
        .map((x) => ({ ...x, id: Number(x.id), payload: typeof x.payload === 'string' ? JSON.parse(x.payload) : x.payload }))
        .sort((a, b) => a.id - b.id);
    },
    async markDelivered(id: number): Promise<void> {
      await sql`UPDATE webhook_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ${id}`.execute(db);
    },
    async markFailed(id: number, error: string, retryInSeconds: number | null): Promise<void> {
      if (retryInSeconds === null) {
        await sql`UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ${error}, failed_at = now() WHERE id = ${id}`.execute(db);
      } else {
        await sql`UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ${error},
                    next_at = now() + make_interval(secs => ${retryInSeconds}::float8) WHERE id = ${id}`.execute(db);
      }
    },
  };
}

export type IntakeRepository = ReturnType<typeof createIntakeRepository>;
