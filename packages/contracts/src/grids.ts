import { z } from 'zod';
import { AreaGeometry, CoordSystem, PointGeometry } from './geojson.js';
import { GridCodeTemplate, gridCodeLayouts } from './grid-code.js';

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

/** Grid names: letters, digits, inner spaces and · ( ) - — (as division names); quotes, ; and < > are refused. */
export const GridName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}·()（）\-— ]+$/u, '只能包含文字、数字、空格和 · ( ) - / letters, digits, spaces and · ( ) - only');

/** A size-norm or staffing finding on a grid, with the number and the range it falls outside. */
export const GridFlagCode = z.enum(['GRID_TOO_MANY_HOUSEHOLDS', 'GRID_TOO_FEW_HOUSEHOLDS', 'GRID_TOO_MANY_PEOPLE', 'GRID_TOO_FEW_PEOPLE', 'GRID_UNDERSTAFFED']);
export type GridFlagCode = z.infer<typeof GridFlagCode>;
export const GridFlag = z.object({
  code: z.string(),
  message: z.string(),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Where the number comes from: the grid's baseline counts (until the population registry exists) or its staff list. */
  source: z.enum(['baseline', 'registry', 'staff']).optional(),
});
export type GridFlag = z.infer<typeof GridFlag>;

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
  /** Size-norm and staffing findings (list and detail). */
  flags: z.array(GridFlag).optional(),
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
  flags: z.array(GridFlag),
});
export type GridDetail = z.infer<typeof GridDetail>;

export const CreateGridRequest = z.strictObject({
  communityId: z.uuid(),
  parentGridId: z.uuid().optional(),
  level: GridLevel.default('grid'),
  name: GridName,
  gridType: GridType,
  dedicatedKind: DedicatedKind.optional(),
  areaCode: z
    .string()
    .regex(/^\d{2}$/)
    .default('00'),
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
  name: GridName.optional(),
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
  q: z
    .string()
    .trim()
    .max(64)
    .regex(/^[\p{L}\p{N}·()（）\-— ]*$/u, '只能包含文字、数字、空格和 · ( ) - / letters, digits, spaces and · ( ) - only')
    .optional()
    .describe('code prefix or name'),
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
  gridCodes: z.array(z.string()).optional(),
  communityName: z.string().optional(),
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
  /** Grids reaching beyond their community's boundary. */
  outside: z.number().int().optional(),
  /** Communities without a boundary: nothing to compare their grids with. */
  uncheckedCommunities: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })).optional(),
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

// ---- grid core: ids, settings, map features, region boundaries, coverage, size norms, staffing, export ----

export const GridIdParams = z.strictObject({ id: z.uuid() });

/** GET/PUT /api/settings/grid-code-template: the deployment's grid code layout. */
export const SetGridCodeTemplateRequest = z.strictObject({ template: GridCodeTemplate });
export const GridCodeTemplateInfo = z.object({
  template: GridCodeTemplate,
  length: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  segments: z.array(z.object({ key: z.string(), start: z.number().int(), length: z.number().int(), zh: z.string(), en: z.string() })),
  /** Every layout, for a picker. */
  available: z.array(z.object({ template: GridCodeTemplate, length: z.number().int(), nameZh: z.string(), nameEn: z.string() })),
});
export const gridCodeTemplateInfo = (template: GridCodeTemplate): z.infer<typeof GridCodeTemplateInfo> => {
  const lay = gridCodeLayouts[template];
  return {
    template,
    length: lay.length,
    nameZh: lay.zh,
    nameEn: lay.en,
    segments: lay.segments.map((s) => ({ ...s })),
    available: GridCodeTemplate.options.map((t) => ({
      template: t,
      length: gridCodeLayouts[t].length,
      nameZh: gridCodeLayouts[t].zh,
      nameEn: gridCodeLayouts[t].en,
    })),
  };
};

/** GET /api/grids/features: one feature per grid valid on the date, inside the bbox and the caller's view scope. */
export const GridFeatureProperties = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  gridType: GridType,
  level: GridLevel,
  communityId: z.uuid(),
  /** Flag codes (GRID_TOO_MANY_HOUSEHOLDS …), for colouring. */
  flags: z.array(z.string()),
});
export const GridFeature = z.object({ type: z.literal('Feature'), id: z.uuid(), geometry: AreaGeometry, properties: GridFeatureProperties });
export const GridFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(GridFeature),
  /** More grids lie in the box than `limit`: zoom in. */
  truncated: z.boolean(),
});

/** GET /api/regions/features: outlines and label points of divisions for the offline base map. */
export const RegionFeatureQuery = z.strictObject({
  bbox: z.string().describe('minLng,minLat,maxLng,maxLat'),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
export const RegionFeatureProperties = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  level: z.enum(['district', 'street', 'community']),
  /** A point inside the outline for the label. */
  labelLng: z.number(),
  labelLat: z.number(),
});
export const RegionFeature = z.object({ type: z.literal('Feature'), id: z.uuid(), geometry: AreaGeometry, properties: RegionFeatureProperties });
export const RegionFeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(RegionFeature), truncated: z.boolean() });

