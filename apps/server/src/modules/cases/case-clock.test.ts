import { describe, expect, it } from 'vitest';
import { cnHolidaySchedules } from '../calendar/holidays-cn.js';
import { createWorkCalendar, type TimeLimit } from '../calendar/working-time.js';
import { addExtension, closeDeadline, computeStageClock, parseExtensions, parseLimits, stageDeadline, stageRestarts } from './case-clock.js';

const cal = createWorkCalendar({ schedules: cnHolidaySchedules });
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (d: Date | number | null) => (d === null ? null : new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
const h = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const d = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });
// The default catalogue's 'normal' speed: 受理 2 h, 派遣 1 h, 处置 3 working days, 核查 1 working day.
const limits = parseLimits(JSON.stringify({ accept: h(2), dispatch: h(1), handle: d(3), verify: d(1) }));

describe('case clock: stage, due time, SLA level (office hours 08:30–12:00, 13:30–17:30)', () => {
  it('parses limits from json text or object and refuses a bad one', () => {
    expect(parseLimits({ accept: h(2), dispatch: h(1), handle: d(3), verify: d(1) }).handle).toEqual(d(3));
    expect(() => parseLimits({ accept: h(2) })).toThrow(/dispatch/);
    expect(parseExtensions(null)).toEqual([]);
    expect(addExtension(null, d(2))).toEqual([d(2)]);
    expect(addExtension(JSON.stringify([d(2)]), h(4))).toEqual([d(2), h(4)]);
  });

  const base = { suspended: false, reportedAt: at('2026-03-02T09:00'), stageExtension: null };

  it.each([
    // Reported Mon 3/2 09:00, 受理 2 working hours → due 11:00. At 10:30 1.5 h of 2 used = 75 % → green.
    ['reported', '2026-03-02T09:00', '2026-03-02T10:30', 'accept', '2026-03-02 11:00', 'green'],
    // At 10:36 1.6 h = 80 % → yellow.
    ['accepted', '2026-03-02T09:00', '2026-03-02T10:36', 'accept', '2026-03-02 11:00', 'yellow'],
    // At 11:00 the limit is reached → red.
    ['reported', '2026-03-02T09:00', '2026-03-02T11:00', 'accept', '2026-03-02 11:00', 'red'],
    // Filed Fri 4/3 17:00 (before 清明 4/4–4/6), 派遣 1 h: 17:00–17:30, then Tue 4/7 08:30–09:00.
    // At Mon 4/6 20:00 0.5 h of 1 used → green, though days have passed.
    ['filed', '2026-04-03T17:00', '2026-04-06T20:00', 'dispatch', '2026-04-07 09:00', 'green'],
    // Dispatched Fri 2/13 16:00, 处置 3 working days: Sat 2/14 (调休), 春节 off to 2/23, Tue 2/24, Wed 2/25.
    // On Tue 2/24 17:30 two days of three used (66 %) → green.
    ['dispatched', '2026-02-13T16:00', '2026-02-24T17:30', 'handle', '2026-02-25 17:30', 'green'],
    // On Wed 2/25 15:00: 2 days (15 h) + 08:30–12:00 + 13:30–15:00 (5 h) = 20 h of 22.5 h = 88.9 % → yellow.
    ['handling', '2026-02-13T16:00', '2026-02-25T15:00', 'handle', '2026-02-25 17:30', 'yellow'],
    // 核查 1 working day, feedback Thu 3/5 10:00 → due Fri 3/6 17:30; 待结案 runs on the verify limit too.
    ['feedback', '2026-03-05T10:00', '2026-03-05T12:00', 'verify', '2026-03-06 17:30', 'green'],
    ['verified', '2026-03-05T10:00', '2026-03-09T09:00', 'close', '2026-03-06 17:30', 'red'],
  ] as const)('%s since %s, at %s: stage %s due %s, %s', (status, start, now, stage, due, level) => {
    const c = computeStageClock({ ...base, status, stageStartedAt: at(start) }, limits, cal, [], at(now));
    expect(c.stage).toBe(stage);
    expect(iso(c.stageDueAt)).toBe(due);
    expect(c.slaLevel).toBe(level);
    expect(c.warnings).toEqual([]);
  });

  it('has no clock in a terminal status', () => {
    for (const status of ['closed', 'rejected', 'cancelled', 'merged'] as const) {
      expect(computeStageClock({ ...base, status, stageStartedAt: at('2026-03-02T09:00') }, limits, cal, [], at('2026-03-09T09:00'))).toMatchObject({
        stage: null,
        stageDueAt: null,
        slaLevel: 'none',
      });
    }
  });

  it('is paused while suspended; an open pause has no due time, a closed one moves it', () => {
    // Dispatched Mon 3/2 09:00, 3 working days → Thu 3/5 17:30. 缓办 from Tue 3/3 08:30, still open.
    const c = { ...base, status: 'handling' as const, stageStartedAt: at('2026-03-02T09:00') };
    const open = computeStageClock({ ...c, suspended: true }, limits, cal, [{ from: at('2026-03-03T08:30'), to: null }], at('2026-03-20T09:00'));
    expect(open).toMatchObject({ stage: 'handle', stageDueAt: null, slaLevel: 'paused' });
    // Resumed Wed 3/4 08:30: one whole office day paused → due Fri 3/6 17:30. On Fri 3/6 09:00 the stage has
    // used Tue 3/3 (7.5 h) + Wed 3/4 + Thu 3/5 … counted from the days after the report day: 3/3 paused, 3/4, 3/5
    // (15 h) + 0.5 h = 15.5 of 22.5 h = 69 % → green.
    const resumed = computeStageClock(c, limits, cal, [{ from: at('2026-03-03T08:30'), to: at('2026-03-04T08:30') }], at('2026-03-06T09:00'));
    expect(iso(resumed.stageDueAt)).toBe('2026-03-06 17:30');
    expect(resumed.slaLevel).toBe('green');
  });

  it('adds an approved extension after the stage deadline, in its own unit', () => {
    // 处置 3 working days from Mon 3/2 09:00 → Thu 3/5 17:30; + 2 working days → Mon 3/9 17:30 (weekend skipped).
    const c = { ...base, status: 'handling' as const, stageStartedAt: at('2026-03-02T09:00'), stageExtension: addExtension(null, d(2)) };
    const r = computeStageClock(c, limits, cal, [], at('2026-03-06T09:00'));
    expect(iso(r.stageDueAt)).toBe('2026-03-09 17:30');
    // Used: 22.5 h of the first segment + 0.5 h of the 15 h extension = 23 / 37.5 = 61 % → green (it would be red without).
    expect(r.slaLevel).toBe('green');
    expect(computeStageClock({ ...c, stageExtension: null }, limits, cal, [], at('2026-03-06T09:00')).slaLevel).toBe('red');
    // + 4 working hours more: Tue 3/10 08:30 + 4 h = 13:30 … 08:30–12:00 (3.5 h) + 13:30–14:00 (0.5 h) → 14:00.
    expect(iso(stageDeadline(cal, at('2026-03-02T09:00'), d(3), [d(2), h(4)], []).due)).toBe('2026-03-10 14:00');
  });

  it('warns on a year without a holiday schedule', () => {
    const c = computeStageClock({ ...base, status: 'reported', stageStartedAt: at('2027-03-01T09:00') }, limits, cal, [], at('2027-03-01T10:00'));
    expect(c.warnings).toEqual([expect.objectContaining({ code: 'CALENDAR_YEAR_MISSING', year: 2027 })]);
  });

  it('restarts the clock on a new stage and on rework, not within a stage', () => {
    expect(stageRestarts(null, 'reported')).toBe(true);
    expect(stageRestarts('reported', 'accepted')).toBe(false);
    expect(stageRestarts('accepted', 'filed')).toBe(true);
    expect(stageRestarts('dispatched', 'handling')).toBe(false);
    expect(stageRestarts('feedback', 'handling')).toBe(true);
    expect(stageRestarts('handling', 'handling', true)).toBe(true);
    expect(stageRestarts('feedback', 'verified')).toBe(true);
    expect(stageRestarts('verified', 'closed')).toBe(false);
  });

  it('closes on time until the first handle deadline plus the verify limit', () => {
    // Handle due Thu 3/5 17:30 + 核查 1 working day → Fri 3/6 17:30.
    expect(iso(closeDeadline(cal, new Date(at('2026-03-05T17:30')), limits, []))).toBe('2026-03-06 17:30');
    expect(closeDeadline(cal, null, limits, [])).toBeNull();
  });
});
