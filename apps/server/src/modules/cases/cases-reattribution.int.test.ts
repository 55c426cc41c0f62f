import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { createTestCommunity, polygon, rect, X0, XM, Y0, Y1, YM } from '../adjustments/adjustments.fixtures.js';
import { createAdjustmentsRepository } from '../adjustments/adjustments.repository.js';
import { createAdjustmentsService } from '../adjustments/adjustments.service.js';
import { addDays, todayInChina } from '../adjustments/dates.js';
import { reattributionRegistry } from '../adjustments/reattribution.registry.js';
import { createAuditRepository } from '../audit/audit.repository.js';
import { type CaseFixtures, caseFixtures, newCase } from './cases.fixtures.js';

describe('cases follow a grid adjustment: open ones move to the new grid by their point, closed ones stay', () => {
  let t: TestApp;
  let fx: CaseFixtures;
  beforeAll(async () => {
    t = await createTestApp();
    fx = await caseFixtures(t.database.db);
  });
  afterAll(() => t.close());

  it('moves an open case of a split grid into the new north grid, keeps the closed one and the region', async () => {
    const db = t.database.db;
    expect(reattributionRegistry.list().map((r) => r.type)).toContain('case');
    const c = await createTestCommunity(db, { code: '370118001091' });
    const at = (lng: number, lat: number) => ({ regionId: c.id, regionPath: c.path, gridId: c.west.id, point: { lng, lat } });
    const open = (await newCase(fx, { over: at(118.505, 37.508) })).case;
    const closed = (await newCase(fx, { over: at(118.506, 37.507) })).case;
    await db.updateTable('event_case').set({ status: 'closed', stage: null, closed_at: new Date() }).where('id', '=', closed.id).execute();

    const station = await t.login(c.stationUser.username);
    const street = await t.login('jd_quancheng');
    const created = await t.as(station, {
      method: 'POST',
      url: '/api/grid-adjustments',
      payload: {
        communityId: c.id,
        kind: 'split',
        reason: '西网格人口增加超过 20%，拆分为南北两个网格',
        sourceGridIds: [c.west.id],
        proposal: [
          { name: '西北网格', gridType: '01', geometry: polygon(rect(X0, YM, XM, Y1)) },
          { name: '西南网格', gridType: '01', geometry: polygon(rect(X0, Y0, XM, YM)) },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await t.as(station, { method: 'POST', url: `/api/grid-adjustments/${id}/submit` })).statusCode).toBe(200);
    const approved = await t.as(street, {
      method: 'POST',
      url: `/api/grid-adjustments/${id}/review`,
      payload: { decision: 'approve', note: '同意', noticeDays: 3 },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const svc = createAdjustmentsService({ repo: createAdjustmentsRepository(db), audit: createAuditRepository(db), registry: reattributionRegistry });
    const due = await svc.applyDue(addDays(todayInChina(), 3));
    expect(due.applied.find((a) => a.id === id)).toBeTruthy();

    const rows = await db
      .selectFrom('event_case')
      .innerJoin('grid', 'grid.id', 'event_case.grid_id')
      .select(['event_case.id', 'grid.name', 'event_case.region_id', 'event_case.region_path'])
      .where('event_case.id', 'in', [open.id, closed.id])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(open.id)).toMatchObject({ name: '西北网格', region_id: c.id, region_path: c.path });
    expect(byId.get(closed.id)).toMatchObject({ name: '西网格', region_id: c.id });
  });
});
