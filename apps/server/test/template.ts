import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { seedDemo } from '../src/seed/demo.js';
import { testPii } from './test-key.js';

/**
 * One prepared database per test run — migrated and seeded with the demo district — copied for each
 * test file: a fresh PGlite with PostGIS takes ~14 s here, a copy of a prepared one ~3 s; on
 * PostgreSQL `CREATE DATABASE … TEMPLATE` takes well under a second.
 */
export const TMP = path.join(repoRoot, '.tmp');
const PGLITE_TEMPLATE = path.join(TMP, 'pglite-template');

/** Changes to migrations or the seed invalidate the cached PGlite template. */
function fingerprint(): string {
  const h = createHash('sha256');
  const dirs = [path.join(repoRoot, 'apps/server/src/db/migrations'), path.join(repoRoot, 'apps/server/src/seed')];
  for (const dir of dirs) for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 16);
}

export function adminUrl(url: string, dbName = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  return u.toString();
}

export async function preparePgliteTemplate(): Promise<string> {
  const fp = fingerprint();
  const stamp = path.join(PGLITE_TEMPLATE, 'fingerprint');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fp) return PGLITE_TEMPLATE;
  const building = `${PGLITE_TEMPLATE}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const database = await openDatabase({ engine: 'pglite', dataDir: path.join(building, 'pg') });
  await migrate(database);
  await seedDemo(database.db, testPii);
  await database.close();
  writeFileSync(path.join(building, 'fingerprint'), fp);
  rmSync(PGLITE_TEMPLATE, { recursive: true, force: true });
  renameSync(building, PGLITE_TEMPLATE);
  return PGLITE_TEMPLATE;
}

export async function preparePostgresTemplate(url: string): Promise<string> {
  const name = `gridgov_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ engine: 'postgres', url: adminUrl(url, name), poolSize: 2 });
  await migrate(database);
  await seedDemo(database.db, testPii);
  await database.close();
  return name;
}

export function copyPgliteTemplate(template: string, target: string) {
  rmSync(target, { recursive: true, force: true });
  cpSync(template, target, { recursive: true });
}
