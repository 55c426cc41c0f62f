import { z } from 'zod';
import { CoordSystem } from './geojson.js';
import { DedicatedKind, GridType } from './grids.js';

/**
 * Grid import (GeoJSON, zipped shapefile) and export (GeoJSON). An import is validated whole —
 * every feature, every problem with its feature index — and committed only when nothing is wrong,
 * in one transaction.
 */

export const ImportMode = z.enum(['validate', 'commit']);

/** POST /api/grids/import (JSON). Features are checked by the server one by one, so a bad one is reported with its index. */
export const ImportGridsRequest = z.strictObject({
  communityId: z.uuid(),
  format: z.literal('geojson'),
  /** Overrides / supplies the file's CRS; a file with neither is refused (IMPORT_CRS_UNDECLARED). */
  coordSystem: CoordSystem.optional(),
  mode: ImportMode.default('validate'),
  data: z.looseObject({
    type: z.literal('FeatureCollection'),
    features: z.array(z.unknown()).max(5000),
    crs: z.unknown().optional(),
  }),
});
export type ImportGridsRequest = z.infer<typeof ImportGridsRequest>;

/** Multipart fields sent with the .zip of a shapefile (shp + shx + dbf + prj, optional cpg). */
export const ImportShapefileFields = z.strictObject({
  communityId: z.uuid(),
  coordSystem: CoordSystem.optional(),
  mode: ImportMode.default('validate'),
});

/** Feature properties the importer reads (Chinese attribute names are accepted too: 名称, 编码, 类型, 序号, 专属类型). */
export const ImportFeatureProperties = z.object({
  name: z.string().trim().min(1).max(64),
  type: GridType.optional(),
  dedicatedKind: DedicatedKind.optional(),
  code: z.string().trim().max(32).optional(),
  seq: z.coerce.number().int().min(1).max(999).optional(),
});

/** Attribute names accepted for each property, first match wins. */
export const importPropertyAliases: Record<keyof z.infer<typeof ImportFeatureProperties>, readonly string[]> = {
  name: ['name', 'NAME', 'Name', '名称', '网格名称', 'WGMC'],
  type: ['type', 'TYPE', 'gridType', '类型', '网格类型', 'WGLX'],
  dedicatedKind: ['dedicatedKind', 'DEDICATED', '专属类型'],
  code: ['code', 'CODE', 'Code', '编码', '网格编码', 'WGBM'],
  seq: ['seq', 'SEQ', '序号', '顺序码'],
};

export const ImportProblem = z.object({
  /** Index of the feature in the file (0-based); null for the file as a whole. */
  index: z.number().int().nullable(),
  /** 'geometry', 'properties.name' … */
  field: z.string(),
  code: z.string(),
  message: z.string(),
  /** Related feature index (overlaps, duplicates) or existing grid code. */
  other: z.union([z.number().int(), z.string()]).optional(),
  areaM2: z.number().optional(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportedGrid = z.object({
  index: z.number().int(),
  action: z.enum(['create', 'replace']),
  id: z.uuid().nullable(),
  code: z.string(),
  name: z.string(),
  gridType: GridType,
  areaM2: z.number(),
});

export const ImportReport = z.object({
  mode: ImportMode,
  ok: z.boolean(),
  committed: z.boolean(),
  coordSystem: CoordSystem,
  /** Where the coordinate system came from. */
  crsSource: z.enum(['request', 'file']),
  features: z.number().int(),
  problems: z.array(ImportProblem),
  grids: z.array(ImportedGrid),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ExportGridsQuery = z.strictObject({
  regionId: z.uuid().describe('a community or a street'),
  on: z.iso.date().optional().describe('grids and boundaries as they were on this date (default today)'),
});

/** Exported features: WGS84 / CGCS2000 [lng, lat]; properties with code, name, type, community, staff. */
export const ExportFeatureProperties = z.object({
  code: z.string(),
  name: z.string(),
  type: GridType,
  typeName: z.string(),
  dedicatedKind: DedicatedKind.nullable(),
  community: z.string(),
  communityCode: z.string(),
  street: z.string(),
  staff: z.array(z.object({ name: z.string(), duty: z.string(), dutyName: z.string() })),
  validFrom: z.string(),
});
