/**
 * Case indicators (issue 4 §9; requirements F, G; domain-reference.md §2.5): counts and rates of the event
 * closed loop by grid, community, street, district, department or category over a period of report dates (CST).
 *
 * The denominators differ between jurisdictions (返工率 over 应结案数 in 金牛, "site-specific" in the eGova
 * dictionary; 金华 subtracts 缓办 from 应结案数 for 结案率 and 按期结案率), so they are settings; every answer says
 * which ones it used.
 *
 * Counts (each a number of cases reported in the period):
 * - 上报数 reported: every case; 受理数 accepted: accepted_at set; 立案数 filed: filed_at set
 * - 应派遣数 shouldDispatch = 立案数 minus those cancelled before dispatch; 派遣数 dispatched: dispatched_at set
 * - 应处置数 shouldHandle: dispatched and not cancelled; 处置数 handled: handled_at set (feedback given);
 *   按期处置数 onTimeHandled: on_time_handle
 * - 应结案数 shouldClose: filed or 自行处置, not cancelled/merged; 结案数 closed: closed_at set; 按期结案数 onTimeClosed
 * - 返工数 rework: rework_count > 0; 延期数 extended: extension_count > 0; 缓办数 suspended: among 应结案数, suspended
 *   at least once and not closed (挂账); 自行处置数 selfDisposed; 作废数 cancelled
 * - 评价数 rated, 满意数 satisfied, 基本满意数 basic, 不满意数 dissatisfied
 * Average handling time: natural hours from 派遣 to 处置反馈 over the handled cases.
 */
import { z } from 'zod';
import { Uuid } from './common.js';

export const IndicatorGroupBy = z.enum(['grid', 'community', 'street', 'district', 'department', 'category']);
export type IndicatorGroupBy = z.infer<typeof IndicatorGroupBy>;
export const indicatorGroupByLabels: Record<IndicatorGroupBy, { zh: string; en: string }> = {
  grid: { zh: '网格', en: 'Grid' },
  community: { zh: '社区/村', en: 'Community' },
  street: { zh: '街道/乡镇', en: 'Street' },
  district: { zh: '区县', en: 'District' },
  department: { zh: '处置部门', en: 'Department' },
  category: { zh: '事项小类', en: 'Category' },
};

const IsoDate = z.iso.date();
export const IndicatorQuery = z
  .strictObject({
    groupBy: IndicatorGroupBy.default('street'),
    /** First report date of the period (CST), inclusive. */
    from: IsoDate,
    /** Last report date of the period (CST), inclusive. */
    to: IsoDate,
    /** Only cases of this region's subtree (within the caller's view scope). */
    regionId: Uuid.optional(),
  })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期 / from must not be after to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 3 * 366 * 86_400_000, {
    message: '统计周期最长三年 / the period may span at most three years',
    path: ['to'],
  });
export type IndicatorQuery = z.infer<typeof IndicatorQuery>;

export const indicatorCountKeys = [
  'reported',
  'accepted',
  'filed',
  'shouldDispatch',
  'dispatched',
  'shouldHandle',
  'handled',
  'onTimeHandled',
  'shouldClose',
  'closed',
  'onTimeClosed',
  'rework',
  'extended',
  'suspended',
  'selfDisposed',
  'rated',
  'satisfied',
  'basic',
  'dissatisfied',
  'cancelled',
] as const;
export type IndicatorCountKey = (typeof indicatorCountKeys)[number];
export const indicatorCountLabels: Record<IndicatorCountKey, { zh: string; en: string }> = {
  reported: { zh: '上报数', en: 'Reported' },
  accepted: { zh: '受理数', en: 'Accepted' },
  filed: { zh: '立案数', en: 'Filed' },
  shouldDispatch: { zh: '应派遣数', en: 'To dispatch' },
  dispatched: { zh: '派遣数', en: 'Dispatched' },
  shouldHandle: { zh: '应处置数', en: 'To handle' },
  handled: { zh: '处置数', en: 'Handled' },
  onTimeHandled: { zh: '按期处置数', en: 'Handled on time' },
  shouldClose: { zh: '应结案数', en: 'To close' },
  closed: { zh: '结案数', en: 'Closed' },
  onTimeClosed: { zh: '按期结案数', en: 'Closed on time' },
  rework: { zh: '返工数', en: 'Reworked' },
  extended: { zh: '延期数', en: 'Extended' },
  suspended: { zh: '缓办数', en: 'Suspended' },
  selfDisposed: { zh: '自行处置数', en: 'Resolved on the spot' },
  rated: { zh: '评价数', en: 'Rated' },
  satisfied: { zh: '满意数', en: 'Satisfied' },
  basic: { zh: '基本满意数', en: 'Fairly satisfied' },
  dissatisfied: { zh: '不满意数', en: 'Dissatisfied' },
  cancelled: { zh: '作废数', en: 'Cancelled' },
};
export const IndicatorCounts = z.object(Object.fromEntries(indicatorCountKeys.map((k) => [k, z.number().int()])) as Record<IndicatorCountKey, z.ZodNumber>);
export type IndicatorCounts = z.infer<typeof IndicatorCounts>;

