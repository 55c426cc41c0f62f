import type { HolidaySchedule } from './holidays-cn.js';

/**
 * The working-time clock behind every case deadline (C-series time limits; domain-reference.md §2.4, §5).
 *
 * Conventions (the sources leave them open; these are ours, and the tests work them out by hand):
 * - All wall-clock reasoning is in China Standard Time (UTC+8, no daylight saving).
 * - `working_hours`: the clock runs only inside office periods of working days, starting at the report
 *   time (a report at 19:00 starts counting at the next office period).
 * - `working_days`: N working days *after* the day of the report: the report day never counts, the clock
 *   starts at the first office period of the next working day and runs N × (office minutes per day). So a
 *   Friday-evening report with 3 working days is due at the end of office hours on the third working day
 *   after it. Paused time inside office periods extends the deadline by the same working time.
 * - `natural_hours`: wall-clock hours; paused time extends it.
 * - Paused intervals (缓办, 待补充材料, an approved 延期's suspension) never count. An open pause (no end)
 *   stops the clock: there is no deadline until it ends.
 * - A year without a published schedule falls back to Monday–Friday and says so in `warnings`.
 */
export type LimitUnit = 'working_hours' | 'working_days' | 'natural_hours';
export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}
/** A paused stretch in epoch ms; `to: null` = still paused. */
export interface Pause {
  from: number;
  to: number | null;
}
/** Office periods as 'HH:MM'–'HH:MM' pairs, e.g. [['08:30', '12:00'], ['13:30', '17:30']]. */
export type OfficeHours = readonly (readonly [string, string])[];
export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  ['08:30', '12:00'],
  ['13:30', '17:30'],
];

export interface CalendarWarning {
  code: 'CALENDAR_YEAR_MISSING';
  year: number;
  zh: string;
  en: string;
}
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DeadlineResult {
  /** Epoch ms, or null while an open pause stops the clock. */
  due: number | null;
  warnings: CalendarWarning[];
}
export interface ElapsedResult {
  /** Minutes of the limit used so far (natural hours: wall-clock minutes). */
  usedMinutes: number;
  totalMinutes: number;
  /** usedMinutes / totalMinutes (≥ 0.8 yellow, ≥ 1 red). */
  fraction: number;
  warnings: CalendarWarning[];
}

const CST = 8 * 3_600_000;
const DAY = 86_400_000;
const MIN = 60_000;
/** Deadlines further than this are a configuration error, not a case. */
const MAX_DAYS = 3 * 366;

