import { z } from 'zod';
import { AreaGeometry, CoordSystem } from './geojson.js';

export const GridType = z.enum(['01', '02', '03']);
export const gridTypeLabels: Record<z.infer<typeof GridType>, { zh: string; en: string }> = {
  '01': { zh: '城镇社区网格', en: 'Urban community grid' },
  '02': { zh: '农村网格', en: 'Rural grid' },
  '03': { zh: '专属网格', en: 'Dedicated grid' },
};
export const DedicatedKind = z.enum(['park', 'market', 'school', 'hospital', 'building', 'enterprise', 'other']);
export const dedicatedKindLabels: Record<z.infer<typeof DedicatedKind>, { zh: string; en: string }> = {
  park: { zh: '园区', en: 'Park / industrial zone' },
  market: { zh: '商圈市场', en: 'Market / business district' },
  school: { zh: '学校', en: 'School' },
  hospital: { zh: '医院', en: 'Hospital' },
  building: { zh: '商务楼宇', en: 'Large building' },
  enterprise: { zh: '企事业单位', en: 'Enterprise / institution' },
  other: { zh: '其他', en: 'Other' },
};
export const GridLevel = z.enum(['grid', 'micro', 'building']);
export const StaffDuty = z.enum(['leader', 'full_time', 'part_time', 'liaison', 'building_head']);
export const staffDutyLabels: Record<z.infer<typeof StaffDuty>, { zh: string; en: string }> = {
  leader: { zh: '网格长', en: 'Grid leader' },
  full_time: { zh: '专职网格员', en: 'Full-time worker' },
  part_time: { zh: '兼职网格员', en: 'Part-time worker' },
  liaison: { zh: '网格联络员', en: 'Liaison' },
  building_head: { zh: '楼栋长', en: 'Building head' },
};

export const GridStation = z.strictObject({
  address: z.string().trim().max(128).optional(),
  phone: z.string().trim().max(32).optional(),
  hours: z.string().trim().max(64).optional(),
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
});

export const GridCriteria = z.strictObject({
  populationDensity: z.number().nonnegative().optional().describe('people per km²'),
  areaKm2: z.number().nonnegative().optional(),
  difficulty: z.enum(['low', 'medium', 'high']).optional(),
  serviceRadiusM: z.number().nonnegative().optional(),
  boundaries: z.string().trim().max(256).optional().describe('roads, rivers … used as edges'),
  note: z.string().trim().max(512).optional(),
});

export const GridStaffMember = z.object({ userId: z.uuid(), username: z.string(), displayName: z.string(), duty: StaffDuty, since: z.string() });

export const GridSummary = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  level: GridLevel,
  gridType: GridType,
  dedicatedKind: DedicatedKind.nullable(),
  communityId: z.uuid(),
  communityName: z.string(),
  parentGridId: z.uuid().nullable(),
  areaM2: z.number().nullable(),
  households: z.number().int().nullable(),
  population: z.number().int().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type GridSummary = z.infer<typeof GridSummary>;

export const GridDetail = GridSummary.extend({
  areaCode: z.string(),
  seq: z.number().int(),
  landmarks: z.array(z.string()),
  station: GridStation.nullable(),
  criteria: GridCriteria,
  staff: z.array(GridStaffMember),
  geometry: AreaGeometry.nullable(),
  /** Size-norm findings, e.g. too many households for an urban grid. */
  flags: z.array(z.object({ code: z.string(), message: z.string(), value: z.number().optional(), min: z.number().optional(), max: z.number().optional() })),
});
export type GridDetail = z.infer<typeof GridDetail>;

export const CreateGridRequest = z.strictObject({
  communityId: z.uuid(),
  parentGridId: z.uuid().optional(),
  level: GridLevel.default('grid'),
  name: z.string().trim().min(1).max(64),
  gridType: GridType,
  dedicatedKind: DedicatedKind.optional(),
  areaCode: z.string().regex(/^\d{2}$/).default('00'),
  /** Omit to take the next free sequence number in the community. */
  seq: z.number().int().min(1).max(999).optional(),
  /** Omit to generate from the deployment's code template. */
  code: z.string().trim().max(32).optional(),
  geometry: AreaGeometry,
  coordSystem: CoordSystem.default('WGS84'),
  landmarks: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  station: GridStation.optional(),
  criteria: GridCriteria.default({}),
  /** Save even when it overlaps a sibling (a draft to fix later); otherwise overlaps are refused. */
  draft: z.boolean().default(false),
});

