import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { PREPARED } from './prepared-statements.js';

/** Hot statements marked PREPARED run as named prepared statements on PostgreSQL; PGlite takes them as plain SQL. */
describe('prepared statements', () => {
  let t: TestDatabase;
  const ours = <R extends { name: string }>(rows: R[]) => rows.filter((r) => r.name.startsWith('gg_'));

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.database.ownerQuery(`
      CREATE TABLE prepared_probe (a int PRIMARY KEY);
      GRANT SELECT, INSERT ON prepared_probe TO PUBLIC;
      INSERT INTO prepared_probe VALUES (1), (2);`);
  });
  afterAll(async () => {
    await t.database.ownerQuery('DROP TABLE IF EXISTS prepared_probe');
    await t.cleanup();
  });

  it('a marked statement is prepared once per connection under a name from its text; an unmarked one is not', async () => {
    const db = t.database.db;
    const found = await db.transaction().execute(async (trx) => {
      const answers: number[] = [];
      for (const n of [1, 2, 1]) {
        const r = await sql<{ a: number }>`${sql.raw(PREPARED)} SELECT a FROM prepared_probe WHERE a = ${n}`.execute(trx);
        answers.push(r.rows[0]?.a as number);
      }
      await sql`SELECT a FROM prepared_probe WHERE a = ${2} AND true`.execute(trx);
      const list = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(trx);
      return { answers, list: ours(list.rows) };
    });
    expect(found.answers).toEqual([1, 2, 1]);
    if (t.database.engine === 'postgres') {
      // One statement on this connection for the three calls, none for the unmarked query.
      expect(found.list).toHaveLength(1);
      expect(found.list[0]?.name).toMatch(/^gg_[0-9a-f]{24}$/);
      expect(found.list[0]?.statement).toContain('FROM prepared_probe WHERE a = $1');
    } else {
      expect(found.list).toEqual([]);
    }
  });

  it('after a schema change under a prepared statement, the connection is dropped and the next call prepares afresh', async () => {
    const db = t.database.db;
    const run = () => sql<Record<string, unknown>>`${sql.raw(PREPARED)} SELECT * FROM prepared_probe WHERE a = ${1}`.execute(db);
    // Prepared on every pooled connection the calls happen to use.
    await Promise.all(Array.from({ length: 8 }, run));
    await t.database.ownerQuery('ALTER TABLE prepared_probe ADD COLUMN b text');
    let failures = 0;
    let last: Record<string, unknown> | undefined;
    for (let i = 0; i < 12 && !last; i++) {
      try {
        last = (await run()).rows[0];
      } catch (err) {
        // "cached plan must not change result type": once per connection that held the old statement.
        expect((err as { code?: string }).code).toBe('0A000');
        failures++;
      }
    }
    expect(last).toEqual({ a: 1, b: null });
    if (t.database.engine === 'pglite') expect(failures).toBe(0);
    else {
      expect(failures).toBeGreaterThanOrEqual(1);
      expect(failures).toBeLessThanOrEqual(5); // the test pool's size
    }
  });
});
