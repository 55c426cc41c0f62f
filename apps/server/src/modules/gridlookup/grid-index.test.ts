import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { describe, expect, it } from 'vitest';
import { cellsToMultiPolygon, makeLattice, partition, prng } from '../../seed/tiling.js';
import { createGridIndexKeeper, GridIndex, type IndexedGrid } from './grid-index.js';

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: [number, number][][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

/** How many grids contain the point, each tested on its own. */
const hits = (grids: IndexedGrid[], x: number, y: number) => grids.filter((g) => GridIndex.build([g]).lookup(x, y) !== null).map((g) => g.id);

describe('GridIndex', () => {
  it('answers null for an empty index, outside every grid, and for NaN', () => {
    expect(GridIndex.empty().lookup(117, 36)).toBeNull();
    expect(GridIndex.build([]).lookup(117, 36)).toBeNull();
    const index = GridIndex.build([{ id: 'a', geometry: poly(rect(0, 0, 1, 1)) }]);
    expect(index.lookup(0.5, 0.5)).toBe('a');
    expect(index.lookup(1.5, 0.5)).toBeNull();
    expect(index.lookup(0.5, -0.0001)).toBeNull();
    expect(index.lookup(Number.NaN, 0.5)).toBeNull();
  });

  it('leaves a hole out of its grid and gives it to the grid filling it', () => {
    const donut = { id: 'donut', geometry: poly(rect(0, 0, 10, 10), [...rect(3, 3, 6, 6)].reverse()) };
    const alone = GridIndex.build([donut]);
    expect(alone.lookup(1, 1)).toBe('donut');
    expect(alone.lookup(4.5, 4.5)).toBeNull();
    const filled = GridIndex.build([donut, { id: 'core', geometry: poly(rect(3, 3, 6, 6)) }]);
    expect(filled.lookup(4.5, 4.5)).toBe('core');
    expect(filled.lookup(7, 7)).toBe('donut');
    // Two holes in one polygon, and a point between them.
    const twoHoles = GridIndex.build([{ id: 'h2', geometry: poly(rect(0, 0, 10, 4), [...rect(1, 1, 3, 3)].reverse(), [...rect(6, 1, 8, 3)].reverse()) }]);
    expect(twoHoles.lookup(2, 2)).toBeNull();
    expect(twoHoles.lookup(7, 2)).toBeNull();
    expect(twoHoles.lookup(4.5, 2)).toBe('h2');
  });

  it('finds every part of a MultiPolygon, including an island inside another part’s hole', () => {
    const multi: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 10, 10), [...rect(2, 2, 8, 8)].reverse()], [rect(4, 4, 6, 6)], [rect(20, 0, 21, 1)]],
    };
    const index = GridIndex.build([
      { id: 'm', geometry: multi },
      { id: 'ring-gap', geometry: poly(rect(2, 2, 8, 8), [...rect(4, 4, 6, 6)].reverse()) },
    ]);
    expect(index.lookup(1, 1)).toBe('m');
    expect(index.lookup(5, 5)).toBe('m');
    expect(index.lookup(20.5, 0.5)).toBe('m');
    expect(index.lookup(3, 3)).toBe('ring-gap');
    expect(index.lookup(15, 0.5)).toBeNull();
  });

  it('skips a grid with an empty geometry', () => {
    const index = GridIndex.build([
      { id: 'empty', geometry: { type: 'MultiPolygon', coordinates: [] } },
      { id: 'a', geometry: poly(rect(0, 0, 1, 1)) },
    ]);
    expect(index.size).toBe(1);
    expect(index.lookup(0.5, 0.5)).toBe('a');
  });

  it('accepts unclosed rings', () => {
    const open = { id: 'o', geometry: poly(rect(0, 0, 2, 2).slice(0, 4)) };
    expect(GridIndex.build([open]).lookup(1, 1)).toBe('o');
  });

  it('gives a point on a shared edge or vertex to exactly one grid, whatever the build order', () => {
    // Four squares meeting at (1, 1), and two triangles sharing a slanted edge (0,0)–(2,1) east of them.
    const grids: IndexedGrid[] = [
      { id: 'sw', geometry: poly(rect(0, 0, 1, 1)) },
      { id: 'se', geometry: poly(rect(1, 0, 2, 1)) },
      { id: 'nw', geometry: poly(rect(0, 1, 1, 2)) },
      { id: 'ne', geometry: poly(rect(1, 1, 2, 2)) },
      {
        id: 't-low',
        geometry: poly([
          [10, 0],
          [12, 0],
          [12, 1],
          [10, 0],
        ]),
      },
      {
        id: 't-high',
        geometry: poly([
          [10, 0],
          [12, 1],
          [10, 1],
          [10, 0],
        ]),
      },
    ];
    const points: [number, number][] = [
      [1, 0.5], // vertical edge sw|se
      [0.5, 1], // horizontal edge sw|nw
      [1, 1], // the vertex of four grids
      [1, 1.5],
      [1.5, 1],
      [11, 0.5], // on the slanted edge, exactly representable
      [11.5, 0.75],
    ];
    const forward = GridIndex.build(grids);
    const backward = GridIndex.build([...grids].reverse());
    for (const [x, y] of points) {
      expect(hits(grids, x, y), `${x},${y}`).toHaveLength(1);
      expect(forward.lookup(x, y)).toBe(hits(grids, x, y)[0]);
      expect(backward.lookup(x, y)).toBe(forward.lookup(x, y));
    }
    // East of a north–south edge, north of an east–west one.
    expect(forward.lookup(1, 0.5)).toBe('se');
    expect(forward.lookup(0.5, 1)).toBe('nw');
  });

  it('assigns every point of a jittered tiling to exactly one grid, shared vertices included', () => {
    const lattice = makeLattice({ origin: [117, 36.6], cols: 24, rows: 20, cellLng: 0.0017, cellLat: 0.0014, jitter: 0.22, seed: 3 });
    const cells = Array.from({ length: lattice.cellCount }, (_, c) => c);
    const parts = partition(lattice, cells, new Array(40).fill(1), 9);
    const grids: IndexedGrid[] = parts.map((p, k) => ({ id: `g${k}`, geometry: { type: 'MultiPolygon', coordinates: cellsToMultiPolygon(lattice, p) } }));
    const index = GridIndex.build(grids);
    const singles = grids.map((g) => GridIndex.build([g]));
    const count = (x: number, y: number) => singles.reduce((n, s) => n + (s.lookup(x, y) ? 1 : 0), 0);
    // Every interior lattice vertex lies on the boundary of up to four grids.
    for (let j = 1; j < 20; j++) {
      for (let i = 1; i < 24; i++) {
        const v = j * 25 + i;
        const x = lattice.vx[v] as number;
        const y = lattice.vy[v] as number;
        expect(count(x, y), `vertex ${i},${j}`).toBe(1);
        expect(index.lookup(x, y)).not.toBeNull();
      }
    }
    const rnd = prng(42);
    for (let n = 0; n < 5000; n++) {
      const x = 117 + 0.0017 + rnd() * 0.0017 * 22;
      const y = 36.6 + 0.0014 + rnd() * 0.0014 * 18;
      const id = index.lookup(x, y);
      expect(id).not.toBeNull();
      expect(count(x, y)).toBe(1);
      expect(singles[Number((id as string).slice(1))]?.lookup(x, y)).toBe(id);
    }
    expect(index.lookup(116.9, 36.6)).toBeNull();
  });
});

