import { roleLabels } from '@gridgov/contracts/roles';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { PiiCipher } from '../lib/pii-crypto.js';
import { hashPassword } from '../modules/auth/password.js';
import { seedDemoCases } from './demo-cases.js';
import { DEMO_PASSWORD, type DemoRegion, demoDepartments, demoDistrict, demoGridStaff, demoUsers } from './demo-district.js';
import { buildDemoGeometry } from './demo-grids.js';
import { seedDemoPersons } from './demo-persons.js';
import { seedDemoPlaces } from './demo-places.js';
import { ensureDefaultCatalogue } from './seed-catalogue.js';
import type { MultiPolygonCoords } from './tiling.js';

/** The day the demo grids and their boundaries take effect. */
export const DEMO_GRIDS_FROM = '2026-01-01';

const geom = (coords: MultiPolygonCoords) =>
  sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiPolygon', coordinates: coords })}), 4326))`;

const LEVELS = ['district', 'street', 'community'] as const;

export interface DemoSummary {
  seeded: boolean;
  accounts: { username: string; role: string; displayName: string }[];
  password: string;
}

/** Seeds the demo district into an empty database; on later starts only reports the accounts. */
export async function seedDemoIfEmpty(database: Database, pii: PiiCipher): Promise<DemoSummary> {
  const { db } = database;
  const existing = await db.selectFrom('region').select('id').limit(1).executeTakeFirst();
  const seeded = !existing;
  if (seeded) {
    await seedDemo(db, pii);
    // The demo's recent weeks of cases (kept out of the test template, whose tests count their own cases).
    await seedDemoCases(db, pii);
  }
  return {
    seeded,
    password: DEMO_PASSWORD,
    accounts: demoUsers.map((u) => ({ username: u.username, role: u.role, displayName: u.displayName })),
  };
}

