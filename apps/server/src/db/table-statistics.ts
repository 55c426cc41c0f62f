import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

/**
 * ANALYZEs the tables whose size moved by more than a tenth since their last statistics, or that never had any
 * (all of the application's tables, or only `tables`); returns the names analyzed. Through a SECURITY DEFINER
 * function (migration 20261203130000), since ANALYZE is for the owner and the application runs as its own role.
 * PGlite needs it: it has no autovacuum, so without this its planner never has statistics.
 */
export async function analyzeStaleTables(db: Kysely<DB>, tables: readonly string[] | null = null): Promise<string[]> {
  const r = await sql<{ done: string[] }>`SELECT analyze_stale_tables(${tables ? sql`${[...tables]}::text[]` : sql`NULL`}) AS done`.execute(db);
  return r.rows[0]?.done ?? [];
}
