import { type DemoRegion, demoDistrict } from './demo-district.js';
import {
  bisect,
  blob,
  cellCentre,
  cellIJ,
  cellsToMultiPolygon,
  type Lattice,
  type MultiPolygonCoords,
  makeConnected,
  makeLattice,
  partition,
  prng,
} from './tiling.js';

/**
 * The demo district's geometry: 明湖区 near 117.02°E, 36.67°N (Jinan), split into its four streets/towns,
 * each into its communities, each community tiled exactly by its grids (100 in all). Everything comes
 * from one jittered lattice (cells of about 150 m), so shared edges use the same vertices everywhere.
 */

type GridKind = 'urban' | 'rural' | { dedicated: 'market' | 'school' | 'hospital' | 'park'; name: string };

interface CommunityPlan {
  /** Grids in the community: kind and relative size (lattice cells). */
  grids: GridKind[];
  /** One name per grid (residential compounds, natural villages, institutions): the first landmark. */
  places: string[];
  /** Roads and lanes, handed out to the grids in turn: the second landmark. */
  roads: string[];
}

const U: GridKind = 'urban';
const R: GridKind = 'rural';

export const communityPlans: Record<string, CommunityPlan> = {
  '370118001001': {
    grids: [U, U, U, U, U, U, U, U, U, U],
    places: ['泺源小区', '剪子巷小区', '饮虎池小区', '杆石桥小区', '顺河街小区', '五龙潭小区', '共青团路小区', '趵突泉南苑', '泉城路北院', '南门大街小区'],
    roads: ['泺源大街', '趵突泉南路', '剪子巷', '共青团路', '顺河街'],
  },
  '370118001002': {
    grids: [U, U, U, U, U, U, U, U, { dedicated: 'market', name: '芙蓉街商圈专属网格' }],
    places: ['芙蓉巷小区', '将军庙街小区', '西更道小区', '县西巷小区', '辘轳把子街小区', '金菊巷小区', '高都司巷小区', '双忠祠街小区', '芙蓉街美食商圈'],
    roads: ['芙蓉街', '县西巷', '泉城路', '将军庙街'],
  },
  '370118001003': {
    grids: [U, U, U, U, U, U, U, { dedicated: 'school', name: '明湖中学专属网格' }],
    places: ['曲水亭小区', '百花洲北苑', '起凤桥小区', '岱宗街小区', '后宰门小区', '西公界小区', '王府池子小区', '明湖中学'],
    roads: ['曲水亭街', '后宰门街', '起凤桥街', '明湖路'],
  },
  '370118002001': {
    grids: [U, U, U, U, U, U, U, U, { dedicated: 'hospital', name: '明湖区人民医院专属网格' }],
    places: ['百花公园小区', '省府前街小区', '按察司街小区', '鞭指巷小区', '钟楼寺街小区', '院西大街小区', '黑虎泉北苑', '解放阁小区', '明湖区人民医院'],
    roads: ['黑虎泉北路', '省府前街', '按察司街', '历山路'],
  },
  '370118002002': {
    grids: [U, U, U, U, U, U, U, U, U, U],
    places: ['明湖东苑', '明湖西苑', '汇泉寺小区', '鹊华桥小区', '秋柳园小区', '北极庙小区', '大明湖路小区', '司家码头小区', '东花墙子小区', '贡院墙根小区'],
    roads: ['大明湖路', '明湖北路', '司家码头街', '东花墙子街'],
  },
  '370118002003': {
    grids: [U, U, U, U, U, U, U, U, U],
    places: ['鹊华苑', '北园大街小区', '华联小区', '洪家楼北苑', '华信花园', '新鹊华小区', '东泺河小区', '华能苑', '铁路北苑'],
    roads: ['北园大街', '鹊华路', '东泺河路'],
  },
  '370118003001': {
    grids: [U, U, U, U, U, U, U, U, U, U],
    places: ['华阳小区', '华山北苑', '华阳东苑', '华阳西苑', '华龙花园', '华盛苑', '华阳宫小区', '华山湖小区', '华兴苑', '华泰小区'],
    roads: ['华阳路', '华山路', '华龙路', '工业北路'],
  },
  '370118003002': {
    grids: [U, U, U, U, U, U, U, U],
    places: ['卧牛山小区', '牛山苑', '卧牛东苑', '卧牛西苑', '山水苑', '卧牛家园', '山前小区', '石门小区'],
    roads: ['卧牛山路', '花园路', '荷花路'],
  },
  '370118003201': {
    grids: [R, R, R, R, R, R],
    places: ['华不注东村', '华不注西村', '华不注南村', '北马庄', '孟家庄', '小辛庄'],
    roads: ['华不注山路', '小清河北路'],
  },
  '370118101001': {
    grids: [U, U, U, U, U, U, U, U, { dedicated: 'park', name: '鹊山工业园专属网格' }],
    places: ['鹊山新村', '鹊山花园', '鹊山东苑', '鹊山西苑', '泺口新苑', '黄河人家', '鹊山嘉园', '鹊山南苑', '鹊山工业园'],
    roads: ['鹊山路', '泺口路', '黄河大街'],
  },
  '370118101201': { grids: [R, R, R, R], places: ['北滩', '孙家庄', '李家圈', '前王庄'], roads: ['鹊山路', '北滩路'] },
  '370118101202': { grids: [R, R, R, R], places: ['西河崖', '刘家庄', '东沙窝', '后屯'], roads: ['西河崖路', '黄河大堤路'] },
  '370118101203': { grids: [R, R, R, R], places: ['药山', '陈家屯', '南坡', '后药山'], roads: ['药山路', '鹊山路'] },
};

