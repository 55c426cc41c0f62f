/**
 * The event closed loop (issue 4; requirements C1–C36; domain-reference.md §2.4): case states, actions,
 * who may take each action, and the API shapes of cases. The transition table lives here so the server
 * enforces it and the console offers exactly the actions the server would accept.
 *
 * 上报 → 受理 (或 不予受理) → 立案 → 派遣 → 签收/处置 → 反馈 → 核查 (通过 → 待结案 → 结案; 不通过 → 返工)
 * → 回访 / 评价 (不满意 → 复核). Side branches: 自行处置, 回退, 上报上级, 交办下级, 延期, 缓办, 作废,
 * 督办, 催办, 并案.
 */
import { z } from 'zod';
import { IsoDateTime, PageQuery, pageOf, Uuid } from './common.js';

export const caseStatuses = [
  'reported',
  'rejected',
  'accepted',
  'filed',
  'dispatched',
  'handling',
  'returned',
  'feedback',
  'verified',
  'closed',
  'reviewing',
  'cancelled',
  'merged',
] as const;
export const CaseStatus = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const caseStatusLabels: Record<CaseStatus, { zh: string; en: string }> = {
  reported: { zh: '待受理', en: 'Reported' },
  rejected: { zh: '不予受理', en: 'Not accepted' },
  accepted: { zh: '待立案', en: 'Accepted' },
  filed: { zh: '待派遣', en: 'Filed' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  handling: { zh: '处置中', en: 'Being handled' },
  returned: { zh: '已回退', en: 'Returned' },
  feedback: { zh: '待核查', en: 'Awaiting verification' },
  verified: { zh: '待结案', en: 'Verified' },
  closed: { zh: '已结案', en: 'Closed' },
  reviewing: { zh: '复核中', en: 'Under review' },
  cancelled: { zh: '已作废', en: 'Cancelled' },
  merged: { zh: '已并案', en: 'Merged' },
};

/** States in which nothing more happens to the case (a closed case still takes callback and rating). */
export const terminalStatuses: readonly CaseStatus[] = ['rejected', 'closed', 'cancelled', 'merged'];
export const openStatuses: readonly CaseStatus[] = caseStatuses.filter((s) => !terminalStatuses.includes(s));
export const isOpenStatus = (s: CaseStatus) => !terminalStatuses.includes(s);

export const caseChannels = ['grid_worker', 'resident', 'staff_proxy', 'hotline', 'device', 'open311'] as const;
export const CaseChannel = z.enum(caseChannels);
export type CaseChannel = z.infer<typeof CaseChannel>;
export const caseChannelLabels: Record<CaseChannel, { zh: string; en: string }> = {
  grid_worker: { zh: '网格员上报', en: 'Grid worker' },
  resident: { zh: '居民上报', en: 'Resident' },
  staff_proxy: { zh: '代录（来电/来访/意见箱）', en: 'Entered by staff' },
  hotline: { zh: '12345 热线', en: '12345 hotline' },
  device: { zh: '设备/视频告警', en: 'Device / video alarm' },
  open311: { zh: 'Open311 接口', en: 'Open311' },
};

export const Urgency = z.enum(['normal', 'urgent', 'critical']);
export type Urgency = z.infer<typeof Urgency>;
export const urgencyLabels: Record<Urgency, { zh: string; en: string }> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
  critical: { zh: '特急', en: 'Critical' },
};

export const HandlingLevel = z.enum(['grid', 'community', 'street', 'district']);
export type HandlingLevel = z.infer<typeof HandlingLevel>;
export const handlingLevelLabels: Record<HandlingLevel, { zh: string; en: string }> = {
  grid: { zh: '网格', en: 'Grid' },
  community: { zh: '社区/村', en: 'Community' },
  street: { zh: '街道/乡镇', en: 'Street' },
  district: { zh: '区县', en: 'District' },
};

