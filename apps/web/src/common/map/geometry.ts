import type { AreaGeometry } from '@gridgov/contracts/geojson';
import turfArea from '@turf/area';
import { difference, intersection, union } from 'polyclip-ts';
import polylabel from 'polylabel';

/**
 * Plane geometry the map needs in the browser: bounding boxes, label points, splitting a polygon
 * by a drawn line, merging two polygons, snapping a pointer to neighbouring vertices and edges.
 * Coordinates are [lng, lat] degrees; at grid scale (a few hundred metres) treating them as a plane
 * is exact enough for topology — areas are geodesic (@turf/area).
 */
export type Pos = [number, number];
export type Ring = Pos[];
export type Poly = Ring[];
export type MultiPoly = Poly[];
export type BBox = [number, number, number, number];

export function toPolys(g: AreaGeometry): MultiPoly {
  return g.type === 'Polygon' ? [g.coordinates as Poly] : (g.coordinates as MultiPoly);
}

export function fromPolys(mp: MultiPoly): AreaGeometry {
  const only = mp.length === 1 ? mp[0] : undefined;
  return only ? { type: 'Polygon', coordinates: only } : { type: 'MultiPolygon', coordinates: mp };
}

export function bboxOf(g: AreaGeometry | { type: 'LineString'; coordinates: Pos[] }): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (p: Pos) => {
    if (p[0] < b[0]) b[0] = p[0];
    if (p[1] < b[1]) b[1] = p[1];
    if (p[0] > b[2]) b[2] = p[0];
    if (p[1] > b[3]) b[3] = p[1];
  };
  if (g.type === 'LineString') for (const p of g.coordinates) visit(p);
  else for (const poly of toPolys(g)) for (const ring of poly) for (const p of ring) visit(p as Pos);
  return b;
}

export function unionBBox(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Geodesic area in m². */
export function areaM2(g: AreaGeometry): number {
  return turfArea({ type: 'Feature', properties: {}, geometry: g });
}

function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[j] as Pos;
    const b = r[i] as Pos;
    s += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return Math.abs(s / 2);
}

/** The point inside the largest part farthest from its edges: where a label reads best. */
export function labelPoint(g: AreaGeometry): Pos {
  let best: Poly | undefined;
  let bestArea = -1;
  for (const poly of toPolys(g)) {
    const a = ringArea(poly[0] ?? []);
    if (a > bestArea) {
      bestArea = a;
      best = poly;
    }
  }
  if (!best) return [0, 0];
  const [x0, y0, x1, y1] = bboxOf({ type: 'Polygon', coordinates: best });
  const p = polylabel(best, Math.max(x1 - x0, y1 - y0) / 200);
  return [p[0] as number, p[1] as number];
}

export type SplitResult = { ok: true; parts: [AreaGeometry, AreaGeometry] } | { ok: false; reason: 'tooShort' | 'notCrossing' | 'tooManyParts' };

/** Where a ray from `from` through direction (dx, dy) leaves the box `b` (from is inside b). */
function exitPoint(from: Pos, dx: number, dy: number, b: BBox): Pos {
  let t = Infinity;
  if (dx > 0) t = Math.min(t, (b[2] - from[0]) / dx);
  if (dx < 0) t = Math.min(t, (b[0] - from[0]) / dx);
  if (dy > 0) t = Math.min(t, (b[3] - from[1]) / dy);
  if (dy < 0) t = Math.min(t, (b[1] - from[1]) / dy);
  return [from[0] + dx * t, from[1] + dy * t];
}

/** Position along the box outline, counter-clockwise from the lower-left corner: 0..4, one unit per side. */
function perimeterT(p: Pos, b: BBox): number {
  const [x0, y0, x1, y1] = b;
  const eps = 1e-12 * Math.max(1, Math.abs(x1 - x0), Math.abs(y1 - y0));
  if (Math.abs(p[1] - y0) <= eps) return (p[0] - x0) / (x1 - x0);
  if (Math.abs(p[0] - x1) <= eps) return 1 + (p[1] - y0) / (y1 - y0);
  if (Math.abs(p[1] - y1) <= eps) return 2 + (x1 - p[0]) / (x1 - x0);
  return 3 + (y1 - p[1]) / (y1 - y0);
}

/**
 * The half of a box to the left of a polyline that crosses it: the polyline (with its ends
 * extended to the box's edge), then the box outline counter-clockwise back to the start.
 */
