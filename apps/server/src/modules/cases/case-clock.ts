import { type CaseStage, type CaseStatus, SLA_YELLOW, type SlaLevel, stageOfStatus } from '@gridgov/contracts/cases';
import { fromJson } from '../../db/json.js';
import type { CalendarWarning, LimitUnit, Pause, TimeLimit, WorkCalendar } from '../calendar/working-time.js';

/**
 * The stage clock of a case (issue 4 §2, §5): which stage's clock runs, when it is due, and its SLA colour.
 * Pure functions over a case row's fields, its category version's limits, the region's calendar and the
 * case's pauses (event_case_pause) — no database, so the SLA scanner, the workflow and the tests share them.
 *
 * Rules (ours; the sources leave them open):
 * - The clock of a stage starts when the case enters that stage (`stage_started_at`); it restarts on a new
 *   stage and on a rework (核查不通过 starts a new 处置 stage from then).
 * - An approved 延期 adds its time *after* the stage's own deadline (chained on the same calendar, in the
 *   extension's own unit): `stage_extension` holds the list of approved extensions of the current stage.
 * - SLA: green below 80 % of the limit (+ extensions) used, yellow from 80 %, red from 100 % (the due time
 *   has come); `paused` while suspended (缓办); `none` in a status without a clock.
 * - Paused stretches never count (the calendar subtracts them); an open pause means no due time.
 */

const UNITS: readonly LimitUnit[] = ['working_hours', 'working_days', 'natural_hours'];
const STAGE_LIMIT_KEYS = ['accept', 'dispatch', 'handle', 'verify'] as const;
export type StageLimitKey = (typeof STAGE_LIMIT_KEYS)[number];
export type StageLimits = Record<StageLimitKey, TimeLimit>;

function asLimit(v: unknown, what: string): TimeLimit {
  const o = v as { amount?: unknown; unit?: unknown } | null;
  if (!o || typeof o.amount !== 'number' || !Number.isFinite(o.amount) || o.amount < 0 || !UNITS.includes(o.unit as LimitUnit)) {
    throw new Error(`case clock: bad time limit ${what}: ${JSON.stringify(v)}`);
  }
  return { amount: o.amount, unit: o.unit as LimitUnit };
}

/** The limits json of an event_category_version row ({accept,dispatch,handle,verify: {amount, unit}}). */
export function parseLimits(json: unknown): StageLimits {
  const o = fromJson<Record<string, unknown>>(json as never);
  return Object.fromEntries(STAGE_LIMIT_KEYS.map((k) => [k, asLimit(o?.[k], k)])) as StageLimits;
}

/** The approved extensions of the current stage (event_case.stage_extension: a list of {amount, unit}, or null). */
export function parseExtensions(json: unknown): TimeLimit[] {
  if (json === null || json === undefined) return [];
  const v = fromJson<unknown>(json as never);
  if (!Array.isArray(v)) return [asLimit(v, 'extension')];
  return v.map((x, i) => asLimit(x, `extension ${i}`));
}

/** stage_extension after approving one more extension. */
export function addExtension(json: unknown, ext: TimeLimit): TimeLimit[] {
  return [...parseExtensions(json), { amount: ext.amount, unit: ext.unit }];
}

/** Pause rows (event_case_pause) as calendar pauses. */
export function pausesOf(rows: readonly { from_at: Date | string; to_at: Date | string | null }[]): Pause[] {
  return rows.map((r) => ({ from: new Date(r.from_at).getTime(), to: r.to_at === null ? null : new Date(r.to_at).getTime() }));
}

export interface DeadlineChain {
  /** Epoch ms, or null while an open pause stops the clock. */
  due: number | null;
  /** Start of each segment (the stage start, then each previous due time) with its limit. */
  segments: { start: number; limit: TimeLimit }[];
  warnings: CalendarWarning[];
}

