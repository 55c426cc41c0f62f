import type { AreaGeometry } from '@gridgov/contracts/geojson';
import Flatbush from 'flatbush';

/**
 * Point → grid in process: a flatbush R-tree over the bounding boxes of the current grid polygons,
 * then an even–odd ray-casting test on the few candidates (holes and multipolygons come out right
 * because every ring of the grid flips the parity). No database in the hot path.
 *
 * A point on an edge shared by two grids belongs to exactly one of them: edges are half-open in y
 * (a vertex at the ray's height counts for the edge above it only) and the crossing is computed from
 * the edge's endpoints in a fixed order (lower y first), so both grids compute the same crossing and
 * the strict `x < crossing` test gives the point to the grid east of the edge (north of an east–west edge).
 */
export interface IndexedGrid {
  id: string;
  geometry: AreaGeometry;
}

export class GridIndex {
  /** grid_index_version.version the index was built from (-1: never built). */
  readonly version: number;
  /** The date the grids were current on (YYYY-MM-DD); boundaries taking effect later need a rebuild. */
  readonly day: string;
  readonly size: number;
  private readonly tree: Flatbush | null;
  private readonly ids: string[];
  /** All ring vertices, x y interleaved; rings are closed (last vertex = first). */
  private readonly xy: Float64Array;
  /** Ring r spans xy[ringStart[r] … ringStart[r + 1]). */
  private readonly ringStart: Uint32Array;
  /** Grid g owns rings gridRing[g] … gridRing[g + 1]. */
  private readonly gridRing: Uint32Array;

  private constructor(init: {
    version: number;
    day: string;
    tree: Flatbush | null;
    ids: string[];
    xy: Float64Array;
    ringStart: Uint32Array;
    gridRing: Uint32Array;
  }) {
    this.version = init.version;
    this.day = init.day;
    this.tree = init.tree;
    this.ids = init.ids;
    this.xy = init.xy;
    this.ringStart = init.ringStart;
    this.gridRing = init.gridRing;
    this.size = init.ids.length;
  }

  static empty(): GridIndex {
    return new GridIndex({ version: -1, day: '', tree: null, ids: [], xy: new Float64Array(0), ringStart: new Uint32Array(1), gridRing: new Uint32Array(1) });
  }

