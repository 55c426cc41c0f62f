import type { DeadlinePreviewQuery, HolidayYear, SetHolidayYearRequest, SetOfficeHoursRequest } from '@gridgov/contracts/calendar';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { CalendarRepository } from './calendar.repository.js';
import { cnHolidaySchedules, type HolidaySchedule } from './holidays-cn.js';
import { createWorkCalendar, DEFAULT_OFFICE_HOURS, type OfficeHours, toCstIso, type WorkCalendar } from './working-time.js';

export function createCalendarService(deps: { repo: CalendarRepository; audit: Pick<AuditRepository, 'append'>; now?: () => Date }) {
  const { repo, audit } = deps;
  const now = deps.now ?? (() => new Date());

  /** Shipped years, each replaced by an administrator's row for the same year, plus years only in the table. */
  type Known = HolidaySchedule & { origin: 'shipped' | 'custom'; updatedAt: string | null; updatedBy: string | null };
  async function schedules(trx?: Kysely<DB>): Promise<Known[]> {
    const custom = await repo.years(trx);
    const byYear = new Map<number, Known>(cnHolidaySchedules.map((s) => [s.year, { ...s, origin: 'shipped', updatedAt: null, updatedBy: null }]));
    for (const c of custom) byYear.set(c.year, { ...c, origin: 'custom' });
    return [...byYear.values()].sort((a, b) => a.year - b.year);
  }

  async function officeHours(
    regionId: string | undefined,
    trx?: Kysely<DB>,
  ): Promise<{ periods: OfficeHours; source: { regionId: string; name: string; own: boolean } | null }> {
    if (!regionId) return { periods: DEFAULT_OFFICE_HOURS, source: null };
    const region = await repo.region(regionId, trx);
    if (!region) throw new AppError('NOT_FOUND');
    const own = await repo.officeHoursFor(region.path, trx);
    return own
      ? { periods: own.periods, source: { regionId: own.regionId, name: own.name, own: own.regionId === regionId } }
      : { periods: DEFAULT_OFFICE_HOURS, source: null };
  }

  const toYear = (s: Awaited<ReturnType<typeof schedules>>[number]): HolidayYear => ({
    year: s.year,
    origin: s.origin,
    source: s.source,
    offDays: [...s.offDays].sort(),
    workDays: [...s.workDays].sort(),
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
  });

  /**
   * Intake's calendars, kept per region while the calendar tables' stamp stays the same; the stamp is re-read at
   * most once a second, so a correction made through another process (or by hand in SQL) is seen within a second,
   * and this process's own corrections at once (they drop the cache).
   */
  const CHECK_MS = 1000;
  type CalendarCache = { stamp: string; checkedAt: number; byRegion: Map<string, Promise<WorkCalendar>> };
  let cached: CalendarCache | null = null;
  let checking: Promise<CalendarCache> | null = null;
  async function freshCache(trx?: Kysely<DB>): Promise<CalendarCache> {
    if (cached && performance.now() - cached.checkedAt < CHECK_MS) return cached;
    checking ??= repo
      .stamp(trx)
      .then((stamp): CalendarCache => {
        const c: CalendarCache = cached?.stamp === stamp ? cached : { stamp, checkedAt: 0, byRegion: new Map() };
        c.checkedAt = performance.now();
        cached = c;
        return c;
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  return {
    /**
     * The calendar for a new case's first clock (the intake hot path): calendarFor's answer, cached as above. An
     * action's clock and the SLA scanner's re-evaluation read the tables (calendarFor).
     */
    async cachedCalendarFor(regionId: string, trx?: Kysely<DB>): Promise<WorkCalendar> {
      // Misses read through the caller's transaction: a pooled connection asked for while holding one would
      // deadlock the pool under load (and PGlite has a single session).
      const c = await freshCache(trx);
      let cal = c.byRegion.get(regionId);
      if (!cal) {
        cal = this.calendarFor(regionId, trx);
        c.byRegion.set(regionId, cal);
        cal.catch(() => c.byRegion.delete(regionId));
      }
      return cal;
    },

    /** The calendar a case in this region runs on (holidays + the region's office hours); pass `trx` inside a transaction. */
    async calendarFor(regionId?: string, trx?: Kysely<DB>): Promise<WorkCalendar> {
      const [s, oh] = await Promise.all([schedules(trx), officeHours(regionId, trx)]);
      return createWorkCalendar({ schedules: s, officeHours: oh.periods });
    },

    /** Every year with a schedule, and the current and next year even when missing (shown with a warning). */
    async years(): Promise<{ items: HolidayYear[] }> {
      const s = (await schedules()).map(toYear);
      const thisYear = now().getUTCFullYear();
      for (const y of [thisYear, thisYear + 1]) {
        if (!s.some((x) => x.year === y)) s.push({ year: y, origin: 'missing', source: null, offDays: [], workDays: [], updatedAt: null, updatedBy: null });
      }
      return { items: s.sort((a, b) => a.year - b.year) };
    },

    async year(year: number): Promise<HolidayYear> {
      const s = (await schedules()).find((x) => x.year === year);
      return s ? toYear(s) : { year, origin: 'missing', source: null, offDays: [], workDays: [], updatedAt: null, updatedBy: null };
    },

    async setYear(actor: Principal, year: number, body: SetHolidayYearRequest, meta: RequestMeta): Promise<HolidayYear> {
      const fields: { path: string; code: string; message: string }[] = [];
      const check = (list: string[], key: 'offDays' | 'workDays') =>
        list.forEach((d, i) => {
          if (!d.startsWith(`${year}-`) && !(key === 'offDays' && d.startsWith(`${year + 1}-01-`))) {
            fields.push({ path: `${key}.${i}`, code: 'wrong_year', message: `${d} 不属于 ${year} 年 / ${d} is not in ${year}` });
          }
        });
      check(body.offDays, 'offDays');
      check(body.workDays, 'workDays');
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
      const offDays = [...new Set(body.offDays)].sort();
      const workDays = [...new Set(body.workDays)].sort();
      await repo.db.transaction().execute(async (trx) => {
        await repo.putYear(year, { source: body.source, offDays, workDays }, actor.kind === 'user' ? actor.userId : null, trx);
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'calendar.year_changed',
            outcome: 'ok',
            targetType: 'holiday_schedule',
            targetId: String(year),
            details: { year, source: body.source, offDays: offDays.length, workDays: workDays.length },
          },
          trx,
        );
      });
      cached = null;
      return this.year(year);
    },

    async officeHours(actor: Principal, regionId: string) {
      const region = await repo.region(regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      const oh = await officeHours(regionId);
      return { regionId, periods: oh.periods.map(([a, b]) => [a, b] as [string, string]), source: oh.source };
    },

    async setOfficeHours(actor: Principal, regionId: string, body: z.infer<typeof SetOfficeHoursRequest>, meta: RequestMeta) {
      const region = await repo.region(regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (!canCapture(actor, region.path)) throw new AppError('OUT_OF_SCOPE');
      await repo.db.transaction().execute(async (trx) => {
        await repo.putOfficeHours(regionId, body.periods, actor.kind === 'user' ? actor.userId : null, trx);
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'calendar.office_hours_changed',
            outcome: 'ok',
            targetType: 'region',
            targetId: regionId,
            regionId,
            regionPath: region.path,
            details: { periods: body.periods },
          },
          trx,
        );
      });
      cached = null;
      return this.officeHours(actor, regionId);
    },

    async preview(actor: Principal, q: z.infer<typeof DeadlinePreviewQuery>) {
      if (q.regionId) {
        const region = await repo.region(q.regionId);
        if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      }
      const cal = await this.calendarFor(q.regionId);
      const r = cal.deadline(Date.parse(q.start), { amount: q.amount, unit: q.unit });
      const zh = actor.locale !== 'en';
      return {
        due: r.due === null ? null : toCstIso(r.due),
        warnings: r.warnings.map((w) => ({ code: w.code, year: w.year, message: zh ? w.zh : w.en })),
      };
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