export function leftSide(line: Pos[], box: BBox): Ring {
  const first = line[0] as Pos;
  const second = line[1] as Pos;
  const last = line[line.length - 1] as Pos;
  const beforeLast = line[line.length - 2] as Pos;
  const start = exitPoint(first, first[0] - second[0], first[1] - second[1], box);
  const end = exitPoint(last, last[0] - beforeLast[0], last[1] - beforeLast[1], box);
  const corners: Pos[] = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[2], box[3]],
    [box[0], box[3]],
  ];
  const tEnd = perimeterT(end, box);
  let tStart = perimeterT(start, box);
  if (tStart <= tEnd) tStart += 4;
  const ring: Ring = [start, ...line, end];
  for (let k = Math.floor(tEnd) + 1; k < tStart; k++) ring.push(corners[k % 4] as Pos);
  ring.push(start);
  return ring;
}

function dedupe(line: Pos[]): Pos[] {
  const out: Pos[] = [];
  for (const p of line) {
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
  }
  return out;
}

/**
 * Splits an area by a drawn line into exactly two parts that share the cut edge. The line must cross
 * the area completely; a line that cuts it into more than two pieces (a zig-zag across a concave
 * shape) is refused so the person draws it again.
 */
export function splitByLine(g: AreaGeometry, drawn: Pos[]): SplitResult {
  const line = dedupe(drawn);
  if (line.length < 2) return { ok: false, reason: 'tooShort' };
  const gb = bboxOf(g);
  const lb = bboxOf({ type: 'LineString', coordinates: line });
  const all = unionBBox(gb, lb);
  const pad = Math.max(all[2] - all[0], all[3] - all[1]) || 1;
  const box: BBox = [all[0] - pad, all[1] - pad, all[2] + pad, all[3] + pad];
  const side = [leftSide(line, box)];
  const polys = toPolys(g);
  const left = intersection(polys, side) as MultiPoly;
  const right = difference(polys, side) as MultiPoly;
  if (left.length === 0 || right.length === 0) return { ok: false, reason: 'notCrossing' };
  if (left.length + right.length > Math.max(2, polys.length + 1)) return { ok: false, reason: 'tooManyParts' };
  return { ok: true, parts: [fromPolys(left), fromPolys(right)] };
}

export type MergeResult = { ok: true; geometry: AreaGeometry } | { ok: false; reason: 'notAdjacent' };

/** The union of two areas; refused when they do not touch along an edge (the union has two pieces). */
export function mergeAreas(a: AreaGeometry, b: AreaGeometry): MergeResult {
  const pa = toPolys(a);
  const pb = toPolys(b);
  const u = union(pa, pb) as MultiPoly;
  if (u.length >= pa.length + pb.length) return { ok: false, reason: 'notAdjacent' };
  return { ok: true, geometry: fromPolys(u) };
}

export interface Pixel {
  x: number;
  y: number;
}

/**
 * The nearest vertex within `vertexPx`, else the nearest point on an edge within `edgePx`, of the
 * given rings (neighbouring grids), as seen on screen. Returns undefined when nothing is close.
 */
export function snapTo(pointer: Pixel, rings: Ring[], project: (p: Pos) => Pixel, vertexPx = 10, edgePx = 7): Pos | undefined {
  let bestV: Pos | undefined;
  let bestVD = vertexPx * vertexPx;
  let bestE: Pos | undefined;
  let bestED = edgePx * edgePx;
  for (const ring of rings) {
    let prev: { p: Pos; px: Pixel } | undefined;
    for (const p of ring) {
      const px = project(p);
      const dx = px.x - pointer.x;
      const dy = px.y - pointer.y;
      const d = dx * dx + dy * dy;
      if (d < bestVD) {
        bestVD = d;
        bestV = p;
      }
      if (prev) {
        const sx = px.x - prev.px.x;
        const sy = px.y - prev.px.y;
        const len = sx * sx + sy * sy;
        if (len > 0) {
          const t = Math.max(0, Math.min(1, ((pointer.x - prev.px.x) * sx + (pointer.y - prev.px.y) * sy) / len));
          const qx = prev.px.x + t * sx - pointer.x;
          const qy = prev.px.y + t * sy - pointer.y;
          const e = qx * qx + qy * qy;
          if (e < bestED) {
            bestED = e;
            // Interpolate in degrees: at this scale the screen projection is affine along a segment.
            bestE = [prev.p[0] + t * (p[0] - prev.p[0]), prev.p[1] + t * (p[1] - prev.p[1])];
          }
        }
      }
      prev = { p, px };
    }
  }
  return bestV ?? bestE;
}

/** Outer and inner rings of the areas, for snapping. */
export function ringsOf(gs: AreaGeometry[]): Ring[] {
  const out: Ring[] = [];
  for (const g of gs) for (const poly of toPolys(g)) for (const r of poly) out.push(r as Ring);
  return out;
}
