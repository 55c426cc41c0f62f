import {
  type ActorKind,
  allowedActions,
  type CaseAction,
  type CaseActionRequest,
  type CaseStatus,
  caseActionLabels,
  caseStatusLabels,
  caseTransitions,
  isOpenStatus,
  stageOfStatus,
  supervisionLabels,
} from '@gridgov/contracts/cases';
import type { Kysely } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, type Principal } from '../../http/principal.js';
import type { WorkCalendar } from '../calendar/working-time.js';
import { resolveRouting } from '../catalogue/routing.resolve.js';
import { enqueueStatusPush } from '../intake/hotline-push.js';
import { actorKinds, type CaseAccessFields, canViewCase } from './case-access.js';
import {
  addExtension,
  closeDeadline,
  computeStageClock,
  parseExtensions,
  parseLimits,
  pausesOf,
  type StageLimits,
  stageDeadline,
  stageRestarts,
} from './case-clock.js';
import type { CasePatch, CaseRow, CasesRepository } from './cases.repository.js';

export interface WorkflowDeps {
  repo: CasesRepository;
  calendar: { calendarFor(regionId?: string, trx?: Kysely<DB>): Promise<WorkCalendar> };
  now?: () => Date;
}

/** A case with what access depends on (its merged children's reporters). */
export type AccessCase = CaseRow & CaseAccessFields;

type Extension = NonNullable<CaseActionRequest['extension']>;
/** A notification row to write with the action (to a user, or to everyone of an org unit). */
interface Notice {
  userId?: string | null;
  orgUnitId?: string | null;
  kind: string;
  title: string;
  body?: string;
}

const label = (s: CaseStatus) => caseStatusLabels[s].zh;

/**
 * The workflow (issue 4 §4): one action on one case, in one transaction — lock the row, check version, state,
 * actor kind, note and suspension, apply the action's effects, append the timeline entry, recompute the stage
 * clock and indicator flags, bump the version, notify. The transition table is contracts' `caseTransitions`.
 */