export const UpdateGridRequest = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  gridType: GridType.optional(),
  dedicatedKind: DedicatedKind.nullable().optional(),
  landmarks: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  station: GridStation.nullable().optional(),
  criteria: GridCriteria.optional(),
  baselineHouseholds: z.number().int().nonnegative().nullable().optional(),
  baselinePopulation: z.number().int().nonnegative().nullable().optional(),
});

export const UpdateBoundaryRequest = z.strictObject({
  geometry: AreaGeometry,
  coordSystem: CoordSystem.default('WGS84'),
  draft: z.boolean().default(false),
});

export const GridListQuery = z.strictObject({
  regionId: z.uuid().optional().describe('grids in this region subtree (default: the caller’s view scope)'),
  q: z.string().trim().max(64).optional().describe('code prefix or name'),
  gridType: GridType.optional(),
  flagged: z.enum(['true', 'false']).optional(),
  on: z.iso.date().optional().describe('grids as they were on this date'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const GridList = z.object({ items: z.array(GridSummary), total: z.number().int() });

/** GeoJSON by bounding box for the map: never the whole district in one response. */
export const GridFeatureQuery = z.strictObject({
  bbox: z.string().describe('minLng,minLat,maxLng,maxLat'),
  on: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(1000),
});

export const CoverageIssue = z.object({
  kind: z.enum(['overlap', 'gap', 'outside']),
  /** overlap: the two grids; gap / outside: the community (and the grid for outside). */
  gridIds: z.array(z.uuid()),
  communityId: z.uuid(),
  areaM2: z.number(),
  geometry: AreaGeometry,
});
export const CoverageReport = z.object({
  regionId: z.uuid(),
  checkedCommunities: z.number().int(),
  checkedGrids: z.number().int(),
  overlaps: z.number().int(),
  gaps: z.number().int(),
  issues: z.array(CoverageIssue),
  tookMs: z.number(),
});

export const SetStaffRequest = z.strictObject({
  staff: z.array(z.strictObject({ userId: z.uuid(), duty: StaffDuty, since: z.iso.date().optional() })).max(100),
});

export const GridLookupQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  coordSystem: CoordSystem.default('WGS84'),
  address: z.string().trim().min(2).max(128).optional(),
});
/** Public answer: which grid, who serves it, how to reach the station. No personal data beyond names and work phones. */
export const GridLookupResult = z.object({
  found: z.boolean(),
  grid: z.object({ code: z.string(), name: z.string(), gridType: GridType, communityName: z.string(), streetName: z.string() }).nullable(),
  workers: z.array(z.object({ displayName: z.string(), duty: StaffDuty, phone: z.string().nullable() })),
  station: GridStation.nullable(),
});

export const AdjustmentKind = z.enum(['create', 'split', 'merge', 'redraw']);
export const AdjustmentStatus = z.enum(['draft', 'submitted', 'returned', 'approved', 'notice', 'effective', 'withdrawn']);
export const adjustmentStatusLabels: Record<z.infer<typeof AdjustmentStatus>, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '待审核', en: 'Submitted' },
  returned: { zh: '已退回', en: 'Returned' },
  approved: { zh: '已批准', en: 'Approved' },
  notice: { zh: '公示中', en: 'Public notice' },
  effective: { zh: '已生效', en: 'In effect' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};
export const ProposedGrid = z.strictObject({
  /** Keep an existing grid (redraw / the surviving part of a split) or omit for a new grid. */
  gridId: z.uuid().optional(),
  name: z.string().trim().min(1).max(64),
  gridType: GridType,
  dedicatedKind: DedicatedKind.optional(),
  geometry: AreaGeometry,
});
export const CreateAdjustmentRequest = z.strictObject({
  communityId: z.uuid(),
  kind: AdjustmentKind,
  reason: z.string().trim().min(2).max(1000),
  sourceGridIds: z.array(z.uuid()).max(50).default([]),
  proposal: z.array(ProposedGrid).min(1).max(50),
  coordSystem: CoordSystem.default('WGS84'),
  noticeDays: z.number().int().min(0).max(90).default(7),
  effectiveDate: z.iso.date().optional(),
});
