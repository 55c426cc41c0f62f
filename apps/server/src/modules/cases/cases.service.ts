import {
  type CaseActionRequest,
  type CaseBulkActionRequest,
  type CaseBulkActionResult,
  type CaseDetail,
  type CaseList,
  type CaseListQuery,
  type CaseStatus,
  type CaseSummary,
  caseStatuses,
  terminalStatuses,
} from '@gridgov/contracts/cases';
import { errorMessage } from '@gridgov/contracts/errors';
import type { z } from 'zod';
import { fromJson } from '../../db/json.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { toCstIso } from '../calendar/working-time.js';
import { viewRoots } from '../regions/subtree.js';
import { computeStageClock, parseLimits, pausesOf } from './case-clock.js';
import { type CaseRow, type CasesRepository, listScope, type SummaryNames } from './cases.repository.js';
import type { WorkflowDeps, WorkflowService } from './workflow.service.js';

const iso = (d: Date | string | null) => (d === null ? null : toCstIso(new Date(d).getTime()));

function toSummary(
  r: CaseRow & SummaryNames,
  clock?: { stage: CaseSummary['stage']; stageDueAt: Date | null; slaLevel: CaseSummary['slaLevel'] },
): CaseSummary {
  return {
    id: r.id,
    caseNo: r.case_no,
    title: r.title,
    status: r.status,
    channel: r.channel,
    urgency: r.urgency,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    regionId: r.region_id,
    regionName: r.region_name,
    gridId: r.grid_id,
    gridName: r.grid_name,
    noGrid: r.no_grid,
    leadOrgUnitId: r.lead_org_unit_id,
    leadOrgUnitName: r.lead_name,
    stage: clock ? clock.stage : (r.stage as CaseSummary['stage']),
    stageDueAt: iso(clock ? clock.stageDueAt : r.stage_due_at),
    slaLevel: clock ? clock.slaLevel : r.sla_level,
    suspended: r.suspended,
    supervision: r.supervision,
    reportedAt: iso(r.reported_at) as string,
    closedAt: iso(r.closed_at),
    parentCaseId: r.parent_case_id,
  };
}

/**
 * Reading cases (queue, inbox, my grids, my reports; one case's detail with timeline and the caller's actions) and
 * the action endpoints (one, or a bulk assignment from the queue). Scope is checked here and in the list SQL.
 */
