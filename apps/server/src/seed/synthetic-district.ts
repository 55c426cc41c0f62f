import { shandongGridCode } from './demo-grids.js';
import { blob, cellsToMultiPolygon, type Lattice, type MultiPolygonCoords, makeConnected, makeLattice, partition } from './tiling.js';

/**
 * A large synthetic district for benchmarks, made like the demo district (one jittered lattice,
 * recursive bisection, exact tiling): `streets` × `communitiesPerStreet` communities of
 * `gridsPerCommunity` grids of about `cellsPerGrid` cells (~150 m) each. Deterministic.
 */
export interface SyntheticDistrictSpec {
  countyCode: string;
  streets: number;
  communitiesPerStreet: number;
  gridsPerCommunity: number;
  cellsPerGrid: number;
  seed: number;
}

export interface SyntheticRegion {
  code: string;
  name: string;
  boundary: MultiPolygonCoords;
}

export interface SyntheticDistrict {
  lattice: Lattice;
  district: SyntheticRegion;
  streets: (SyntheticRegion & { communities: (SyntheticRegion & { grids: { seq: number; code: string; name: string; geometry: MultiPolygonCoords }[] })[] })[];
  /** [minLng, minLat, maxLng, maxLat] of the district. */
  bbox: [number, number, number, number];
  gridCount: number;
}

export const defaultSyntheticSpec: SyntheticDistrictSpec = {
  countyCode: '370199',
  streets: 4,
  communitiesPerStreet: 5,
  gridsPerCommunity: 100,
  cellsPerGrid: 4,
  seed: 2026,
};

export function buildSyntheticDistrict(spec: SyntheticDistrictSpec = defaultSyntheticSpec): SyntheticDistrict {
  const communities = spec.streets * spec.communitiesPerStreet;
  const total = communities * spec.gridsPerCommunity * spec.cellsPerGrid;
  // A lattice about 30 % larger than the district, a little wider than tall.
  const cols = Math.ceil(Math.sqrt(total * 1.3 * 1.2));
  const rows = Math.ceil((total * 1.3) / cols);
  const cellLng = 0.00168;
  const cellLat = 0.00135;
  const lattice = makeLattice({
    origin: [117.02 - (cols / 2) * cellLng, 36.67 - (rows / 2) * cellLat],
    cols,
    rows,
    cellLng,
    cellLat,
    jitter: 0.22,
    shear: [0.05, -0.03],
    seed: spec.seed,
  });
  const all = blob(lattice, total, spec.seed);
  const streetParts = makeConnected(lattice, partition(lattice, all, new Array(spec.streets).fill(1), spec.seed + 1));
  let gridCount = 0;
  const streets = streetParts.map((sCells, si) => {
    const streetCode = `${spec.countyCode}${String(si + 1).padStart(3, '0')}000`;
    const commParts = partition(lattice, sCells, new Array(spec.communitiesPerStreet).fill(1), spec.seed + 100 + si);
    return {
      code: streetCode,
      name: `基准街道${si + 1}`,
      boundary: cellsToMultiPolygon(lattice, sCells),
      communities: commParts.map((cCells, ci) => {
        const communityCode = `${streetCode.slice(0, 9)}${String(ci + 1).padStart(3, '0')}`;
        const gridParts = partition(lattice, cCells, new Array(spec.gridsPerCommunity).fill(1), spec.seed + 1000 + si * 100 + ci);
        gridCount += gridParts.length;
        return {
          code: communityCode,
          name: `基准社区${si + 1}-${ci + 1}`,
          boundary: cellsToMultiPolygon(lattice, cCells),
          grids: gridParts.map((gCells, gi) => ({
            seq: gi + 1,
            code: shandongGridCode(communityCode, '00', gi + 1, '01'),
            name: `基准网格${si + 1}-${ci + 1}-${gi + 1}`,
            geometry: cellsToMultiPolygon(lattice, gCells),
          })),
        };
      }),
    };
  });
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const district = { code: spec.countyCode, name: '基准区', boundary: cellsToMultiPolygon(lattice, all) };
  for (const [x, y] of district.boundary.flat(2)) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { lattice, district, streets, bbox: [minX, minY, maxX, maxY], gridCount };
}