describe('createGridIndexKeeper', () => {
  const square = (id: string, x: number): IndexedGrid => ({ id, geometry: poly(rect(x, 0, x + 1, 1)) });

  it('builds on first use, re-reads the version at most once per interval and rebuilds when it moved', async () => {
    let clock = 0;
    let version = 1;
    let day = '2026-11-23';
    let grids = [square('a', 0)];
    let reads = 0;
    let loads = 0;
    const keeper = createGridIndexKeeper(
      {
        async readVersion() {
          reads++;
          return { version, day };
        },
        async loadCurrent() {
          loads++;
          return { version, day, grids };
        },
      },
      { checkIntervalMs: 1000, now: () => clock },
    );
    expect(keeper.current().lookup(0.5, 0.5)).toBeNull();
    expect((await keeper.ensureFresh()).lookup(0.5, 0.5)).toBe('a');
    expect([reads, loads]).toEqual([1, 1]);

    // A write elsewhere: not seen until the interval has passed, then seen after one check.
    version = 2;
    grids = [square('b', 0)];
    clock = 999;
    expect((await keeper.ensureFresh()).lookup(0.5, 0.5)).toBe('a');
    expect(reads).toBe(1);
    clock = 1000;
    expect((await keeper.ensureFresh()).lookup(0.5, 0.5)).toBe('b');
    expect([reads, loads]).toEqual([2, 2]);

    // Unchanged version: one cheap read, no reload.
    clock = 2500;
    await keeper.ensureFresh();
    expect([reads, loads]).toEqual([3, 2]);

    // A new day rebuilds too (boundaries that take effect on a date).
    day = '2026-11-24';
    clock = 4000;
    expect((await keeper.ensureFresh()).day).toBe('2026-11-24');
    expect(loads).toBe(3);
  });

  it('shares one check among concurrent callers', async () => {
    let reads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const keeper = createGridIndexKeeper({
      async readVersion() {
        reads++;
        await gate;
        return { version: 1, day: 'd' };
      },
      async loadCurrent() {
        return { version: 1, day: 'd', grids: [square('a', 0)] };
      },
    });
    const all = Promise.all([keeper.ensureFresh(), keeper.ensureFresh(), keeper.ensureFresh()]);
    release();
    const [a, b, c] = await all;
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.lookup(0.5, 0.5)).toBe('a');
  });

  it('keeps the last good index when the database check fails, and retries on the next call', async () => {
    let fail = false;
    let clock = 0;
    const keeper = createGridIndexKeeper(
      {
        async readVersion() {
          if (fail) throw new Error('connection lost');
          return { version: 1, day: 'd' };
        },
        async loadCurrent() {
          return { version: 1, day: 'd', grids: [square('a', 0)] };
        },
      },
      { now: () => clock },
    );
    await keeper.ensureFresh();
    fail = true;
    clock = 5000;
    await expect(keeper.ensureFresh()).rejects.toThrow('connection lost');
    expect(keeper.current().lookup(0.5, 0.5)).toBe('a');
    fail = false;
    expect((await keeper.ensureFresh()).lookup(0.5, 0.5)).toBe('a');
  });
});
