/**
 * The working-day calendar: statutory holidays and 调休 make-up working days per year (shipped for 2025
 * and 2026, correctable and loadable by an administrator), office hours per jurisdiction, and a deadline
 * preview on that calendar.
 */
import { z } from 'zod';

const IsoDate = z.iso.date();
const Hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式为 HH:MM / time as HH:MM');

export const LimitUnit = z.enum(['working_hours', 'working_days', 'natural_hours']);
export type LimitUnit = z.infer<typeof LimitUnit>;
export const limitUnitLabels: Record<LimitUnit, { zh: string; en: string }> = {
  working_hours: { zh: '工作时', en: 'working hours' },
  working_days: { zh: '工作日', en: 'working days' },
  natural_hours: { zh: '自然小时', en: 'natural hours' },
};

export const HolidayOrigin = z.enum(['shipped', 'custom', 'missing']);
export const HolidayYear = z.object({
  year: z.number().int(),
  /** Where the dates come from: shipped data, an administrator's entry, or nothing (Mon–Fri assumed). */
  origin: HolidayOrigin,
  source: z.string().nullable(),
  offDays: z.array(z.string()),
  workDays: z.array(z.string()),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type HolidayYear = z.infer<typeof HolidayYear>;
export const HolidayYearList = z.object({ items: z.array(HolidayYear) });
export const YearParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export const SetHolidayYearRequest = z
  .strictObject({
    source: z.string().trim().min(2, '请注明依据（如国办通知文号）/ name the source').max(200),
    offDays: z.array(IsoDate).max(60),
    workDays: z.array(IsoDate).max(30),
  })
  .superRefine((v, ctx) => {
    const off = new Set(v.offDays);
    v.workDays.forEach((d, i) => {
      if (off.has(d)) ctx.addIssue({ code: 'custom', path: ['workDays', i], message: `${d} 不能既放假又上班 / ${d} is both a day off and a working day` });
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (dow !== 0 && dow !== 6) ctx.addIssue({ code: 'custom', path: ['workDays', i], message: `${d} 不是周末，无需调休上班 / ${d} is not a weekend day` });
    });
  });
export type SetHolidayYearRequest = z.infer<typeof SetHolidayYearRequest>;

/** Office periods, e.g. [['08:30', '12:00'], ['13:30', '17:30']]: ascending, not overlapping. */
export const OfficePeriods = z
  .array(z.tuple([Hm, Hm]))
  .min(1)
  .max(4)
  .superRefine((ps, ctx) => {
    let prevEnd = '';
    ps.forEach(([a, b], i) => {
      if (b <= a) ctx.addIssue({ code: 'custom', path: [i, 1], message: '结束时间须晚于开始时间 / the end must be after the start' });
      if (prevEnd && a < prevEnd)
        ctx.addIssue({ code: 'custom', path: [i, 0], message: '时段不能重叠，须按时间先后排列 / periods must be in order and not overlap' });
      prevEnd = b;
    });
  });
export const SetOfficeHoursRequest = z.strictObject({ periods: OfficePeriods });
export const OfficeHours = z.object({
  regionId: z.uuid(),
  periods: z.array(z.tuple([z.string(), z.string()])),
  /** The region whose setting applies (this one or an ancestor), or null for the default 08:30–12:00, 13:30–17:30. */
  source: z.object({ regionId: z.uuid(), name: z.string(), own: z.boolean() }).nullable(),
});
export const RegionParams = z.strictObject({ regionId: z.uuid() });

export const DeadlinePreviewQuery = z.strictObject({
  start: z.iso.datetime({ offset: true }),
  amount: z.coerce.number().positive().max(2000),
  unit: LimitUnit,
  regionId: z.uuid().optional().describe('office hours of this jurisdiction (default: the built-in hours)'),
});
export const CalendarWarning = z.object({ code: z.string(), year: z.number().int(), message: z.string() });
export const DeadlinePreview = z.object({
  /** ISO date-time in China Standard Time (+08:00), or null while the clock cannot end. */
  due: z.string().nullable(),
  warnings: z.array(CalendarWarning),
});
