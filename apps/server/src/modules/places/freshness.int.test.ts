import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { createTestCommunity, type TestCommunity } from '../adjustments/adjustments.fixtures.js';

/** Freshness (B15): verification tasks and the verified share per grid; automatic adjustment triggers (A18). */
describe('freshness and adjustment triggers', () => {
  let t: TestApp;
  let c: TestCommunity;
  let station: TestSession;
  let center: TestSession;

  const addPersons = async (gridId: string, n: number, verifiedDaysAgo: number | null = null) => {
    const rows = Array.from({ length: n }, (_, i) => ({
      name: `测试居民${i}`,
      doc_type: 'other' as const,
      population_type: 'registered' as const,
      grid_id: gridId,
      verified_at: verifiedDaysAgo === null ? null : sql<Date>`now() - make_interval(days => ${verifiedDaysAgo}::int)`,
    }));
    await t.database.db.insertInto('person').values(rows).execute();
  };
  const house = async (gridId: string, key: string, verifiedDaysAgo: number | null) => {
    const r = await sql<{ id: string }>`INSERT INTO house (grid_id, address, address_key, use, verified_at)
      VALUES (${gridId}, ${`测试地址${key}`}, ${`fresh-${key}`}, 'residential',
              ${verifiedDaysAgo === null ? null : sql`now() - make_interval(days => ${verifiedDaysAgo}::int)`}) RETURNING id`.execute(t.database.db);
    return (r.rows[0] as { id: string }).id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    c = await createTestCommunity(t.database.db, { code: '370118001078' });
    station = await t.login(c.stationUser.username);
    center = await t.login('qu_zhongxin');
  });
  afterAll(() => t.close());

  it('lists never-verified and stale records of the caller’s grids as tasks, never-verified first', async () => {
    const fresh = await house(c.west.id, 'a', 10);
    const old = await house(c.west.id, 'b', 200);
    const never = await house(c.west.id, 'c', null);
    await addPersons(c.west.id, 1, null);
    const res = await t.as(station, { method: 'GET', url: `/api/registry/verification-tasks?gridId=${c.west.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    const ids = body.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(fresh);
    expect(ids).toContain(old);
    expect(ids.indexOf(never)).toBeLessThan(ids.indexOf(old));
    expect(body.items.find((i: { kind: string }) => i.kind === 'person')).toMatchObject({ label: '测试居民0', verifiedAt: null, gridCode: c.west.code });
    const housesOnly = await t.as(station, { method: 'GET', url: `/api/registry/verification-tasks?gridId=${c.west.id}&kind=house` });
    expect(housesOnly.json().items.map((i: { id: string }) => i.id)).toEqual([never, old]);
    // Outside the caller's view: 404, not an empty list.
    const elsewhere = await t.login('wgy_daminghu');
    expect((await t.as(elsewhere, { method: 'GET', url: `/api/registry/verification-tasks?gridId=${c.west.id}` })).statusCode).toBe(404);
  });

  it('reports the verified share per grid against the configured age and the 98 % goal', async () => {
    const res = await t.as(station, { method: 'GET', url: `/api/registry/freshness?regionId=${c.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ maxAgeDays: 180, goal: 0.98 });
    expect(r.rows).toEqual([
      { gridId: c.west.id, gridCode: c.west.code, gridName: '西网格', records: 4, verified: 1, share: 0.25 },
      { gridId: c.east.id, gridCode: c.east.code, gridName: '东网格', records: 0, verified: 0, share: null },
    ]);
    // A longer age makes the 200-day-old check count.
    await sql`UPDATE app_setting SET value = '365'::jsonb WHERE key = 'registry.freshness_days'`.execute(t.database.db);
    try {
      const longer = (await t.as(station, { method: 'GET', url: `/api/registry/freshness?regionId=${c.id}` })).json();
      expect(longer.maxAgeDays).toBe(365);
      expect(longer.rows[0]).toMatchObject({ records: 4, verified: 2, share: 0.5 });
    } finally {
      await sql`UPDATE app_setting SET value = '180'::jsonb WHERE key = 'registry.freshness_days'`.execute(t.database.db);
    }
  });

  it('raises a population-change trigger beyond 20 % of the baseline, keeps a dismissal, re-raises on a further change, resolves itself', async () => {
    const db = t.database.db;
    await db.updateTable('grid').set({ baseline_population: 10 }).where('id', '=', c.east.id).execute();
    await addPersons(c.east.id, 13);
    const openOf = async () =>
      (await t.as(center, { method: 'GET', url: `/api/adjustment-triggers?regionId=${c.id}` }))
        .json()
        .items.filter((x: { kind: string; gridId: string }) => x.kind === 'population_change' && x.gridId === c.east.id);

    const scan = await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json().gridsChecked).toBeGreaterThan(0);
    let open = await openOf();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      gridCode: c.east.code,
      details: { baseline: 10, current: 13, change: 0.3 },
      message: { zh: '网格人口较基数变化 +30%（基数 10，现 13）' },
    });
    // The west grid has no baseline: nothing to compare.
    expect(
      (await t.as(center, { method: 'GET', url: `/api/adjustment-triggers?regionId=${c.id}` }))
        .json()
        .items.some((x: { gridId: string }) => x.gridId === c.west.id),
    ).toBe(false);

    // A second scan keeps the one open trigger.
    await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    expect(await openOf()).toHaveLength(1);

    const dismissed = await t.as(center, { method: 'POST', url: `/api/adjustment-triggers/${open[0].id}/dismiss` });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_name', 'details'])
      .where('action', '=', 'adjustment_trigger.dismissed')
      .where('target_id', '=', open[0].id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('qu_zhongxin');
    await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    expect(await openOf()).toHaveLength(0);

    // A further 20 %+ beyond what was dismissed (13 → 16) raises it again.
    await addPersons(c.east.id, 3);
    await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    open = await openOf();
    expect(open).toHaveLength(1);
    expect(open[0].details).toMatchObject({ baseline: 10, current: 16, change: 0.6 });

    // A new baseline brings the grid back within the band: the open trigger closes by itself.
    await db.updateTable('grid').set({ baseline_population: 15 }).where('id', '=', c.east.id).execute();
    await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    expect(await openOf()).toHaveLength(0);

    // A registry far below the baseline is still being collected: no "population fell 99 %" trigger.
    await db.updateTable('grid').set({ baseline_population: 100 }).where('id', '=', c.west.id).execute();
    const partial = await t.as(center, { method: 'POST', url: '/api/adjustment-triggers/scan' });
    expect(partial.json().uncollected).toBeGreaterThan(0);
    const west = (await t.as(center, { method: 'GET', url: `/api/adjustment-triggers?regionId=${c.id}` })).json().items;
    expect(west.some((x: { gridId: string }) => x.gridId === c.west.id)).toBe(false);

    // The station may read triggers but not dismiss them or scan.
    expect((await t.as(station, { method: 'POST', url: '/api/adjustment-triggers/scan' })).statusCode).toBe(403);
  });
});
