import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';

describe('the embedded engine under concurrent use', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.cleanup());

  it('keeps concurrent transactions apart: one rolled back leaves no trace, the others commit', async () => {
    const { db } = t.database;
    const run = (name: string, fail: boolean) =>
      db
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('audit_log')
            .values({ action: `mutex.${name}`, outcome: 'ok' })
            .execute();
          const seen = (await trx.selectFrom('audit_log').select('action').where('action', 'like', 'mutex.%').execute()).map((r) => r.action);
          expect(seen).toContain(`mutex.${name}`);
          // b rolls back: no other transaction ever sees its row.
          if (name !== 'b') expect(seen).not.toContain('mutex.b');
          if (fail) throw new Error('roll back');
        })
        .catch(() => undefined);
    await Promise.all([run('a', false), run('b', true), run('c', false)]);
    const rows = await db.selectFrom('audit_log').select('action').where('action', 'like', 'mutex.%').orderBy('action').execute();
    expect(rows.map((r) => r.action)).toEqual(['mutex.a', 'mutex.c']);
  });

  it.runIf(!process.env.DATABASE_URL)('fails, instead of hanging, when a query uses db inside a transaction', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { db } = t.database;
      const outcome = db.transaction().execute(async () => {
        const inner = sql`select 1`.execute(db);
        inner.catch(() => undefined); // handled below; keeps the rejection from counting as unhandled meanwhile
        await vi.advanceTimersByTimeAsync(21_000);
        return inner;
      });
      await expect(outcome).rejects.toThrow(/instead of the transaction/);
      // The session is free again afterwards.
      const r = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(r.rows[0]?.one).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
