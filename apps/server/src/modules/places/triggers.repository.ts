import type { AdjustmentTriggerDetails, AdjustmentTriggerKind } from '@gridgov/contracts/adjustments';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';

export interface TriggerRow {
  id: string;
  grid_id: string;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
  region_path: string;
  kind: AdjustmentTriggerKind;
  details: AdjustmentTriggerDetails | string;
  detected_at: Date | string;
  dismissed_at: Date | string | null;
}

export interface PopulationCount {
  grid_id: string;
  baseline: number;
  current: number;
}

/** Every scan (job or manual) takes this lock, so two processes never scan at once. */
const SCAN_LOCK = 'gridgov.adjustment_trigger.scan';

export function createTriggersRepository(db: Kysely<DB>) {
  const select = sql`SELECT t.id, t.grid_id, g.code AS grid_code, g.name AS grid_name, c.id AS community_id, c.name AS community_name,
      c.path AS region_path, t.kind, t.details, t.detected_at, t.dismissed_at
    FROM adjustment_trigger t JOIN grid g ON g.id = t.grid_id JOIN region c ON c.id = g.community_id`;
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** False when another process is scanning right now (transaction-scoped advisory lock). */
    async tryScanLock(trx: Kysely<DB>): Promise<boolean> {
      const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${SCAN_LOCK})) AS ok`.execute(trx);
      return r.rows[0]?.ok === true;
    },

    /** Open triggers (neither dismissed nor taken up by an adjustment) of grids under `paths` (null: all). */
    async listOpen(paths: readonly string[] | null, trx: Kysely<DB> = db): Promise<TriggerRow[]> {
      const where = paths === null ? sql`` : sql`AND ${inSubtrees('c.path', paths)}`;
      const r = await sql<TriggerRow>`${select} WHERE t.dismissed_at IS NULL AND t.adjustment_id IS NULL ${where}
        ORDER BY t.detected_at DESC, t.id LIMIT 500`.execute(trx);
      return r.rows;
    },

    async get(id: string, trx: Kysely<DB> = db): Promise<TriggerRow | undefined> {
      const r = await sql<TriggerRow>`${select} WHERE t.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async dismiss(id: string, userId: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('adjustment_trigger').set({ dismissed_at: sql`now()`, dismissed_by: userId }).where('id', '=', id).execute();
    },

    /** One open trigger per key place (the partial unique index drops a second one). */
    async raiseNewKeyPlace(gridId: string, details: AdjustmentTriggerDetails, trx: Kysely<DB>): Promise<boolean> {
      const r = await sql`INSERT INTO adjustment_trigger (grid_id, kind, details) VALUES (${gridId}, 'new_key_place', ${JSON.stringify(details)}::jsonb)
        ON CONFLICT DO NOTHING RETURNING id`.execute(trx);
      return r.rows.length > 0;
    },

    /** Key places created in the last `days` days that never raised a trigger (e.g. written by an import). */
    async keyPlacesWithoutTrigger(paths: readonly string[] | null, days: number, trx: Kysely<DB>) {
      const where = paths === null ? sql`` : sql`AND ${inSubtrees('c.path', paths)}`;
      const r = await sql<{ id: string; grid_id: string; name: string; warning_level: string }>`
        SELECT k.id, k.grid_id, k.name, k.warning_level FROM key_place k
        JOIN grid g ON g.id = k.grid_id AND g.valid_to IS NULL JOIN region c ON c.id = g.community_id
        WHERE k.created_at > now() - make_interval(days => ${days}::int) ${where}
          AND NOT EXISTS (SELECT 1 FROM adjustment_trigger t WHERE t.kind = 'new_key_place' AND t.details->>'keyPlaceId' = k.id::text)`.execute(trx);
      return r.rows;
    },

    /** Current grids with a population baseline and their count of active registered persons. */
    async populationCounts(paths: readonly string[] | null, trx: Kysely<DB>): Promise<PopulationCount[]> {
      const where = paths === null ? sql`` : sql`AND ${inSubtrees('c.path', paths)}`;
      const r = await sql<PopulationCount>`
        SELECT g.id AS grid_id, g.baseline_population AS baseline, coalesce(n.n, 0)::int AS current
        FROM grid g JOIN region c ON c.id = g.community_id
        LEFT JOIN (SELECT grid_id, count(*) AS n FROM person WHERE status = 'active' GROUP BY grid_id) n ON n.grid_id = g.id
        WHERE g.valid_to IS NULL AND g.baseline_population > 0 ${where}`.execute(trx);
      return r.rows;
    },

    async openPopulation(gridIds: readonly string[], trx: Kysely<DB>) {
      if (gridIds.length === 0) return [];
      const r = await sql<{ id: string; grid_id: string }>`SELECT id, grid_id FROM adjustment_trigger
        WHERE kind = 'population_change' AND dismissed_at IS NULL AND adjustment_id IS NULL AND grid_id = ANY(${sql.val([...gridIds])}::uuid[])`.execute(trx);
      return r.rows;
    },

    /** The latest population trigger a person dismissed, per grid. */
    async lastDismissedPopulation(gridIds: readonly string[], trx: Kysely<DB>) {
      if (gridIds.length === 0) return [];
      const r = await sql<{ grid_id: string; details: AdjustmentTriggerDetails | string }>`
        SELECT DISTINCT ON (grid_id) grid_id, details FROM adjustment_trigger
        WHERE kind = 'population_change' AND dismissed_by IS NOT NULL AND grid_id = ANY(${sql.val([...gridIds])}::uuid[])
        ORDER BY grid_id, dismissed_at DESC`.execute(trx);
      return r.rows;
    },

    async raisePopulation(gridId: string, details: AdjustmentTriggerDetails, trx: Kysely<DB>): Promise<boolean> {
      const r = await sql`INSERT INTO adjustment_trigger (grid_id, kind, details) VALUES (${gridId}, 'population_change', ${JSON.stringify(details)}::jsonb)
        ON CONFLICT DO NOTHING RETURNING id`.execute(trx);
      return r.rows.length > 0;
    },

    async setDetails(id: string, details: AdjustmentTriggerDetails, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE adjustment_trigger SET details = ${JSON.stringify(details)}::jsonb WHERE id = ${id}`.execute(trx);
    },

    /** The condition passed by itself (population back within the band): closed without a person's dismissal. */
    async resolve(id: string, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE adjustment_trigger SET dismissed_at = now() WHERE id = ${id}`.execute(trx);
    },

    async regionPath(regionId: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const r = await trx.selectFrom('region').select('path').where('id', '=', regionId).executeTakeFirst();
      return r?.path;
    },
  };
}
export type TriggersRepository = ReturnType<typeof createTriggersRepository>;
