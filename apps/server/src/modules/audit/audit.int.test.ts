import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';

interface Entry {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  outcome: string;
  regionId: string | null;
  regionName: string | null;
  targetId: string | null;
}

describe('audit search', () => {
  let t: TestApp;
  let admin: TestSession;
  let quancheng: TestSession;
  let liuyin: TestSession;
  const ids: Record<string, string> = {};
  const started = new Date(Date.now() - 1000).toISOString();

  const search = async (s: TestSession, query: string) => {
    const res = await t.as(s, { method: 'GET', url: `/api/audit${query}` });
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return res.json() as { items: Entry[]; total: number };
  };

  beforeAll(async () => {
    t = await createTestApp();
    for (const r of await t.database.db.selectFrom('region').select(['id', 'code']).execute()) ids[r.code] = r.id;
    admin = await t.login('admin');
    quancheng = await t.login('jd_quancheng');
    liuyin = await t.login('jd_liuyin');
    const worker = await t.login('wgy_baotuquan');
    await t.login('wgy_daminghu');
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'wgy_baotuquan', password: 'Wrong-password-1' } });
    // A denied write by a 泉城 grid worker (region-less access.denied row).
    await t.as(worker, { method: 'POST', url: '/api/regions', payload: { parentId: ids['370118001001'], code: '370118001009', name: '新社区' } });
    for (const [parent, code, name] of [
      ['370118001000', '370118001004', '泉韵社区'],
      ['370118002000', '370118002004', '新柳社区'],
    ] as const) {
      const res = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: ids[parent], code, name } });
      expect(res.statusCode).toBe(201);
      ids[code] = res.json().id;
    }
  });
  afterAll(() => t.close());

  it('a system administrator sees every row, newest first, with the total', async () => {
    const page = await search(admin, '');
    expect(page.total).toBeGreaterThanOrEqual(9);
    const times = page.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.items[0]?.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const actors = new Set(page.items.map((e) => e.actorName));
    for (const u of ['admin', 'jd_quancheng', 'jd_liuyin', 'wgy_baotuquan', 'wgy_daminghu']) expect(actors).toContain(u);
    const created = (await search(admin, '?action=region.created')).items;
    expect(created.map((e) => e.regionName)).toEqual(['新柳社区', '泉韵社区']);
  });

  it('a street center sees its own staff’s sign-ins, not the neighbouring street’s', async () => {
    const logins = await search(quancheng, '?action=auth.login&limit=200');
    const actors = new Set(logins.items.map((e) => e.actorName));
    expect(actors).toContain('wgy_baotuquan');
    expect(actors).toContain('jd_quancheng');
    for (const u of ['wgy_daminghu', 'jd_liuyin', 'admin']) expect(actors).not.toContain(u);
    expect(logins.total).toBe(logins.items.length);

    const theirs = new Set((await search(liuyin, '?action=auth.login')).items.map((e) => e.actorName));
    expect(theirs).toContain('wgy_daminghu');
    expect(theirs).not.toContain('wgy_baotuquan');
  });

  it('a street center sees the events of its subtree only, with region names', async () => {
    const mine = (await search(quancheng, '?action=region.created')).items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ actorName: 'admin', regionId: ids['370118001004'], regionName: '泉韵社区' });
    const theirs = (await search(liuyin, '?action=region.created')).items;
    expect(theirs.map((e) => e.regionName)).toEqual(['新柳社区']);
    const district = (await search(await t.login('qu_zhongxin'), '?action=region.created')).items;
    expect(district).toHaveLength(2);
  });

  it('sees a staff member’s failed sign-in and denied access', async () => {
    const failed = (await search(quancheng, '?outcome=failed')).items;
    expect(failed.some((e) => e.action === 'auth.login_failed' && e.actorName === 'wgy_baotuquan')).toBe(true);
    const denied = (await search(quancheng, '?outcome=denied&actor=wgy_baotuquan')).items;
    expect(denied).toEqual([expect.objectContaining({ action: 'access.denied', targetId: 'POST /api/regions' })]);
    expect((await search(liuyin, '?outcome=denied&actor=wgy_baotuquan')).total).toBe(0);
  });

  it('filters by region subtree; a region outside the view scope is not found', async () => {
    const street = await search(quancheng, `?regionId=${ids['370118001000']}`);
    expect(street.items.length).toBeGreaterThan(0);
    expect(street.items.every((e) => e.regionId === ids['370118001004'])).toBe(true);
    const other = await t.as(quancheng, { method: 'GET', url: `/api/audit?regionId=${ids['370118002000']}` });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    const adminOther = await search(admin, `?regionId=${ids['370118002000']}`);
    expect(adminOther.items.map((e) => e.regionName)).toEqual(['新柳社区']);
    const missing = await t.as(admin, { method: 'GET', url: '/api/audit?regionId=00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
  });

  it('filters by actor (case-insensitive), action prefix, outcome and time, and pages', async () => {
    const byActor = await search(admin, '?actor=WGY_BAOTUQUAN');
    expect(byActor.total).toBeGreaterThanOrEqual(3);
    expect(byActor.items.every((e) => e.actorName === 'wgy_baotuquan')).toBe(true);
    expect((await search(admin, '?actor=nobody_here')).total).toBe(0);

    const auth = await search(admin, '?action=auth.*');
    expect(auth.items.length).toBeGreaterThan(0);
    expect(auth.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
    expect((await search(admin, '?action=auth.login&outcome=failed')).total).toBe(0);

    const recent = await search(admin, `?from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(recent.total).toBe((await search(admin, '')).total);
    expect((await search(admin, `?from=${encodeURIComponent('2099-01-01T00:00:00+08:00')}`)).total).toBe(0);

    const first = await search(admin, '?limit=2');
    const second = await search(admin, '?limit=2&offset=2');
    expect(first.items).toHaveLength(2);
    expect(second.total).toBe(first.total);
    expect(second.items.map((e) => e.id)).not.toContain(first.items[0]?.id);
    expect((first.items[1]?.id ?? 0) > (second.items[0]?.id ?? 0)).toBe(true);
  });

  it('shows the name of a deleted region from the deletion record', async () => {
    const del = await t.as(admin, { method: 'DELETE', url: `/api/regions/${ids['370118002004']}` });
    expect(del.statusCode).toBe(200);
    const rows = (await search(liuyin, '?action=region.deleted')).items;
    expect(rows).toEqual([expect.objectContaining({ regionId: ids['370118002004'], regionName: '新柳社区', actorName: 'admin' })]);
    expect((await search(quancheng, '?action=region.deleted')).total).toBe(0);
  });

  it('refuses bad filters with specific codes', async () => {
    const cases: [string, string, string][] = [
      [`?actor=${encodeURIComponent("' or 1=1 --")}`, 'VALIDATION_FAILED', 'query.actor'],
      [`?action=${encodeURIComponent('auth.login; drop table audit_log')}`, 'VALIDATION_FAILED', 'query.action'],
      ['?outcome=maybe', 'VALIDATION_FAILED', 'query.outcome'],
      ['?regionId=abc', 'VALIDATION_FAILED', 'query.regionId'],
      ['?from=yesterday', 'VALIDATION_FAILED', 'query.from'],
      [`?from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`, 'VALIDATION_FAILED', 'query.to'],
      ['?limit=201', 'VALIDATION_FAILED', 'query.limit'],
      ['?sort=at', 'UNKNOWN_FIELD', 'query.sort'],
    ];
    for (const [query, code, path] of cases) {
      const res = await t.as(admin, { method: 'GET', url: `/api/audit${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe(code);
      expect(res.json().error.fields[0].path, query).toBe(path);
    }
  });

  it('is closed to roles without audit.read', async () => {
    for (const u of ['wgy_baotuquan', 'sq_baotuquan', 'bm_chengguan', 'jumin']) {
      const s = await t.login(u);
      for (const url of ['/api/audit', '/api/audit/actions']) {
        const res = await t.as(s, { method: 'GET', url });
        expect(res.statusCode, `${u} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
  });

  it('lists the action keys with labels for the filter', async () => {
    const res = await t.as(quancheng, { method: 'GET', url: '/api/audit/actions' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toContainEqual({ key: 'region.created', zh: '新建区划', en: 'Region created' });
    expect(items).toContainEqual({ key: 'auth.login', zh: '登录', en: 'Sign-in' });
  });
});
