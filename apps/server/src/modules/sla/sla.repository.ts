import { type CaseStatus, stageOfStatus } from '@gridgov/contracts/cases';
import { type Kysely, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import { calendarStamp } from '../calendar/calendar.repository.js';
import { type CasesRepository, createCasesRepository } from '../cases/cases.repository.js';
import { idsOnPath } from '../regions/subtree.js';

/** Statuses in which a stage clock runs (contracts/cases.ts stageOfStatus). */
export const clockStatuses = (Object.keys(stageOfStatus) as CaseStatus[]).filter((s) => stageOfStatus[s] !== null);

/** `limits -> '<key>'` of the category version for the case's status, as SQL (the limit the stage runs on). */
const limitOfStatus = sql.raw(`CASE e.status ${clockStatuses.map((s) => `WHEN '${s}' THEN v.limits -> '${stageOfStatus[s]?.limit}'`).join(' ')} END`);
const stageOfStatusSql = sql.raw(`CASE e.status ${clockStatuses.map((s) => `WHEN '${s}' THEN '${stageOfStatus[s]?.stage}'`).join(' ')} END`);
const statusList = sql.join(clockStatuses.map((s) => sql.lit(s)));

export interface ClockRow {
  id: string;
  case_no: string;
  title: string;
  status: CaseStatus;
  suspended: boolean;
  stage_started_at: Date | null;
  stage_due_at: Date | null;
  handle_due_at: Date | null;
  reported_at: Date;
  stage_extension: unknown;
  sla_level: string;
  region_id: string;
  region_path: string;
  lead_org_unit_id: string | null;
  limits: unknown;
  /** The stage run already has its yellow warning (candidates only). */
  has_yellow?: boolean;
}

export interface SlaRaise {
  caseId: string;
  status: CaseStatus;
  stage: string;
  stageStartedAt: Date;
  levels: ('yellow' | 'red')[];
}

export function createSlaRepository(db: Kysely<DB>, cases: Pick<CasesRepository, 'lockCase' | 'appendAction'> = createCasesRepository(db)) {
  const clockColumns = sql`e.id, e.case_no, e.title, e.status, e.suspended, e.stage_started_at, e.stage_due_at, e.handle_due_at, e.reported_at,
    e.stage_extension, e.sla_level, e.region_id, e.region_path, e.lead_org_unit_id, v.limits`;
  return {
    db,

    /** The calendar tables' stamp (calendar.repository), compared with the one stored at the last re-evaluation. */
    calendarStamp: (trx: Kysely<DB> = db) => calendarStamp(trx),
    async storedStamp(trx: Kysely<DB> = db): Promise<string | null> {
      const r = await sql<{ v: string }>`SELECT value #>> '{}' AS v FROM app_setting WHERE key = 'sla.calendar_stamp'`.execute(trx);
      return r.rows[0]?.v ?? null;
    },
    async putStamp(stamp: string, trx: Kysely<DB> = db) {
      await sql`INSERT INTO app_setting (key, value, updated_at) VALUES ('sla.calendar_stamp', ${JSON.stringify(stamp)}::jsonb, now())
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`.execute(trx);
    },

    /** The shortest working day (minutes) of any jurisdiction: bounds how soon a working-days clock can reach 80 %. */
    async officeMinutesPerDay(trx: Kysely<DB> = db): Promise<number[]> {
      const rows = await trx.selectFrom('office_hours').select('periods').execute();
      return rows.map((r) =>
        fromJson<[string, string][]>(r.periods as never).reduce((s, [a, b]) => {
          const m = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
          return s + m(b) - m(a);
        }, 0),
      );
    },

    /**
     * Open cases whose running stage clock may have reached 80 % by `now` and that have no red warning for the
     * stage run yet. The wall-clock test is a lower bound (working time never runs faster than the wall clock;
     * a working day is at least `minDailyMinutes`), so no due case is missed; the clock itself decides.
     */
    async candidates(opts: { after: string | null; now: Date; minDailyMinutes: number; limit: number }, trx: Kysely<DB> = db): Promise<ClockRow[]> {
      const r = await sql<ClockRow>`
        SELECT ${clockColumns},
          EXISTS (SELECT 1 FROM event_case_sla_event s WHERE s.case_id = e.id AND s.stage = ${stageOfStatusSql}
                AND s.stage_started_at = coalesce(e.stage_started_at, e.reported_at) AND s.level = 'yellow') AS has_yellow
        FROM event_case e
        JOIN event_category_version v ON v.category_id = e.category_id AND v.version = e.category_version
        WHERE e.status IN (${statusList}) AND NOT e.suspended
          ${opts.after ? sql`AND e.id > ${opts.after}` : sql``}
          AND coalesce(e.stage_started_at, e.reported_at) + make_interval(secs => 48 * coalesce((${limitOfStatus} ->> 'amount')::float8, 0)
                * CASE ${limitOfStatus} ->> 'unit' WHEN 'working_days' THEN ${opts.minDailyMinutes}::float8 ELSE 60 END) <= ${opts.now}
          AND NOT EXISTS (SELECT 1 FROM event_case_sla_event s WHERE s.case_id = e.id AND s.stage = ${stageOfStatusSql}
                AND s.stage_started_at = coalesce(e.stage_started_at, e.reported_at) AND s.level = 'red')
        ORDER BY e.id
        LIMIT ${opts.limit}`.execute(trx);
      return r.rows;
    },

    /** Every open case with a stage clock (suspended ones too), in id batches: the re-evaluation after a calendar correction. */
    async openClockCases(after: string | null, limit: number, trx: Kysely<DB> = db): Promise<ClockRow[]> {
      const r = await sql<ClockRow>`
        SELECT ${clockColumns}
        FROM event_case e
        JOIN event_category_version v ON v.category_id = e.category_id AND v.version = e.category_version
        WHERE e.status IN (${statusList}) ${after ? sql`AND e.id > ${after}` : sql``}
        ORDER BY e.id
        LIMIT ${limit}`.execute(trx);
      return r.rows;
    },

    async pauses(caseIds: readonly string[], trx: Kysely<DB> = db) {
      if (caseIds.length === 0) return [];
      return trx.selectFrom('event_case_pause').select(['case_id', 'from_at', 'to_at']).where('case_id', 'in', caseIds).execute();
    },

    /**
     * New due times after a calendar correction, each only if the case is still in the stage run it was computed
     * for. The first handle deadline (handle_due_at, the 按期处置 mark) moves with the stage's when it was the same.
     * A later deadline may lower the SLA colour (red → green); raising it is the scanner's (with its warnings).
     */
    async updateDue(
      rows: readonly { id: string; status: string; stageStartedAt: Date | null; oldDue: Date | null; due: Date | null; level: string | null }[],
      trx: Kysely<DB> = db,
    ): Promise<number> {
      if (rows.length === 0) return 0;
      const values = sql.join(
        rows.map((r) => sql`(${r.id}::uuid, ${r.status}, ${r.stageStartedAt}::timestamptz, ${r.oldDue}::timestamptz, ${r.due}::timestamptz, ${r.level}::text)`),
      );
      const res = await sql`
        UPDATE event_case e SET
          stage_due_at = x.due,
          handle_due_at = CASE WHEN e.handle_due_at IS NOT DISTINCT FROM x.old_due AND e.status IN ('dispatched','handling') THEN x.due ELSE e.handle_due_at END,
          sla_level = coalesce(x.level, e.sla_level),
          updated_at = now()
        FROM (VALUES ${values}) AS x(id, status, started, old_due, due, level)
        WHERE e.id = x.id AND e.status = x.status AND e.stage_started_at IS NOT DISTINCT FROM x.started
          AND e.stage_due_at IS NOT DISTINCT FROM x.old_due`.execute(trx);
      return Number(res.numAffectedRows ?? 0);
    },

    /** Centers and stations on a region path (deepest last), for the recipients of a warning. */
    async dispatchUnitsOnPath(path: string, trx: Kysely<DB> = db) {
      const ids = idsOnPath(path);
      if (ids.length === 0) return [];
      const rows = await trx
        .selectFrom('org_unit as o')
        .innerJoin('region as r', 'r.id', 'o.region_id')
        .select(['o.id', 'o.kind', 'o.name', 'r.path'])
        .where('o.region_id', 'in', ids)
        .where('o.kind', 'in', ['center', 'station'])
        .orderBy('o.created_at')
        .execute();
      return rows.sort((a, b) => a.path.length - b.path.length);
    },

    /**
     * Records the warning levels a case has reached in its current stage run, in one transaction: the case row is
     * locked and re-checked (still the same status and stage run, not suspended), the sla events inserted with
     * ON CONFLICT DO NOTHING RETURNING, and only for the rows this call actually inserted the case's level is
     * raised, the notifications written and the timeline entry appended. Several processes may call it at once
     * for the same case: exactly one inserts each level. Returns the levels inserted here.
     */
    async raise(
      r: SlaRaise,
      effects: (inserted: ('yellow' | 'red')[]) => {
        level: 'yellow' | 'red';
        notifications: { orgUnitId: string; kind: string; title: string; body: string }[];
        timeline: { note: string; data: Record<string, unknown> };
      },
    ): Promise<('yellow' | 'red')[]> {
      return db.transaction().execute(async (trx) => {
        const current = await cases.lockCase(r.caseId, trx);
        if (!current || current.status !== r.status || current.suspended) return [];
        const start = new Date(current.stage_started_at ?? current.reported_at).getTime();
        if (start !== r.stageStartedAt.getTime()) return [];
        const ins = await sql<{ level: 'yellow' | 'red' }>`
          INSERT INTO event_case_sla_event (case_id, stage, stage_started_at, level)
          SELECT ${r.caseId}::uuid, ${r.stage}, ${r.stageStartedAt}::timestamptz, l FROM unnest(${sql.val(r.levels)}::text[]) AS l
          ON CONFLICT DO NOTHING
          RETURNING level`.execute(trx);
        const inserted = ins.rows.map((x) => x.level);
        if (inserted.length === 0) return [];
        const fx = effects(inserted);
        const lower: ('green' | 'yellow')[] = fx.level === 'red' ? ['green', 'yellow'] : ['green'];
        await trx.updateTable('event_case').set({ sla_level: fx.level }).where('id', '=', r.caseId).where('sla_level', 'in', lower).execute();
        if (fx.notifications.length) {
          await trx
            .insertInto('notification')
            .values(fx.notifications.map((n) => ({ org_unit_id: n.orgUnitId, case_id: r.caseId, kind: n.kind, title: n.title, body: n.body })))
            .execute();
        }
        await cases.appendAction(
          {
            caseId: r.caseId,
            action: 'sla_warning',
            fromStatus: null,
            toStatus: null,
            actorUserId: null,
            actorName: '系统',
            actorRole: 'system',
            ...fx.timeline,
          },
          trx,
        );
        return inserted;
      });
    },
  };
}
export type SlaRepository = ReturnType<typeof createSlaRepository>;
