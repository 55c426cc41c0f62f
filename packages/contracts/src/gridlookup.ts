import { z } from 'zod';
import { CoordSystem, Position } from './geojson.js';
import { GridLookupResult, GridType } from './grids.js';

/**
 * Point → grid. Staff: GET /api/grids/lookup (within the caller's view scope, today or on a past date).
 * Everyone: GET /api/public/grid-lookup by coordinates or by address ("which grid am I in, who is my grid
 * worker, how do I reach the station"), rate-limited per address.
 */

/** GET /api/grids/lookup */
export const GridLocateQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  coordSystem: CoordSystem.default('WGS84').describe('GCJ02 (AMap, Tencent) and BD09 (Baidu) are converted to WGS84 first'),
  on: z.iso.date().optional().describe('the grid the point lay in on this date (boundary history); default today'),
});
export type GridLocateQuery = z.infer<typeof GridLocateQuery>;

export const LocatedGrid = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  gridType: GridType,
  communityId: z.uuid(),
  communityName: z.string(),
  streetId: z.uuid().nullable(),
  streetName: z.string().nullable(),
});
export type LocatedGrid = z.infer<typeof LocatedGrid>;

export const GridLocateResult = z.object({
  found: z.boolean(),
  grid: LocatedGrid.nullable(),
  /** The point looked up, in WGS84 / CGCS2000. */
  point: Position,
  /** The date the answer holds for. */
  on: z.string(),
  /** Why nothing was found (zh / en), when found is false. */
  message: z.string().nullable(),
});
export type GridLocateResult = z.infer<typeof GridLocateResult>;

/** GET /api/public/grid-lookup: GridLookupResult plus how the answer was reached. */
export const PublicGridLookupResult = GridLookupResult.extend({
  /** The point looked up in WGS84, when coordinates were given. */
  point: Position.nullable(),
  /** For an address: what in it was recognised (a landmark, grid name, station address or community name). */
  matched: z.object({ kind: z.enum(['landmark', 'grid', 'station', 'community']), text: z.string() }).nullable(),
  /** Why nothing was found, or what to add (zh / en). */
  message: z.string().nullable(),
});
export type PublicGridLookupResult = z.infer<typeof PublicGridLookupResult>;
