import { z } from 'zod';

export const RegionLevel = z.enum(['province', 'city', 'district', 'street', 'community']);
export type RegionLevel = z.infer<typeof RegionLevel>;

/**
 * Names of divisions and org units: letters of any script, digits, inner spaces and the punctuation
 * real names use (· （ ） ( ) - —). Quotes, semicolons, angle brackets and control characters are refused.
 */
const NAME_CHARS = /^[\p{L}\p{N}·()（）\-— ]+$/u;
const nameMessage = '只能包含文字、数字、空格和 · ( ) - / letters, digits, spaces and · ( ) - only';
export const RegionName = z.string().trim().min(1).max(64).regex(NAME_CHARS, nameMessage);
export const OrgUnitName = z.string().trim().min(1).max(64).regex(NAME_CHARS, nameMessage);

export const RegionLevelInfo = z.object({
  key: RegionLevel,
  depth: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  codeLength: z.union([z.literal(6), z.literal(12)]),
});
export type RegionLevelInfo = z.infer<typeof RegionLevelInfo>;
export const RegionLevelList = z.object({ items: z.array(RegionLevelInfo) });

export const RegionLevelParams = z.strictObject({ key: RegionLevel });
/** Renames a level for this deployment (街道 → 乡镇, 社区/村 → 村 …). */
export const UpdateRegionLevelRequest = z.strictObject({
  nameZh: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .regex(/^[\p{L}/、·]+$/u, '只能包含文字、/ 和 、 / letters, / and 、 only'),
  nameEn: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z][A-Za-z /-]*$/, '只能包含英文字母、空格、/ 和 - / letters, spaces, / and - only'),
});
export type UpdateRegionLevelRequest = z.infer<typeof UpdateRegionLevelRequest>;

export const RegionKind = z.enum(['urban', 'rural']);

export const RegionNode = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  level: RegionLevel,
  code: z.string(),
  name: z.string(),
  kind: RegionKind.nullable().describe('社区/村 only: 居委会 urban or 村委会 rural'),
  childCount: z.number().int(),
  sortOrder: z.number().int(),
});
export type RegionNode = z.infer<typeof RegionNode>;
export const RegionList = z.object({ items: z.array(RegionNode) });

export const RegionIdParams = z.strictObject({ id: z.uuid() });

export const RegionChildrenQuery = z.strictObject({
  parentId: z.uuid().optional().describe('omit for the roots the caller may see'),
});

/** One ancestor in a breadcrumb; `id` is null above the caller's view scope (name only). */
export const RegionCrumb = z.object({
  id: z.uuid().nullable(),
  level: RegionLevel,
  code: z.string(),
  name: z.string(),
});
export type RegionCrumb = z.infer<typeof RegionCrumb>;

export const RegionDetail = z.object({
  node: RegionNode,
  /** Root first, parent last. */
  ancestors: z.array(RegionCrumb),
  /** Whether the caller may edit this node and add children to it (region.manage and capture scope). */
  canManage: z.boolean(),
  orgUnitCount: z.number().int(),
});
export type RegionDetail = z.infer<typeof RegionDetail>;

export const RegionSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(64).regex(NAME_CHARS, nameMessage).describe('name fragment, or leading digits of a code'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const RegionSearchHit = RegionNode.extend({
  /** Names from the caller's scope root down to the node: 泉城街道 / 趵突泉社区. */
  pathName: z.string(),
});
export type RegionSearchHit = z.infer<typeof RegionSearchHit>;
export const RegionSearchResult = z.object({ items: z.array(RegionSearchHit) });

export const CreateRegionRequest = z.strictObject({
  parentId: z.uuid(),
  /** Checked by region-code.ts on the server (REGION_CODE_INVALID with the offending position). */
  code: z.string().trim().min(1).max(64),
  name: RegionName,
  kind: RegionKind.optional().describe('社区/村 only'),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export type CreateRegionRequest = z.infer<typeof CreateRegionRequest>;

export const UpdateRegionRequest = z
  .strictObject({
    name: RegionName.optional(),
    kind: RegionKind.nullable().optional(),
    sortOrder: z.number().int().min(0).max(100000).optional(),
  })
  .refine((o) => Object.keys(o).length > 0, { message: '没有要修改的内容 / nothing to change' });
export type UpdateRegionRequest = z.infer<typeof UpdateRegionRequest>;

export const OrgUnitKind = z.enum(['center', 'station', 'department']);
export type OrgUnitKind = z.infer<typeof OrgUnitKind>;
export const orgUnitKindLabels: Record<OrgUnitKind, { zh: string; en: string }> = {
  center: { zh: '网格化服务管理中心', en: 'Grid management center' },
  station: { zh: '网格化服务管理站', en: 'Grid management station' },
  department: { zh: '职能部门', en: 'Functional department' },
};

export const DeptCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,16}$/, '1–16 位小写字母、数字或 _ / 1–16 lower-case letters, digits or _');
export const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() 转]{3,32}$/, '电话号码只能包含数字、空格、+ - ( ) / digits, spaces and + - ( ) only');

export const OrgUnit = z.object({
  id: z.uuid(),
  regionId: z.uuid(),
  regionName: z.string(),
  regionLevel: RegionLevel,
  kind: OrgUnitKind,
  name: z.string(),
  deptCode: z.string().nullable(),
  phone: z.string().nullable(),
});
export type OrgUnit = z.infer<typeof OrgUnit>;
export const OrgUnitList = z.object({ items: z.array(OrgUnit), total: z.number().int() });

export const OrgUnitIdParams = z.strictObject({ id: z.uuid() });

export const OrgUnitListQuery = z.strictObject({
  regionId: z.uuid().optional().describe('units at this region, plus departments at its ancestors (they serve it too); omit for the whole view scope'),
  kind: OrgUnitKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type OrgUnitListQuery = z.infer<typeof OrgUnitListQuery>;

export const CreateOrgUnitRequest = z.strictObject({
  regionId: z.uuid(),
  kind: OrgUnitKind,
  name: OrgUnitName,
  deptCode: DeptCode.optional().describe('departments only: the code routing rules use (城管 cg …)'),
  phone: Phone.optional(),
});
export type CreateOrgUnitRequest = z.infer<typeof CreateOrgUnitRequest>;

export const UpdateOrgUnitRequest = z
  .strictObject({
    name: OrgUnitName.optional(),
    deptCode: DeptCode.nullable().optional(),
    phone: Phone.nullable().optional(),
  })
  .refine((o) => Object.keys(o).length > 0, { message: '没有要修改的内容 / nothing to change' });
export type UpdateOrgUnitRequest = z.infer<typeof UpdateOrgUnitRequest>;
