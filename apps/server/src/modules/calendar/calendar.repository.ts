import { type Kysely, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import { idsOnPath } from '../regions/subtree.js';

/**
 * What the calendar looks like now, as a string that changes whenever an administrator corrects a year's
 * holidays or a jurisdiction's office hours (the shipped years live in code and change only with a release).
 */
export async function calendarStamp(trx: Kysely<DB>): Promise<string> {
  const r = await sql<{ stamp: string }>`
    SELECT (SELECT coalesce(max(updated_at)::text, '-') || '/' || count(*) FROM holiday_schedule) || '|' ||
           (SELECT coalesce(max(updated_at)::text, '-') || '/' || count(*) FROM office_hours) AS stamp`.execute(trx);
  return r.rows[0]?.stamp ?? '';
}

export function createCalendarRepository(db: Kysely<DB>) {
  return {
    db,
    stamp: (trx: Kysely<DB> = db) => calendarStamp(trx),
    async years(trx: Kysely<DB> = db) {
      const rows = await trx
        .selectFrom('holiday_schedule as h')
        .leftJoin('app_user as u', 'u.id', 'h.updated_by')
        .select(['h.year', 'h.source', 'h.off_days', 'h.work_days', 'h.updated_at', 'u.display_name'])
        .orderBy('h.year')
        .execute();
      return rows.map((r) => ({
        year: r.year,
        source: r.source,
        offDays: fromJson<string[]>(r.off_days),
        workDays: fromJson<string[]>(r.work_days),
        updatedAt: new Date(r.updated_at).toISOString(),
        updatedBy: r.display_name ?? null,
      }));
    },

    async putYear(year: number, v: { source: string; offDays: string[]; workDays: string[] }, userId: string | null, trx: Kysely<DB> = db) {
      await sql`
        insert into holiday_schedule (year, source, off_days, work_days, updated_at, updated_by)
        values (${year}, ${v.source}, ${JSON.stringify(v.offDays)}::jsonb, ${JSON.stringify(v.workDays)}::jsonb, now(), ${userId}::uuid)
        on conflict (year) do update set source = excluded.source, off_days = excluded.off_days, work_days = excluded.work_days,
          updated_at = now(), updated_by = excluded.updated_by`.execute(trx);
    },

    async region(regionId: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('region').select(['id', 'name', 'path']).where('id', '=', regionId).executeTakeFirst();
    },

    /** The office hours that apply to a region: its own row, else the nearest ancestor's. */
    async officeHoursFor(path: string, trx: Kysely<DB> = db) {
      const ids = idsOnPath(path);
      if (ids.length === 0) return undefined;
      const rows = await trx
        .selectFrom('office_hours as o')
        .innerJoin('region as r', 'r.id', 'o.region_id')
        .select(['o.region_id', 'o.periods', 'r.name', 'r.path'])
        .where('o.region_id', 'in', ids)
        .execute();
      const best = rows.sort((a, b) => b.path.length - a.path.length)[0];
      return best ? { regionId: best.region_id, name: best.name, periods: fromJson<[string, string][]>(best.periods) } : undefined;
    },

    async putOfficeHours(regionId: string, periods: [string, string][], userId: string | null, trx: Kysely<DB> = db) {
      await sql`
        insert into office_hours (region_id, periods, updated_at, updated_by) values (${regionId}, ${JSON.stringify(periods)}::jsonb, now(), ${userId}::uuid)
        on conflict (region_id) do update set periods = excluded.periods, updated_at = now(), updated_by = excluded.updated_by`.execute(trx);
    },
  };
}
export type CalendarRepository = ReturnType<typeof createCalendarRepository>;