export function createWorkflowService(deps: WorkflowDeps) {
  const { repo, calendar } = deps;
  const now = deps.now ?? (() => new Date());

  async function loadForAccess(id: string, trx: Kysely<DB>, lock: boolean): Promise<AccessCase | undefined> {
    const c = lock ? await repo.lockCase(id, trx) : await repo.getCase(id, trx);
    if (!c) return undefined;
    return { ...c, child_reporter_ids: await repo.childReporterIds(id, trx) };
  }

  /** The actions the caller may take now: the transition table narrowed by the case's own conditions. */
  async function actionsFor(p: Principal, c: AccessCase, trx: Kysely<DB>): Promise<CaseAction[]> {
    const kinds = actorKinds(p, c);
    let list = allowedActions(c.status, c.suspended, kinds);
    if (list.includes('self_dispose')) {
      const rules = await repo.categoryRules(c.category_id, c.category_version, trx);
      if (!rules?.self_dispose) list = list.filter((a) => a !== 'self_dispose');
    }
    if (list.some((a) => a.startsWith('extension_'))) {
      const pending = await pendingExtension(c, trx);
      list = list.filter((a) => (a === 'extension_request' ? !pending : a.startsWith('extension_') ? !!pending : true));
    }
    if (list.includes('rate') && (await repo.hasRating(c.id, p.userId, trx))) list = list.filter((a) => a !== 'rate');
    return list;
  }

  async function pendingExtension(c: CaseRow, trx: Kysely<DB>): Promise<Extension | null> {
    const last = await repo.lastExtensionEntry(c.id, c.stage_started_at, trx);
    if (last?.action !== 'extension_request') return null;
    return (fromJson<{ extension?: Extension }>(last.data).extension ?? null) as Extension | null;
  }

  /** Refusals in a fixed order: out of view, stale version, wrong state, wrong actor, missing note, suspended. */
  function check(p: Principal, c: AccessCase, req: CaseActionRequest): ActorKind[] {
    if (!canViewCase(p, c)) throw new AppError('NOT_FOUND');
    if (req.version !== undefined && req.version !== c.version) throw new AppError('CASE_STALE', { details: { version: c.version } });
    const rule = caseTransitions[req.action];
    const wrongState = () =>
      new AppError('CASE_WRONG_STATE', {
        message: `案件当前状态为「${label(c.status)}」，不能${caseActionLabels[req.action].zh} / The case is ${caseStatusLabels[c.status].en}`,
        details: { status: c.status, statusLabel: caseStatusLabels[c.status] },
      });
    if (!rule.from.includes(c.status)) throw wrongState();
    const kinds = actorKinds(p, c);
    if (!rule.actors.some((k) => kinds.includes(k))) throw new AppError('CASE_ACTION_FORBIDDEN');
    if (rule.note && !req.note) throw new AppError('CASE_NOTE_REQUIRED');
    if (c.suspended && !rule.whileSuspended) throw new AppError('CASE_SUSPENDED');
    if (!c.suspended && req.action === 'resume') throw wrongState();
    return kinds;
  }

  const invalid = (field: string, zh: string, en: string) =>
    new AppError('CASE_ACTION_INVALID', { fields: [{ path: field, code: 'invalid', message: `${zh} / ${en}` }] });

  /** Applies one action inside `trx`; returns the case id. Throws AppError (the transaction rolls back). */
  async function apply(p: Principal, id: string, req: CaseActionRequest, trx: Kysely<DB>): Promise<{ id: string; status: CaseStatus }> {
    const c = await loadForAccess(id, trx, true);
    if (!c) throw new AppError('NOT_FOUND');
    const kinds = check(p, c, req);
    const at = now();
    const rule = caseTransitions[req.action];
    let to: CaseStatus = rule.to === 'same' ? c.status : rule.to;
    const patch: CasePatch = {};
    const data: Record<string, unknown> = {};
    let restart = false;
    const notes: Notice[] = [];
    let systemEntry: { note: string; data: Record<string, unknown> } | null = null;
    let regionId = c.region_id;

    const rules = await repo.categoryRules(c.category_id, c.category_version, trx);
    if (!rules) throw new Error(`case ${c.id}: category version ${c.category_version} missing`);
    const limits = parseLimits(rules.limits);
    const calFor = async (rid: string) => calendar.calendarFor(rid, trx);

    switch (req.action) {
      case 'accept':
        patch.accepted_at = at;
        break;
      case 'reject':
        break;
      case 'file':
        patch.filed_at = at;
        break;
      case 'dispatch': {
        let lead = req.leadOrgUnitId ?? null;
        let co = req.coOrgUnitIds ?? null;
        if (!lead) {
          // The most specific routing rule, else the item's department, else the station/center of its level.
          const routed = await resolveRouting(trx, c.category_id, c.region_id, { version: c.category_version });
          lead = routed.lead?.id ?? null;
          co ??= routed.co.map((u) => u.id);
          data.routing = routed.source;
        }
        if (!lead) throw new AppError('CASE_NO_DEPARTMENT');
        const coIds = [...new Set(co ?? [])].filter((x) => x !== lead);
        const units = await repo.orgUnits([lead, ...coIds], trx);
        if (units.length !== coIds.length + 1) throw invalid('leadOrgUnitId', '派遣部门不存在', 'unknown org unit');
        patch.lead_org_unit_id = lead;
        patch.co_org_unit_ids = coIds;
        patch.dispatched_at = at;
        data.leadOrgUnitId = lead;
        data.leadOrgUnitName = units.find((u) => u.id === lead)?.name ?? null;
        data.coOrgUnitIds = coIds;
        restart = true;
        notes.push({ orgUnitId: lead, kind: 'dispatch', title: `新派遣案件 ${c.case_no}：${c.title}` });
        for (const u of coIds) notes.push({ orgUnitId: u, kind: 'dispatch', title: `联办案件 ${c.case_no}：${c.title}` });
        break;
      }
      case 'claim':
        break;
      case 'return':
        patch.return_count = c.return_count + 1;
        break;
      case 'feedback': {
        const cal = await calFor(c.region_id);
        const due = currentDue(c, limits, cal, pausesOf(await repo.pauses(c.id, trx)));
        patch.handled_at = at;
        patch.on_time_handle = due === null || at.getTime() <= due;
        break;
      }
      case 'verify_fail':
        patch.rework_count = c.rework_count + 1;
        restart = true;
        break;
      case 'verify_pass':
        patch.verified_at = at;
        break;
      case 'close': {
        const cal = await calFor(c.region_id);
        const due = closeDeadline(cal, c.handle_due_at, limits, pausesOf(await repo.pauses(c.id, trx)));
        patch.closed_at = at;
        patch.on_time_close = due === null ? null : at.getTime() <= due;
        break;
      }
      case 'self_dispose':
        if (!rules.self_dispose) {
          throw new AppError('CASE_ACTION_FORBIDDEN', { message: '该事项不允许网格员自行处置 / This matter may not be resolved on the spot' });
        }
        Object.assign(patch, { self_disposed: true, handled_at: at, closed_at: at, on_time_handle: true, on_time_close: true });
        break;
      case 'escalate': {
        const region = await repo.region(c.region_id, trx);
        const targetId = req.regionId ?? region?.parent_id ?? null;
        const target = targetId ? await repo.region(targetId, trx) : undefined;
        if (!target || target.id === c.region_id || !c.region_path.startsWith(target.path)) {
          throw invalid('regionId', '上报上级须选择本案件所在辖区的上级区域', 'escalate to an ancestor region of the case');
        }
        Object.assign(patch, { region_id: target.id, region_path: target.path });
        regionId = target.id;
        data.fromRegionId = c.region_id;
        data.regionId = target.id;
        data.regionName = target.name;
        break;
      }
      case 'delegate': {
        if (!req.regionId) throw invalid('regionId', '交办下级须选择下级区域', 'choose the region to delegate to');
        const target = await repo.region(req.regionId, trx);
        if (!target || target.id === c.region_id || !target.path.startsWith(c.region_path) || !canCapture(p, target.path)) {
          throw invalid('regionId', '交办下级须选择本案件所在辖区内、您管辖范围内的下级区域', 'delegate to a region below the case, in your scope');
        }
        Object.assign(patch, { region_id: target.id, region_path: target.path });
        regionId = target.id;
        data.fromRegionId = c.region_id;
        data.regionId = target.id;
        data.regionName = target.name;
        break;
      }
      case 'extension_request': {
        if (!req.extension) throw invalid('extension', '请填写申请延长的时间', 'the extension asked for is missing');
        if (await pendingExtension(c, trx)) throw new AppError('CASE_EXTENSION_PENDING');
        data.extension = req.extension;
        break;
      }
      case 'extension_approve': {
        const ext = await pendingExtension(c, trx);
        if (!ext) throw new AppError('CASE_EXTENSION_NONE');
        patch.stage_extension = JSON.stringify(addExtension(c.stage_extension, ext));
        patch.extension_count = c.extension_count + 1;
        data.extension = ext;
        break;
      }
      case 'extension_reject': {
        const ext = await pendingExtension(c, trx);
        if (!ext) throw new AppError('CASE_EXTENSION_NONE');
        data.extension = ext;
        break;
      }
      case 'suspend':
        await repo.openPause(c.id, { at, reason: req.note ?? '', reviewDate: req.reviewDate ?? null }, trx);
        Object.assign(patch, { suspended: true, suspend_count: c.suspend_count + 1 });
        if (req.reviewDate) data.reviewDate = req.reviewDate;
        break;
      case 'resume':
        await repo.closePauses(c.id, at, trx);
        patch.suspended = false;
        break;
      case 'cancel':
        if (c.suspended) {
          await repo.closePauses(c.id, at, trx);
          patch.suspended = false;
        }
        break;
      case 'supervise': {
        if (!req.supervision || req.supervision === 'none') throw invalid('supervision', '请选择督办级别', 'choose the supervision level');
        patch.supervision = req.supervision;
        data.supervision = req.supervision;
        await alertHandlers(c, 'supervise', `${supervisionLabels[req.supervision].zh}：${c.case_no} ${c.title}`, req.note, notes, trx);
        break;
      }
      case 'urge':
        await alertHandlers(c, 'urge', `催办：${c.case_no} ${c.title}`, req.note, notes, trx);
        break;
      case 'note':
        break;
      case 'merge': {
        if (!req.parentCaseId) throw invalid('parentCaseId', '请选择并入的案件', 'choose the case to merge into');
        const parent = req.parentCaseId === c.id ? undefined : await repo.lockCase(req.parentCaseId, trx);
        if (
          !parent ||
          !isOpenStatus(parent.status) ||
          parent.parent_case_id !== null ||
          !canCapture(p, parent.region_path) ||
          (await repo.hasChildren(c.id, trx))
        ) {
          throw new AppError('CASE_MERGE_INVALID');
        }
        patch.parent_case_id = parent.id;
        data.parentCaseId = parent.id;
        data.parentCaseNo = parent.case_no;
        const childLater = new Date(c.reported_at).getTime() >= new Date(parent.reported_at).getTime();
        if (childLater) patch.first_report = false;
        await repo.updateCase(parent.id, childLater ? {} : { first_report: false }, trx);
        await repo.appendAction(
          {
            caseId: parent.id,
            action: 'merge',
            fromStatus: parent.status,
            toStatus: parent.status,
            ...actor(p),
            note: req.note ?? null,
            data: { childCaseId: c.id, childCaseNo: c.case_no },
            at,
          },
          trx,
        );
        break;
      }
      case 'callback':
        patch.callback_done = true;
        if (req.rating) {
          await repo.insertRating({ caseId: c.id, raterUserId: null, source: 'callback', rating: req.rating, comment: req.note ?? null }, trx);
          if (!c.satisfaction) patch.satisfaction = req.rating;
          data.rating = req.rating;
          // The callback records the resident's own verdict (C22): dissatisfaction starts 复核 as an in-app rating does (C23).
          if (req.rating === 'dissatisfied') {
            patch.satisfaction = req.rating;
            to = 'reviewing';
            restart = true;
            systemEntry = { note: '回访不满意，案件转入复核 / Dissatisfied at callback: the case goes to review', data: { rating: req.rating } };
          }
        }
        break;
      case 'rate': {
        if (!req.rating) throw invalid('rating', '请选择评价', 'choose a rating');
        if (await repo.hasRating(c.id, p.userId, trx)) throw new AppError('CASE_ALREADY_RATED');
        await repo.insertRating({ caseId: c.id, raterUserId: p.userId, source: 'resident', rating: req.rating, comment: req.note ?? null }, trx);
        patch.satisfaction = req.rating;
        data.rating = req.rating;
        if (req.rating === 'dissatisfied') {
          to = 'reviewing';
          restart = true;
          systemEntry = { note: '评价不满意，案件转入复核 / Dissatisfied: the case goes to review', data: { rating: req.rating } };
        }
        break;
      }
      case 'reopen':
        Object.assign(patch, { closed_at: null, on_time_close: null, verified_at: null });
        restart = true;
        break;
      case 'uphold':
        if (!c.closed_at) patch.closed_at = at;
        break;
    }

    // The timeline entry (and the system entry of a dissatisfied rating), attachments linked to it.
    const entry = await repo.appendAction(
      {
        caseId: c.id,
        action: req.action,
        fromStatus: c.status,
        toStatus: systemEntry ? c.status : to,
        ...actor(p),
        note: req.note ?? null,
        data: { ...data, actorKinds: kinds },
        at,
      },
      trx,
    );
    const ids = [...new Set(req.attachmentIds ?? [])];
    if ((await repo.linkAttachments(c.id, entry.id, ids, p.userId, trx)) !== ids.length) throw new AppError('ATTACHMENT_UNKNOWN');
    if (systemEntry) {
      await repo.appendAction(
        { caseId: c.id, action: 'review', fromStatus: c.status, toStatus: to, actorUserId: null, actorName: '系统', actorRole: 'system', ...systemEntry, at },
        trx,
      );
    }

    // The stage clock after the action.
    patch.status = to;
    const startsAfresh = stageRestarts(c.status, to, restart);
    const stageStartedAt = startsAfresh ? at : c.stage_started_at;
    const stageExtension = startsAfresh ? null : (patch.stage_extension ?? c.stage_extension);
    if (startsAfresh) patch.stage_extension = null;
    const cal = await calFor(regionId);
    const pauses = pausesOf(await repo.pauses(c.id, trx));
    const clock = computeStageClock(
      { status: to, suspended: patch.suspended ?? c.suspended, stageStartedAt, reportedAt: c.reported_at, stageExtension },
      limits,
      cal,
      pauses,
      at.getTime(),
    );
    Object.assign(patch, { stage: clock.stage, stage_started_at: clock.stageStartedAt, stage_due_at: clock.stageDueAt, sla_level: clock.slaLevel });
    // 处置时限: set by each dispatch (a re-dispatch after 回退 gives the new department the full limit), pushed
    // back by an approved 延期 of that handle stage; a rework does not move it.
    if (req.action === 'dispatch') patch.handle_due_at = clock.stageDueAt;
    if (req.action === 'extension_approve' && clock.stage === 'handle' && c.rework_count === 0) patch.handle_due_at = clock.stageDueAt;
    await repo.updateCase(c.id, patch, trx);
    // A 12345 hotline case's new status is pushed back to the hotline (outbox, delivered by the webhook job).
    if (to !== c.status) await enqueueStatusPush(trx, { ...c, status: to, version: c.version + 1 }, at);

    // Reporters hear of every status change.
    if (to !== c.status) {
      const reporters = new Set([c.reporter_user_id, ...(c.child_reporter_ids ?? [])].filter((x): x is string => !!x && x !== p.userId));
      for (const u of reporters) notes.push({ userId: u, kind: 'progress', title: `您反映的问题 ${c.case_no}：${label(to)}`, body: c.title });
    }
    await repo.notify(
      notes.map((n) => ({ ...n, caseId: c.id })),
      trx,
    );
    return { id: c.id, status: to };
  }

  async function alertHandlers(c: CaseRow, kind: string, title: string, body: string | undefined, out: Notice[], trx: Kysely<DB>) {
    if (c.lead_org_unit_id) out.push({ orgUnitId: c.lead_org_unit_id, kind, title, body });
    if (c.grid_id) for (const u of await repo.gridStaffIds(c.grid_id, trx)) out.push({ userId: u, kind, title, body });
  }

  return {
    /** Takes one action (its own transaction); throws AppError on refusal with nothing written. */
    async act(p: Principal, id: string, req: CaseActionRequest): Promise<{ id: string; status: CaseStatus }> {
      return repo.transaction((trx) => apply(p, id, req, trx));
    },
    /**
     * A case the caller may see (with access fields), or NOT_FOUND. `justActed`: the caller has just acted on it and
     * may be shown the result even when the action took it out of their view (上报上级 moves it up the tree).
     */
    async visibleCase(p: Principal, id: string, opts: { justActed?: boolean } = {}, trx: Kysely<DB> = repo.db): Promise<AccessCase> {
      const c = await loadForAccess(id, trx, false);
      if (!c || (!opts.justActed && !canViewCase(p, c))) throw new AppError('NOT_FOUND');
      return c;
    },
    actionsFor,
    pendingExtension,
  };
}
export type WorkflowService = ReturnType<typeof createWorkflowService>;

function actor(p: Principal) {
  return { actorUserId: p.userId, actorName: p.displayName, actorRole: p.role };
}

/** The current stage's due time (limit + approved extensions, minus pauses), epoch ms or null (no clock, open pause). */
function currentDue(c: CaseRow, limits: StageLimits, cal: WorkCalendar, pauses: ReturnType<typeof pausesOf>): number | null {
  const s = stageOfStatus[c.status];
  if (!s) return null;
  return stageDeadline(cal, new Date(c.stage_started_at ?? c.reported_at).getTime(), limits[s.limit], parseExtensions(c.stage_extension), pauses).due;
}