/** The clock that runs in each stage; the catalogue item's limits give its length. */
export const CaseStage = z.enum(['accept', 'dispatch', 'handle', 'verify', 'close']);
export type CaseStage = z.infer<typeof CaseStage>;
export const caseStageLabels: Record<CaseStage, { zh: string; en: string }> = {
  accept: { zh: '受理立案', en: 'Acceptance' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  handle: { zh: '处置', en: 'Handling' },
  verify: { zh: '核查', en: 'Verification' },
  close: { zh: '结案', en: 'Closure' },
};
/** Which stage's clock runs in a status, and which catalogue limit times it (null: no clock). */
export const stageOfStatus: Record<CaseStatus, { stage: CaseStage; limit: 'accept' | 'dispatch' | 'handle' | 'verify' } | null> = {
  reported: { stage: 'accept', limit: 'accept' },
  accepted: { stage: 'accept', limit: 'accept' },
  filed: { stage: 'dispatch', limit: 'dispatch' },
  returned: { stage: 'dispatch', limit: 'dispatch' },
  reviewing: { stage: 'dispatch', limit: 'dispatch' },
  dispatched: { stage: 'handle', limit: 'handle' },
  handling: { stage: 'handle', limit: 'handle' },
  feedback: { stage: 'verify', limit: 'verify' },
  verified: { stage: 'close', limit: 'verify' },
  rejected: null,
  closed: null,
  cancelled: null,
  merged: null,
};

export const SlaLevel = z.enum(['green', 'yellow', 'red', 'paused', 'none']);
export type SlaLevel = z.infer<typeof SlaLevel>;
export const slaLevelLabels: Record<SlaLevel, { zh: string; en: string }> = {
  green: { zh: '正常', en: 'On time' },
  yellow: { zh: '即将超时', en: 'Due soon' },
  red: { zh: '已超时', en: 'Overdue' },
  paused: { zh: '计时暂停', en: 'Paused' },
  none: { zh: '不计时', en: 'No clock' },
};
/** Yellow at 80 % of the stage's limit, red at 100 %. */
export const SLA_YELLOW = 0.8;

export const Supervision = z.enum(['none', 'normal', 'yellow', 'red']);
export type Supervision = z.infer<typeof Supervision>;
export const supervisionLabels: Record<Supervision, { zh: string; en: string }> = {
  none: { zh: '无', en: 'None' },
  normal: { zh: '一般督办', en: 'Supervised' },
  yellow: { zh: '黄牌督办', en: 'Yellow card' },
  red: { zh: '红牌督办', en: 'Red card' },
};

export const Rating = z.enum(['satisfied', 'basic', 'dissatisfied']);
export type Rating = z.infer<typeof Rating>;
export const ratingLabels: Record<Rating, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Fairly satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

/**
 * Who the caller is *to this case* (the server works it out from role, scope and the case):
 * - dispatcher: a center or community station whose capture scope holds the case (受理、立案、派遣、结案 …)
 * - handler: a member of the lead org unit the case is dispatched to (签收、处置反馈、回退、申请延期)
 * - co_handler: a member of a cooperating department (联办: progress notes)
 * - grid_staff: a grid leader/worker serving the case's grid (核查、回访、自行处置)
 * - reporter: the person who reported it, or reported a case merged into it (评价)
 */
export const actorKinds = ['dispatcher', 'handler', 'co_handler', 'grid_staff', 'reporter'] as const;
export type ActorKind = (typeof actorKinds)[number];

export const caseActions = [
  'accept',
  'reject',
  'file',
  'dispatch',
  'claim',
  'return',
  'feedback',
  'verify_pass',
  'verify_fail',
  'close',
  'self_dispose',
  'escalate',
  'delegate',
  'extension_request',
  'extension_approve',
  'extension_reject',
  'suspend',
  'resume',
  'cancel',
  'supervise',
  'urge',
  'note',
  'merge',
  'callback',
  'rate',
  'reopen',
  'uphold',
] as const;
export const CaseAction = z.enum(caseActions);
export type CaseAction = z.infer<typeof CaseAction>;

export const caseActionLabels: Record<CaseAction | 'report', { zh: string; en: string }> = {
  report: { zh: '上报', en: 'Report' },
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Reject' },
  file: { zh: '立案', en: 'File' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  claim: { zh: '签收', en: 'Claim' },
  return: { zh: '回退', en: 'Return' },
  feedback: { zh: '处置反馈', en: 'Report handling' },
  verify_pass: { zh: '核查通过', en: 'Verification passed' },
  verify_fail: { zh: '核查不通过（返工）', en: 'Verification failed (rework)' },
  close: { zh: '结案', en: 'Close' },
  self_dispose: { zh: '自行处置', en: 'Resolved on the spot' },
  escalate: { zh: '上报上级', en: 'Escalate' },
  delegate: { zh: '交办下级', en: 'Delegate down' },
  extension_request: { zh: '申请延期', en: 'Request extension' },
  extension_approve: { zh: '批准延期', en: 'Approve extension' },
  extension_reject: { zh: '驳回延期', en: 'Refuse extension' },
  suspend: { zh: '缓办', en: 'Suspend' },
  resume: { zh: '恢复办理', en: 'Resume' },
  cancel: { zh: '作废', en: 'Cancel' },
  supervise: { zh: '督办', en: 'Supervise' },
  urge: { zh: '催办', en: 'Urge' },
  note: { zh: '进展说明', en: 'Progress note' },
  merge: { zh: '并案', en: 'Merge into another case' },
  callback: { zh: '回访', en: 'Callback' },
  rate: { zh: '评价', en: 'Rate' },
  reopen: { zh: '复核：重新办理', en: 'Review: handle again' },
  uphold: { zh: '复核：维持结案', en: 'Review: uphold closure' },
};

export interface TransitionRule {
  /** States the action may start from. */
  from: readonly CaseStatus[];
  /** State after the action ('same' = unchanged). */
  to: CaseStatus | 'same';
  actors: readonly ActorKind[];
  /** A note (reason) is required. */
  note?: boolean;
  /** Allowed while the case is suspended (缓办). */
  whileSuspended?: boolean;
}

const beforeDispatch: CaseStatus[] = ['reported', 'accepted', 'filed', 'returned'];
const inHand: CaseStatus[] = ['dispatched', 'handling'];
const working: CaseStatus[] = ['reported', 'accepted', 'filed', 'returned', 'dispatched', 'handling', 'feedback', 'verified', 'reviewing'];

export const caseTransitions: Record<CaseAction, TransitionRule> = {
  accept: { from: ['reported'], to: 'accepted', actors: ['dispatcher'] },
  reject: { from: ['reported'], to: 'rejected', actors: ['dispatcher'], note: true },
  file: { from: ['accepted'], to: 'filed', actors: ['dispatcher'] },
  dispatch: { from: ['filed', 'returned', 'reviewing'], to: 'dispatched', actors: ['dispatcher'] },
  claim: { from: ['dispatched'], to: 'handling', actors: ['handler'] },
  return: { from: inHand, to: 'returned', actors: ['handler'], note: true },
  feedback: { from: inHand, to: 'feedback', actors: ['handler'], note: true },
  verify_pass: { from: ['feedback'], to: 'verified', actors: ['grid_staff', 'dispatcher'] },
  verify_fail: { from: ['feedback'], to: 'handling', actors: ['grid_staff', 'dispatcher'], note: true },
  close: { from: ['verified'], to: 'closed', actors: ['dispatcher'] },
  self_dispose: { from: ['reported'], to: 'closed', actors: ['grid_staff'], note: true },
  escalate: { from: beforeDispatch, to: 'filed', actors: ['dispatcher'], note: true },
  delegate: { from: beforeDispatch, to: 'filed', actors: ['dispatcher'], note: true },
  extension_request: { from: inHand, to: 'same', actors: ['handler'], note: true },
  extension_approve: { from: inHand, to: 'same', actors: ['dispatcher'] },
  extension_reject: { from: inHand, to: 'same', actors: ['dispatcher'], note: true },
  suspend: { from: [...beforeDispatch, ...inHand], to: 'same', actors: ['dispatcher'], note: true },
  resume: { from: [...beforeDispatch, ...inHand], to: 'same', actors: ['dispatcher'], whileSuspended: true },
  cancel: { from: [...beforeDispatch, ...inHand], to: 'cancelled', actors: ['dispatcher'], note: true, whileSuspended: true },
  supervise: { from: working, to: 'same', actors: ['dispatcher'], whileSuspended: true },
  urge: { from: working, to: 'same', actors: ['dispatcher'], whileSuspended: true },
  note: { from: working, to: 'same', actors: ['dispatcher', 'handler', 'co_handler', 'grid_staff'], note: true, whileSuspended: true },
  merge: { from: ['reported', 'accepted'], to: 'merged', actors: ['dispatcher'] },
  callback: { from: ['closed'], to: 'same', actors: ['grid_staff', 'dispatcher'], note: true },
  rate: { from: ['closed'], to: 'same', actors: ['reporter'] },
  reopen: { from: ['reviewing'], to: 'filed', actors: ['dispatcher'], note: true },
  uphold: { from: ['reviewing'], to: 'closed', actors: ['dispatcher'], note: true },
};

/** The actions an actor holding `kinds` may take on a case in `status` (what the console offers). */
export function allowedActions(status: CaseStatus, suspended: boolean, kinds: readonly ActorKind[]): CaseAction[] {
  return caseActions.filter((a) => {
    const t = caseTransitions[a];
    if (!t.from.includes(status)) return false;
    if (suspended && !t.whileSuspended) return false;
    if (!suspended && a === 'resume') return false;
    return t.actors.some((k) => kinds.includes(k));
  });
}

// ─── API shapes ────────────────────────────────────────────────────────────────────────────────

const Lng = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
export const CaseLocation = z.strictObject({
  lng: Lng,
  lat: Lat,
  /** Coordinate system of lng/lat; GCJ-02 (高德/腾讯) and BD-09 (百度) are converted to WGS84. */
  crs: z.enum(['WGS84', 'CGCS2000', 'GCJ02', 'BD09']).default('WGS84'),
});

/** One action on a case. Fields beyond `note` are read by the actions that need them. */
export const CaseActionRequest = z.strictObject({
  action: CaseAction,
  note: z.string().trim().max(2000).optional(),
  /** The case version the caller saw; a stale one is refused with CASE_STALE. */
  version: z.number().int().optional(),
  /** dispatch: lead org unit (default: the routing rule's) and cooperating units (联办). */
  leadOrgUnitId: Uuid.optional(),
  coOrgUnitIds: z.array(Uuid).max(10).optional(),
  /** escalate / delegate: the region the case moves to (default for escalate: the parent region). */
  regionId: Uuid.optional(),
  /** extension_request: extra time asked for. */
  extension: z.strictObject({ amount: z.number().positive().max(365), unit: z.enum(['working_hours', 'working_days', 'natural_hours']) }).optional(),
  /** suspend: when to look at the case again. */
  reviewDate: z.iso.date().optional(),
  /** supervise: 督办 level. */
  supervision: Supervision.optional(),
  /** merge: the parent case. */
  parentCaseId: Uuid.optional(),
  /** rate / callback: the resident's rating. */
  rating: Rating.optional(),
  /** Attachments uploaded beforehand (feedback: before/after photos). */
  attachmentIds: z.array(Uuid).max(20).optional(),
});
export type CaseActionRequest = z.infer<typeof CaseActionRequest>;

export const CaseSummary = z.object({
  id: Uuid,
  caseNo: z.string(),
  title: z.string(),
  status: CaseStatus,
  channel: CaseChannel,
  urgency: Urgency,
  categoryId: Uuid,
  categoryCode: z.string(),
  categoryName: z.string(),
  regionId: Uuid,
  regionName: z.string(),
  gridId: Uuid.nullable(),
  gridName: z.string().nullable(),
  noGrid: z.boolean(),
  leadOrgUnitId: Uuid.nullable(),
  leadOrgUnitName: z.string().nullable(),
  stage: CaseStage.nullable(),
  stageDueAt: IsoDateTime.nullable(),
  slaLevel: SlaLevel,
  suspended: z.boolean(),
  supervision: Supervision,
  reportedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable(),
  parentCaseId: Uuid.nullable(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseTimelineEntry = z.object({
  seq: z.number().int(),
  action: z.string(),
  fromStatus: CaseStatus.nullable(),
  toStatus: CaseStatus.nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: IsoDateTime,
  attachmentIds: z.array(Uuid),
});
export type CaseTimelineEntry = z.infer<typeof CaseTimelineEntry>;

export const CaseAttachment = z.object({
  id: Uuid,
  kind: z.enum(['photo', 'audio', 'video']),
  purpose: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  originalName: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type CaseAttachment = z.infer<typeof CaseAttachment>;

export const CaseDetail = CaseSummary.extend({
  description: z.string(),
  address: z.string().nullable(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  peopleInvolved: z.string().nullable(),
  reporterName: z.string().nullable(),
  /** Masked (138****5678); never in clear. */
  reporterPhone: z.string().nullable(),
  channelDetail: z.string().nullable(),
  externalId: z.string().nullable(),
  handlingLevel: HandlingLevel,
  coOrgUnits: z.array(z.object({ id: Uuid, name: z.string() })),
  firstReport: z.boolean(),
  stageStartedAt: IsoDateTime.nullable(),
  handleDueAt: IsoDateTime.nullable(),
  onTimeHandle: z.boolean().nullable(),
  onTimeClose: z.boolean().nullable(),
  selfDisposed: z.boolean(),
  reworkCount: z.number().int(),
  returnCount: z.number().int(),
  extensionCount: z.number().int(),
  satisfaction: Rating.nullable(),
  callbackDone: z.boolean(),
  version: z.number().int(),
  /** Cases merged into this one (并案), and the reporters who follow it. */
  children: z.array(z.object({ id: Uuid, caseNo: z.string(), reportedAt: IsoDateTime })),
  timeline: z.array(CaseTimelineEntry),
  attachments: z.array(CaseAttachment),
  /** What the caller may do now (the server accepts exactly these). */
  allowedActions: z.array(CaseAction),
  /** Calendar warnings (a year without a holiday schedule). */
  warnings: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

/** Which list: the dispatcher queue, a department inbox, a grid worker's cases, a resident's reports. */
export const CaseListView = z.enum(['queue', 'inbox', 'mine', 'reported']);
export type CaseListView = z.infer<typeof CaseListView>;
export const CaseListQuery = PageQuery.extend({
  view: CaseListView.default('queue'),
  status: z.union([CaseStatus, z.array(CaseStatus)]).optional(),
  /** open = every non-terminal status. */
  open: z.enum(['true', 'false']).optional(),
  categoryId: Uuid.optional(),
  regionId: Uuid.optional(),
  gridId: Uuid.optional(),
  sla: z.union([SlaLevel, z.array(SlaLevel)]).optional(),
  q: z.string().trim().max(50).optional(),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;
/** `totalIsLowerBound`: the count stopped at its cap (10,001); there are at least `total` cases. */
export const CaseList = pageOf(CaseSummary).extend({ totalIsLowerBound: z.boolean().optional() });
export const CaseIdParams = z.strictObject({ id: Uuid });

/** Bulk assignment from the dispatcher queue: one action on many cases, each done (or refused) on its own. */
export const caseBulkActions = ['accept', 'file', 'dispatch'] as const;
export const CaseBulkActionRequest = z.strictObject({
  ids: z.array(Uuid).min(1).max(100),
  action: z.enum(caseBulkActions),
  note: z.string().trim().max(2000).optional(),
  leadOrgUnitId: Uuid.optional(),
  coOrgUnitIds: z.array(Uuid).max(10).optional(),
});
export type CaseBulkActionRequest = z.infer<typeof CaseBulkActionRequest>;
export const CaseBulkActionResult = z.object({
  results: z.array(
    z.object({
      id: Uuid,
      ok: z.boolean(),
      /** The new status when done. */
      status: CaseStatus.nullable(),
      /** The error code and message (caller's language) when refused. */
      code: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
});
export type CaseBulkActionResult = z.infer<typeof CaseBulkActionResult>;
