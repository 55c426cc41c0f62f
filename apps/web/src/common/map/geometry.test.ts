import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { describe, expect, it } from 'vitest';
import { areaM2, bboxOf, labelPoint, leftSide, mergeAreas, type Pos, snapTo, splitByLine, toPolys } from './geometry';

const square = (x0: number, y0: number, s: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x0 + s, y0],
      [x0 + s, y0 + s],
      [x0, y0 + s],
      [x0, y0],
    ],
  ],
});

/** A "U" (concave): 3 × 3 with the middle column cut out from the top down to y = 1. */
const U: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [117, 36],
      [117.003, 36],
      [117.003, 36.003],
      [117.002, 36.003],
      [117.002, 36.001],
      [117.001, 36.001],
      [117.001, 36.003],
      [117, 36.003],
      [117, 36],
    ],
  ],
};

/** Planar shoelace area in degree² — exact for axis-aligned test shapes. */
function planar(g: AreaGeometry): number {
  let s = 0;
  for (const poly of toPolys(g))
    poly.forEach((ring, k) => {
      let a = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const p = ring[j] as Pos;
        const q = ring[i] as Pos;
        a += (p[0] - q[0]) * (p[1] + q[1]);
      }
      s += k === 0 ? Math.abs(a / 2) : -Math.abs(a / 2);
    });
  return s;
}

