import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { listMigrations, migrate } from './migrate.js';

describe('database foundation', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.cleanup());

  it('has every migration applied and re-running applies nothing', async () => {
    const r = await migrate(t.database);
    expect(r.applied).toEqual([]);
    expect(r.current).toBe(listMigrations().at(-1)?.version);
  });

  it('has PostGIS and pg_trgm working', async () => {
    const r = await sql<{
      area: number;
      sim: number;
    }>`SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')) AS area, similarity('趵突泉社区', '趵突泉') AS sim`.execute(t.database.db);
    expect(r.rows[0]?.area).toBe(100);
    expect(r.rows[0]?.sim).toBeGreaterThan(0.3);
  });

  it('refuses to update, delete or truncate the audit log, and the app works as gridgov_app', async () => {
    const { db } = t.database;
    await db.insertInto('audit_log').values({ action: 'test.append', outcome: 'ok' }).execute();
    await expect(db.updateTable('audit_log').set({ action: 'rewritten' }).execute()).rejects.toThrow();
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow();
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow();
    const n = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'test.append')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const who = await sql<{ u: string }>`SELECT current_user AS u`.execute(db);
    expect(who.rows[0]?.u).toBe('gridgov_app');
  });

  it('rejects a region code that is not 6 or 12 digits at the database level too', async () => {
    await expect(t.database.db.insertInto('region').values({ level: 'district', code: '37011', name: 'x', path: '/x/' }).execute()).rejects.toThrow();
  });
});