/** The demo district; identifying numbers of demo residents are encrypted with `pii` (the installation's key). */
export async function seedDemo(db: Kysely<DB>, pii: PiiCipher): Promise<void> {
  const pwHash = await hashPassword(DEMO_PASSWORD);
  const geometry = buildDemoGeometry();
  await db.transaction().execute(async (trx) => {
    const byCode = new Map<string, { id: string; path: string }>();
    const insert = async (r: DemoRegion, depth: number, parent: { id: string; path: string } | null, sort: number) => {
      const id = crypto.randomUUID();
      const path = `${parent?.path ?? '/'}${id}/`;
      const boundary = geometry.boundaries.get(r.code);
      await trx
        .insertInto('region')
        .values({
          id,
          parent_id: parent?.id ?? null,
          level: LEVELS[depth] as string,
          code: r.code,
          name: r.name,
          path,
          sort_order: sort,
          kind: r.kind ?? null,
          boundary: boundary ? geom(boundary) : null,
        })
        .execute();
      byCode.set(r.code, { id, path });
      let i = 0;
      for (const c of r.children ?? []) await insert(c, depth + 1, { id, path }, i++);
    };
    await insert(demoDistrict, 0, null, 0);

    const orgByKey = new Map<string, string>();
    const addOrg = async (regionCode: string, kind: 'center' | 'station' | 'department', name: string, extra: { deptCode?: string; phone?: string } = {}) => {
      const region = byCode.get(regionCode);
      if (!region) throw new Error(`demo org unit: unknown region ${regionCode}`);
      const row = await trx
        .insertInto('org_unit')
        .values({ region_id: region.id, kind, name, dept_code: extra.deptCode ?? null, phone: extra.phone ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const walk = async (r: DemoRegion, depth: number) => {
      const level = LEVELS[depth];
      if (level === 'community') orgByKey.set(r.code, await addOrg(r.code, 'station', `${r.name}网格化服务管理站`));
      else orgByKey.set(r.code, await addOrg(r.code, 'center', `${r.name}网格化服务管理中心`));
      for (const c of r.children ?? []) await walk(c, depth + 1);
    };
    await walk(demoDistrict, 0);
    for (const d of demoDepartments) orgByKey.set(d.name, await addOrg(demoDistrict.code, 'department', d.name, d));

    const userIds = new Map<string, string>();
    for (const u of demoUsers) {
      const user = await trx
        .insertInto('app_user')
        .values({
          username: u.username,
          display_name: u.displayName,
          mobile: u.mobile,
          role: u.role,
          org_unit_id: u.orgUnit ? (orgByKey.get(u.orgUnit) ?? null) : null,
          password_hash: pwHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const capture = u.scope ? [u.scope] : [];
      const view = u.view ?? capture;
      const rows = [
        ...capture.map((c) => ({ user_id: user.id, kind: 'capture' as const, region_id: byCode.get(c)?.id as string })),
        ...view.map((c) => ({ user_id: user.id, kind: 'view' as const, region_id: byCode.get(c)?.id as string })),
      ];
      if (rows.length) await trx.insertInto('user_scope').values(rows).execute();
      userIds.set(u.username, user.id);
    }

    await seedDemoGrids(trx, geometry, byCode, userIds);
    // The registry: buildings, houses, organisations, facilities, key places; then residents and households.
    await seedDemoPlaces(trx, byCode, userIds, pii);
    await seedDemoPersons(trx, pii, byCode, userIds);
  });
  await ensureDefaultCatalogue(db);
}

/** Grids with their boundaries, baselines, stations and staff, and one pending split application. */
async function seedDemoGrids(
  trx: Kysely<DB>,
  geometry: ReturnType<typeof buildDemoGeometry>,
  byCode: Map<string, { id: string; path: string }>,
  userIds: Map<string, string>,
) {
  const grids = geometry.grids.map((g) => ({ ...g, id: crypto.randomUUID() }));
  await trx
    .insertInto('grid')
    .values(
      grids.map((g) => ({
        id: g.id,
        community_id: byCode.get(g.communityCode)?.id as string,
        code: g.code,
        name: g.name,
        grid_type: g.gridType,
        dedicated_kind: g.dedicatedKind,
        area_code: '00',
        seq: g.seq,
        landmarks: g.landmarks,
        station: JSON.stringify(g.station),
        criteria: JSON.stringify({
          difficulty: g.gridType === '03' ? 'high' : 'medium',
          serviceRadiusM: g.gridType === '02' ? 800 : 300,
          boundaries: `以${g.landmarks[1]}及相邻小区院墙为界`,
        }),
        baseline_households: g.gridType === '03' ? null : g.households,
        baseline_population: g.gridType === '03' ? null : g.population,
        baseline_at: DEMO_GRIDS_FROM,
        valid_from: DEMO_GRIDS_FROM,
      })),
    )
    .execute();
  await trx
    .insertInto('grid_boundary')
    .values(grids.map((g) => ({ grid_id: g.id, geom: geom(g.geometry), valid_from: DEMO_GRIDS_FROM })))
    .execute();

  const staff = demoGridStaff.flatMap((s) =>
    grids
      .filter((g) => g.communityCode === s.communityCode && g.seq <= s.maxSeq)
      .map((g) => ({
        grid_id: g.id,
        user_id: userIds.get(s.username) as string,
        duty: (s.duty === 'full_time' && g.gridType === '03' ? 'part_time' : s.duty) as 'leader' | 'full_time' | 'part_time',
        since: DEMO_GRIDS_FROM,
      })),
  );
  await trx.insertInto('grid_staff').values(staff).execute();

  const source = grids.find((g) => g.code === geometry.split.gridCode);
  if (!source) throw new Error('demo: split source grid missing');
  await trx
    .insertInto('grid_adjustment')
    .values({
      community_id: byCode.get(source.communityCode)?.id as string,
      kind: 'split',
      status: 'submitted',
      reason: `${source.name}内${source.landmarks[0]}新建住宅楼入住，户数达 ${source.households} 户，超出每格 300–500 户的规范，申请拆分为两个网格`,
      source_grid_ids: [source.id],
      proposal: JSON.stringify(
        geometry.split.parts.map((p, k) => ({
          gridId: k === 0 ? source.id : null,
          name: p.name,
          gridType: source.gridType,
          dedicatedKind: null,
          geometry: { type: 'MultiPolygon', coordinates: p.geometry },
        })),
      ),
      notice_days: 7,
      created_by: userIds.get('sq_baotuquan') ?? null,
    })
    .execute();

  // Every process rebuilds its point → grid index from the new grids.
  await trx.updateTable('grid_index_version').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
}

export function printDemoBanner(demo: DemoSummary, url: string) {
  console.log(`\n  演示账号 / demo accounts (密码 / password: ${demo.password})  →  ${url}`);
  for (const a of demo.accounts) {
    console.log(`    ${a.username.padEnd(16)} ${roleLabels[a.role as keyof typeof roleLabels]?.zh ?? a.role}（${a.displayName}）`);
  }
  console.log('');
}