export function createCasesService(deps: { repo: CasesRepository; workflow: WorkflowService; calendar: WorkflowDeps['calendar']; now?: () => Date }) {
  const { repo, workflow, calendar } = deps;
  const now = deps.now ?? (() => new Date());

  async function detail(p: Principal, id: string, opts: { justActed?: boolean } = {}): Promise<CaseDetail> {
    const c = await workflow.visibleCase(p, id, opts);
    const [extras, timeline, attachments, children, rules, pauses] = await Promise.all([
      repo.detailExtras(id),
      repo.timeline(id),
      repo.attachments(id),
      repo.children(id),
      repo.categoryRules(c.category_id, c.category_version),
      repo.pauses(id),
    ]);
    if (!extras || !rules) throw new AppError('NOT_FOUND');
    const co = await repo.orgUnits(c.co_org_unit_ids);
    const cal = await calendar.calendarFor(c.region_id);
    const clock = computeStageClock(
      { status: c.status, suspended: c.suspended, stageStartedAt: c.stage_started_at, reportedAt: c.reported_at, stageExtension: c.stage_extension },
      parseLimits(rules.limits),
      cal,
      pausesOf(pauses),
      now().getTime(),
    );
    return {
      ...toSummary({ ...c, ...extras }, clock),
      description: c.description,
      address: c.address,
      location: extras.lng === null || extras.lat === null ? null : { lng: Number(extras.lng), lat: Number(extras.lat) },
      peopleInvolved: c.people_involved,
      reporterName: c.reporter_name,
      reporterPhone: c.reporter_phone_masked,
      channelDetail: c.channel_detail,
      externalId: c.external_id,
      handlingLevel: c.handling_level,
      coOrgUnits: c.co_org_unit_ids.map((uid) => ({ id: uid, name: co.find((u) => u.id === uid)?.name ?? '' })),
      firstReport: c.first_report,
      stageStartedAt: iso(clock.stageStartedAt),
      handleDueAt: iso(c.handle_due_at),
      onTimeHandle: c.on_time_handle,
      onTimeClose: c.on_time_close,
      selfDisposed: c.self_disposed,
      reworkCount: c.rework_count,
      returnCount: c.return_count,
      extensionCount: c.extension_count,
      satisfaction: c.satisfaction,
      callbackDone: c.callback_done,
      version: c.version,
      children: children.map((ch) => ({ id: ch.id, caseNo: ch.case_no, reportedAt: iso(ch.reported_at) as string })),
      timeline: timeline.map((t) => ({
        seq: t.seq,
        action: t.action,
        fromStatus: t.from_status as CaseStatus | null,
        toStatus: t.to_status as CaseStatus | null,
        actorName: t.actor_name,
        actorRole: t.actor_role,
        note: t.note,
        data: fromJson<Record<string, unknown>>(t.data) ?? {},
        at: iso(t.created_at) as string,
        attachmentIds: t.attachment_ids,
      })),
      attachments: attachments.map((a) => ({
        id: a.id,
        kind: a.kind,
        purpose: a.purpose,
        mime: a.mime,
        sizeBytes: a.size_bytes,
        originalName: a.original_name,
        createdAt: iso(a.created_at) as string,
      })),
      allowedActions: await workflow.actionsFor(p, c, repo.db),
      warnings: clock.warnings.map(({ code, zh, en }) => ({ code, zh, en })),
    };
  }

  return {
    async list(p: Principal, q: CaseListQuery): Promise<z.infer<typeof CaseList>> {
      const roots = viewRoots(p).map((r) => r.path);
      const scope = listScope(
        {
          userId: p.userId,
          orgUnitId: p.orgUnitId,
          role: p.role,
          canRead: p.permissions.has('case.read'),
          canDispatch: p.permissions.has('case.dispatch'),
          viewPaths: roots,
          capturePaths: p.capture.map((r) => r.path),
          grids: p.grids ?? null,
        },
        q.view,
      );
      let statuses = q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status];
      if (q.open !== undefined) {
        const open = q.open === 'true';
        const pool = statuses ?? [];
        const keep = (s: CaseStatus) => terminalStatuses.includes(s) !== open;
        statuses = statuses ? pool.filter(keep) : caseStatuses.filter(keep);
        if (statuses.length === 0) return { items: [], total: 0 };
      }
      let regionPath: string | undefined;
      if (q.regionId) {
        const region = await repo.region(q.regionId);
        if (!region) return { items: [], total: 0 };
        regionPath = region.path;
      }
      const sla = q.sla === undefined ? undefined : Array.isArray(q.sla) ? q.sla : [q.sla];
      const { rows, total, totalIsLowerBound } = await repo.list({
        scope,
        statuses,
        categoryId: q.categoryId,
        regionPath,
        gridId: q.gridId,
        sla,
        q: q.q || undefined,
        limit: q.limit,
        offset: q.offset,
      });
      return { items: rows.map((r) => toSummary(r)), total, ...(totalIsLowerBound ? { totalIsLowerBound } : {}) };
    },

    detail: (p: Principal, id: string) => detail(p, id),

    /** One action; answers with the case as it is afterwards (even when the action took it out of the caller's view). */
    async act(p: Principal, id: string, req: CaseActionRequest): Promise<CaseDetail> {
      await workflow.act(p, id, req);
      return detail(p, id, { justActed: true });
    },

    /** The same action on many cases, each in its own transaction; every case gets its own result. */
    async bulk(p: Principal, req: CaseBulkActionRequest): Promise<CaseBulkActionResult> {
      const results: CaseBulkActionResult['results'] = [];
      for (const id of [...new Set(req.ids)]) {
        try {
          const r = await workflow.act(p, id, { action: req.action, note: req.note, leadOrgUnitId: req.leadOrgUnitId, coOrgUnitIds: req.coOrgUnitIds });
          results.push({ id, ok: true, status: r.status, code: null, message: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ id, ok: false, status: null, code: err.code, message: err.message !== err.code ? err.message : errorMessage(err.code, p.locale) });
        }
      }
      return { results };
    },
  };
}
export type CasesService = ReturnType<typeof createCasesService>;