/** Lattice cells per grid: urban blocks of ~0.11 km², rural grids and the industrial park larger. */
function cellsOf(k: GridKind): number {
  if (k === 'urban') return 5;
  if (k === 'rural') return 12;
  return { market: 4, school: 3, hospital: 3, park: 14 }[k.dedicated];
}

export interface DemoGrid {
  communityCode: string;
  streetCode: string;
  seq: number;
  /** Shandong 19 digits: county 6 + town 3 + 片区 '00' + community 3 + grid 3 + type 2. */
  code: string;
  name: string;
  gridType: '01' | '02' | '03';
  dedicatedKind: 'market' | 'school' | 'hospital' | 'park' | null;
  landmarks: string[];
  station: { address: string; phone: string; hours: string; lng: number; lat: number };
  households: number;
  population: number;
  cells: number[];
  geometry: MultiPolygonCoords;
}

export interface DemoGeometry {
  lattice: Lattice;
  /** Region code → boundary (district, streets, communities): each the exact union of its grids. */
  boundaries: Map<string, MultiPolygonCoords>;
  grids: DemoGrid[];
  /** The pending split: one 趵突泉社区 grid into two parts that tile it. */
  split: { gridCode: string; parts: { name: string; geometry: MultiPolygonCoords }[] };
}

const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const stem = (name: string) => name.replace(/(社区|村)$/, '');

/** Shandong 19-digit grid code from the community's 12-digit code. */
export function shandongGridCode(communityCode: string, areaCode: string, seq: number, gridType: string): string {
  return `${communityCode.slice(0, 9)}${areaCode}${communityCode.slice(9, 12)}${String(seq).padStart(3, '0')}${gridType}`;
}

/** The lattice of the demo district: 34 × 30 cells of ~150 m, slightly sheared, centred on 117.02°E, 36.67°N. */
export function demoLattice(): Lattice {
  const cols = 34;
  const rows = 30;
  const cellLng = 0.00168;
  const cellLat = 0.00135;
  return makeLattice({
    origin: [117.02 - (cols / 2) * cellLng, 36.67 - (rows / 2) * cellLat],
    cols,
    rows,
    cellLng,
    cellLat,
    jitter: 0.22,
    shear: [0.06, -0.04],
    seed: 370118,
  });
}

