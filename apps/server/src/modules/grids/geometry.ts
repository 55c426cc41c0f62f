import type { FieldIssue } from '@gridgov/contracts/errors';
import { CoordSystem } from '@gridgov/contracts/geojson';
import gcoord from 'gcoord';

/**
 * Area input for grids and community boundaries, before the database sees it: shape checks that need
 * no database (type, positions, closed rings, rings with area) and the conversion of GCJ-02 / BD-09
 * to WGS84 (CGCS2000 is taken as WGS84: they agree to well under a metre). Pure: no I/O, the input is
 * never mutated. Topological validity (self-intersection …) is PostGIS's ST_IsValidDetail, checked by
 * geometry.repository.ts.
 */

export interface MultiPolygonJson {
  type: 'MultiPolygon';
  coordinates: [number, number][][][];
}

/** One problem with the input, shaped as a FieldIssue (`message` = zh / en) plus the reason in each language. */
export interface GeometryProblem extends FieldIssue {
  reason: { zh: string; en: string };
}

const MAX_PROBLEMS = 20;

function problem(path: string, code: string, zh: string, en: string): GeometryProblem {
  return { path, code, message: `${zh} / ${en}`, reason: { zh, en } };
}

/** True when every position of the ring lies on one straight line (or on one point): a ring without area. */
function collinear(ring: readonly (readonly number[])[]): boolean {
  const [x0, y0] = ring[0] as readonly number[] as [number, number];
  let dx = 0;
  let dy = 0;
  for (const p of ring) {
    const ex = (p[0] as number) - x0;
    const ey = (p[1] as number) - y0;
    if (dx === 0 && dy === 0) {
      dx = ex;
      dy = ey;
    } else if (dx * ey - dy * ex !== 0) return false;
  }
  return true;
}

function checkRing(ring: unknown, path: string, out: GeometryProblem[]): void {
  if (!Array.isArray(ring)) {
    out.push(problem(path, 'not_ring', '不是坐标数组', 'not an array of positions'));
    return;
  }
  let positionsOk = true;
  for (const [i, p] of ring.entries()) {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      out.push(problem(`${path}.${i}`, 'bad_position', '坐标应为 [经度, 纬度] 两个数字', 'a position is [lng, lat], two numbers'));
      positionsOk = false;
    } else if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      out.push(problem(`${path}.${i}`, 'out_of_range', `坐标 [${p[0]}, ${p[1]}] 超出经纬度范围`, `position [${p[0]}, ${p[1]}] is outside the lng/lat range`));
      positionsOk = false;
    }
    if (out.length >= MAX_PROBLEMS) return;
  }
  if (!positionsOk) return;
  if (ring.length < 4) {
    out.push(
      problem(
        path,
        'too_few_points',
        `环只有 ${ring.length} 个坐标，至少需要 4 个（首尾相同）`,
        `a ring needs at least 4 positions (first = last), got ${ring.length}`,
      ),
    );
    return;
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    out.push(problem(path, 'ring_not_closed', '环未闭合（首尾坐标不同）', 'ring not closed'));
    return;
  }
  if (collinear(ring as number[][]))
    out.push(problem(path, 'ring_without_area', '环没有面积（各点共线或重合）', 'ring has no area (collinear or repeated points)'));
}

/**
 * Checks an area geometry (Polygon or MultiPolygon, GeoJSON) and returns it as a WGS84 MultiPolygon
 * with 2-D positions, or the problems found, each with its path below `basePath`
 * ('geometry.coordinates.0' = the first ring of a Polygon; 'features.3.geometry.coordinates.1.0' …).
 * An unknown `coordSystem` is a problem on the path 'coordSystem'.
 */
