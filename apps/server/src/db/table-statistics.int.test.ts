import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { startJobs } from '../jobs/index.js';
import { startTableStatisticsJob } from '../jobs/table-statistics.job.js';
import { analyzeStaleTables } from './table-statistics.js';

/** Planner statistics through analyze_stale_tables(): PGlite has no autovacuum, and ANALYZE is for the owner. */
describe('stale table statistics', () => {
  let t: TestDatabase;
  const reltuples = async () =>
    Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE relname = 'stats_probe'`.execute(t.database.db)).rows[0]?.n);

  beforeAll(async () => {
    t = await createTestDatabase();
    // Owned by the owner like every table; autovacuum off so that PostgreSQL's daemon cannot analyze it meanwhile.
    await t.database.ownerQuery(`
      CREATE TABLE stats_probe (id int PRIMARY KEY, label text) WITH (autovacuum_enabled = false);
      GRANT SELECT, INSERT ON stats_probe TO PUBLIC;
      INSERT INTO stats_probe SELECT i, 'row ' || i FROM generate_series(1, 5000) AS i;`);
  });
  afterAll(async () => {
    await t.database.ownerQuery('DROP TABLE IF EXISTS stats_probe');
    await t.cleanup();
  });

  it('the application role cannot ANALYZE a table itself: the statement is skipped with a warning', async () => {
    await sql`ANALYZE stats_probe`.execute(t.database.db);
    expect(await reltuples()).toBe(-1);
  });

  it('analyzes a never-analyzed table, then only once its size has moved by a tenth', async () => {
    expect(await analyzeStaleTables(t.database.db, ['stats_probe'])).toEqual(['stats_probe']);
    expect(await reltuples()).toBe(5000);
    expect(await analyzeStaleTables(t.database.db, ['stats_probe'])).toEqual([]);

    await sql`INSERT INTO stats_probe SELECT i, 'row ' || i FROM generate_series(5001, 10000) AS i`.execute(t.database.db);
    expect(await analyzeStaleTables(t.database.db, ['stats_probe'])).toEqual(['stats_probe']);
    expect(await reltuples()).toBeGreaterThan(9500);

    // A hundred rows more is not a tenth: the statistics stay.
    await sql`INSERT INTO stats_probe SELECT i, 'row ' || i FROM generate_series(10001, 10100) AS i`.execute(t.database.db);
    expect(await analyzeStaleTables(t.database.db, ['stats_probe'])).toEqual([]);
  });

  it('leaves the tables of extensions (PostGIS spatial_ref_sys) to their owner', async () => {
    expect(await analyzeStaleTables(t.database.db, ['spatial_ref_sys'])).toEqual([]);
    expect(await analyzeStaleTables(t.database.db)).not.toContain('spatial_ref_sys');
  });

  it('the job analyzes the tables that grew when it runs', async () => {
    await sql`INSERT INTO stats_probe SELECT i, 'row ' || i FROM generate_series(10101, 20000) AS i`.execute(t.database.db);
    const logged: unknown[] = [];
    const job = startTableStatisticsJob({ db: t.database.db, log: { info: (o: unknown) => logged.push(o), error: () => {} }, intervalMs: 3_600_000 });
    await job.run();
    await job.stop();
    expect(await reltuples()).toBeGreaterThan(19000);
    expect(logged).toContainEqual({ analyzed: expect.arrayContaining(['stats_probe']) });
  });

  it("the server's jobs refresh statistics on PGlite only (PostgreSQL's autovacuum does it there)", async () => {
    await t.database.ownerQuery(`
      CREATE TABLE stats_probe_jobs (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
      INSERT INTO stats_probe_jobs SELECT generate_series(1, 3000);`);
    const probe = async () =>
      Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE relname = 'stats_probe_jobs'`.execute(t.database.db)).rows[0]?.n);
    const silent = { info: () => {}, error: () => {}, warn: () => {}, debug: () => {}, child: () => silent } as unknown as Parameters<
      typeof startJobs
    >[0]['log'];
    const jobs = startJobs({ database: t.database, log: silent });
    try {
      // The statistics job runs once at start; give it (and on PostgreSQL, nothing) time to finish.
      for (let i = 0; i < 50 && (await probe()) < 0; i++) await new Promise((r) => setTimeout(r, 100));
      if (t.database.engine === 'pglite') expect(await probe()).toBe(3000);
      else expect(await probe()).toBe(-1);
    } finally {
      await jobs.stop();
      await t.database.ownerQuery('DROP TABLE stats_probe_jobs');
    }
  });
});
