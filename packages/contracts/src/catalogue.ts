/**
 * The event catalogue (C5, C6) and the routing rules (C12, C14): API shapes shared by the server and the
 * console. A catalogue item's rules are versioned: every edit writes a new version and a case keeps the
 * version it was opened under (event_case.category_version).
 */
import { z } from 'zod';
import { LimitUnit, limitUnitLabels } from './calendar.js';
import { HandlingLevel } from './cases.js';
import { IsoDateTime, Uuid } from './common.js';

/** The stages whose length an item sets (受理, 派遣, 处置, 核查). */
export const limitStages = ['accept', 'dispatch', 'handle', 'verify'] as const;
export type LimitStage = (typeof limitStages)[number];
export const limitStageLabels: Record<LimitStage, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'Acceptance' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  handle: { zh: '处置', en: 'Handling' },
  verify: { zh: '核查', en: 'Verification' },
};

export const StageLimit = z.strictObject({
  amount: z
    .number({ error: '请填写时限 / enter a time limit' })
    .positive('时限须大于 0 / the limit must be above 0')
    .max(1000, '时限不超过 1000 / at most 1000'),
  unit: LimitUnit,
});
export type StageLimit = z.infer<typeof StageLimit>;
export const StageLimits = z.strictObject({ accept: StageLimit, dispatch: StageLimit, handle: StageLimit, verify: StageLimit });
export type StageLimits = z.infer<typeof StageLimits>;
/** The limits a new item starts with in the console (受理 2 工作时, 派遣 1 工作时, 处置 3 工作日, 核查 1 工作日). */
export const defaultStageLimits: StageLimits = {
  accept: { amount: 2, unit: 'working_hours' },
  dispatch: { amount: 1, unit: 'working_hours' },
  handle: { amount: 3, unit: 'working_days' },
  verify: { amount: 1, unit: 'working_days' },
};

/** "2 工作时" / "2 working hours". */
export function limitLabel(l: StageLimit): { zh: string; en: string } {
  const u = limitUnitLabels[l.unit];
  return { zh: `${l.amount} ${u.zh}`, en: `${l.amount} ${u.en}` };
}

export const CategoryCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{2,12}$/, '编码为 2–12 位字母或数字 / 2–12 letters or digits');
const Name = z.string().trim().min(1, '请填写名称 / enter a name').max(64, '名称不超过 64 字 / at most 64 characters');

/** The rules of one catalogue item (one version). */
export const CategoryRules = z.strictObject({
  /** Lead department by org_unit.dept_code; null = handled by the community/street itself. */
  deptCode: z.string().trim().min(1).max(32).nullable(),
  level: HandlingLevel,
  limits: StageLimits,
  /** 自行处置: a grid worker may close it on the spot. */
  selfDispose: z.boolean(),
  /** 网格事务准入: admitted to grids. */
  admitted: z.boolean(),
  /** 反馈要求 */
  feedback: z.string().trim().max(500, '不超过 500 字 / at most 500 characters'),
  /** 结案标准 */
  closure: z.string().trim().max(500, '不超过 500 字 / at most 500 characters'),
  keywords: z.array(z.string().trim().min(1).max(20)).max(30, '关键词不超过 30 个 / at most 30 keywords'),
});
export type CategoryRules = z.infer<typeof CategoryRules>;

const LabelledLimit = StageLimit.extend({ zh: z.string(), en: z.string() });
export const CatalogueRules = z.object({
  version: z.number().int(),
  deptCode: z.string().nullable(),
  /** Name of the department with that code (the shallowest one when several districts share codes). */
  deptName: z.string().nullable(),
  level: HandlingLevel,
  limits: z.object({ accept: LabelledLimit, dispatch: LabelledLimit, handle: LabelledLimit, verify: LabelledLimit }),
  selfDispose: z.boolean(),
  admitted: z.boolean(),
  feedback: z.string(),
  closure: z.string(),
  keywords: z.array(z.string()),
  createdAt: IsoDateTime,
  createdBy: z.string().nullable(),
});
export type CatalogueRules = z.infer<typeof CatalogueRules>;

export const CatalogueItem = z.object({
  id: Uuid,
  classId: Uuid,
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  rules: CatalogueRules,
});
export type CatalogueItem = z.infer<typeof CatalogueItem>;

