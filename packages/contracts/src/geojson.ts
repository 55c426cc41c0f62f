import { z } from 'zod';

/** [lng, lat] in WGS84 / CGCS2000 degrees. */
export const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export const LinearRing = z.array(Position).min(4);
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(LinearRing).min(1) });
export const MultiPolygonGeometry = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(LinearRing).min(1)).min(1) });
export const AreaGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = z.infer<typeof AreaGeometry>;
export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });

/** Coordinate systems a file or request may declare; everything is stored in WGS84. */
export const CoordSystem = z.enum(['WGS84', 'CGCS2000', 'GCJ02', 'BD09']);
export type CoordSystem = z.infer<typeof CoordSystem>;

/** Bounding box query: minLng,minLat,maxLng,maxLat. */
export const BBox = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox=minLng,minLat,maxLng,maxLat')
  .transform((s) => s.split(',').map(Number) as [number, number, number, number]);
