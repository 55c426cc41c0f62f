import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';

/**
 * The seeded demo district, checked with PostGIS itself: every community is tiled exactly by its
 * grids, no two grids overlap, streets and the district are the unions of their children, and the
 * pending split proposes polygons that tile the grid it splits.
 */
describe('demo district geometry', () => {
  let t: TestDatabase;
  const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(t.database.db)).rows;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.cleanup());

  it('has about 100 valid grids with Shandong 19-digit codes, dedicated grids and rural grids in the villages', async () => {
    const grids = await rows<{
      code: string;
      community_code: string;
      kind: string | null;
      grid_type: string;
      dedicated_kind: string | null;
      valid: boolean;
    }>(sql`
      select g.code, c.code as community_code, c.kind, g.grid_type, g.dedicated_kind, st_isvalid(b.geom) as valid
      from grid g join region c on c.id = g.community_id
      join grid_boundary b on b.grid_id = g.id and b.valid_to is null and b.valid_from = '2026-01-01'`);
    expect(grids).toHaveLength(100);
    for (const g of grids) {
      expect(g.valid).toBe(true);
      // county 6 + town 3 + 片区 00 + community 3 + grid 3 + type 2
      expect(g.code).toMatch(/^\d{19}$/);
      expect(g.code.slice(0, 9)).toBe(g.community_code.slice(0, 9));
      expect(g.code.slice(9, 11)).toBe('00');
      expect(g.code.slice(11, 14)).toBe(g.community_code.slice(9, 12));
      expect(g.code.slice(17)).toBe(g.grid_type);
      expect(g.grid_type === '02').toBe(g.kind === 'rural');
    }
    expect(grids.filter((g) => g.grid_type === '03').map((g) => g.dedicated_kind)).toEqual(expect.arrayContaining(['market', 'school', 'hospital', 'park']));
  });

  it('tiles every community exactly: the union of its grids equals its boundary (symmetric difference < 1 m²)', async () => {
    const result = await rows<{ name: string; boundary_m2: number; diff_m2: number; grids: number }>(sql`
      select c.name, st_area(c.boundary::geography) as boundary_m2, count(g.id)::int as grids,
             st_area(st_symdifference(c.boundary, st_union(b.geom))::geography) as diff_m2
      from region c
      join grid g on g.community_id = c.id
      join grid_boundary b on b.grid_id = g.id and b.valid_to is null
      where c.level = 'community'
      group by c.id, c.name, c.boundary`);
    expect(result).toHaveLength(13);
    for (const c of result) {
      expect(c.boundary_m2, c.name).toBeGreaterThan(500_000);
      expect(c.diff_m2, c.name).toBeLessThan(1);
    }
  });

  it('has no two grids overlapping by more than 0.01 m²', async () => {
    const overlaps = await rows<{ a: string; b: string; m2: number }>(sql`
      select a.grid_id as a, b.grid_id as b, st_area(st_intersection(a.geom, b.geom)::geography) as m2
      from grid_boundary a join grid_boundary b on a.id < b.id and a.geom && b.geom and st_intersects(a.geom, b.geom)
      where a.valid_to is null and b.valid_to is null`);
    // Neighbours share edges (they touch); none shares area.
    expect(overlaps.length).toBeGreaterThan(100);
    expect(overlaps.filter((o) => o.m2 > 0.01)).toEqual([]);
  });

  it('gives streets and the district the union of their children as boundary', async () => {
    const result = await rows<{ name: string; diff_m2: number; valid: boolean }>(sql`
      select r.name, st_isvalid(r.boundary) as valid,
             st_area(st_symdifference(r.boundary, (select st_union(c.boundary) from region c where c.parent_id = r.id))::geography) as diff_m2
      from region r where r.level in ('district', 'street')`);
    expect(result).toHaveLength(5);
    for (const r of result) {
      expect(r.valid, r.name).toBe(true);
      expect(r.diff_m2, r.name).toBeLessThan(1);
    }
    const [centre] = await rows<{ lng: number; lat: number }>(sql`
      select st_x(st_centroid(boundary)) as lng, st_y(st_centroid(boundary)) as lat from region where code = '370118'`);
    expect(centre?.lng).toBeCloseTo(117.02, 1);
    expect(centre?.lat).toBeCloseTo(36.67, 1);
  });

  it('has one submitted split whose two proposed grids tile the grid they split', async () => {
    const [adj] = await rows<{ kind: string; status: string; parts: number; diff_m2: number; overlap_m2: number; source_m2: number }>(sql`
      with a as (select * from grid_adjustment),
      p as (select st_setsrid(st_geomfromgeojson(e->>'geometry'), 4326) as g, ord from a, jsonb_array_elements(a.proposal) with ordinality as x(e, ord)),
      s as (select b.geom from grid_boundary b, a where b.grid_id = a.source_grid_ids[1] and b.valid_to is null)
      select a.kind, a.status, (select count(*)::int from p) as parts,
             (select st_area(s.geom::geography) from s) as source_m2,
             (select st_area(st_symdifference((select geom from s), (select st_union(g) from p))::geography)) as diff_m2,
             (select st_area(st_intersection(p1.g, p2.g)::geography) from p p1, p p2 where p1.ord = 1 and p2.ord = 2) as overlap_m2
      from a`);
    expect(adj).toMatchObject({ kind: 'split', status: 'submitted', parts: 2 });
    expect(adj?.source_m2).toBeGreaterThan(50_000);
    expect(adj?.diff_m2).toBeLessThan(1);
    expect(adj?.overlap_m2).toBeLessThan(0.01);
  });

  it('staffs the grids and has two ordinary grids outside the household norm', async () => {
    const staff = await rows<{ username: string; duty: string; community: string; n: number }>(sql`
      select u.username, s.duty, c.code as community, count(*)::int as n
      from grid_staff s join app_user u on u.id = s.user_id join grid g on g.id = s.grid_id join region c on c.id = g.community_id
      group by u.username, s.duty, c.code`);
    const of = (username: string, duty: string) => staff.find((s) => s.username === username && s.duty === duty);
    expect(of('wgy_baotuquan', 'full_time')?.community).toBe('370118001001');
    expect(of('wgy_daminghu', 'full_time')?.community).toBe('370118002002');
    expect(of('wgz_baotuquan', 'leader')).toMatchObject({ community: '370118001001', n: 10 });
    const [cover] = await rows<{ staffed: number; total: number }>(sql`
      select count(*) filter (where exists (select 1 from grid_staff s where s.grid_id = g.id and s.duty <> 'leader'))::int as staffed, count(*)::int as total from grid g`);
    expect((cover?.staffed ?? 0) / (cover?.total ?? 1)).toBeGreaterThan(0.8);

    const outside = await rows<{ households: number }>(sql`
      select baseline_households as households from grid where grid_type = '01' and (baseline_households not between 300 and 520)`);
    expect(outside.map((o) => o.households).sort()).toEqual([190, 680]);
    const [people] = await rows<{ min: number; max: number }>(sql`
      select min(baseline_population) as min, max(baseline_population) as max from grid where grid_type = '01' and baseline_households between 300 and 520`);
    expect(people?.min).toBeGreaterThanOrEqual(800);
    expect(people?.max).toBeLessThanOrEqual(1300);
  });
});
