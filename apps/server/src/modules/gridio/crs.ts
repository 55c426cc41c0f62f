import type { CoordSystem } from '@gridgov/contracts/geojson';

/** What a file says about its coordinate system: a known one, one we cannot use, or nothing. */
export type DeclaredCrs = { kind: 'known'; coordSystem: CoordSystem; name: string } | { kind: 'unknown'; name: string } | { kind: 'none' };

const known = (coordSystem: CoordSystem, name: string): DeclaredCrs => ({ kind: 'known', coordSystem, name });

/**
 * A GeoJSON `crs` member (2008 spec, still written by GIS tools): `{"type":"name","properties":{"name":…}}`.
 * OGC CRS84, EPSG:4326 (WGS84) and EPSG:4490 (CGCS2000, practically WGS84) in their URN/URL spellings;
 * the non-standard names GCJ02 / BD09 (used by tools exporting from AMap or Baidu) are recognised too.
 */
export function crsFromGeoJson(member: unknown): DeclaredCrs {
  if (member === undefined || member === null) return { kind: 'none' };
  const m = member as { type?: unknown; properties?: { name?: unknown; code?: unknown } };
  let name: string | null = null;
  if (typeof member === 'string') name = member;
  else if (m.properties && typeof m.properties.name === 'string') name = m.properties.name;
  else if (m.properties && (typeof m.properties.code === 'number' || typeof m.properties.code === 'string')) name = `EPSG:${m.properties.code}`;
  if (name === null) return { kind: 'unknown', name: JSON.stringify(member).slice(0, 120) };
  return crsFromName(name);
}

export function crsFromName(raw: string): DeclaredCrs {
  const name = raw.trim().slice(0, 120);
  const n = name.toUpperCase().replace(/\s+/g, '');
  if (/^(URN:OGC:DEF:CRS:OGC:1\.3:CRS84|URN:OGC:DEF:CRS:OGC::CRS84|CRS84|OGC:CRS84|WGS84|WGS-84|WGS1984)$/.test(n)) return known('WGS84', name);
  const epsg = /^(?:URN:OGC:DEF:CRS:EPSG:[0-9.]*:|EPSG:+|HTTPS?:\/\/WWW\.OPENGIS\.NET\/DEF\/CRS\/EPSG\/0\/)(\d+)$/.exec(n);
  if (epsg) {
    if (epsg[1] === '4326') return known('WGS84', name);
    if (epsg[1] === '4490') return known('CGCS2000', name);
    return { kind: 'unknown', name };
  }
  if (/^(CGCS2000|CGCS_2000|CGCS-2000)$/.test(n)) return known('CGCS2000', name);
  if (/^(GCJ02|GCJ-02|GCJ_02)$/.test(n)) return known('GCJ02', name);
  if (/^(BD09|BD-09|BD_09|BD09LL)$/.test(n)) return known('BD09', name);
  return { kind: 'unknown', name };
}

/**
 * A shapefile's .prj (ESRI WKT). Only geographic systems on WGS84 or CGCS2000 are taken: a projected
 * system (Gauss-Krüger zones, Web Mercator …) would need a projection library and is refused.
 */
export function crsFromPrj(wkt: string | null): DeclaredCrs {
  if (wkt === null || wkt.trim() === '') return { kind: 'none' };
  const text = wkt.trim();
  const head = /^\s*(\w+)\s*\[\s*"([^"]*)"/.exec(text);
  const name = head?.[2] ?? text.slice(0, 60);
  if (head?.[1]?.toUpperCase() !== 'GEOGCS') return { kind: 'unknown', name };
  // TOWGS84[…] parameters name WGS84 in any datum's definition: not a declaration of WGS84.
  const u = text.toUpperCase().replace(/TOWGS84/g, '');
  if (/CGCS[_ ]?2000|CHINA[_ ]GEODETIC[_ ]COORDINATE[_ ]SYSTEM[_ ]2000/.test(u)) return known('CGCS2000', name);
  if (/WGS[_ ]?(19)?84/.test(u)) return known('WGS84', name);
  return { kind: 'unknown', name };
}