export function normaliseArea(geojson: unknown, coordSystem: string, basePath = 'geometry'): { geojson: MultiPolygonJson | null; problems: GeometryProblem[] } {
  const problems: GeometryProblem[] = [];
  const crs = CoordSystem.safeParse(coordSystem);
  if (!crs.success) {
    problems.push(
      problem(
        'coordSystem',
        'unknown_crs',
        `不支持的坐标系「${String(coordSystem).slice(0, 32)}」，应为 WGS84、CGCS2000、GCJ02 或 BD09`,
        `unknown coordinate system "${String(coordSystem).slice(0, 32)}"; WGS84, CGCS2000, GCJ02 or BD09 expected`,
      ),
    );
  }
  const g = geojson as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object' || Array.isArray(g)) {
    problems.push(problem(basePath, 'not_geojson', '缺少几何图形（GeoJSON）', 'no GeoJSON geometry'));
    return { geojson: null, problems };
  }
  let polygons: unknown[];
  let polygonPath: (i: number) => string;
  if (g.type === 'Polygon') {
    polygons = [g.coordinates];
    polygonPath = () => `${basePath}.coordinates`;
  } else if (g.type === 'MultiPolygon') {
    polygons = Array.isArray(g.coordinates) ? g.coordinates : [];
    polygonPath = (i) => `${basePath}.coordinates.${i}`;
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      problems.push(problem(`${basePath}.coordinates`, 'empty', '几何图形没有坐标', 'the geometry has no coordinates'));
    }
  } else {
    problems.push(
      problem(
        `${basePath}.type`,
        'not_polygon',
        `几何类型应为 Polygon 或 MultiPolygon，收到 ${String(g.type).slice(0, 32)}`,
        `the geometry must be a Polygon or MultiPolygon, not ${String(g.type).slice(0, 32)}`,
      ),
    );
    return { geojson: null, problems };
  }
  for (const [pi, rings] of polygons.entries()) {
    const path = polygonPath(pi);
    if (!Array.isArray(rings) || rings.length === 0) {
      problems.push(problem(path, 'empty', '多边形没有坐标', 'the polygon has no coordinates'));
      continue;
    }
    for (const [ri, ring] of rings.entries()) {
      checkRing(ring, `${path}.${ri}`, problems);
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length > 0 || !crs.success) return { geojson: null, problems: problems.slice(0, MAX_PROBLEMS) };

  const multi: MultiPolygonJson = {
    type: 'MultiPolygon',
    coordinates: (polygons as number[][][][]).map((rings) => rings.map((ring) => ring.map((p) => [p[0] as number, p[1] as number] as [number, number]))),
  };
  if (crs.data === 'GCJ02' || crs.data === 'BD09') {
    // gcoord mutates GeoJSON in place: `multi` is already our own copy.
    gcoord.transform(multi as unknown as Parameters<typeof gcoord.transform>[0], crs.data === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84);
  }
  return { geojson: multi, problems: [] };
}

/** A [lng, lat] position in WGS84 from the given coordinate system (GCJ-02 / BD-09 converted; CGCS2000 as is). */
export function toWgs84Position(position: readonly [number, number], coordSystem: CoordSystem): [number, number] {
  const p: [number, number] = [position[0], position[1]];
  if (coordSystem === 'GCJ02') return gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as [number, number];
  if (coordSystem === 'BD09') return gcoord.transform(p, gcoord.BD09, gcoord.WGS84) as [number, number];
  return p;
}

/** The bounding box of a `bbox=minLng,minLat,maxLng,maxLat` query, or the problem with it. */
export function parseBBox(value: string): { ok: true; bbox: [number, number, number, number] } | { ok: false; problem: GeometryProblem } {
  const bad = (zh: string, en: string) => ({ ok: false as const, problem: problem('query.bbox', 'invalid_bbox', zh, en) });
  if (!/^-?\d{1,3}(\.\d{1,17})?(,-?\d{1,3}(\.\d{1,17})?){3}$/.test(value)) {
    return bad('bbox 应为 最小经度,最小纬度,最大经度,最大纬度', 'bbox must be minLng,minLat,maxLng,maxLat');
  }
  const [a, b, c, d] = value.split(',').map(Number) as [number, number, number, number];
  if (Math.abs(a) > 180 || Math.abs(c) > 180 || Math.abs(b) > 90 || Math.abs(d) > 90) return bad('bbox 超出经纬度范围', 'bbox is outside the lng/lat range');
  if (a >= c || b >= d) return bad('bbox 的最小值应小于最大值', 'bbox minimum must be below its maximum');
  return { ok: true, bbox: [a, b, c, d] };
}
