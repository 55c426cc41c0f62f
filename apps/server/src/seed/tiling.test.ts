import { describe, expect, it } from 'vitest';
import { buildDemoGeometry } from './demo-grids.js';
import { cellsToMultiPolygon, components, makeLattice, partition, signedArea } from './tiling.js';

/** A 5 × 5 lattice of unit cells without jitter: cell (i, j) = j * 5 + i. */
const square = () => makeLattice({ origin: [0, 0], cols: 5, rows: 5, cellLng: 1, cellLat: 1, jitter: 0, seed: 1 });
const at = (i: number, j: number) => j * 5 + i;
const area = (mp: ReturnType<typeof cellsToMultiPolygon>) => mp.flat().reduce((s, ring) => s + signedArea(ring), 0);

describe('tiling', () => {
  it('outlines a block with a hole as one polygon: a counter-clockwise shell and a clockwise hole', () => {
    const l = square();
    const ring = [at(1, 1), at(2, 1), at(3, 1), at(1, 2), at(3, 2), at(1, 3), at(2, 3), at(3, 3)];
    const mp = cellsToMultiPolygon(l, ring);
    expect(mp).toHaveLength(1);
    expect(mp[0]).toHaveLength(2);
    expect(signedArea(mp[0]?.[0] ?? [])).toBe(9);
    expect(signedArea(mp[0]?.[1] ?? [])).toBe(-1);
    expect(area(mp)).toBe(8);
    for (const r of mp[0] ?? []) expect(r[0]).toEqual(r[r.length - 1]);
  });

  it('keeps a hole touching the shell at one vertex as a separate simple ring', () => {
    const l = square();
    // A 3 × 3 block without its centre and its south-west corner: hole and outside meet at (2, 2).
    const cells = [at(2, 1), at(3, 1), at(1, 2), at(3, 2), at(1, 3), at(2, 3), at(3, 3)];
    const mp = cellsToMultiPolygon(l, cells);
    expect(mp).toHaveLength(1);
    expect(area(mp)).toBe(7);
    for (const r of mp[0] ?? []) {
      const inner = r.slice(0, -1).map(([x, y]) => `${x},${y}`);
      expect(new Set(inner).size).toBe(inner.length);
    }
  });

  it('gives cells that touch only at a corner separate polygons', () => {
    const l = square();
    const mp = cellsToMultiPolygon(l, [at(0, 0), at(1, 1)]);
    expect(mp).toHaveLength(2);
    expect(area(mp)).toBe(2);
    expect(components(l, [at(0, 0), at(1, 1)])).toHaveLength(2);
  });

  it('partitions into connected parts of the requested sizes whose union is the input, the same every run', () => {
    const l = makeLattice({ origin: [117, 36.6], cols: 30, rows: 20, cellLng: 0.0017, cellLat: 0.0014, jitter: 0.22, seed: 5 });
    const cells = Array.from({ length: l.cellCount }, (_, c) => c);
    const weights = [1, 2, 3, 4, 5, 5];
    const parts = partition(l, cells, weights, 17);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(cells);
    parts.forEach((p, k) => {
      expect(components(l, p)).toHaveLength(1);
      expect(p.length / cells.length).toBeCloseTo((weights[k] as number) / 20, 1);
    });
    expect(partition(l, cells, weights, 17)).toEqual(parts);
    // The union of the parts' polygons has the area of the whole.
    const whole = area(cellsToMultiPolygon(l, cells));
    const sum = parts.reduce((s, p) => s + area(cellsToMultiPolygon(l, p)), 0);
    expect(sum).toBeCloseTo(whole, 12);
  });

  it('builds the same demo district every time, 100 grids snapped to 1e-7°', () => {
    const a = buildDemoGeometry();
    const b = buildDemoGeometry();
    expect(a.grids).toHaveLength(100);
    expect(a.grids.map((g) => [g.code, g.geometry])).toEqual(b.grids.map((g) => [g.code, g.geometry]));
    expect(new Set(a.grids.map((g) => g.code)).size).toBe(100);
    for (const g of a.grids) for (const [x, y] of g.geometry.flat(2)) expect([Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]).toEqual([x, y]);
  });
});
