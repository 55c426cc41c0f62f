import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';

describe('working-day calendar: holiday schedules, office hours, deadline preview', () => {
  let t: TestApp;
  let admin: TestSession;
  let street: TestSession;
  let station: TestSession;
  let ids: { street: string; community: string; otherStreet: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    street = await t.login('jd_quancheng');
    station = await t.login('sq_baotuquan');
    const db = t.database.db;
    ids = {
      street: (await regionByCode(db, '370118001000')).id,
      community: (await regionByCode(db, '370118001001')).id,
      otherStreet: (await regionByCode(db, '370118002000')).id,
    };
  });
  afterAll(() => t.close());

  const preview = async (s: TestSession, q: string) => t.as(s, { method: 'GET', url: `/api/calendar/deadline?${q}` });

  it('lists the shipped years and marks the next year missing', async () => {
    const r = await t.as(station, { method: 'GET', url: '/api/calendar/years' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { year: number; origin: string; offDays: string[] }[];
    expect(items.find((y) => y.year === 2026)).toMatchObject({ origin: 'shipped' });
    expect(items.find((y) => y.year === 2026)?.offDays).toHaveLength(33);
    expect(items.find((y) => y.year === 2025)).toMatchObject({ origin: 'shipped' });
    expect(items.find((y) => y.year === 2027)).toMatchObject({ origin: 'missing', offDays: [] });
  });

  it('computes a deadline across 春节 on the shipped calendar', async () => {
    const r = await preview(station, 'start=2026-02-13T16:00:00%2B08:00&amount=3&unit=working_days');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ due: '2026-02-25T17:30:00+08:00', warnings: [] });
  });

  it('warns for a year without a schedule, and an administrator loads it', async () => {
    const before = await preview(station, 'start=2027-01-01T09:00:00%2B08:00&amount=2&unit=working_hours');
    expect(before.json().due).toBe('2027-01-01T11:00:00+08:00');
    expect(before.json().warnings).toEqual([
      expect.objectContaining({ code: 'CALENDAR_YEAR_MISSING', year: 2027, message: expect.stringContaining('2027 年') }),
    ]);

    const put = await t.as(admin, {
      method: 'PUT',
      url: '/api/calendar/years/2027',
      payload: { source: '测试：国办发明电〔2026〕号', offDays: ['2027-01-01', '2027-01-02', '2027-01-03'], workDays: [] },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, origin: 'custom', offDays: ['2027-01-01', '2027-01-02', '2027-01-03'], updatedBy: '系统管理员' });

    const after = await preview(station, 'start=2027-01-01T09:00:00%2B08:00&amount=2&unit=working_hours');
    expect(after.json()).toEqual({ due: '2027-01-04T10:30:00+08:00', warnings: [] });
    const audit = await t.database.db.selectFrom('audit_log').select(['target_id']).where('action', '=', 'calendar.year_changed').execute();
    expect(audit.map((a) => a.target_id)).toContain('2027');
  });

  it('refuses a make-up working day on a weekday, a day of another year, and a day both off and on', async () => {
    const r = await t.as(admin, {
      method: 'PUT',
      url: '/api/calendar/years/2028',
      payload: { source: '测试', offDays: ['2028-01-01', '2027-06-01', '2028-01-08'], workDays: ['2028-01-05', '2028-01-08'] },
    });
    expect(r.statusCode).toBe(400);
    const paths = (r.json().error.fields as { path: string }[]).map((f) => f.path).sort();
    expect(paths).toEqual(['workDays.0', 'workDays.1']);
    const wrongYear = await t.as(admin, { method: 'PUT', url: '/api/calendar/years/2028', payload: { source: '测试', offDays: ['2027-06-01'], workDays: [] } });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().error.fields).toEqual([expect.objectContaining({ path: 'offDays.0', code: 'wrong_year' })]);
    // Nothing of the refused years was stored.
    const rows = await t.database.db.selectFrom('holiday_schedule').select('year').where('year', '=', 2028).execute();
    expect(rows).toEqual([]);
  });

  it('office hours: a street sets its own, its communities inherit them, and deadlines follow', async () => {
    const put = await t.as(street, {
      method: 'PUT',
      url: `/api/calendar/office-hours/${ids.street}`,
      payload: {
        periods: [
          ['08:00', '12:00'],
          ['14:30', '18:00'],
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const inherited = await t.as(station, { method: 'GET', url: `/api/calendar/office-hours/${ids.community}` });
    expect(inherited.json()).toMatchObject({
      periods: [
        ['08:00', '12:00'],
        ['14:30', '18:00'],
      ],
      source: { regionId: ids.street, own: false },
    });
    // Mon 3/2 11:00 + 2 working hours: 11:00–12:00, then 14:30–15:30 under the street's hours.
    const r = await preview(station, `start=2026-03-02T11:00:00%2B08:00&amount=2&unit=working_hours&regionId=${ids.community}`);
    expect(r.json().due).toBe('2026-03-02T15:30:00+08:00');
  });

  it('refuses overlapping periods, another street, and a station without region.manage', async () => {
    const overlap = await t.as(street, {
      method: 'PUT',
      url: `/api/calendar/office-hours/${ids.street}`,
      payload: {
        periods: [
          ['08:00', '12:00'],
          ['11:00', '17:00'],
        ],
      },
    });
    expect(overlap.statusCode).toBe(400);
    const other = await t.as(street, { method: 'PUT', url: `/api/calendar/office-hours/${ids.otherStreet}`, payload: { periods: [['08:00', '17:00']] } });
    expect(other.statusCode).toBe(404);
    const byStation = await t.as(station, { method: 'PUT', url: `/api/calendar/office-hours/${ids.community}`, payload: { periods: [['08:00', '17:00']] } });
    expect(byStation.statusCode).toBe(403);
  });
});
