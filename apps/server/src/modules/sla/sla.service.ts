import { type CaseStatus, caseStageLabels, stageOfStatus } from '@gridgov/contracts/cases';
import { DEFAULT_OFFICE_HOURS, type Pause, toCstIso, type WorkCalendar } from '../calendar/working-time.js';
import { computeStageClock, parseLimits, pausesOf } from '../cases/case-clock.js';
import type { ClockRow, SlaRepository } from './sla.repository.js';

/**
 * The overdue scanner (issue 4 §5): yellow at 80 %, red at 100 % of a stage's time limit on the working-time clock
 * (the workflow's case-clock: calendar of the case's region, approved extensions, paused stretches).
 *
 * Safe with several processes on one PostgreSQL: a warning is an event_case_sla_event row whose primary key is
 * (case, stage, stage run start, level); the insert that wins (ON CONFLICT DO NOTHING RETURNING) alone raises the
 * case's sla_level, writes the notifications and the timeline entry, in the same transaction, with the case row
 * locked. A process that loses inserts nothing and writes nothing.
 *
 * Recipients (ours; the sources name none): yellow → the unit that must act in the stage (the lead department
 * while it is being handled; otherwise the dispatching station or center of the case's region, the deepest on
 * its region path); red → that unit and the supervising level: the nearest center up the region path that is not
 * the acting unit (the street center for a community's or a department's case, the district center when the
 * street center itself must act).
 *
 * Calendar corrections: each scan compares a stamp of the calendar tables (holiday_schedule, office_hours:
 * updated_at and row count) with the one stored in app_setting 'sla.calendar_stamp'; when it changed, every open
 * case's stage_due_at (and the first handle deadline) is recomputed on the corrected calendar before the scan, so
 * a correction changes deadlines within one scan interval, whichever process notices first. A later deadline
 * lowers the SLA colour; a warning already sent stays sent (one per level and stage run).
 */
export interface SlaScanResult {
  checked: number;
  yellow: number;
  red: number;
  /** Open cases whose due time the calendar re-evaluation changed (0 when the calendar did not change). */
  recomputed: number;
}

const BATCH = 1000;

