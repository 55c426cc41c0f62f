import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './client.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant: serialises migrators when several processes start against one PostgreSQL.
const LOCK_KEY = 7_312_026;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = NAME.exec(file);
      if (!m) throw new Error(`migration file name must be YYYYMMDDHHMMSS_name.sql: ${file}`);
      return { version: m[1] as string, name: m[2] as string, sql: readFileSync(path.join(dir, file), 'utf8') };
    });
}

export interface MigrateResult {
  applied: string[];
  current: string | null;
}

/** Applies pending migrations in order, each in its own transaction. Forward-only. */
export async function migrate(database: Database, migrations = listMigrations()): Promise<MigrateResult> {
  await database.ownerQuery(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set((await appliedVersions(database)).map((r) => r.version));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    const lock = database.engine === 'postgres' ? `SELECT pg_advisory_xact_lock(${LOCK_KEY});` : '';
    // The guard makes a migration that another process applied meanwhile a no-op, not a failure.
    const script = `BEGIN;
${lock}
DO $$ BEGIN IF EXISTS (SELECT 1 FROM schema_migrations WHERE version = '${m.version}') THEN
  RAISE EXCEPTION 'gridgov:already-applied'; END IF; END $$;
${m.sql}
;
INSERT INTO schema_migrations (version, name) VALUES ('${m.version}', '${m.name}');
COMMIT;`;
    try {
      await database.ownerQuery(script);
      applied.push(m.version);
    } catch (err) {
      await database.ownerQuery('ROLLBACK').catch(() => {});
      if (String((err as Error).message).includes('gridgov:already-applied')) continue;
      throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
    }
  }
  const all = await appliedVersions(database);
  return { applied, current: all.at(-1)?.version ?? null };
}

async function appliedVersions(database: Database) {
  return (await database.ownerQuery('SELECT version FROM schema_migrations ORDER BY version')) as { version: string }[];
}

/** The newest applied migration, read through the application's own connection. */
export async function currentVersion(database: Database): Promise<string | null> {
  const r = await sql<{ version: string }>`SELECT max(version) AS version FROM schema_migrations`.execute(database.db);
  return r.rows[0]?.version ?? null;
}
