/**
 * Deterministic generator of exact tilings: a jittered lattice of quadrilateral cells whose shared
 * vertices are computed once, grouped into regions by recursive bisection along slanted cuts. A
 * region's polygon is the boundary of its cells (edges shared by two cells of the region cancel), so
 * neighbouring regions reuse the very same vertices: their union is exact and they never overlap.
 * Used by the demo district and by the grid benchmark's synthetic 2,000-grid district.
 */

export type Ring = [number, number][];
/** GeoJSON MultiPolygon coordinates: polygons → rings (outer first, CCW; holes CW) → [lng, lat]. */
export type MultiPolygonCoords = Ring[][];

/** Mulberry32: a small seeded PRNG, so every run generates the same district. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value in [0, 1) that depends only on (i, j, seed): vertex jitter independent of visiting order. */
function hash01(i: number, j: number, seed: number): number {
  let h = Math.imul(i + 0x9e3779b1, 0x85ebca6b) ^ Math.imul(j + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(seed, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 13), 0x45d9f3b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Rounds to 1e-7 degrees (about 1 cm), the precision every generated vertex is stored with. */
export const snap = (v: number) => Math.round(v * 1e7) / 1e7;

export interface LatticeSpec {
  /** South-west corner, [lng, lat]. */
  origin: [number, number];
  cols: number;
  rows: number;
  /** Cell size in degrees. */
  cellLng: number;
  cellLat: number;
  /** Vertex displacement as a fraction of the cell size (< 0.25 keeps every cell a simple quadrilateral). */
  jitter: number;
  /** Shear of the lattice (fraction of a cell per row / column), so streets do not run due north. */
  shear?: [number, number];
  seed: number;
}

export interface Lattice {
  spec: LatticeSpec;
  /** Vertex v = j * (cols + 1) + i → [lng, lat], snapped. */
  vx: Float64Array;
  vy: Float64Array;
  cellCount: number;
}

export function makeLattice(spec: LatticeSpec): Lattice {
  const { cols, rows, cellLng, cellLat, jitter, seed } = spec;
  const [shx, shy] = spec.shear ?? [0, 0];
  const n = (cols + 1) * (rows + 1);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  for (let j = 0; j <= rows; j++) {
    for (let i = 0; i <= cols; i++) {
      const v = j * (cols + 1) + i;
      const jx = (hash01(i, j, seed) - 0.5) * 2 * jitter;
      const jy = (hash01(i, j, seed ^ 0x5bd1e995) - 0.5) * 2 * jitter;
      vx[v] = snap(spec.origin[0] + (i + j * shx + jx) * cellLng);
      vy[v] = snap(spec.origin[1] + (j + i * shy + jy) * cellLat);
    }
  }
  return { spec, vx, vy, cellCount: cols * rows };
}

/** Cell c = j * cols + i. */
export const cellIJ = (l: Lattice, c: number): [number, number] => [c % l.spec.cols, Math.floor(c / l.spec.cols)];

/** The four corners of a cell, counter-clockwise, as vertex numbers. */
function corners(l: Lattice, c: number): [number, number, number, number] {
  const [i, j] = cellIJ(l, c);
  const w = l.spec.cols + 1;
  return [j * w + i, j * w + i + 1, (j + 1) * w + i + 1, (j + 1) * w + i];
}

/** A point strictly inside the cell (the mean of its corners; cells are near-convex quadrilaterals). */
export function cellCentre(l: Lattice, c: number): [number, number] {
  const k = corners(l, c);
  let x = 0;
  let y = 0;
  for (const v of k) {
    x += l.vx[v] as number;
    y += l.vy[v] as number;
  }
  return [snap(x / 4), snap(y / 4)];
}

/** Edge-adjacent cells (4-neighbourhood). */
export function neighbours(l: Lattice, c: number): number[] {
  const [i, j] = cellIJ(l, c);
  const { cols, rows } = l.spec;
  const out: number[] = [];
  if (i > 0) out.push(c - 1);
  if (i < cols - 1) out.push(c + 1);
  if (j > 0) out.push(c - cols);
  if (j < rows - 1) out.push(c + cols);
  return out;
}

/** Connected components (4-neighbourhood) of a set of cells, largest first, ties by smallest cell. */
export function components(l: Lattice, cells: Iterable<number>): number[][] {
  const set = new Set(cells);
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const start of [...set].sort((a, b) => a - b)) {
    if (seen.has(start)) continue;
    const comp: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const c = stack.pop() as number;
      comp.push(c);
      for (const n of neighbours(l, c)) {
        if (set.has(n) && !seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out.sort((a, b) => b.length - a.length || (a[0] as number) - (b[0] as number));
}

/**
 * An irregular, connected, hole-free blob of about `count` cells around the lattice centre: the cells
 * nearest the centre under a radius that varies with the bearing (so the outline is not a circle).
 */
export function blob(l: Lattice, count: number, seed: number): number[] {
  const rnd = prng(seed);
  const phase = [rnd() * Math.PI * 2, rnd() * Math.PI * 2, rnd() * Math.PI * 2];
  const { cols, rows } = l.spec;
  const score = (c: number) => {
    const [i, j] = cellIJ(l, c);
    const dx = (i + 0.5 - cols / 2) / (cols / 2);
    const dy = (j + 0.5 - rows / 2) / (rows / 2);
    const th = Math.atan2(dy, dx);
    const r =
      1 + 0.18 * Math.sin(2 * th + (phase[0] as number)) + 0.1 * Math.sin(3 * th + (phase[1] as number)) + 0.06 * Math.sin(5 * th + (phase[2] as number));
    return Math.hypot(dx, dy) / r;
  };
  const all = Array.from({ length: l.cellCount }, (_, c) => c).sort((a, b) => score(a) - score(b) || a - b);
  const chosen = components(l, all.slice(0, count))[0] ?? [];
  return fillHoles(l, chosen);
}

/** Adds every cell not reachable from the lattice border without crossing the set. */
function fillHoles(l: Lattice, cells: number[]): number[] {
  const set = new Set(cells);
  const { cols, rows } = l.spec;
  const outside = new Set<number>();
  const stack: number[] = [];
  for (let c = 0; c < l.cellCount; c++) {
    const [i, j] = cellIJ(l, c);
    if ((i === 0 || j === 0 || i === cols - 1 || j === rows - 1) && !set.has(c)) {
      outside.add(c);
      stack.push(c);
    }
  }
  while (stack.length) {
    const c = stack.pop() as number;
    for (const n of neighbours(l, c)) {
      if (!set.has(n) && !outside.has(n)) {
        outside.add(n);
        stack.push(n);
      }
    }
  }
  const out: number[] = [];
  for (let c = 0; c < l.cellCount; c++) if (!outside.has(c)) out.push(c);
  return out;
}

/**
 * Splits `cells` into two parts, the first holding `fraction` of them: cells are ordered along the
 * direction `angleDeg` (0 = west → east, 90 = south → north) and cut at that rank.
 */
export function bisect(l: Lattice, cells: number[], fraction: number, angleDeg: number): [number[], number[]] {
  const a = (angleDeg * Math.PI) / 180;
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  const key = new Map<number, number>();
  for (const c of cells) {
    const [i, j] = cellIJ(l, c);
    key.set(c, (i + 0.5) * ca + (j + 0.5) * sa);
  }
  const sorted = [...cells].sort((x, y) => (key.get(x) as number) - (key.get(y) as number) || x - y);
  const cut = Math.max(1, Math.min(sorted.length - 1, Math.round(sorted.length * fraction)));
  return [sorted.slice(0, cut), sorted.slice(cut)];
}

/**
 * Partitions `cells` into `weights.length` connected parts with sizes in proportion to `weights`, by
 * recursive bisection along slanted cuts (the most compact of six random angles at each step). `angles`
 * fixes the cut direction at the first levels of the recursion. Parts are returned in weight order.
 */
export function partition(l: Lattice, cells: number[], weights: number[], seed: number, angles: number[] = []): number[][] {
  const rnd = prng(seed);
  const out: number[][] = new Array(weights.length);
  const rec = (part: number[], from: number, to: number, depth: number) => {
    if (to - from === 1) {
      out[from] = part;
      return;
    }
    const mid = from + Math.floor((to - from) / 2);
    const sum = (a: number, b: number) => weights.slice(a, b).reduce((s, w) => s + w, 0);
    const fraction = sum(from, mid) / sum(from, to);
    const fixed = angles[depth];
    let best: [number[], number[]] | null = null;
    if (fixed !== undefined) {
      rnd();
      best = bisect(l, part, fraction, fixed);
    } else {
      // The most compact of a few slanted cuts: least boundary for the cells each side holds.
      let bestCost = Infinity;
      for (let k = 0; k < 6; k++) {
        const cut = bisect(l, part, fraction, rnd() * 180);
        const cost = perimeter(l, cut[0]) / Math.sqrt(cut[0].length) + perimeter(l, cut[1]) / Math.sqrt(cut[1].length);
        if (cost < bestCost) {
          bestCost = cost;
          best = cut;
        }
      }
    }
    const [a, b] = best as [number[], number[]];
    rec(a, from, mid, depth + 1);
    rec(b, mid, to, depth + 1);
  };
  rec(cells, 0, weights.length, 0);
  return makeConnected(l, out);
}

/** Number of cell edges on the boundary of a set of cells. */
function perimeter(l: Lattice, cells: number[]): number {
  const set = new Set(cells);
  let n = 0;
  for (const c of cells) {
    const [i, j] = cellIJ(l, c);
    const { cols, rows } = l.spec;
    if (i === 0 || !set.has(c - 1)) n++;
    if (i === cols - 1 || !set.has(c + 1)) n++;
    if (j === 0 || !set.has(c - cols)) n++;
    if (j === rows - 1 || !set.has(c + cols)) n++;
  }
  return n;
}

/**
 * Gives every part one connected piece: a stray piece of a part moves to the neighbouring part it
 * shares most edges with. Parts only exchange cells among themselves, so their union is unchanged.
 */
export function makeConnected(l: Lattice, parts: number[][]): number[][] {
  const owner = new Map<number, number>();
  parts.forEach((p, k) => {
    for (const c of p) owner.set(c, k);
  });
  for (let round = 0; round < 100; round++) {
    let moved = false;
    for (let k = 0; k < parts.length; k++) {
      const mine = [...owner].filter(([, o]) => o === k).map(([c]) => c);
      const comps = components(l, mine);
      for (const stray of comps.slice(1)) {
        const shared = new Map<number, number>();
        for (const c of stray) {
          for (const n of neighbours(l, c)) {
            const o = owner.get(n);
            if (o !== undefined && o !== k) shared.set(o, (shared.get(o) ?? 0) + 1);
          }
        }
        const best = [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
        if (!best) continue;
        for (const c of stray) owner.set(c, best[0]);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const out: number[][] = parts.map(() => []);
  for (const [c, k] of owner) out[k]?.push(c);
  for (const p of out) p.sort((a, b) => a - b);
  return out;
}

/**
 * The polygon(s) covered by a set of cells, as GeoJSON MultiPolygon coordinates. Boundary edges are
 * the cell edges whose neighbour across is not in the set; they are chained into rings, each keeping
 * one empty piece on its right where a hole touches the shell, so rings never cross or repeat a vertex. Each
 * connected piece gives one polygon: its counter-clockwise ring is the shell, clockwise ones are holes.
 */
export function cellsToMultiPolygon(l: Lattice, cells: Iterable<number>): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const comp of components(l, cells)) {
    const set = new Set(comp);
    const { cols } = l.spec;
    // Directed boundary edges (region on the left), keyed by their start vertex; direction 0 E, 1 N, 2 W, 3 S.
    const next = new Map<number, { to: number; dir: number }[]>();
    const add = (from: number, to: number, dir: number) => {
      const list = next.get(from);
      if (list) list.push({ to, dir });
      else next.set(from, [{ to, dir }]);
    };
    for (const c of comp) {
      const [i, j] = cellIJ(l, c);
      const [a, b, cc, d] = corners(l, c);
      if (j === 0 || !set.has(c - cols)) add(a, b, 0);
      if (i === cols - 1 || !set.has(c + 1)) add(b, cc, 1);
      if (j === l.spec.rows - 1 || !set.has(c + cols)) add(cc, d, 2);
      if (i === 0 || !set.has(c - 1)) add(d, a, 3);
    }
    const rings: { ring: Ring; area: number }[] = [];
    // Where two empty cells meet the region diagonally at a vertex (a hole touching the shell), turn
    // right: the ring keeps the same empty piece on its right, so each ring bounds one piece and never
    // passes a vertex twice. Elsewhere a vertex has one way on.
    const rank = (d: number, arriving: number) => [3, 0, 1, 2].indexOf((d - arriving + 4) % 4);
    for (const start of [...next.keys()].sort((a, b) => a - b)) {
      for (;;) {
        const first = next.get(start)?.shift();
        if (!first) break;
        const ring: Ring = [[l.vx[start] as number, l.vy[start] as number]];
        let v = first.to;
        let dir = first.dir;
        for (;;) {
          const list = next.get(v) ?? [];
          let pick = -1;
          for (let k = 0; k < list.length; k++)
            if (pick < 0 || rank((list[k] as { dir: number }).dir, dir) < rank((list[pick] as { dir: number }).dir, dir)) pick = k;
          // Back at the start: close the ring unless the turn rule prefers another edge leaving it.
          if (v === start && (pick < 0 || rank(first.dir, dir) < rank((list[pick] as { dir: number }).dir, dir))) break;
          if (pick < 0) throw new Error('tiling: open boundary');
          const e = list.splice(pick, 1)[0] as { to: number; dir: number };
          ring.push([l.vx[v] as number, l.vy[v] as number]);
          v = e.to;
          dir = e.dir;
        }
        ring.push([l.vx[start] as number, l.vy[start] as number]);
        rings.push({ ring, area: signedArea(ring) });
      }
    }
    const shells = rings.filter((r) => r.area > 0);
    const holes = rings.filter((r) => r.area < 0);
    if (shells.length !== 1) throw new Error(`tiling: a connected piece has ${shells.length} outer rings`);
    out.push([(shells[0] as { ring: Ring }).ring, ...holes.map((h) => h.ring)]);
  }
  return out;
}

/** Shoelace area in degrees² (positive = counter-clockwise). */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    const [x1, y1] = ring[k] as [number, number];
    const [x2, y2] = ring[k + 1] as [number, number];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}