export const indicatorRateKeys = ['handleRate', 'onTimeHandleRate', 'closeRate', 'onTimeCloseRate', 'reworkRate', 'extensionRate', 'satisfactionRate'] as const;
export type IndicatorRateKey = (typeof indicatorRateKeys)[number];
export const indicatorRateLabels: Record<IndicatorRateKey, { zh: string; en: string }> = {
  handleRate: { zh: '处置率', en: 'Handling rate' },
  onTimeHandleRate: { zh: '按期处置率', en: 'On-time handling rate' },
  closeRate: { zh: '结案率', en: 'Closure rate' },
  onTimeCloseRate: { zh: '按期结案率', en: 'On-time closure rate' },
  reworkRate: { zh: '返工率', en: 'Rework rate' },
  extensionRate: { zh: '延期率', en: 'Extension rate' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
};
/** A share between 0 and 1 (4 decimals), null when the denominator is 0. */
export const IndicatorRates = z.object(
  Object.fromEntries(indicatorRateKeys.map((k) => [k, z.number().nullable()])) as Record<IndicatorRateKey, z.ZodNullable<z.ZodNumber>>,
);
export type IndicatorRates = z.infer<typeof IndicatorRates>;

/** The configurable denominators (domain-reference.md §2.5). */
export const IndicatorDenominators = z.strictObject({
  /** 返工率 = 返工数 / 应结案数 (金牛, the default) or / 处置数. */
  rework: z.enum(['shouldClose', 'handled']),
  /** 结案率 and 按期结案率 over 应结案数 (default) or 应结案数 − 缓办数 (金华). */
  close: z.enum(['shouldClose', 'shouldCloseMinusSuspended']),
  /** 延期率 = 延期数 / 应处置数 (金牛, the default) or / 处置数. */
  extension: z.enum(['shouldHandle', 'handled']),
  /** 满意率 = (满意数 + 基本满意数) / 评价数 (default) or 满意数 / 评价数. */
  satisfaction: z.enum(['satisfiedAndBasic', 'satisfiedOnly']),
});
export type IndicatorDenominators = z.infer<typeof IndicatorDenominators>;
export const defaultIndicatorDenominators: IndicatorDenominators = {
  rework: 'shouldClose',
  close: 'shouldClose',
  extension: 'shouldHandle',
  satisfaction: 'satisfiedAndBasic',
};

/** The formulas behind the denominators, as the response states them. */
export function indicatorFormulas(d: IndicatorDenominators): Record<IndicatorRateKey, { zh: string; en: string }> {
  const closeDen = d.close === 'shouldClose' ? { zh: '应结案数', en: 'to close' } : { zh: '(应结案数 − 缓办数)', en: '(to close − suspended)' };
  return {
    handleRate: { zh: '处置数 / 应处置数', en: 'handled / to handle' },
    onTimeHandleRate: { zh: '按期处置数 / 应处置数', en: 'handled on time / to handle' },
    closeRate: { zh: `结案数 / ${closeDen.zh}`, en: `closed / ${closeDen.en}` },
    onTimeCloseRate: { zh: `按期结案数 / ${closeDen.zh}`, en: `closed on time / ${closeDen.en}` },
    reworkRate: d.rework === 'shouldClose' ? { zh: '返工数 / 应结案数', en: 'reworked / to close' } : { zh: '返工数 / 处置数', en: 'reworked / handled' },
    extensionRate:
      d.extension === 'shouldHandle' ? { zh: '延期数 / 应处置数', en: 'extended / to handle' } : { zh: '延期数 / 处置数', en: 'extended / handled' },
    satisfactionRate:
      d.satisfaction === 'satisfiedAndBasic'
        ? { zh: '(满意数 + 基本满意数) / 评价数', en: '(satisfied + fairly satisfied) / rated' }
        : { zh: '满意数 / 评价数', en: 'satisfied / rated' },
  };
}

export const IndicatorRow = z.object({
  /** The group: a grid, region, org unit or category id; null for cases outside any (no grid, not dispatched). */
  id: Uuid.nullable(),
  code: z.string().nullable(),
  name: z.string(),
  counts: IndicatorCounts,
  rates: IndicatorRates,
  /** Hours from 派遣 to 处置反馈, averaged over the handled cases (null: none handled). */
  avgHandleHours: z.number().nullable(),
});
export type IndicatorRow = z.infer<typeof IndicatorRow>;

export const IndicatorReport = z.object({
  groupBy: IndicatorGroupBy,
  from: IsoDate,
  to: IsoDate,
  regionId: Uuid.nullable(),
  denominators: IndicatorDenominators,
  /** Where the denominators come from: a region's own setting, or the deployment default. */
  denominatorSource: z.object({ regionId: Uuid.nullable(), regionName: z.string().nullable() }),
  formulas: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
  items: z.array(IndicatorRow),
  total: IndicatorRow,
});
export type IndicatorReport = z.infer<typeof IndicatorReport>;

export const IndicatorSettingsQuery = z.strictObject({ regionId: Uuid.optional() });
export const IndicatorSettings = z.object({
  /** null: the deployment-wide default. */
  regionId: Uuid.nullable(),
  denominators: IndicatorDenominators,
  /** Which setting applies: the region's own, an ancestor's, or the deployment default (regionId null). */
  source: z.object({ regionId: Uuid.nullable(), regionName: z.string().nullable() }),
  formulas: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
});
export type IndicatorSettings = z.infer<typeof IndicatorSettings>;
export const SetIndicatorSettingsRequest = z.strictObject({
  /** The jurisdiction the setting applies to (its subtree); omitted: the deployment-wide default (system administrators). */
  regionId: Uuid.optional(),
  denominators: IndicatorDenominators,
});
export type SetIndicatorSettingsRequest = z.infer<typeof SetIndicatorSettingsRequest>;
