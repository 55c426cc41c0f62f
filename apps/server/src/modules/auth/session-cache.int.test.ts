import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { SESSION_CACHE_MS } from './auth.service.js';

/**
 * A session read is reused for SESSION_CACHE_MS: this process's own writes to the auth tables apply to the very
 * next request, another process's within SESSION_CACHE_MS.
 */
describe('session reads reused for a second', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  const me = (s: Awaited<ReturnType<TestApp['login']>>) => t.as(s, { method: 'GET', url: '/api/auth/session' });
  const userId = async (username: string) =>
    (await t.database.db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  it('a session revoked by SQL in this process is refused on the next request', async () => {
    const s = await t.login('jd_liuyin');
    expect((await me(s)).statusCode).toBe(200);
    await sql`UPDATE user_session SET revoked_at = now() WHERE user_id = ${await userId('jd_liuyin')}`.execute(t.database.db);
    const after = await me(s);
    expect([after.statusCode, after.json().error.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
  });

  it('a new name, role or disabled account in this process applies to the next request', async () => {
    const s = await t.login('jd_quancheng');
    expect((await me(s)).json().me.displayName).not.toBe('改名测试');
    const id = await userId('jd_quancheng');
    await t.database.db.updateTable('app_user').set({ display_name: '改名测试' }).where('id', '=', id).execute();
    expect((await me(s)).json().me.displayName).toBe('改名测试');
    await t.database.db.updateTable('app_user').set({ disabled: true }).where('id', '=', id).execute();
    expect((await me(s)).statusCode).toBe(401);
  });

  it('a revocation by another process applies within SESSION_CACHE_MS (PostgreSQL: a second connection)', async () => {
    if (t.dbConfig.engine !== 'postgres') return; // PGlite is one process: there is no other writer
    const s = await t.login('sq_baotuquan');
    const other = new pg.Client({ connectionString: t.dbConfig.url });
    await other.connect();
    try {
      expect((await me(s)).statusCode).toBe(200);
      const at = performance.now();
      await other.query('UPDATE user_session SET revoked_at = now() WHERE user_id = $1', [await userId('sq_baotuquan')]);
      const soon = await me(s);
      // Still the reused read, unless this machine took longer than the cache's lifetime to get here.
      if (performance.now() - at < SESSION_CACHE_MS / 2) expect(soon.statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 50));
      expect((await me(s)).statusCode).toBe(401);
    } finally {
      await other.end();
    }
  });
});
