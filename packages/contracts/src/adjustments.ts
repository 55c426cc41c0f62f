import { z } from 'zod';
import { AreaGeometry, CoordSystem } from './geojson.js';
import { AdjustmentKind, AdjustmentStatus, CreateAdjustmentRequest, DedicatedKind, GridType, ProposedGrid } from './grids.js';

/**
 * Grid adjustments (A18–A20): 社区申报 → 中心审核 → 公示 → 生效, with the records re-attributed by
 * location when an adjustment takes effect. The request shapes of contracts/grids.ts are reused.
 */

export type AdjustmentStatusKey = z.infer<typeof AdjustmentStatus>;

/** Which status each action may start from; anything else is ADJUSTMENT_WRONG_STATE. */
export const adjustmentTransitions = {
  update: { from: ['draft', 'returned'], to: 'draft' },
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  withdraw: { from: ['draft', 'submitted', 'returned'], to: 'withdrawn' },
  approve: { from: ['submitted'], to: 'notice' },
  return: { from: ['submitted'], to: 'returned' },
  apply: { from: ['notice'], to: 'effective' },
} as const satisfies Record<string, { from: readonly AdjustmentStatusKey[]; to: AdjustmentStatusKey }>;
export type AdjustmentAction = keyof typeof adjustmentTransitions;

export const adjustmentKindLabels: Record<z.infer<typeof AdjustmentKind>, { zh: string; en: string }> = {
  create: { zh: '新增网格', en: 'New grids' },
  split: { zh: '拆分', en: 'Split' },
  merge: { zh: '合并', en: 'Merge' },
  redraw: { zh: '边界调整', en: 'Redraw' },
};

/** POST /api/grid-adjustments: the application, saved as a draft or submitted at once. */
export const CreateAdjustmentBody = CreateAdjustmentRequest.extend({
  submit: z.boolean().default(false).describe('submit for review at once instead of saving a draft'),
});
export type CreateAdjustmentBody = z.infer<typeof CreateAdjustmentBody>;

/** PUT /api/grid-adjustments/:id: rework a draft or a returned application (community, kind fixed). */
export const UpdateAdjustmentBody = z.strictObject({
  reason: z.string().trim().min(2).max(1000),
  sourceGridIds: z.array(z.uuid()).max(50).default([]),
  proposal: z.array(ProposedGrid).min(1).max(50),
  coordSystem: CoordSystem.default('WGS84'),
  noticeDays: z.number().int().min(0).max(90).default(7),
  effectiveDate: z.iso.date().optional(),
});
export type UpdateAdjustmentBody = z.infer<typeof UpdateAdjustmentBody>;

export const ReviewAdjustmentBody = z
  .strictObject({
    decision: z.enum(['approve', 'return']),
    note: z.string().trim().max(1000).optional().describe('required when returning: the reasons'),
    /** Public notice length; default the application's. */
    noticeDays: z.number().int().min(0).max(90).optional(),
    /** Default: the first day after the notice period. */
    effectiveDate: z.iso.date().optional(),
  })
  .refine((b) => b.decision !== 'return' || (b.note?.length ?? 0) >= 2, {
    path: ['note'],
    message: '退回时须填写退回理由 / give the reasons when returning',
  });
export type ReviewAdjustmentBody = z.infer<typeof ReviewAdjustmentBody>;

export const AdjustmentIdParams = z.strictObject({ id: z.uuid() });

