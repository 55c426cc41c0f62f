import { z } from 'zod';

export const RegionLevel = z.enum(['province', 'city', 'district', 'street', 'community']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const RegionLevelInfo = z.object({
  key: RegionLevel,
  depth: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  codeLength: z.union([z.literal(6), z.literal(12)]),
});

export const RegionNode = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  level: RegionLevel,
  code: z.string(),
  name: z.string(),
  kind: z.enum(['urban', 'rural']).nullable(),
  childCount: z.number().int(),
  sortOrder: z.number().int(),
});
export type RegionNode = z.infer<typeof RegionNode>;

export const RegionChildrenQuery = z.strictObject({
  parentId: z.uuid().optional().describe('omit for the roots the caller may see'),
});

export const CreateRegionRequest = z.strictObject({
  parentId: z.uuid(),
  code: z.string().trim().regex(/^\d{6}(\d{6})?$/, '6 位或 12 位数字'),
  name: z.string().trim().min(1).max(64),
  kind: z.enum(['urban', 'rural']).optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});

export const UpdateRegionRequest = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  kind: z.enum(['urban', 'rural']).nullable().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});

export const OrgUnitKind = z.enum(['center', 'station', 'department']);
export const OrgUnit = z.object({
  id: z.uuid(),
  regionId: z.uuid(),
  regionName: z.string(),
  kind: OrgUnitKind,
  name: z.string(),
  deptCode: z.string().nullable(),
  phone: z.string().nullable(),
});
export type OrgUnit = z.infer<typeof OrgUnit>;

export const OrgUnitListQuery = z.strictObject({
  regionId: z.uuid().optional(),
  kind: OrgUnitKind.optional(),
});

export const CreateOrgUnitRequest = z.strictObject({
  regionId: z.uuid(),
  kind: OrgUnitKind,
  name: z.string().trim().min(1).max(64),
  deptCode: z.string().trim().regex(/^[a-z0-9_]{1,16}$/).optional(),
  phone: z.string().trim().max(32).optional(),
});