describe('splitByLine', () => {
  const sq = square(117, 36, 0.002);

  it('a straight cut through a square gives two halves whose areas add up', () => {
    const r = splitByLine(sq, [
      [117.001, 35.999],
      [117.001, 36.003],
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.parts;
    expect(planar(a)).toBeCloseTo(0.000002, 12);
    expect(planar(b)).toBeCloseTo(0.000002, 12);
    expect(areaM2(a) + areaM2(b)).toBeCloseTo(areaM2(sq), 3);
    // The parts share the cut edge: their union is the square again, in one piece.
    const m = mergeAreas(a, b);
    expect(m.ok).toBe(true);
    if (m.ok) expect(planar(m.geometry)).toBeCloseTo(planar(sq), 14);
  });

  it('a cut drawn in either direction gives the same two parts', () => {
    const down = splitByLine(sq, [
      [117.0005, 36.003],
      [117.0015, 35.999],
    ]);
    const up = splitByLine(sq, [
      [117.0015, 35.999],
      [117.0005, 36.003],
    ]);
    expect(down.ok && up.ok).toBe(true);
    if (!down.ok || !up.ok) return;
    const areas = (r: typeof down & { ok: true }) => r.parts.map(planar).sort();
    const [d0, d1] = areas(down);
    const [u0, u1] = areas(up);
    expect(d0).toBeCloseTo(u0 as number, 14);
    expect(d1).toBeCloseTo(u1 as number, 14);
  });

  it('a bent cut (polyline) with points inside the area works', () => {
    const r = splitByLine(sq, [
      [116.9995, 36.0005],
      [117.001, 36.0015],
      [117.0025, 36.0005],
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(planar(r.parts[0]) + planar(r.parts[1])).toBeCloseTo(planar(sq), 14);
    expect(Math.min(planar(r.parts[0]), planar(r.parts[1]))).toBeGreaterThan(0);
  });

  it('a line that does not cross the area is refused', () => {
    expect(
      splitByLine(sq, [
        [117.003, 36],
        [117.004, 36.003],
      ]),
    ).toEqual({ ok: false, reason: 'notCrossing' });
    // Ending inside: the extended ray still crosses, so the cut is taken as drawn to the edge.
    const inside = splitByLine(sq, [
      [116.999, 36.001],
      [117.001, 36.001],
    ]);
    expect(inside.ok).toBe(true);
  });

  it('a single point is too short', () => {
    expect(splitByLine(sq, [[117.001, 36.001]])).toEqual({ ok: false, reason: 'tooShort' });
    expect(
      splitByLine(sq, [
        [117.001, 36.001],
        [117.001, 36.001],
      ]),
    ).toEqual({ ok: false, reason: 'tooShort' });
  });

  it('a concave area: a cut across the base gives two parts, a cut across both arms three (refused)', () => {
    const base = splitByLine(U, [
      [116.999, 36.0005],
      [117.004, 36.0005],
    ]);
    expect(base.ok).toBe(true);
    if (base.ok) expect(planar(base.parts[0]) + planar(base.parts[1])).toBeCloseTo(planar(U), 14);
    const arms = splitByLine(U, [
      [116.999, 36.002],
      [117.004, 36.002],
    ]);
    expect(arms).toEqual({ ok: false, reason: 'tooManyParts' });
    // Cutting one arm only (the line ends in the notch): two parts, the arm's tip and the rest.
    const oneArm = splitByLine(U, [
      [116.999, 36.002],
      [117.0015, 36.002],
      [117.0015, 36.0035],
    ]);
    expect(oneArm.ok).toBe(true);
    if (oneArm.ok) expect(Math.min(...oneArm.parts.map(planar))).toBeCloseTo(0.000001, 12);
  });

  it('an area with a hole keeps the hole on the side it falls', () => {
    const holed: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        (square(117, 36, 0.004).coordinates as Pos[][])[0] as Pos[],
        [
          [117.0025, 36.001],
          [117.0025, 36.002],
          [117.0035, 36.002],
          [117.0035, 36.001],
          [117.0025, 36.001],
        ],
      ],
    };
    const r = splitByLine(holed, [
      [117.002, 35.999],
      [117.002, 36.005],
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const areas = r.parts.map(planar).sort();
    expect(areas[0]).toBeCloseTo(0.000008 - 0.000001, 12);
    expect(areas[1]).toBeCloseTo(0.000008, 12);
  });
});

describe('leftSide', () => {
  it('closes a crossing line along the box outline into a simple ring', () => {
    const ring = leftSide(
      [
        [0.5, -0.5],
        [0.5, 1.5],
      ],
      [-1, -1, 2, 2],
    );
    expect(ring[0]).toEqual([0.5, -1]);
    expect(ring[ring.length - 1]).toEqual([0.5, -1]);
    // Going up the line, the left side is x < 0.5: the corners (-1, 2) and (-1, -1).
    expect(ring).toContainEqual([-1, 2]);
    expect(ring).toContainEqual([-1, -1]);
    expect(ring).not.toContainEqual([2, 2]);
  });
});

describe('mergeAreas', () => {
  it('two squares sharing an edge merge into one polygon of their total area', () => {
    const r = mergeAreas(square(117, 36, 0.001), square(117.001, 36, 0.001));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.geometry.type).toBe('Polygon');
    expect(planar(r.geometry)).toBeCloseTo(0.000002, 12);
  });

  it('two squares apart are not adjacent', () => {
    expect(mergeAreas(square(117, 36, 0.001), square(117.002, 36, 0.001))).toEqual({ ok: false, reason: 'notAdjacent' });
  });
});

describe('labelPoint and bboxOf', () => {
  it('the label of a concave U sits inside it, not in the notch', () => {
    const [x, y] = labelPoint(U);
    const inNotch = x > 117.001 && x < 117.002 && y > 36.001;
    expect(inNotch).toBe(false);
    const [x0, y0, x1, y1] = bboxOf(U);
    expect(x).toBeGreaterThan(x0);
    expect(x).toBeLessThan(x1);
    expect(y).toBeGreaterThan(y0);
    expect(y).toBeLessThan(y1);
  });

  it('takes the largest part of a multipolygon', () => {
    const mp: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [square(117, 36, 0.001).coordinates as Pos[][], square(118, 36, 0.01).coordinates as Pos[][]],
    };
    expect(labelPoint(mp)[0]).toBeGreaterThan(118);
  });
});

describe('snapTo', () => {
  // 1 px = 1 unit: the identity projection.
  const id = (p: Pos) => ({ x: p[0], y: p[1] });
  const ring: Pos[] = [
    [0, 0],
    [100, 0],
    [100, 100],
    [0, 100],
    [0, 0],
  ];

  it('prefers a vertex within reach over a nearer edge', () => {
    expect(snapTo({ x: 96, y: 3 }, [ring], id)).toEqual([100, 0]);
  });

  it('falls back to the nearest point on an edge', () => {
    expect(snapTo({ x: 50, y: 4 }, [ring], id)).toEqual([50, 0]);
  });

  it('nothing close: no snap', () => {
    expect(snapTo({ x: 50, y: 50 }, [ring], id)).toBeUndefined();
  });
});
