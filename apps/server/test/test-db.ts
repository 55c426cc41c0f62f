import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Config } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { adminUrl, copyPgliteTemplate, TMP } from './template.js';

export interface TestDatabase {
  database: Database;
  dbConfig: Config['db'];
  /** Directory for this test's files (PGlite data, uploads). */
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A private copy of the prepared demo database for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const tpl = inject('dbTemplate');
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataDir = path.join(TMP, 'test', id);
  if (tpl.engine === 'pglite') {
    copyPgliteTemplate(tpl.dir, dataDir);
    const dbConfig = { engine: 'pglite' as const, dataDir: path.join(dataDir, 'pg') };
    const database = await openDatabase(dbConfig);
    return {
      database,
      dbConfig,
      dataDir,
      async cleanup() {
        await database.close().catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `gridgov_t_${id}`;
  const admin = new pg.Client({ connectionString: adminUrl(tpl.url) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.name}`);
  await admin.end();
  const dbConfig = { engine: 'postgres' as const, url: adminUrl(tpl.url, name), poolSize: 5 };
  const database = await openDatabase(dbConfig);
  return {
    database,
    dbConfig,
    dataDir,
    async cleanup() {
      await database.close().catch(() => {});
      const a = new pg.Client({ connectionString: adminUrl(tpl.url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
