import { describe, expect, it } from 'vitest';
import { cnHolidaySchedules } from './holidays-cn.js';
import { createWorkCalendar, type Pause, type TimeLimit } from './working-time.js';

const cal = createWorkCalendar({ schedules: cnHolidaySchedules });
/** An instant written in China Standard Time. */
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
const h = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const d = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });
const n = (amount: number): TimeLimit => ({ amount, unit: 'natural_hours' });

describe('the 2026 calendar as data', () => {
  it('has the 33 statutory days off and 6 make-up working days of the State Council notice', () => {
    const y2026 = cnHolidaySchedules.find((s) => s.year === 2026);
    expect(y2026?.offDays).toHaveLength(33);
    expect(y2026?.workDays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it.each([
    ['2026-01-04', 'makeup_workday', true], // Sunday after 元旦
    ['2026-02-14', 'makeup_workday', true], // Saturday before 春节
    ['2026-02-16', 'holiday', false], // 除夕 (Monday)
    ['2026-02-23', 'holiday', false], // last day of 春节 (Monday)
    ['2026-02-24', 'workday', true],
    ['2026-04-06', 'holiday', false], // 清明 Monday
    ['2026-05-09', 'makeup_workday', true],
    ['2026-10-08', 'workday', true],
    ['2026-11-21', 'weekend', false],
    ['2025-10-08', 'holiday', false], // 2025: 国庆·中秋 eight days
    ['2025-09-28', 'makeup_workday', true],
  ] as const)('%s is %s', (date, kind, workday) => {
    expect(cal.dayInfo(date)).toEqual({ kind, workday, scheduleKnown: true });
  });
});

describe('deadlines, worked out by hand (office hours 08:30–12:00, 13:30–17:30 = 7.5 h a day)', () => {
  const cases: { name: string; start: string; limit: TimeLimit; pauses?: [string, string | null][]; due: string | null }[] = [
    {
      // Fri 4/3 19:00 is after hours; 4/4–4/6 清明 (Sat–Mon) off. Tue 4/7 gives 3.5 h + 4 h = 7.5 h; the last
      // 0.5 h runs Wed 4/8 08:30–09:00.
      name: 'Friday evening before 清明, 8 working hours',
      start: '2026-04-03T19:00',
      limit: h(8),
      due: '2026-04-08 09:00',
    },
    {
      // Same report, 2 working days: the report day never counts; Tue 4/7 and Wed 4/8 → end of Wed.
      name: 'Friday evening before 清明, 2 working days',
      start: '2026-04-03T19:00',
      limit: d(2),
      due: '2026-04-08 17:30',
    },
    {
      // Wed 9/30 18:00; 10/1–10/7 国庆 off; Thu 10/8 is the first working day → due its end.
      name: 'evening before 国庆, 1 working day',
      start: '2026-09-30T18:00',
      limit: d(1),
      due: '2026-10-08 17:30',
    },
    {
      // Sat 1/3 is 元旦 holiday; Sun 1/4 is a 调休 working day (day 1), Mon 1/5 day 2.
      name: 'report on a holiday Saturday, the 调休 Sunday counts',
      start: '2026-01-03T10:00',
      limit: d(2),
      due: '2026-01-05 17:30',
    },
    {
      // On the 调休 Sunday itself, 09:00 + 4 working hours: 09:00–12:00 (3 h) + 13:30–14:30 (1 h).
      name: 'report on the 调休 Sunday, 4 working hours',
      start: '2026-01-04T09:00',
      limit: h(4),
      due: '2026-01-04 14:30',
    },
    {
      // Fri 2/13 16:00, 3 working days: Sat 2/14 (调休 working day), then 2/15–2/23 春节, Tue 2/24, Wed 2/25.
      name: 'across 春节, 3 working days',
      start: '2026-02-13T16:00',
      limit: d(3),
      due: '2026-02-25 17:30',
    },
    {
      // Sat 2/14 16:00 (调休 working day) + 4 h: 16:00–17:30 (1.5 h), then nine days off, Tue 2/24 08:30 + 2.5 h.
      name: 'across 春节, 4 working hours from the make-up Saturday',
      start: '2026-02-14T16:00',
      limit: h(4),
      due: '2026-02-24 11:00',
    },
    {
      // Mon 3/2 09:00, 2 working days → Tue 3/3 and Wed 3/4 → Wed 17:30.
      name: '2 working days, no pause',
      start: '2026-03-02T09:00',
      limit: d(2),
      due: '2026-03-04 17:30',
    },
    {
      // 缓办 Tue 3/3 10:00 → Wed 3/4 10:00 pauses 2 h + 4 h + 1.5 h = 7.5 working hours = one office day,
      // so the deadline moves from Wed 17:30 to Thu 3/5 17:30.
      name: '2 working days with a 缓办 pause of one office day',
      start: '2026-03-02T09:00',
      limit: d(2),
      pauses: [['2026-03-03T10:00', '2026-03-04T10:00']],
      due: '2026-03-05 17:30',
    },
    {
      // 8 working hours from Mon 3/2 09:00 would end Tue 09:30 (3 + 4 + 1 … = 09:00–12:00, 13:30–17:30, Tue
      // 08:30–09:30). A pause 11:00–14:00 on Monday removes 1 h (11–12) + 0.5 h (13:30–14:00) → Tue 11:00.
      name: '8 working hours with a pause over lunch',
      start: '2026-03-02T09:00',
      limit: h(8),
      pauses: [['2026-03-02T11:00', '2026-03-02T14:00']],
      due: '2026-03-03 11:00',
    },
    {
      // Natural hours ignore the calendar: Thu 4/30 20:00 + 24 h = Fri 5/1 20:00 (劳动节), + a 2 h pause.
      name: 'natural hours over 劳动节 with a pause',
      start: '2026-04-30T20:00',
      limit: n(24),
      pauses: [['2026-05-01T08:00', '2026-05-01T10:00']],
      due: '2026-05-01 22:00',
    },
    {
      name: 'an open pause stops the clock',
      start: '2026-03-02T09:00',
      limit: d(2),
      pauses: [['2026-03-03T10:00', null]],
      due: null,
    },
  ];

  it.each(cases)('$name → $due', ({ start, limit, pauses, due }) => {
    const ps: Pause[] = (pauses ?? []).map(([f, t]) => ({ from: at(f), to: t ? at(t) : null }));
    const r = cal.deadline(at(start), limit, ps);
    expect(iso(r.due)).toBe(due);
    expect(r.warnings).toEqual([]);
  });
});

describe('how much of the limit is used (yellow at 80 %, red at 100 %)', () => {
  it('is 80 % at Wed 14:30 for 2 working days reported Mon 09:00', () => {
    // Clock starts Tue 08:30: Tue 7.5 h + Wed 08:30–12:00 3.5 h + 13:30–14:30 1 h = 12 h of 15 h.
    const r = cal.elapsed(at('2026-03-02T09:00'), at('2026-03-04T14:30'), d(2));
    expect(r.usedMinutes).toBe(720);
    expect(r.totalMinutes).toBe(900);
    expect(r.fraction).toBeCloseTo(0.8, 10);
  });

  it('does not count a pause', () => {
    const r = cal.elapsed(at('2026-03-02T09:00'), at('2026-03-04T14:30'), d(2), [{ from: at('2026-03-03T10:00'), to: at('2026-03-04T10:00') }]);
    // 12 h − the 7.5 paused working hours = 4.5 h.
    expect(r.usedMinutes).toBe(270);
  });

  it('is past 100 % after the deadline', () => {
    const r = cal.elapsed(at('2026-03-02T09:00'), at('2026-03-05T09:00'), d(2));
    expect(r.fraction).toBeGreaterThan(1);
  });
});

describe('a year without a schedule', () => {
  it('falls back to Monday–Friday and warns', () => {
    // Fri 2027-01-01: without the 2027 notice it is an ordinary Friday.
    const r = cal.deadline(at('2027-01-01T09:00'), h(2));
    expect(iso(r.due)).toBe('2027-01-01 11:00');
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'CALENDAR_YEAR_MISSING', year: 2027 })]);
    expect(cal.dayInfo('2027-01-01').scheduleKnown).toBe(false);
  });

  it('takes a loaded schedule for the new year', () => {
    const withNext = createWorkCalendar({ schedules: [...cnHolidaySchedules, { year: 2027, source: 'test', offDays: ['2027-01-01'], workDays: [] }] });
    expect(iso(withNext.deadline(at('2027-01-01T09:00'), h(2)).due)).toBe('2027-01-04 10:30');
  });
});

describe('office hours per jurisdiction', () => {
  it('uses the configured periods', () => {
    const summer = createWorkCalendar({
      schedules: cnHolidaySchedules,
      officeHours: [
        ['08:00', '12:00'],
        ['14:30', '18:00'],
      ],
    });
    expect(summer.dailyMinutes).toBe(450);
    // Mon 3/2 11:00 + 2 h: 11:00–12:00, 14:30–15:30.
    expect(iso(summer.deadline(at('2026-03-02T11:00'), h(2)).due)).toBe('2026-03-02 15:30');
  });
  it('refuses an empty period', () => {
    expect(() => createWorkCalendar({ schedules: [], officeHours: [['12:00', '08:00']] })).toThrow(/empty/);
  });
});