export function createSlaScanner(deps: {
  repo: SlaRepository;
  calendarFor: (regionId: string) => Promise<WorkCalendar>;
  now?: () => Date;
  /** Where a case that cannot be clocked is reported (the job passes its logger's error). */
  log?: (obj: Record<string, unknown>, msg: string) => void;
}) {
  const { repo } = deps;
  const now = deps.now ?? (() => new Date());
  /** Per process: a stage run need not be looked at again before this instant (a lower bound of its next level). */
  const notBefore = new Map<string, number>();
  let seenStamp: string | null = null;

  const keyOf = (c: { id: string }, start: number) => `${c.id}@${start}`;

  async function pausesByCase(ids: string[]): Promise<Map<string, Pause[]>> {
    const out = new Map<string, Pause[]>();
    for (const p of await repo.pauses(ids)) {
      const list = out.get(p.case_id) ?? [];
      list.push(...pausesOf([p]));
      out.set(p.case_id, list);
    }
    return out;
  }

  function calendars() {
    const cache = new Map<string, Promise<WorkCalendar>>();
    return (regionId: string) => {
      let c = cache.get(regionId);
      if (!c) {
        c = deps.calendarFor(regionId);
        cache.set(regionId, c);
      }
      return c;
    };
  }

  function clockOf(c: ClockRow, cal: WorkCalendar, pauses: Pause[], at: number) {
    return computeStageClock(
      { status: c.status, suspended: c.suspended, stageStartedAt: c.stage_started_at, reportedAt: c.reported_at, stageExtension: c.stage_extension },
      parseLimits(c.limits),
      cal,
      pauses,
      at,
    );
  }

  /** A case whose rules cannot be read (a broken limits row) is skipped and logged, never stops the scan of the others. */
  function clockOrNull(c: ClockRow, cal: WorkCalendar, pauses: Pause[], at: number) {
    try {
      return clockOf(c, cal, pauses, at);
    } catch (err) {
      deps.log?.({ err, caseId: c.id }, 'sla scan: case clock failed');
      return null;
    }
  }

  /** Recompute every open case's due time when the calendar tables changed since the last re-evaluation. */
  async function reevaluate(): Promise<number> {
    const stamp = await repo.calendarStamp();
    if (stamp !== seenStamp) notBefore.clear();
    seenStamp = stamp;
    if ((await repo.storedStamp()) === stamp) return 0;
    const at = now().getTime();
    const cal = calendars();
    let changed = 0;
    for (let after: string | null = null; ; ) {
      const rows = await repo.openClockCases(after, BATCH);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.id ?? null;
      const pauses = await pausesByCase(rows.map((r) => r.id));
      const updates = [];
      for (const c of rows) {
        const clock = clockOrNull(c, await cal(c.region_id), pauses.get(c.id) ?? [], at);
        if (!clock) continue;
        const due = clock.stageDueAt;
        if ((due?.getTime() ?? null) === (c.stage_due_at ? new Date(c.stage_due_at).getTime() : null)) continue;
        // Only lower the colour here (the scan raises it, with its warnings).
        const rank = { green: 0, yellow: 1, red: 2 } as Record<string, number>;
        const lower = c.sla_level in rank && clock.slaLevel in rank && rank[clock.slaLevel]! < rank[c.sla_level]! ? clock.slaLevel : null;
        updates.push({ id: c.id, status: c.status, stageStartedAt: c.stage_started_at, oldDue: c.stage_due_at, due, level: lower });
      }
      changed += await repo.updateDue(updates);
    }
    await repo.putStamp(stamp);
    return changed;
  }

  function recipients(c: ClockRow, units: Awaited<ReturnType<SlaRepository['dispatchUnitsOnPath']>>, level: 'yellow' | 'red'): string[] {
    const stage = stageOfStatus[c.status]?.stage;
    const dispatcher = units[units.length - 1]?.id ?? null;
    const acting = stage === 'handle' && c.lead_org_unit_id ? c.lead_org_unit_id : dispatcher;
    const out = acting ? [acting] : [];
    if (level === 'red') {
      const supervisor = [...units].reverse().find((u) => u.kind === 'center' && u.id !== acting);
      if (supervisor) out.push(supervisor.id);
    }
    return [...new Set(out)];
  }

  return {
    /** One pass: re-evaluate after a calendar correction, then warn every open case that reached 80 % / 100 %. */
    async scan(): Promise<SlaScanResult> {
      const recomputed = await reevaluate();
      const at = now();
      const t = at.getTime();
      const minDaily = Math.min(DEFAULT_OFFICE_MINUTES, ...(await repo.officeMinutesPerDay()));
      const cal = calendars();
      const unitsByPath = new Map<string, Promise<Awaited<ReturnType<SlaRepository['dispatchUnitsOnPath']>>>>();
      const result: SlaScanResult = { checked: 0, yellow: 0, red: 0, recomputed };
      for (let after: string | null = null; ; ) {
        const rows = await repo.candidates({ after, now: at, minDailyMinutes: minDaily, limit: BATCH });
        if (rows.length === 0) break;
        after = rows[rows.length - 1]?.id ?? null;
        const todo = rows.filter((c) => (notBefore.get(keyOf(c, new Date(c.stage_started_at ?? c.reported_at).getTime())) ?? 0) <= t);
        const pauses = await pausesByCase(todo.map((c) => c.id));
        for (const c of todo) {
          result.checked++;
          const start = new Date(c.stage_started_at ?? c.reported_at).getTime();
          const calendar = await cal(c.region_id);
          const ps = pauses.get(c.id) ?? [];
          const clock = clockOrNull(c, calendar, ps, t);
          if (!clock) continue;
          const stage = stageOfStatus[c.status as CaseStatus];
          if (!stage || clock.slaLevel === 'paused' || clock.slaLevel === 'none') continue;
          const levels: ('yellow' | 'red')[] = clock.slaLevel === 'red' ? ['yellow', 'red'] : clock.slaLevel === 'yellow' ? ['yellow'] : [];
          if (levels.length === 0 || (levels.length === 1 && c.has_yellow)) {
            // Not yet there: when could it be? (a lower bound: later pauses and extensions only push it back)
            const limit = parseLimits(c.limits)[stage.limit];
            const next =
              clock.slaLevel === 'green'
                ? calendar.deadline(start, { amount: limit.amount * 0.8, unit: limit.unit }, ps).due
                : (clock.stageDueAt?.getTime() ?? null);
            notBefore.set(keyOf(c, start), next ?? t + 60_000);
            continue;
          }
          let units = unitsByPath.get(c.region_path);
          if (!units) {
            units = repo.dispatchUnitsOnPath(c.region_path);
            unitsByPath.set(c.region_path, units);
          }
          const u = await units;
          const inserted = await repo.raise({ caseId: c.id, status: c.status, stage: stage.stage, stageStartedAt: new Date(start), levels }, (ins) => {
            const level = ins.includes('red') ? 'red' : 'yellow';
            const stageName = caseStageLabels[stage.stage].zh;
            const due = clock.stageDueAt ? toCstIso(clock.stageDueAt.getTime()).slice(0, 16).replace('T', ' ') : '—';
            const pct = Math.round(clock.fraction * 100);
            const title = level === 'red' ? `【已超时】${c.case_no} ${c.title}` : `【即将超时】${c.case_no} ${c.title}`;
            const body =
              level === 'red' ? `${stageName}阶段已超过时限（截止 ${due}），请立即办理。` : `${stageName}阶段已用去时限的 ${pct}%（截止 ${due}），请抓紧办理。`;
            return {
              level,
              notifications: recipients(c, u, level).map((orgUnitId) => ({ orgUnitId, kind: `sla_${level}`, title, body })),
              timeline: {
                note: level === 'red' ? `${stageName}阶段已超时（截止 ${due}）` : `${stageName}阶段即将超时：已用 ${pct}%（截止 ${due}）`,
                data: { level, stage: stage.stage, stageDueAt: clock.stageDueAt?.toISOString() ?? null, fraction: Math.round(clock.fraction * 1000) / 1000 },
              },
            };
          });
          if (inserted.includes('yellow')) result.yellow++;
          if (inserted.includes('red')) result.red++;
          // Yellow recorded (here or elsewhere): nothing more before the due time.
          if (clock.slaLevel === 'yellow') notBefore.set(keyOf(c, start), clock.stageDueAt?.getTime() ?? t + 60_000);
        }
      }
      return result;
    },
  };
}
export type SlaScanner = ReturnType<typeof createSlaScanner>;

const DEFAULT_OFFICE_MINUTES = DEFAULT_OFFICE_HOURS.reduce(
  (s, [a, b]) => s + (Number(b.slice(0, 2)) * 60 + Number(b.slice(3))) - (Number(a.slice(0, 2)) * 60 + Number(a.slice(3))),
  0,
);