export const AdjustmentListQuery = z.strictObject({
  regionId: z.uuid().optional().describe('applications of communities in this region subtree (default: the caller’s view scope)'),
  status: AdjustmentStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const GridRef = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
const UserRef = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

/** One record that moved to another grid when the adjustment took effect. */
export const MovedRecord = z.object({ id: z.string(), fromGridCode: z.string(), toGridCode: z.string() });

export const ReattributionReportEntry = z.object({
  type: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  /** Records that moved to another grid. */
  moved: z.number().int(),
  /** Per pair of grids: how many moved from → to. */
  byGrids: z.array(z.object({ fromGridCode: z.string(), toGridCode: z.string(), count: z.number().int() })),
  /** The moved records, at most REPORT_ITEM_CAP per type. */
  items: z.array(MovedRecord),
  truncated: z.boolean(),
  /** Records left in a retired grid because their location lies in no new grid (or is unknown). */
  unplaced: z.number().int(),
  /** Their ids (at most REPORT_ITEM_CAP), so someone places them by hand; absent in reports written before. */
  unplacedItems: z.array(z.string()).optional(),
});
export const REPORT_ITEM_CAP = 1000;

export const AdjustmentReport = z.object({
  effectiveDate: z.string(),
  appliedAt: z.string(),
  /** Grids that ended on the effective date (merged away, or split without keeping the grid). */
  retiredGrids: z.array(GridRef),
  /** Existing grids that got a new boundary version. */
  reshapedGrids: z.array(GridRef),
  createdGrids: z.array(GridRef),
  records: z.array(ReattributionReportEntry),
  totalMoved: z.number().int(),
});
export type AdjustmentReport = z.infer<typeof AdjustmentReport>;

export const AdjustmentSummary = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  communityCode: z.string(),
  kind: AdjustmentKind,
  status: AdjustmentStatus,
  reason: z.string(),
  sourceGrids: z.array(GridRef),
  proposalCount: z.number().int(),
  noticeDays: z.number().int(),
  noticeFrom: z.string().nullable(),
  effectiveDate: z.string().nullable(),
  reviewNote: z.string().nullable(),
  createdBy: UserRef,
  reviewedBy: UserRef,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdjustmentSummary = z.infer<typeof AdjustmentSummary>;

export const ProposedGridDetail = z.object({
  gridId: z.uuid().nullable(),
  name: z.string(),
  gridType: GridType,
  dedicatedKind: DedicatedKind.nullable(),
  /** WGS84 / CGCS2000, as stored (GCJ-02 / BD-09 input converted). */
  geometry: AreaGeometry,
  areaM2: z.number(),
});

export const AdjustmentDetail = AdjustmentSummary.extend({
  proposal: z.array(ProposedGridDetail),
  trigger: z.record(z.string(), z.unknown()).nullable(),
  /** Present once the adjustment is in effect. */
  report: AdjustmentReport.nullable(),
  /** What the caller may do now (for the console's buttons). */
  can: z.object({ update: z.boolean(), submit: z.boolean(), withdraw: z.boolean(), review: z.boolean() }),
});
export type AdjustmentDetail = z.infer<typeof AdjustmentDetail>;

export const AdjustmentList = z.object({ items: z.array(AdjustmentSummary), total: z.number().int() });

export const ApplyDueResult = z.object({
  today: z.string(),
  applied: z.array(z.object({ id: z.uuid(), communityId: z.uuid(), effectiveDate: z.string(), moved: z.number().int() })),
  /** Applications sent back because their source grids changed during the notice period. */
  returned: z.array(z.object({ id: z.uuid(), reason: z.string() })),
  /** Applications whose transaction failed (rolled back whole); the next run tries again. */
  failed: z.array(z.object({ id: z.uuid() })),
});
export type ApplyDueResult = z.infer<typeof ApplyDueResult>;

// ─── Automatic adjustment triggers (A18) ─────────────────────────────────────────────────────

/** Population change against the grid's baseline beyond which an adjustment is proposed. */
export const POPULATION_CHANGE_THRESHOLD = 0.2;
export const AdjustmentTriggerKind = z.enum(['population_change', 'new_key_place']);
export type AdjustmentTriggerKind = z.infer<typeof AdjustmentTriggerKind>;
export const AdjustmentTriggerDetails = z.object({
  baseline: z.number().int().optional(),
  current: z.number().int().optional(),
  /** (current − baseline) / baseline. */
  change: z.number().optional(),
  keyPlaceId: z.string().optional(),
  keyPlaceName: z.string().optional(),
  warningLevel: z.string().optional(),
});
export type AdjustmentTriggerDetails = z.infer<typeof AdjustmentTriggerDetails>;
export const AdjustmentTrigger = z.object({
  id: z.uuid(),
  gridId: z.uuid(),
  gridCode: z.string(),
  gridName: z.string(),
  communityId: z.uuid(),
  communityName: z.string(),
  kind: AdjustmentTriggerKind,
  details: AdjustmentTriggerDetails,
  message: z.object({ zh: z.string(), en: z.string() }),
  detectedAt: z.string(),
});
export type AdjustmentTrigger = z.infer<typeof AdjustmentTrigger>;
export const AdjustmentTriggerQuery = z.strictObject({ regionId: z.uuid().optional() });
export const AdjustmentTriggerList = z.object({ items: z.array(AdjustmentTrigger) });
export const AdjustmentTriggerScanResult = z.object({
  /** Grids with a baseline whose registered population was compared with it. */
  gridsChecked: z.number().int(),
  /** Grids whose registry holds under half the baseline: taken as not yet collected, not compared. */
  uncollected: z.number().int(),
  detected: z.number().int(),
});

const signedPercent = (change: number) => `${change >= 0 ? '+' : '−'}${Math.round(Math.abs(change) * 100)}%`;

/** The zh/en sentence a trigger shows: 网格人口较基数变化 +23%（基数 1000，现 1230）. */
export function adjustmentTriggerMessage(kind: AdjustmentTriggerKind, d: AdjustmentTriggerDetails): { zh: string; en: string } {
  if (kind === 'population_change') {
    const pct = signedPercent(d.change ?? 0);
    return {
      zh: `网格人口较基数变化 ${pct}（基数 ${d.baseline ?? 0}，现 ${d.current ?? 0}）`,
      en: `Grid population changed ${pct} against its baseline (baseline ${d.baseline ?? 0}, now ${d.current ?? 0})`,
    };
  }
  return { zh: `网格内新增重点场所：${d.keyPlaceName ?? ''}`, en: `New key place in the grid: ${d.keyPlaceName ?? ''}` };
}
