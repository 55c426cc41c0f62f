import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import type { QueryResult } from 'pg';
import type { Config } from '../config.js';
import { AuthWritesPlugin, bumpAuthEpoch } from './auth-writes.js';
import { PGliteDialect } from './pglite-dialect.js';
import { withPreparedStatements } from './prepared-statements.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /**
   * Runs SQL as the schema owner, outside the app role, and returns the last statement's rows.
   * For migrations only: on PostgreSQL it uses its own connection so the pool never sees the owner.
   */
  ownerQuery(script: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

// Same JS shapes on both engines: int8 → number (ids and counts stay below 2^53), date → 'YYYY-MM-DD'.
const INT8 = 20;
const DATE = 1082;

/**
 * The application works as `gridgov_app` when the migrations could create that role: it owns no
 * table, so the grants (not only the trigger) keep it from rewriting the audit log.
 */
const DROP_TO_APP_ROLE = `DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app')
     AND pg_has_role(current_user, 'gridgov_app', 'MEMBER') THEN
    SET ROLE gridgov_app;
  END IF;
END $$`;

export async function openDatabase(cfg: Config['db']): Promise<Database> {
  if (cfg.engine === 'postgres') {
    // Loaded only here: the embedded engine does not pay for the pg driver at start-up.
    const { default: pg } = await import('pg');
    pg.types.setTypeParser(INT8, (v) => Number(v));
    pg.types.setTypeParser(DATE, (v) => v);
    // jit off: LLVM compilation added 17–24 ms to the queue's and the indicators' larger plans (bench/cases.bench.ts,
    // EXPLAIN ANALYZE at 5 M cases), more than it saved; this is an OLTP workload of short queries.
    const pool = new pg.Pool({ connectionString: cfg.url, max: cfg.poolSize, options: '-c jit=off' });
    // An idle connection the server ends (restart, failover, pg_terminate_backend) is reported here;
    // the pool drops it and opens a new one when needed. Unhandled, the event would end the process.
    pool.on('error', () => {});
    // pg queues queries per client, so this runs before the first query on each new connection.
    pool.on('connect', (client) => {
      client.query(DROP_TO_APP_ROLE).catch(() => {});
    });
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: cfg.preparedStatements === false ? pool : withPreparedStatements(pool) }),
      plugins: [new AuthWritesPlugin()],
    });
    return {
      db,
      engine: 'postgres',
      async ownerQuery(script) {
        bumpAuthEpoch();
        // A dedicated connection, never pooled: it keeps the owner's rights.
        const client = new pg.Client({ connectionString: cfg.url });
        await client.connect();
        try {
          const res = (await client.query(script)) as unknown as QueryResult | QueryResult[];
          const last = Array.isArray(res) ? res.at(-1) : res;
          return (last?.rows ?? []) as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      },
      async close() {
        await db.destroy();
      },
    };
  }

  mkdirSync(cfg.dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const lite = await PGlite.create(cfg.dataDir, {
    extensions: { postgis, pg_trgm },
    parsers: { [DATE]: (v: string) => v },
  });
  await lite.exec(DROP_TO_APP_ROLE);
  const db = new Kysely<DB>({ dialect: new PGliteDialect(lite), plugins: [new AuthWritesPlugin()] });
  return {
    db,
    engine: 'pglite',
    async ownerQuery(script) {
      bumpAuthEpoch();
      // PGlite is one session: step up to the owner for the script, then back down.
      await lite.exec('RESET ROLE');
      try {
        const res = await lite.exec(script);
        return (res.at(-1)?.rows ?? []) as Record<string, unknown>[];
      } finally {
        await lite.exec(DROP_TO_APP_ROLE);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
