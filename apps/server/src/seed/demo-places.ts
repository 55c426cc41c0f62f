import { maskPhone, usccCheckChar } from '@gridgov/contracts/identifiers';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PiiCipher } from '../lib/pii-crypto.js';
import { addressKey } from '../modules/places/common.js';
import { composeBuildingAddress, composeHouseAddress } from '../modules/places/houses.service.js';
import { demoUsers } from './demo-district.js';
import { communityPlans } from './demo-grids.js';

/** mulberry32: deterministic demo data, identical on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}

interface SeedGrid {
  id: string;
  code: string;
  seq: number;
  grid_type: '01' | '02' | '03';
  community_id: string;
  community_code: string;
  community_name: string;
  lng: number;
  lat: number;
  /** Half the smaller side of the grid's bounding box, in degrees: how far a point may wander. */
  spread: number;
}

const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * Inserts located rows in batches; each candidate point is kept only when it lies inside the row's grid
 * (ST_Contains on the current boundary), otherwise the grid's point on surface is used.
 */
async function insertLocated(trx: Kysely<DB>, table: 'building' | 'house' | 'organisation' | 'facility' | 'key_place', rows: Record<string, unknown>[]) {
  for (const part of chunk(rows, 500)) {
    const cols = Object.keys(part[0] as object).filter((c) => c !== 'lng' && c !== 'lat');
    const json = JSON.stringify(part);
    // jsonb_populate_recordset gives every column its table type; the point is checked against the grid in the same statement.
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}, geom)
      SELECT ${sql.join(cols.map((c) => sql.ref(`r.${c}`)))},
        CASE WHEN j.lng IS NULL THEN NULL
             WHEN ST_Contains(b.geom, ST_SetSRID(ST_MakePoint(j.lng, j.lat), 4326)) THEN ST_SetSRID(ST_MakePoint(j.lng, j.lat), 4326)
             ELSE ST_PointOnSurface(b.geom) END
      FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${json}::jsonb) r
      JOIN jsonb_to_recordset(${json}::jsonb) AS j(id uuid, lng float8, lat float8) ON j.id = r.id
      JOIN grid_boundary b ON b.grid_id = r.grid_id AND b.valid_to IS NULL`.execute(trx);
  }
}

const HOUSE_USES = [
  ['residential', 0.62],
  ['rental', 0.22],
  ['mixed', 0.04],
  ['vacant', 0.06],
  ['commercial', 0.06],
] as const;

/**
 * Demo buildings, houses, organisations, facilities and key places in the demo grids: residential
 * buildings (units × floors × rooms) in urban grids, village houses in rural grids, shops in dedicated
 * grids; ~60 organisations with valid 统一社会信用代码 (some 网吧/饭店 key premises), ~100 facilities in
 * every state, ~15 key places with warning levels. Points lie inside their grid. Deterministic.
 * Organisation phones are encrypted with `pii` when given (the installation's key).
 */
export async function seedDemoPlaces(
  trx: Kysely<DB>,
  _byCode: Map<string, { id: string; path: string }>,
  userIds: Map<string, string>,
  pii?: PiiCipher,
): Promise<void> {
  const rnd = prng(20261125);
  const grids = (
    await sql<SeedGrid>`SELECT g.id, g.code, g.seq, g.grid_type, c.id AS community_id, c.code AS community_code, c.name AS community_name,
        ST_X(ST_PointOnSurface(b.geom)) AS lng, ST_Y(ST_PointOnSurface(b.geom)) AS lat,
        least(ST_XMax(b.geom) - ST_XMin(b.geom), ST_YMax(b.geom) - ST_YMin(b.geom)) / 2 AS spread
      FROM grid g JOIN region c ON c.id = g.community_id JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
      WHERE g.valid_to IS NULL AND g.level = 'grid' ORDER BY g.code`.execute(trx)
  ).rows.map((g) => ({ ...g, lng: Number(g.lng), lat: Number(g.lat), spread: Number(g.spread) }));
  if (grids.length === 0) return;

  const workerOf = new Map(demoUsers.filter((u) => u.role === 'grid_worker' && u.scope).map((u) => [u.scope as string, userIds.get(u.username) ?? null]));
  const stationOf = new Map(
    demoUsers.filter((u) => u.role === 'community_station' && u.scope).map((u) => [u.scope as string, userIds.get(u.username) ?? null]),
  );
  const near = (g: SeedGrid, k = 0.6) => ({ lng: g.lng + (rnd.next() * 2 - 1) * g.spread * k, lat: g.lat + (rnd.next() * 2 - 1) * g.spread * k });
  /** Most records were checked recently, some long ago, some never: the freshness report has something to show. */
  const verification = (g: SeedGrid) => {
    const r = rnd.next();
    const by = workerOf.get(g.community_code) ?? null;
    if (r < 0.72) return { verified_at: new Date(Date.UTC(2026, 10, 20) - rnd.int(1, 150) * 86_400_000).toISOString(), verified_by: by };
    if (r < 0.88) return { verified_at: new Date(Date.UTC(2026, 10, 20) - rnd.int(200, 420) * 86_400_000).toISOString(), verified_by: by };
    return { verified_at: null, verified_by: null };
  };
  const pickUse = () => {
    let r = rnd.next();
    for (const [u, p] of HOUSE_USES) {
      if (r < p) return u;
      r -= p;
    }
    return 'residential';
  };

  const buildings: Record<string, unknown>[] = [];
  const houses: Record<string, unknown>[] = [];
  const commercialByGrid = new Map<string, { id: string; address: string }[]>();
  const addHouse = (h: Record<string, unknown> & { id: string; grid_id: string; address: string; use: string }) => {
    houses.push(h);
    if (h.use === 'commercial' || h.use === 'mixed')
      commercialByGrid.set(h.grid_id, [...(commercialByGrid.get(h.grid_id) ?? []), { id: h.id, address: h.address }]);
  };

  for (const g of grids) {
    const plan = communityPlans[g.community_code];
    const roads = plan?.roads ?? ['中心路'];
    const createdBy = stationOf.get(g.community_code) ?? null;
    if (g.grid_type === '02') {
      // Village houses along the village's lanes: standalone, one per household.
      const n = rnd.int(8, 14);
      for (let k = 1; k <= n; k++) {
        const p = near(g);
        const own = `${plan?.places[g.seq - 1] ?? `第${g.seq}村民组`}${k}号`;
        const address = composeHouseAddress({ communityName: g.community_name, address: own });
        addHouse({
          id: crypto.randomUUID(),
          building_id: null,
          grid_id: g.id,
          address,
          address_key: addressKey(g.community_id, address),
          unit: null,
          floor: 1,
          room: null,
          use: rnd.chance(0.15) ? 'rental' : rnd.chance(0.05) ? 'vacant' : 'residential',
          area_m2: rnd.int(90, 220),
          note: null,
          created_by: createdBy,
          ...verification(g),
          ...p,
        });
      }
      continue;
    }
    const dedicated = g.grid_type === '03';
    const nb = dedicated ? 1 : rnd.int(2, 3);
    for (let k = 1; k <= nb; k++) {
      const p = near(g, 0.5);
      const road = roads[(g.seq + k) % roads.length] as string;
      const name = dedicated ? '商业楼' : `${k}号楼`;
      const number = String(g.seq * 10 + k);
      const units = dedicated ? 1 : 2;
      const floors = dedicated ? 4 : rnd.int(5, 6);
      const address = composeBuildingAddress(g.community_name, { road, number, name });
      const buildingId = crypto.randomUUID();
      buildings.push({
        id: buildingId,
        grid_id: g.id,
        name,
        road,
        number,
        address,
        address_key: addressKey(g.community_id, address),
        floors,
        units,
        created_by: createdBy,
        ...p,
      });
      const rooms = dedicated ? 4 : 2;
      for (let u = 1; u <= units; u++) {
        for (let f = 1; f <= floors; f++) {
          for (let r = 1; r <= rooms; r++) {
            const unit = String(u);
            const room = `${f}0${r}`;
            const a = composeHouseAddress({ buildingAddress: address, communityName: g.community_name }, unit, room);
            const use = dedicated ? (rnd.chance(0.85) ? 'commercial' : 'vacant') : f === 1 && rnd.chance(0.25) ? 'commercial' : pickUse();
            addHouse({
              id: crypto.randomUUID(),
              building_id: buildingId,
              grid_id: g.id,
              address: a,
              address_key: addressKey(g.community_id, a),
              unit,
              floor: f,
              room,
              use,
              area_m2: dedicated ? rnd.int(30, 120) : rnd.int(55, 140),
              note: null,
              created_by: createdBy,
              ...verification(g),
              ...p,
            });
          }
        }
      }
    }
  }
  // One address, one house: a collision here would be a bug in the generator, not in the data.
  const keys = new Set(houses.map((h) => h.address_key as string));
  if (keys.size !== houses.length) throw new Error('demo places: duplicate house address');
  await insertLocated(trx, 'building', buildings);
  await insertLocated(trx, 'house', houses);

  // Organisations: enterprises and 个体工商户 with valid credit codes, a few social and party organisations.
  const urban = grids.filter((g) => g.grid_type !== '02');
  const ORG_NAMES = {
    enterprise: [
      '泉城商贸有限公司',
      '明湖物业服务有限公司',
      '鲁味餐饮管理有限公司',
      '泉水网络科技有限公司',
      '齐鲁建材有限公司',
      '华山物流有限公司',
      '鹊华文化传媒有限公司',
    ],
    individual: ['老济南把子肉', '便民超市', '家电维修部', '鲜花店', '理发店', '水果店', '五金店', '快递驿站'],
    social: ['社区志愿者协会', '老年文体协会', '邻里互助会'],
    institution: ['社区卫生服务站', '社区幼儿园'],
    party: ['社区联合党支部'],
  } as const;
  const premises: { type: string; name: string }[] = [
    { type: 'internet_cafe', name: '极速网咖' },
    { type: 'restaurant', name: '泉城大饭店' },
    { type: 'restaurant', name: '鲁菜馆' },
    { type: 'hotel', name: '快捷酒店' },
    { type: 'entertainment', name: 'KTV' },
    { type: 'pharmacy', name: '大药房' },
  ];
  const orgs: Record<string, unknown>[] = [];
  const usedUscc = new Set<string>();
  const uscc = (dept: string, cat: string) => {
    for (;;) {
      const body = `${dept}${cat}370118${pad(rnd.int(0, 99_999_999), 8)}${rnd.int(0, 9)}`;
      const v = `${body}${usccCheckChar(body)}`;
      if (!usedUscc.has(v)) {
        usedUscc.add(v);
        return v;
      }
    }
  };
  for (let i = 0; i < 60; i++) {
    const g = urban[(i * 7) % urban.length] as SeedGrid;
    const shops = commercialByGrid.get(g.id) ?? [];
    const shop = shops.length ? shops[i % shops.length] : undefined;
    const kind = i < 22 ? 'enterprise' : i < 48 ? 'individual' : i < 54 ? 'social' : i < 58 ? 'institution' : 'party';
    const key = (kind === 'enterprise' || kind === 'individual') && i % 4 === 0 ? premises[(i / 4) % premises.length] : undefined;
    const stem = g.community_name.replace(/(社区|村)$/, '');
    const name = key ? `${stem}${key.name}` : `${stem}${rnd.pick(ORG_NAMES[kind])}${kind === 'party' ? '' : pad(i + 1, 2)}`;
    const code =
      kind === 'enterprise'
        ? uscc('9', '1')
        : kind === 'individual'
          ? uscc('9', '2')
          : kind === 'social'
            ? uscc('5', '2')
            : kind === 'institution'
              ? uscc('1', '2')
              : null;
    const phone = kind === 'party' ? null : `1${rnd.pick(['38', '39', '58', '86'])}${pad(rnd.int(0, 99_999_999), 8)}`;
    const p = near(g);
    orgs.push({
      id: crypto.randomUUID(),
      kind,
      name,
      uscc: code,
      legal_rep_name: kind === 'party' ? null : `${rnd.pick(['王', '李', '张', '刘', '陈', '赵'])}${rnd.pick(['建华', '秀英', '志强', '丽娜', '国庆'])}`,
      phone_enc: phone && pii ? `\\x${pii.encrypt(phone).toString('hex')}` : null,
      phone_bidx: phone && pii ? `\\x${pii.blindIndex('phone', phone).toString('hex')}` : null,
      phone_masked: phone && pii ? maskPhone(phone) : null,
      address: shop?.address ?? `${g.community_name}${(communityPlans[g.community_code]?.roads ?? ['中心路'])[0]}${100 + i}号`,
      house_id: shop?.id ?? null,
      employees: kind === 'enterprise' ? rnd.int(8, 120) : kind === 'individual' ? rnd.int(1, 6) : rnd.int(2, 20),
      key_premises: !!key,
      key_premises_type: key?.type ?? null,
      attention: key ? rnd.pick(['normal', 'medium', 'serious'] as const) : null,
      has_party_org: kind === 'enterprise' ? rnd.chance(0.3) : null,
      note: null,
      grid_id: g.id,
      created_by: stationOf.get(g.community_code) ?? null,
      ...verification(g),
      ...(shop ? houseHome(houses, shop.id) : p),
    });
  }
  await insertLocated(trx, 'organisation', orgs);

  // Facilities (部件): about one per grid and kind cycle, in every state.
  const KINDS = ['fire_hydrant', 'extinguisher', 'manhole', 'street_light', 'elevator', 'camera', 'fitness', 'road'] as const;
  const KIND_ZH: Record<(typeof KINDS)[number], string> = {
    fire_hydrant: '消火栓',
    extinguisher: '灭火器箱',
    manhole: '井盖',
    street_light: '路灯',
    elevator: '电梯',
    camera: '监控摄像头',
    fitness: '健身器材',
    road: '道路',
  };
  const facilities: Record<string, unknown>[] = [];
  for (let i = 0; i < 100; i++) {
    const g = grids[(i * 3) % grids.length] as SeedGrid;
    const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
    const r = rnd.next();
    const state = r < 0.7 ? 'intact' : r < 0.85 ? 'damaged' : r < 0.92 ? 'lost' : 'occupied';
    facilities.push({
      id: crypto.randomUUID(),
      kind,
      name: `${KIND_ZH[kind]}${pad(i + 1, 3)}`,
      code: `${g.community_code.slice(-3)}-${kind.slice(0, 2).toUpperCase()}-${pad(i + 1, 4)}`,
      state,
      address: `${g.community_name}${(communityPlans[g.community_code]?.roads ?? ['中心路'])[i % 2] ?? ''}旁`,
      owner: kind === 'fire_hydrant' || kind === 'extinguisher' ? '区消防救援大队' : kind === 'elevator' ? '物业服务企业' : '区城市管理局',
      note: state === 'damaged' ? '巡查发现破损，已报修' : state === 'occupied' ? '被占用，已劝离' : null,
      grid_id: g.id,
      created_by: stationOf.get(g.community_code) ?? null,
      ...verification(g),
      ...near(g, 0.8),
    });
  }
  await insertLocated(trx, 'facility', facilities);

  // Key places and risk points with warning levels; the keyed premises among them belong to their organisation.
  const KP: { kind: string; name: string; level: string }[] = [
    { kind: 'fire_hazard', name: '老旧居民楼电动车集中停放点', level: 'orange' },
    { kind: 'fire_hazard', name: '沿街餐饮燃气使用点', level: 'yellow' },
    { kind: 'crowded', name: '农贸市场早市', level: 'yellow' },
    { kind: 'crowded', name: '地铁站出入口', level: 'blue' },
    { kind: 'conflict_area', name: '拆迁安置楼物业纠纷点', level: 'orange' },
    { kind: 'hazardous_chemicals', name: '加油站', level: 'red' },
    { kind: 'construction', name: '在建住宅工地', level: 'yellow' },
    { kind: 'waters', name: '河道无护栏段', level: 'orange' },
    { kind: 'waters', name: '景观湖', level: 'blue' },
    { kind: 'crowded', name: '中学校门口', level: 'yellow' },
    { kind: 'fire_hazard', name: '群租房集中楼栋', level: 'red' },
    { kind: 'other', name: '废弃厂房', level: 'blue' },
    { kind: 'construction', name: '道路改造施工段', level: 'blue' },
    { kind: 'conflict_area', name: '停车位纠纷小区', level: 'yellow' },
    { kind: 'hazardous_chemicals', name: '液化气供应站', level: 'orange' },
  ];
  const keyOrgs = orgs.filter((o) => o.key_premises);
  const keyPlaces = KP.map((k, i) => {
    const g = grids[(i * 5 + 2) % grids.length] as SeedGrid;
    const org = i < keyOrgs.length && i % 3 === 0 ? keyOrgs[i] : undefined;
    return {
      id: crypto.randomUUID(),
      kind: k.kind,
      name: `${g.community_name.replace(/(社区|村)$/, '')}${k.name}`,
      warning_level: k.level,
      address: (org?.address as string | undefined) ?? `${g.community_name}${(communityPlans[g.community_code]?.roads ?? ['中心路'])[0]}附近`,
      description: `${k.name}，纳入网格员日常巡查`,
      responsible: `${rnd.pick(['王', '李', '张', '刘'])}${rnd.pick(['主任', '经理', '站长'])}`,
      organisation_id: (org?.id as string | undefined) ?? null,
      grid_id: (org?.grid_id as string | undefined) ?? g.id,
      created_by: stationOf.get(g.community_code) ?? null,
      // Registered when the grids were laid out: not "new" (the trigger scan looks at the last 30 days).
      created_at: '2026-01-15T02:00:00Z',
      ...verification(g),
      ...(org ? { lng: org.lng, lat: org.lat } : near(g)),
    };
  });
  await insertLocated(trx, 'key_place', keyPlaces);
  // One newly registered key place with its adjustment trigger, as the console shows it.
  const recent = keyPlaces[0];
  if (recent) {
    await sql`UPDATE key_place SET created_at = now() WHERE id = ${recent.id}`.execute(trx);
    await sql`INSERT INTO adjustment_trigger (grid_id, kind, details)
      VALUES (${recent.grid_id}, 'new_key_place', ${JSON.stringify({ keyPlaceId: recent.id, keyPlaceName: recent.name, warningLevel: recent.warning_level })}::jsonb)`.execute(
      trx,
    );
  }
}

/** An organisation in a house stands at the house's (building's) candidate point. */
function houseHome(houses: Record<string, unknown>[], id: string): { lng: unknown; lat: unknown } {
  const h = houses.find((x) => x.id === id);
  return { lng: h?.lng ?? null, lat: h?.lat ?? null };
}