const parseHm = (hm: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm);
  if (!m) throw new Error(`office hours: bad time ${hm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};
/** 'YYYY-MM-DD' of an instant in China Standard Time. */
export const cstDate = (ms: number) => new Date(ms + CST).toISOString().slice(0, 10);
/** An instant as an ISO date-time in China Standard Time: 2026-04-08T09:00:00+08:00. */
export const toCstIso = (ms: number) => `${new Date(ms + CST).toISOString().slice(0, 19)}+08:00`;
/** Epoch ms of midnight CST of a date. */
export const cstMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - CST;

export function createWorkCalendar(opts: { schedules: readonly HolidaySchedule[]; officeHours?: OfficeHours }) {
  const off = new Set<string>();
  const makeup = new Set<string>();
  const years = new Set<number>();
  for (const s of opts.schedules) {
    years.add(s.year);
    for (const d of s.offDays) off.add(d);
    for (const d of s.workDays) makeup.add(d);
  }
  const periods = (opts.officeHours ?? DEFAULT_OFFICE_HOURS).map(([a, b]) => {
    const from = parseHm(a);
    const to = parseHm(b);
    if (to <= from) throw new Error(`office hours: ${a}–${b} is empty`);
    return [from, to] as const;
  });
  const dailyMinutes = periods.reduce((s, [a, b]) => s + b - a, 0);

  function dayInfo(date: string): { kind: DayKind; workday: boolean; scheduleKnown: boolean } {
    const scheduleKnown = years.has(Number(date.slice(0, 4)));
    if (makeup.has(date)) return { kind: 'makeup_workday', workday: true, scheduleKnown };
    if (off.has(date)) return { kind: 'holiday', workday: false, scheduleKnown };
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) return { kind: 'weekend', workday: false, scheduleKnown };
    return { kind: 'workday', workday: true, scheduleKnown };
  }

  function warn(seen: Set<number>, out: CalendarWarning[], date: string) {
    const y = Number(date.slice(0, 4));
    if (years.has(y) || seen.has(y)) return;
    seen.add(y);
    out.push({
      code: 'CALENDAR_YEAR_MISSING',
      year: y,
      zh: `${y} 年节假日安排尚未导入，按周一至周五工作日计算`,
      en: `No holiday schedule for ${y}; Monday–Friday assumed`,
    });
  }

  /** Running stretches of the clock from `from`, in order, lazily (office periods or one open stretch). */
  function* running(unit: LimitUnit, from: number, warnings: CalendarWarning[]): Generator<[number, number]> {
    if (unit === 'natural_hours') {
      yield [from, Number.POSITIVE_INFINITY];
      return;
    }
    const seen = new Set<number>();
    let date = cstDate(from);
    // working_days: the report day never counts.
    if (unit === 'working_days') date = cstDate(cstMidnight(date) + DAY + 1);
    for (let i = 0; i < MAX_DAYS; i++, date = cstDate(cstMidnight(date) + DAY + 1)) {
      warn(seen, warnings, date);
      if (!dayInfo(date).workday) continue;
      const midnight = cstMidnight(date);
      for (const [a, b] of periods) {
        const s = Math.max(midnight + a * MIN, from);
        const e = midnight + b * MIN;
        if (e > s) yield [s, e];
      }
    }
  }

  /** Running stretches minus the pauses (sorted, merged); an open pause ends everything after its start. */
  function* unpaused(stretches: Generator<[number, number]>, pauses: readonly Pause[]): Generator<[number, number]> {
    const ps = pauses.map((p) => ({ from: p.from, to: p.to ?? Number.POSITIVE_INFINITY })).sort((x, y) => x.from - y.from);
    for (const [s0, e] of stretches) {
      let s = s0;
      for (const p of ps) {
        if (p.to <= s || p.from >= e) continue;
        if (p.from > s) yield [s, p.from];
        s = Math.max(s, p.to);
        if (s >= e) break;
      }
      if (s < e) yield [s, e];
      if (s === Number.POSITIVE_INFINITY) return;
    }
  }

  const totalMinutes = (limit: TimeLimit) => (limit.unit === 'working_days' ? limit.amount * dailyMinutes : limit.amount * 60);

  return {
    dailyMinutes,
    dayInfo,
    isWorkday: (date: string) => dayInfo(date).workday,

    /** When a stage that started at `start` with `limit` is due, given its pauses. */
    deadline(start: number, limit: TimeLimit, pauses: readonly Pause[] = []): DeadlineResult {
      const warnings: CalendarWarning[] = [];
      let left = totalMinutes(limit) * MIN;
      if (left <= 0) return { due: start, warnings };
      for (const [s, e] of unpaused(running(limit.unit, start, warnings), pauses)) {
        if (e === Number.POSITIVE_INFINITY || e - s >= left) return { due: s + left, warnings };
        left -= e - s;
      }
      // Only an open pause (or an absurd limit) gets here.
      return { due: null, warnings };
    },

    /** How much of the limit a stage that started at `start` has used by `now` (for yellow 80 % / red 100 %). */
    elapsed(start: number, now: number, limit: TimeLimit, pauses: readonly Pause[] = []): ElapsedResult {
      const warnings: CalendarWarning[] = [];
      const total = totalMinutes(limit);
      let used = 0;
      for (const [s, e] of unpaused(running(limit.unit, start, warnings), pauses)) {
        if (s >= now) break;
        used += Math.min(e, now) - s;
      }
      const usedMinutes = used / MIN;
      return { usedMinutes, totalMinutes: total, fraction: total > 0 ? usedMinutes / total : 1, warnings };
    },
  };
}
export type WorkCalendar = ReturnType<typeof createWorkCalendar>;