export const CatalogueClass = z.object({
  id: Uuid,
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  items: z.array(CatalogueItem),
});
export type CatalogueClass = z.infer<typeof CatalogueClass>;

export const Catalogue = z.object({ classes: z.array(CatalogueClass) });
export type Catalogue = z.infer<typeof Catalogue>;
export const CatalogueQuery = z.strictObject({
  /** Inactive classes and items too (configurers only). */
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const CatalogueVersions = z.object({
  itemId: Uuid,
  code: z.string(),
  name: z.string(),
  currentVersion: z.number().int(),
  versions: z.array(CatalogueRules),
});
export type CatalogueVersions = z.infer<typeof CatalogueVersions>;

export const CreateClassRequest = z.strictObject({ code: CategoryCode, name: Name, sortOrder: z.number().int().min(0).max(9999).optional() });
export type CreateClassRequest = z.infer<typeof CreateClassRequest>;
export const CreateItemRequest = z.strictObject({
  classId: Uuid,
  code: CategoryCode,
  name: Name,
  sortOrder: z.number().int().min(0).max(9999).optional(),
  rules: CategoryRules,
});
export type CreateItemRequest = z.infer<typeof CreateItemRequest>;
/** Name + rules; the rules become a new version. `version` = the version the editor saw (a stale one → CONFLICT). */
export const UpdateItemRequest = z.strictObject({ name: Name, rules: CategoryRules, version: z.number().int().min(1).optional() });
export type UpdateItemRequest = z.infer<typeof UpdateItemRequest>;
export const CategoryIdParams = z.strictObject({ id: Uuid });
/** A class's name (its code stays: the items' codes begin with it). */
export const UpdateClassRequest = z.strictObject({ name: Name });
export type UpdateClassRequest = z.infer<typeof UpdateClassRequest>;
/** Every class, active or not, in the new order. */
export const ReorderClassesRequest = z.strictObject({ classIds: z.array(Uuid).min(1).max(500) });
export type ReorderClassesRequest = z.infer<typeof ReorderClassesRequest>;

// ─── Routing rules ─────────────────────────────────────────────────────────────────────────────

const OrgRef = z.object({ id: Uuid, name: z.string() });
export const RoutingRule = z.object({
  id: Uuid,
  /** null = any category. */
  categoryId: Uuid.nullable(),
  categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(),
  regionId: Uuid,
  regionName: z.string(),
  regionLevel: z.string(),
  lead: OrgRef,
  co: z.array(OrgRef),
  priority: z.number().int(),
  active: z.boolean(),
  createdAt: IsoDateTime,
  createdBy: z.string().nullable(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;
export const RoutingRuleList = z.object({ items: z.array(RoutingRule) });
export const RoutingRuleQuery = z.strictObject({
  /** Inactive (deactivated) rules too. */
  includeInactive: z.enum(['true', 'false']).optional(),
  categoryId: Uuid.optional(),
});

export const CreateRoutingRuleRequest = z.strictObject({
  categoryId: Uuid.nullable(),
  regionId: Uuid,
  leadOrgUnitId: Uuid,
  coOrgUnitIds: z.array(Uuid).max(10, '协办单位不超过 10 个 / at most 10 cooperating units').default([]),
  priority: z.number().int().min(-1000).max(1000).default(0),
});
export type CreateRoutingRuleRequest = z.infer<typeof CreateRoutingRuleRequest>;

export const RoutingResolveQuery = z.strictObject({ categoryId: Uuid, regionId: Uuid });
/**
 * Where a case of a category in a region goes: the most specific active rule (exact category beats any,
 * deeper region beats shallower, then higher priority), else the category's department in the
 * district, else the station / center at the item's handling level.
 */
export const RoutingResolution = z.object({
  source: z.enum(['rule', 'category_department', 'handling_level', 'none']),
  ruleId: Uuid.nullable(),
  lead: OrgRef.nullable(),
  co: z.array(OrgRef),
});
export type RoutingResolution = z.infer<typeof RoutingResolution>;
export const routingSourceLabels: Record<RoutingResolution['source'], { zh: string; en: string }> = {
  rule: { zh: '派遣规则', en: 'Routing rule' },
  category_department: { zh: '事项责任部门', en: "The item's department" },
  handling_level: { zh: '按处置层级', en: 'By handling level' },
  none: { zh: '未找到处置单位', en: 'No unit found' },
};