export function buildDemoGeometry(): DemoGeometry {
  const lattice = demoLattice();
  const streets = demoDistrict.children ?? [];
  const communitiesOf = (s: DemoRegion) => s.children ?? [];
  const cellsOfCommunity = (c: DemoRegion) => (communityPlans[c.code]?.grids ?? []).reduce((n, g) => n + cellsOf(g), 0);
  const streetCells = streets.map((s) => communitiesOf(s).reduce((n, c) => n + cellsOfCommunity(c), 0));
  const total = streetCells.reduce((a, b) => a + b, 0);

  const district = blob(lattice, total, 7);
  // 鹊山镇 (the rural town, last) north of the river; the three urban streets south of it, west → east.
  const [urban, town] = bisect(lattice, district, (total - (streetCells.at(-1) as number)) / total, 90);
  const streetParts = makeConnected(lattice, [...partition(lattice, urban, streetCells.slice(0, -1), 11, [0]), town]);

  const boundaries = new Map<string, MultiPolygonCoords>();
  boundaries.set(demoDistrict.code, cellsToMultiPolygon(lattice, district));
  const grids: DemoGrid[] = [];
  const rnd = prng(20260101);
  streets.forEach((street, si) => {
    const sCells = streetParts[si] as number[];
    boundaries.set(street.code, cellsToMultiPolygon(lattice, sCells));
    const comms = communitiesOf(street);
    const commParts = partition(
      lattice,
      sCells,
      comms.map((c) => cellsOfCommunity(c)),
      100 + si,
    );
    comms.forEach((community, ci) => {
      const cCells = commParts[ci] as number[];
      boundaries.set(community.code, cellsToMultiPolygon(lattice, cCells));
      const plan = communityPlans[community.code] as CommunityPlan;
      const parts = partition(lattice, cCells, plan.grids.map(cellsOf), 1000 + si * 10 + ci);
      // Numbered within the community from north to south, then west to east (DB6101/T 3185).
      const order = parts
        .map((cells, k) => ({ k, cells, ...centroidIJ(lattice, cells) }))
        .sort((a, b) => Math.floor(b.j / 4) - Math.floor(a.j / 4) || a.i - b.i || a.k - b.k);
      order.forEach(({ k, cells }, pos) => {
        const kind = plan.grids[k] as GridKind;
        const seq = pos + 1;
        const gridType = kind === 'urban' ? '01' : kind === 'rural' ? '02' : '03';
        const name = typeof kind === 'object' ? kind.name : `${stem(community.name)}第${CN[seq]}网格`;
        const place = plan.places[k] as string;
        const road = plan.roads[k % plan.roads.length] as string;
        const mid = cells[Math.floor(cells.length / 2)] as number;
        const [lng, lat] = cellCentre(lattice, mid);
        const households = kind === 'rural' ? 150 + Math.floor(rnd() * 130) : 310 + Math.floor(rnd() * 200);
        const perHousehold = kind === 'rural' ? 2.9 + rnd() * 0.4 : 2.55 + rnd() * 0.15;
        grids.push({
          communityCode: community.code,
          streetCode: street.code,
          seq,
          code: shandongGridCode(community.code, '00', seq, gridType),
          name,
          gridType,
          dedicatedKind: typeof kind === 'object' ? kind.dedicated : null,
          landmarks: kind === 'rural' ? [`${place}自然村`, road] : [place, road],
          station: {
            address: `济南市明湖区${street.name}${community.name}${place}${((seq * 7) % 23) + 1}号`,
            phone: `0531-86${String(si + 1).padStart(2, '0')} ${String(2000 + grids.length * 13).padStart(4, '0')}`,
            hours: kind === 'rural' ? '周一至周六 8:00—12:00，14:00—18:00' : '周一至周日 8:30—12:00，13:30—17:30',
            lng,
            lat,
          },
          households,
          population: kind === 'rural' ? Math.round(households * perHousehold) : Math.min(1300, Math.max(800, Math.round(households * perHousehold))),
          cells,
          geometry: cellsToMultiPolygon(lattice, cells),
        });
      });
    });
  });

  // Dedicated grids have no household norm; two ordinary grids are deliberately outside the norm.
  const baotuquan = grids.filter((g) => g.communityCode === '370118001001');
  const big = baotuquan.reduce((a, b) => (b.cells.length > a.cells.length ? b : a));
  big.households = 680;
  big.population = 1790;
  const small = grids.find((g) => g.communityCode === '370118002003' && g.seq === 4) as DemoGrid;
  small.households = 190;
  small.population = 470;

  const [a, b] = splitCells(lattice, big.cells);
  const split = {
    gridCode: big.code,
    parts: [
      { name: big.name, geometry: cellsToMultiPolygon(lattice, a) },
      { name: `${stem('趵突泉社区')}第${CN[baotuquan.length + 1]}网格`, geometry: cellsToMultiPolygon(lattice, b) },
    ],
  };
  return { lattice, boundaries, grids, split };
}

function centroidIJ(l: Lattice, cells: number[]): { i: number; j: number } {
  let i = 0;
  let j = 0;
  for (const c of cells) {
    const [ci, cj] = cellIJ(l, c);
    i += ci;
    j += cj;
  }
  return { i: i / cells.length, j: j / cells.length };
}

/** Two connected halves of a grid, cut across its longer extent. */
function splitCells(l: Lattice, cells: number[]): [number[], number[]] {
  const is = cells.map((c) => cellIJ(l, c)[0]);
  const js = cells.map((c) => cellIJ(l, c)[1]);
  const wide = Math.max(...is) - Math.min(...is) >= Math.max(...js) - Math.min(...js);
  const [a, b] = bisect(l, cells, 0.5, wide ? 0 : 90);
  const [ca, cb] = makeConnected(l, [a, b]) as [number[], number[]];
  return [ca, cb];
}
