/** The part of the `shapefile` package (mbostock) that gridio uses; it ships no types. */
declare module 'shapefile' {
  export function read(
    shp: Uint8Array | ArrayBuffer,
    dbf?: Uint8Array | ArrayBuffer,
    options?: { encoding?: string },
  ): Promise<{ type: 'FeatureCollection'; features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[]; bbox?: number[] }>;
}