/** When a stage that started at `start` with `limit` (+ approved `extensions`, chained) is due. */
export function stageDeadline(cal: WorkCalendar, start: number, limit: TimeLimit, extensions: readonly TimeLimit[], pauses: readonly Pause[]): DeadlineChain {
  const warnings: CalendarWarning[] = [];
  const segments: DeadlineChain['segments'] = [];
  let at: number | null = start;
  for (const l of [limit, ...extensions]) {
    if (at === null) break;
    segments.push({ start: at, limit: l });
    const r = cal.deadline(at, l, pauses);
    mergeWarnings(warnings, r.warnings);
    at = r.due;
  }
  return { due: at, segments, warnings };
}

function mergeWarnings(into: CalendarWarning[], more: readonly CalendarWarning[]) {
  for (const w of more) if (!into.some((x) => x.code === w.code && x.year === w.year)) into.push(w);
}

/** The fields of a case the clock reads. */
export interface ClockCaseFields {
  status: CaseStatus;
  suspended: boolean;
  /** When the current stage began (null: the case has no clock yet → the report time is used). */
  stageStartedAt: Date | string | number | null;
  reportedAt: Date | string | number;
  /** event_case.stage_extension */
  stageExtension: unknown;
}

export interface StageClock {
  stage: CaseStage | null;
  stageStartedAt: Date | null;
  stageDueAt: Date | null;
  slaLevel: SlaLevel;
  /** Share of the limit (+ extensions) used by `now` (0 without a clock). */
  fraction: number;
  warnings: CalendarWarning[];
}

/**
 * The current stage, its due time and its SLA level at `now`. `stageStartedAt` should already be the start of
 * the stage of `status` (see `stageRestarts`).
 */
export function computeStageClock(c: ClockCaseFields, limits: StageLimits, cal: WorkCalendar, pauses: readonly Pause[], now: number): StageClock {
  const s = stageOfStatus[c.status];
  if (!s) return { stage: null, stageStartedAt: null, stageDueAt: null, slaLevel: 'none', fraction: 0, warnings: [] };
  const start = new Date(c.stageStartedAt ?? c.reportedAt).getTime();
  const chain = stageDeadline(cal, start, limits[s.limit], parseExtensions(c.stageExtension), pauses);
  let used = 0;
  let total = 0;
  for (const seg of chain.segments) {
    const e = cal.elapsed(seg.start, now, seg.limit, pauses);
    mergeWarnings(chain.warnings, e.warnings);
    used += Math.min(e.usedMinutes, e.totalMinutes);
    total += e.totalMinutes;
  }
  const fraction = total > 0 ? used / total : 1;
  let slaLevel: SlaLevel;
  if (c.suspended) slaLevel = 'paused';
  else if ((chain.due !== null && now >= chain.due) || fraction >= 1) slaLevel = 'red';
  else if (fraction >= SLA_YELLOW) slaLevel = 'yellow';
  else slaLevel = 'green';
  return {
    stage: s.stage,
    stageStartedAt: new Date(start),
    stageDueAt: chain.due === null ? null : new Date(chain.due),
    slaLevel,
    fraction,
    warnings: chain.warnings,
  };
}

/**
 * Whether moving from `from` to `to` starts a new stage clock: a different stage, or a rework / reopen that
 * starts the same stage afresh (`restart`). A new stage also drops the previous stage's extensions.
 */
export function stageRestarts(from: CaseStatus | null, to: CaseStatus, restart = false): boolean {
  const a = from ? stageOfStatus[from] : null;
  const b = stageOfStatus[to];
  if (!b) return false;
  return restart || !a || a.stage !== b.stage;
}

/**
 * 按期结案 rule: a case is closed on time when it is closed no later than its first handle deadline
 * (`handle_due_at`, which approved extensions of the handle stage push back) plus the category's verify limit,
 * on the same calendar and pauses. A rework does not move that mark: a rework that runs late makes the
 * closure late. Null when the case never had a handle deadline.
 */
export function closeDeadline(cal: WorkCalendar, handleDueAt: Date | string | null, limits: StageLimits, pauses: readonly Pause[]): number | null {
  if (!handleDueAt) return null;
  return cal.deadline(new Date(handleDueAt).getTime(), limits.verify, pauses).due;
}