  /** Builds the index; grids are tested in the order given (pass them sorted for a stable answer on overlaps). */
  static build(all: readonly IndexedGrid[], meta: { version: number; day: string } = { version: 0, day: '' }): GridIndex {
    // An empty geometry can hold no point (and would give the R-tree an unbounded box).
    const grids = all.filter((g) => polygonsOf(g.geometry).some((poly) => poly.some((ring) => ring.length > 0)));
    let vertices = 0;
    let rings = 0;
    for (const g of grids) {
      for (const poly of polygonsOf(g.geometry)) {
        for (const ring of poly) {
          rings++;
          vertices += ring.length + 1;
        }
      }
    }
    const xy = new Float64Array(vertices * 2);
    const ringStart = new Uint32Array(rings + 1);
    const gridRing = new Uint32Array(grids.length + 1);
    const tree = grids.length ? new Flatbush(grids.length, 4) : null;
    let p = 0;
    let r = 0;
    grids.forEach((g, k) => {
      gridRing[k] = r;
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const poly of polygonsOf(g.geometry)) {
        for (const ring of poly) {
          ringStart[r++] = p;
          for (const [x, y] of ring) {
            xy[p++] = x;
            xy[p++] = y;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
          }
          const first = ring[0];
          const last = ring[ring.length - 1];
          // Close an unclosed ring.
          if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
            xy[p++] = first[0];
            xy[p++] = first[1];
          }
        }
      }
      tree?.add(minX, minY, maxX, maxY);
    });
    ringStart[r] = p;
    gridRing[grids.length] = r;
    tree?.finish();
    return new GridIndex({ ...meta, tree, ids: grids.map((g) => g.id), xy: xy.subarray(0, p), ringStart, gridRing });
  }

  /** The grid containing the point (WGS84 lng, lat), or null. */
  lookup(lng: number, lat: number): string | null {
    const k = this.lookupIndex(lng, lat);
    return k < 0 ? null : (this.ids[k] as string);
  }

  /** Position of the containing grid in the build order, or -1. */
  lookupIndex(lng: number, lat: number): number {
    const tree = this.tree;
    if (!tree || Number.isNaN(lng) || Number.isNaN(lat)) return -1;
    // The R-tree walk of flatbush's search, stopping at the first grid that contains the point.
    const boxes = tree._boxes;
    const indices = tree._indices;
    const levelBounds = tree._levelBounds;
    const nodeSize = tree.nodeSize;
    const numItems4 = tree.numItems * 4;
    let stack = this.stack;
    let top = 0;
    let nodeIndex = boxes.length - 4;
    let level = levelBounds.length - 1;
    for (;;) {
      const end = Math.min(nodeIndex + nodeSize * 4, levelBounds[level] as number);
      const isNode = nodeIndex >= numItems4;
      for (let pos = nodeIndex; pos < end; pos += 4) {
        if (lng < (boxes[pos] as number) || lat < (boxes[pos + 1] as number) || lng > (boxes[pos + 2] as number) || lat > (boxes[pos + 3] as number)) continue;
        const index = (indices[pos >> 2] as number) | 0;
        if (isNode) {
          if (top + 2 > stack.length) {
            const grown = new Int32Array(stack.length * 2);
            grown.set(stack);
            this.stack = stack = grown;
          }
          stack[top++] = index;
          stack[top++] = level - 1;
        } else if (this.contains(index, lng, lat)) {
          return index;
        }
      }
      if (top === 0) return -1;
      level = stack[--top] as number;
      nodeIndex = stack[--top] as number;
    }
  }

  /** Scratch stack for the tree walk (grown if a query ever needs more). */
  private stack = new Int32Array(256);

  /** Even–odd ray casting towards +x over every ring of grid k. */
  private contains(k: number, x: number, y: number): boolean {
    const xy = this.xy;
    const rs = this.ringStart;
    let inside = false;
    for (let r = this.gridRing[k] as number, rEnd = this.gridRing[k + 1] as number; r < rEnd; r++) {
      const end = (rs[r + 1] as number) - 2;
      for (let p = rs[r] as number; p < end; p += 2) {
        const y1 = xy[p + 1] as number;
        const y2 = xy[p + 3] as number;
        if (y1 > y !== y2 > y) {
          const x1 = xy[p] as number;
          const x2 = xy[p + 2] as number;
          // Same operands in the same order whichever grid the edge belongs to.
          const cross = y1 < y2 ? x1 + ((y - y1) * (x2 - x1)) / (y2 - y1) : x2 + ((y - y2) * (x1 - x2)) / (y1 - y2);
          if (x < cross) inside = !inside;
        }
      }
    }
    return inside;
  }
}

function polygonsOf(g: AreaGeometry): (readonly (readonly [number, number])[])[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Where an index comes from: the current version (cheap) and a full load (the grids and that version). */
export interface GridIndexSource {
  readVersion(): Promise<{ version: number; day: string }>;
  loadCurrent(): Promise<{ version: number; day: string; grids: IndexedGrid[] }>;
}

export interface GridIndexKeeper {
  /** The index, rebuilt first when grid_index_version or the date changed (checked at most once per interval). */
  ensureFresh(): Promise<GridIndex>;
  /** The index as it is, without checking. */
  current(): GridIndex;
}

/**
 * Keeps one process's index consistent with the database: grid writes bump grid_index_version in
 * their transaction; every process re-reads that single row at most once per `checkIntervalMs` when
 * asked for the index and rebuilds when it moved, so all processes on one database converge within
 * the interval. Concurrent callers share one check and one rebuild.
 */
export function createGridIndexKeeper(source: GridIndexSource, opts: { checkIntervalMs?: number; now?: () => number } = {}): GridIndexKeeper {
  const interval = opts.checkIntervalMs ?? 1000;
  const now = opts.now ?? (() => performance.now());
  let index = GridIndex.empty();
  let checkedAt = -Infinity;
  let pending: Promise<GridIndex> | null = null;

  async function refresh(): Promise<GridIndex> {
    const seen = await source.readVersion();
    if (seen.version !== index.version || seen.day !== index.day) {
      const loaded = await source.loadCurrent();
      index = GridIndex.build(loaded.grids, { version: loaded.version, day: loaded.day });
    }
    checkedAt = now();
    return index;
  }

  return {
    ensureFresh() {
      if (index.version >= 0 && now() - checkedAt < interval) return Promise.resolve(index);
      pending ??= refresh().finally(() => {
        pending = null;
      });
      return pending;
    },
    current: () => index,
  };
}
