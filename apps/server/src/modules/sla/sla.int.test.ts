import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { createSlaScannerFor } from './index.js';
import { insertCase, slaCategory } from './sla.fixtures.js';

/** CST wall time → Date. */
const cst = (s: string) => new Date(`${s}+08:00`);

describe('SLA: the overdue scanner and notifications', () => {
  let t: TestApp;
  let community: { id: string; path: string };
  let units: { station: string; streetCenter: string; districtCenter: string; dept: string };
  let category: { categoryId: string; version: number };
  const scanAt = (at: string) => {
    const db = t.database.db;
    const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: { append: async () => {} } });
    return createSlaScannerFor(db, calendar, () => cst(at)).scan();
  };
  const events = (caseId: string) =>
    t.database.db.selectFrom('event_case_sla_event').select(['level', 'stage']).where('case_id', '=', caseId).orderBy('level', 'desc').execute();
  const notes = (caseId: string) =>
    t.database.db.selectFrom('notification').select(['org_unit_id', 'kind', 'title', 'body']).where('case_id', '=', caseId).orderBy('id').execute();
  const timeline = (caseId: string) =>
    t.database.db.selectFrom('event_case_action').select(['seq', 'action', 'actor_role', 'note']).where('case_id', '=', caseId).orderBy('seq').execute();
  const level = async (caseId: string) =>
    await t.database.db.selectFrom('event_case').select(['sla_level', 'stage_due_at']).where('id', '=', caseId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    community = await regionByCode(db, '370118001001');
    const street = await regionByCode(db, '370118001000');
    const district = await regionByCode(db, '370118');
    const unit = async (regionId: string, kind: 'station' | 'center') =>
      (await db.selectFrom('org_unit').select('id').where('region_id', '=', regionId).where('kind', '=', kind).executeTakeFirstOrThrow()).id;
    const dept = await db.selectFrom('org_unit').select('id').where('name', '=', '区城市管理局').executeTakeFirstOrThrow();
    units = {
      station: await unit(community.id, 'station'),
      streetCenter: await unit(street.id, 'center'),
      districtCenter: await unit(district.id, 'center'),
      dept: dept.id,
    };
    // Handle: 8 working hours (office 08:30–12:00, 13:30–17:30); accept: 2 working hours.
    category = await slaCategory(db, {
      accept: { amount: 2, unit: 'working_hours' },
      dispatch: { amount: 2, unit: 'working_hours' },
      handle: { amount: 8, unit: 'working_hours' },
      verify: { amount: 1, unit: 'working_days' },
    });
  });
  afterAll(() => t.close());

  it('warns yellow at 80 % and red at 100 % of the working-time limit, once each, to the right units', async () => {
    // Dispatched Wed 2026-04-08 09:00: 480 working minutes. Wed gives 180 + 240 = 420; due Thu 09:30.
    // 80 % = 384 min: Wed 13:30 + 204 min = 16:54.
    const id = await insertCase(t.database.db, {
      category,
      region: community,
      status: 'dispatched',
      reportedAt: cst('2026-04-08T08:00:00'),
      stageStartedAt: cst('2026-04-08T09:00:00'),
      stageDueAt: cst('2026-04-09T09:30:00'),
      leadOrgUnitId: units.dept,
    });
    await scanAt('2026-04-08T16:53:00');
    expect(await events(id)).toEqual([]);
    expect((await level(id)).sla_level).toBe('green');

    const y = await scanAt('2026-04-08T16:55:00');
    expect(y.yellow).toBeGreaterThanOrEqual(1);
    expect(await events(id)).toEqual([{ level: 'yellow', stage: 'handle' }]);
    expect((await level(id)).sla_level).toBe('yellow');
    // Yellow: the department handling it.
    const n1 = await notes(id);
    expect(n1).toEqual([expect.objectContaining({ org_unit_id: units.dept, kind: 'sla_yellow' })]);
    expect(n1[0]?.title).toContain('即将超时');
    expect(n1[0]?.body).toContain('2026-04-09 09:30');
    const tl = await timeline(id);
    expect(tl.map((e) => [e.seq, e.action, e.actor_role])).toEqual([
      [1, 'report', null],
      [2, 'sla_warning', 'system'],
    ]);
    expect(tl[1]?.note).toContain('处置阶段即将超时');

    // A second scan (this process or another) at the same time writes nothing.
    await scanAt('2026-04-08T16:56:00');
    expect(await notes(id)).toHaveLength(1);

    // Not yet red one minute before the due time (the night and the morning before 08:30 do not count).
    await scanAt('2026-04-09T09:29:00');
    expect(await events(id)).toHaveLength(1);
    await scanAt('2026-04-09T09:30:00');
    expect(await events(id)).toEqual([
      { level: 'yellow', stage: 'handle' },
      { level: 'red', stage: 'handle' },
    ]);
    expect((await level(id)).sla_level).toBe('red');
    // Red: the department and the dispatcher's center (the street center above the community).
    expect((await notes(id)).slice(1)).toEqual([
      expect.objectContaining({ org_unit_id: units.dept, kind: 'sla_red' }),
      expect.objectContaining({ org_unit_id: units.streetCenter, kind: 'sla_red' }),
    ]);
    expect((await timeline(id)).map((e) => e.action)).toEqual(['report', 'sla_warning', 'sla_warning']);
    await scanAt('2026-04-10T10:00:00');
    expect(await notes(id)).toHaveLength(3);
  });

  it('a case found already overdue gets both levels recorded but one (red) notification set; the station acts before dispatch', async () => {
    // Reported Thu 2026-04-09 10:00, accept limit 2 working hours → due 12:00; scanned at 14:00 for the first time.
    const id = await insertCase(t.database.db, { category, region: community, status: 'reported', reportedAt: cst('2026-04-09T10:00:00') });
    await scanAt('2026-04-09T14:00:00');
    expect(await events(id)).toEqual([
      { level: 'yellow', stage: 'accept' },
      { level: 'red', stage: 'accept' },
    ]);
    expect(await notes(id)).toEqual([
      expect.objectContaining({ org_unit_id: units.station, kind: 'sla_red' }),
      expect.objectContaining({ org_unit_id: units.streetCenter, kind: 'sla_red' }),
    ]);
    expect((await timeline(id)).filter((e) => e.action === 'sla_warning')).toHaveLength(1);
  });

  it('does not warn a suspended case or a closed one, and a new stage run warns afresh', async () => {
    const db = t.database.db;
    const suspended = await insertCase(db, {
      category,
      region: community,
      status: 'handling',
      reportedAt: cst('2026-04-01T09:00:00'),
      leadOrgUnitId: units.dept,
      suspended: true,
    });
    const closed = await insertCase(db, { category, region: community, status: 'closed', reportedAt: cst('2026-04-01T09:00:00'), stageStartedAt: null });
    await scanAt('2026-04-20T10:00:00');
    expect(await events(suspended)).toEqual([]);
    expect(await events(closed)).toEqual([]);

    // Reworked: the handle stage starts again; its own run gets its own warnings.
    const id = await insertCase(db, {
      category,
      region: community,
      status: 'handling',
      reportedAt: cst('2026-04-13T09:00:00'),
      stageStartedAt: cst('2026-04-13T09:00:00'),
      leadOrgUnitId: units.dept,
    });
    await scanAt('2026-04-15T09:00:00');
    expect((await events(id)).map((e) => e.level)).toEqual(['yellow', 'red']);
    await db
      .updateTable('event_case')
      .set({ stage_started_at: cst('2026-04-15T09:00:00'), sla_level: 'green' })
      .where('id', '=', id)
      .execute();
    await scanAt('2026-04-16T09:00:00');
    expect(await events(id)).toHaveLength(3);
    expect((await level(id)).sla_level).toBe('yellow');
  });

  it('a case whose rules cannot be read is skipped and logged; the others are still warned', async () => {
    const db = t.database.db;
    const broken = await slaCategory(db, {} as never);
    const bad = await insertCase(db, { category: broken, region: community, status: 'reported', reportedAt: cst('2026-05-06T09:00:00') });
    const good = await insertCase(db, { category, region: community, status: 'reported', reportedAt: cst('2026-05-06T09:00:00') });
    const logged: unknown[] = [];
    const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: { append: async () => {} } });
    await createSlaScannerFor(
      db,
      calendar,
      () => cst('2026-05-06T15:00:00'),
      (obj) => logged.push(obj),
    ).scan();
    expect(await events(bad)).toEqual([]);
    expect((await events(good)).map((e) => e.level)).toEqual(['yellow', 'red']);
    expect(logged).toEqual([expect.objectContaining({ caseId: bad })]);
  });

  it('re-evaluates open cases when the holiday calendar is corrected: the deadline moves', async () => {
    const db = t.database.db;
    const admin = await t.login('admin');
    // Dispatched Mon 2026-06-08 09:00, 8 working hours → due Tue 06-09 09:30.
    const id = await insertCase(db, {
      category,
      region: community,
      status: 'dispatched',
      reportedAt: cst('2026-06-08T08:00:00'),
      stageStartedAt: cst('2026-06-08T09:00:00'),
      stageDueAt: cst('2026-06-09T09:30:00'),
      leadOrgUnitId: units.dept,
    });
    await scanAt('2026-06-08T10:00:00');
    expect((await level(id)).stage_due_at?.toISOString()).toBe(cst('2026-06-09T09:30:00').toISOString());
    // An administrator declares Tue 06-09 a day off: the deadline becomes Wed 06-10 09:30.
    const y = (await t.as(admin, { method: 'GET', url: '/api/calendar/years/2026' })).json() as { offDays: string[]; workDays: string[] };
    const put = await t.as(admin, {
      method: 'PUT',
      url: '/api/calendar/years/2026',
      payload: { source: '测试更正', offDays: [...y.offDays, '2026-06-09'], workDays: y.workDays },
    });
    expect(put.statusCode).toBe(200);
    const r = await scanAt('2026-06-08T10:01:00');
    expect(r.recomputed).toBeGreaterThanOrEqual(1);
    expect((await level(id)).stage_due_at?.toISOString()).toBe(cst('2026-06-10T09:30:00').toISOString());
    // …and the warnings follow the corrected calendar: no red on Tue 09:30 (a holiday now).
    await scanAt('2026-06-09T12:00:00');
    expect((await events(id)).map((e) => e.level)).toEqual(['yellow']);
    const again = await scanAt('2026-06-08T10:02:00');
    expect(again.recomputed).toBe(0);
    // Put the shipped calendar back for the other tests.
    await sql`DELETE FROM holiday_schedule WHERE year = 2026`.execute(db);
  });

  it('notifications API: mine and my unit’s, unread first, paged; read; unread count; nobody reads another’s', async () => {
    const handler = await t.login('bm_chengguan');
    const other = await t.login('jd_liuyin');
    const list = await t.as(handler, { method: 'GET', url: '/api/notifications?limit=2' });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { items: { id: number; kind: string; readAt: string | null; personal: boolean; orgUnitName: string }[]; total: number };
    expect(body.items).toHaveLength(2);
    expect(body.total).toBeGreaterThanOrEqual(4);
    expect(body.items[0]).toMatchObject({ personal: false, orgUnitName: '区城市管理局', readAt: null });
    const before = (await t.as(handler, { method: 'GET', url: '/api/notifications/unread-count' })).json().unread as number;
    expect(before).toBe(body.total);
    const first = body.items[0]?.id as number;
    expect((await t.as(other, { method: 'POST', url: `/api/notifications/${first}/read` })).statusCode).toBe(404);
    expect((await t.as(handler, { method: 'POST', url: `/api/notifications/${first}/read` })).statusCode).toBe(200);
    expect((await t.as(handler, { method: 'GET', url: '/api/notifications/unread-count' })).json().unread).toBe(before - 1);
    // The read one now comes last.
    const all = (await t.as(handler, { method: 'GET', url: '/api/notifications?limit=200' })).json() as typeof body;
    expect(all.items.at(-1)?.id).toBe(first);
    expect(all.items.at(-1)?.readAt).not.toBeNull();
    const unread = (await t.as(handler, { method: 'GET', url: '/api/notifications?unread=true&limit=200' })).json() as typeof body;
    expect(unread.items.map((i) => i.id)).not.toContain(first);
    // The street center of 柳荫 sees none of 泉城's warnings.
    expect((await t.as(other, { method: 'GET', url: '/api/notifications' })).json().total).toBe(0);
  });
});