/** PUT /api/regions/:id/boundary: a community's/village's boundary, validated as grids are. */
export const RegionBoundaryRequest = z.strictObject({
  geometry: AreaGeometry,
  coordSystem: CoordSystem.default('WGS84'),
});
export const RegionBoundaryResult = z.object({
  regionId: z.uuid(),
  areaM2: z.number(),
  geometry: AreaGeometry,
  label: PointGeometry,
  /** Current grids of the community that now reach beyond the boundary (fix them or the boundary). */
  gridsOutside: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string(), outsideAreaM2: z.number() })),
});

export const CoverageQuery = z.strictObject({
  regionId: z.uuid().describe('a community, street or district'),
  on: z.iso.date().optional().describe('grids and boundaries as they were on this date'),
});

/** Size norms of a jurisdiction (GB/T 34300 defaults; the nearest region up the tree with its own row applies). */
export const SizeNormValues = z
  .strictObject({
    urbanMinHouseholds: z.number().int().min(0).max(100_000),
    urbanMaxHouseholds: z.number().int().min(1).max(100_000),
    urbanMinPeople: z.number().int().min(0).max(1_000_000),
    urbanMaxPeople: z.number().int().min(1).max(1_000_000),
    ruralMinHouseholds: z.number().int().min(0).max(100_000),
    ruralMaxHouseholds: z.number().int().min(1).max(100_000),
    minWorkersPerGrid: z.number().int().min(0).max(100),
  })
  .refine((v) => v.urbanMinHouseholds <= v.urbanMaxHouseholds, { path: ['urbanMaxHouseholds'], message: '上限不能小于下限 / the maximum is below the minimum' })
  .refine((v) => v.urbanMinPeople <= v.urbanMaxPeople, { path: ['urbanMaxPeople'], message: '上限不能小于下限 / the maximum is below the minimum' })
  .refine((v) => v.ruralMinHouseholds <= v.ruralMaxHouseholds, {
    path: ['ruralMaxHouseholds'],
    message: '上限不能小于下限 / the maximum is below the minimum',
  });
export type SizeNormValues = z.infer<typeof SizeNormValues>;
/**
 * GB/T 34300 / Shandong norm: an urban grid of 300–500 households or about 1,000 people (people flagged
 * beyond 1,500); rural grids configurable, 100–300 households by default (the source plans say 100–200
 * and 200–300); at least one grid worker (full- or part-time) per grid.
 */
export const defaultSizeNorm: SizeNormValues = {
  urbanMinHouseholds: 300,
  urbanMaxHouseholds: 500,
  urbanMinPeople: 500,
  urbanMaxPeople: 1500,
  ruralMinHouseholds: 100,
  ruralMaxHouseholds: 300,
  minWorkersPerGrid: 1,
};
export const SizeNormParams = z.strictObject({ regionId: z.uuid() });
export const SizeNorm = z.object({
  regionId: z.uuid(),
  values: z.object({
    urbanMinHouseholds: z.number().int(),
    urbanMaxHouseholds: z.number().int(),
    urbanMinPeople: z.number().int(),
    urbanMaxPeople: z.number().int(),
    ruralMinHouseholds: z.number().int(),
    ruralMaxHouseholds: z.number().int(),
    minWorkersPerGrid: z.number().int(),
  }),
  /** The region whose row applies (this one or an ancestor), or null for the built-in defaults. */
  source: z.object({ regionId: z.uuid(), name: z.string(), own: z.boolean() }).nullable(),
});

/** GET /api/grids/staffing: workers per grid and per 1,000 residents. Workers = full- and part-time grid workers. */
export const StaffingQuery = z.strictObject({ regionId: z.uuid() });
const StaffingCounts = z.object({
  grids: z.number().int(),
  leaders: z.number().int(),
  workers: z.number().int(),
  liaisons: z.number().int(),
  buildingHeads: z.number().int(),
  households: z.number().int(),
  population: z.number().int(),
  areaM2: z.number(),
  /** Workers per 1,000 residents; null without population. */
  workersPer1000: z.number().nullable(),
});
export const StaffingReport = z.object({
  regionId: z.uuid(),
  /** Households and population are the grids' baseline counts until the population registry exists. */
  source: z.enum(['baseline', 'registry']),
  grids: z.array(
    z.object({
      gridId: z.uuid(),
      code: z.string(),
      name: z.string(),
      gridType: GridType,
      communityId: z.uuid(),
      communityName: z.string(),
      leaders: z.number().int(),
      workers: z.number().int(),
      liaisons: z.number().int(),
      buildingHeads: z.number().int(),
      households: z.number().int().nullable(),
      population: z.number().int().nullable(),
      areaM2: z.number().nullable(),
      workersPer1000: z.number().nullable(),
    }),
  ),
  /** Per community; a person serving several grids of one community counts once in its totals. */
  communities: z.array(StaffingCounts.extend({ communityId: z.uuid(), communityName: z.string() })),
  totals: StaffingCounts,
});

/** GET /api/grids/export.xlsx: the grids of a community or street with codes and staffing. */
export const GridExportQuery = z.strictObject({ regionId: z.uuid() });
