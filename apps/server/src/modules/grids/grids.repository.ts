import { defaultSizeNorm, type SizeNormValues } from '@gridgov/contracts/grids';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees, likeLiteral } from '../regions/subtree.js';

/** A region as the grid module needs it. */
export interface RegionRef {
  id: string;
  parent_id: string | null;
  level: string;
  code: string;
  name: string;
  path: string;
  kind: 'urban' | 'rural' | null;
  has_boundary: boolean;
}

/** A grid with its community, its boundary's area on the date asked, staff counts and the size norm that applies. */
export interface GridRow {
  id: string;
  community_id: string;
  community_name: string;
  community_code: string;
  community_path: string;
  parent_grid_id: string | null;
  level: 'grid' | 'micro' | 'building';
  code: string;
  name: string;
  grid_type: '01' | '02' | '03';
  dedicated_kind: string | null;
  area_code: string;
  seq: number;
  landmarks: string[];
  station: Record<string, unknown> | null;
  criteria: Record<string, unknown>;
  baseline_households: number | null;
  baseline_population: number | null;
  valid_from: string;
  valid_to: string | null;
  area_m2: number | null;
  workers: number;
  norm: SizeNormValues;
}

type RawGridRow = Omit<GridRow, 'norm'> & {
  n_urban_min_households: number;
  n_urban_max_households: number;
  n_urban_min_people: number;
  n_urban_max_people: number;
  n_rural_min_households: number;
  n_rural_max_households: number;
  n_min_workers_per_grid: number;
  total?: number;
};

export interface NewGrid {
  id: string;
  communityId: string;
  parentGridId: string | null;
  level: 'grid' | 'micro' | 'building';
  code: string;
  name: string;
  gridType: '01' | '02' | '03';
  dedicatedKind: string | null;
  areaCode: string;
  seq: number;
  landmarks: string[];
  station: Record<string, unknown> | null;
  criteria: Record<string, unknown>;
  validFrom: string;
}

export interface GridPatch {
  name?: string;
  code?: string;
  gridType?: '01' | '02' | '03';
  dedicatedKind?: string | null;
  landmarks?: string[];
  station?: Record<string, unknown> | null;
  criteria?: Record<string, unknown>;
  baselineHouseholds?: number | null;
  baselinePopulation?: number | null;
  baselineAt?: string;
}

export interface GridListFilter {
  /** Grids of communities under these region paths (the caller's view roots or one subtree of them). */
  paths: readonly string[];
  on: string;
  q?: string;
  gridType?: '01' | '02' | '03';
  flagged?: boolean;
  limit: number;
  offset: number;
}

/** `alias` (grid or grid_boundary) is valid on the date: valid_from ≤ on < valid_to. */
export const validOn = (alias: string, on: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(`${alias}.valid_from`)} <= ${on}::date and (${sql.ref(`${alias}.valid_to`)} is null or ${sql.ref(`${alias}.valid_to`)} > ${on}::date))`;

const NORM_COLUMNS = {
  urbanMinHouseholds: 'urban_min_households',
  urbanMaxHouseholds: 'urban_max_households',
  urbanMinPeople: 'urban_min_people',
  urbanMaxPeople: 'urban_max_people',
  ruralMinHouseholds: 'rural_min_households',
  ruralMaxHouseholds: 'rural_max_households',
  minWorkersPerGrid: 'min_workers_per_grid',
} as const satisfies Record<keyof SizeNormValues, string>;

/** The effective value of one norm: the nearest ancestor's row (lateral `n`), else the GB/T 34300 default. */
const norm = (key: keyof SizeNormValues) => sql<number>`coalesce(${sql.ref(`n.${NORM_COLUMNS[key]}`)}, ${defaultSizeNorm[key]}::int)`;

/**
 * Joins every grid query shares: its community `c`, the boundary valid on `on` (`b`), the nearest size-norm
 * row up the community's path (`n`), and its worker count (`w`: full- and part-time grid workers).
 */
const gridJoins = (on: string) => sql`
  join region c on c.id = g.community_id
  left join grid_boundary b on b.grid_id = g.id and ${validOn('b', on)}
  left join lateral (
    select sn.* from grid_size_norm sn join region nr on nr.id = sn.region_id
    where left(c.path, length(nr.path)) = nr.path
    order by length(nr.path) desc limit 1
  ) n on true
  left join lateral (
    select count(*)::int as workers from grid_staff s where s.grid_id = g.id and s.duty in ('full_time', 'part_time')
  ) w on true`;

const gridColumns = sql`
  g.id, g.community_id, c.name as community_name, c.code as community_code, c.path as community_path,
  g.parent_grid_id, g.level, g.code, g.name, g.grid_type, g.dedicated_kind, g.area_code, g.seq, g.landmarks,
  g.station, g.criteria, g.baseline_households, g.baseline_population, g.valid_from, g.valid_to,
  ST_Area(b.geom::geography) as area_m2, w.workers,
  ${norm('urbanMinHouseholds')} as n_urban_min_households, ${norm('urbanMaxHouseholds')} as n_urban_max_households,
  ${norm('urbanMinPeople')} as n_urban_min_people, ${norm('urbanMaxPeople')} as n_urban_max_people,
  ${norm('ruralMinHouseholds')} as n_rural_min_households, ${norm('ruralMaxHouseholds')} as n_rural_max_households,
  ${norm('minWorkersPerGrid')} as n_min_workers_per_grid`;

/**
 * True when the grid carries a size-norm or staffing flag; the same rules as size-norms.ts gridFlags()
 * (only `level = 'grid'`; urban 01 by households and people, rural 02 by households, every type by workers).
 */
const flaggedExpr = sql<SqlBool>`(g.level = 'grid' and (
  (g.grid_type = '01' and (g.baseline_households > ${norm('urbanMaxHouseholds')} or g.baseline_households < ${norm('urbanMinHouseholds')}
                           or g.baseline_population > ${norm('urbanMaxPeople')} or g.baseline_population < ${norm('urbanMinPeople')}))
  or (g.grid_type = '02' and (g.baseline_households > ${norm('ruralMaxHouseholds')} or g.baseline_households < ${norm('ruralMinHouseholds')}))
  or w.workers < ${norm('minWorkersPerGrid')}))`;

function toGridRow(r: RawGridRow): GridRow {
  const {
    n_urban_min_households,
    n_urban_max_households,
    n_urban_min_people,
    n_urban_max_people,
    n_rural_min_households,
    n_rural_max_households,
    n_min_workers_per_grid,
    total: _total,
    ...rest
  } = r;
  return {
    ...rest,
    area_m2: rest.area_m2 === null ? null : Number(rest.area_m2),
    norm: {
      urbanMinHouseholds: n_urban_min_households,
      urbanMaxHouseholds: n_urban_max_households,
      urbanMinPeople: n_urban_min_people,
      urbanMaxPeople: n_urban_max_people,
      ruralMinHouseholds: n_rural_min_households,
      ruralMaxHouseholds: n_rural_max_households,
      minWorkersPerGrid: n_min_workers_per_grid,
    },
  };
}

/** All SQL of grids (attributes, versioned boundaries, list and map queries). Writes take an optional transaction. */
export function createGridsRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async region(id: string, trx: Kysely<DB> = db): Promise<RegionRef | undefined> {
      const r = await sql<RegionRef>`
        select id, parent_id, level, code, name, path, kind, boundary is not null as has_boundary from region where id = ${id}::uuid`.execute(trx);
      return r.rows[0];
    },

    async setting(key: string, trx: Kysely<DB> = db): Promise<unknown> {
      const r = await trx.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    },

    async putSetting(key: string, value: unknown, userId: string | null, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        insert into app_setting (key, value, updated_at, updated_by) values (${key}, ${JSON.stringify(value)}::jsonb, now(), ${userId}::uuid)
        on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`.execute(trx);
    },

    async codeTaken(code: string, trx: Kysely<DB> = db): Promise<boolean> {
      return !!(await trx.selectFrom('grid').select('id').where('code', '=', code).executeTakeFirst());
    },

    /** The next sequence number in a community: one past the highest ever used (retired grids included). */
    async nextSeq(communityId: string, trx: Kysely<DB> = db): Promise<number> {
      const r = await sql<{ n: number }>`select coalesce(max(seq), 0)::int + 1 as n from grid where community_id = ${communityId}::uuid`.execute(trx);
      return r.rows[0]?.n ?? 1;
    },

    async insertGrid(g: NewGrid, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        insert into grid (id, community_id, parent_grid_id, level, code, name, grid_type, dedicated_kind, area_code, seq, landmarks, station, criteria, valid_from)
        values (${g.id}::uuid, ${g.communityId}::uuid, ${g.parentGridId}::uuid, ${g.level}, ${g.code}, ${g.name}, ${g.gridType}, ${g.dedicatedKind},
                ${g.areaCode}, ${g.seq}::int, ${sql.val(g.landmarks)}::text[], ${g.station === null ? null : JSON.stringify(g.station)}::jsonb,
                ${JSON.stringify(g.criteria)}::jsonb, ${g.validFrom}::date)`.execute(trx);
    },

    async updateGrid(id: string, p: GridPatch, trx: Kysely<DB> = db): Promise<void> {
      const sets = [sql`updated_at = now()`];
      if (p.name !== undefined) sets.push(sql`name = ${p.name}`);
      if (p.code !== undefined) sets.push(sql`code = ${p.code}`);
      if (p.gridType !== undefined) sets.push(sql`grid_type = ${p.gridType}`);
      if (p.dedicatedKind !== undefined) sets.push(sql`dedicated_kind = ${p.dedicatedKind}`);
      if (p.landmarks !== undefined) sets.push(sql`landmarks = ${sql.val(p.landmarks)}::text[]`);
      if (p.station !== undefined) sets.push(sql`station = ${p.station === null ? null : JSON.stringify(p.station)}::jsonb`);
      if (p.criteria !== undefined) sets.push(sql`criteria = ${JSON.stringify(p.criteria)}::jsonb`);
      if (p.baselineHouseholds !== undefined) sets.push(sql`baseline_households = ${p.baselineHouseholds}::int`);
      if (p.baselinePopulation !== undefined) sets.push(sql`baseline_population = ${p.baselinePopulation}::int`);
      if (p.baselineAt !== undefined) sets.push(sql`baseline_at = ${p.baselineAt}::date`);
      await sql`update grid set ${sql.join(sets)} where id = ${id}::uuid`.execute(trx);
    },

    async insertBoundary(b: { gridId: string; geojson: string; validFrom: string; userId: string | null }, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        insert into grid_boundary (grid_id, geom, valid_from, created_by)
        values (${b.gridId}::uuid, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${b.geojson}::text), 4326)), ${b.validFrom}::date, ${b.userId}::uuid)`.execute(trx);
    },

    /** The open (latest) boundary version of a grid. */
    async openBoundary(gridId: string, trx: Kysely<DB> = db): Promise<{ id: number; valid_from: string; area_m2: number } | undefined> {
      const r = await sql<{ id: number; valid_from: string; area_m2: number }>`
        select id, valid_from, ST_Area(geom::geography) as area_m2 from grid_boundary where grid_id = ${gridId}::uuid and valid_to is null`.execute(trx);
      return r.rows[0];
    },

    async replaceBoundaryGeom(rowId: number, geojson: string, userId: string | null, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        update grid_boundary set geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 4326)), created_by = ${userId}::uuid, created_at = now()
        where id = ${rowId}`.execute(trx);
    },

    async closeBoundary(rowId: number, validTo: string, trx: Kysely<DB> = db): Promise<void> {
      await sql`update grid_boundary set valid_to = ${validTo}::date where id = ${rowId}`.execute(trx);
    },

    /** Every process's point→grid index reloads when this number changes; bumped in the writing transaction. */
    async bumpIndexVersion(trx: Kysely<DB> = db): Promise<void> {
      await sql`update grid_index_version set version = version + 1 where id = 1`.execute(trx);
    },

    /** One grid, with the boundary valid on `on` (or its open version when none is), whatever its own validity. */
    async find(id: string, on: string, trx: Kysely<DB> = db): Promise<(GridRow & { geojson: string | null }) | undefined> {
      const r = await sql<RawGridRow & { geojson: string | null; area_any: number | null }>`
        select ${gridColumns}, ST_AsGeoJSON(coalesce(b.geom, ob.geom), 9) as geojson, ST_Area(coalesce(b.geom, ob.geom)::geography) as area_any
        from grid g ${gridJoins(on)}
        left join lateral (
          select geom from grid_boundary where grid_id = g.id order by (valid_to is null) desc, valid_from desc limit 1
        ) ob on true
        where g.id = ${id}::uuid`.execute(trx);
      const row = r.rows[0];
      if (!row) return undefined;
      const { geojson, area_any, ...rest } = row;
      return { ...toGridRow({ ...rest, area_m2: area_any }), geojson };
    },

    /** Grids valid on `filter.on` in the given subtrees, by code, with the total for paging. */
    async list(f: GridListFilter): Promise<{ rows: GridRow[]; total: number }> {
      const conds = [validOn('g', f.on), inSubtrees('c.path', f.paths)];
      if (f.q) {
        if (/^\d+$/.test(f.q)) conds.push(sql<SqlBool>`g.code like ${`${f.q}%`}`);
        else conds.push(sql<SqlBool>`g.name ilike ${`%${likeLiteral(f.q)}%`}`);
      }
      if (f.gridType) conds.push(sql<SqlBool>`g.grid_type = ${f.gridType}`);
      if (f.flagged === true) conds.push(sql<SqlBool>`${flaggedExpr} is true`);
      if (f.flagged === false) conds.push(sql<SqlBool>`${flaggedExpr} is not true`);
      const r = await sql<RawGridRow>`
        select ${gridColumns}, count(*) over ()::int as total
        from grid g ${gridJoins(f.on)}
        where ${sql.join(conds, sql` and `)}
        order by g.code
        limit ${f.limit} offset ${f.offset}`.execute(db);
      let total = r.rows[0]?.total ?? 0;
      if (r.rows.length === 0 && f.offset > 0) {
        const c = await sql<{ n: number }>`
          select count(*)::int as n from grid g ${gridJoins(f.on)} where ${sql.join(conds, sql` and `)}`.execute(db);
        total = c.rows[0]?.n ?? 0;
      }
      return { rows: r.rows.map(toGridRow), total };
    },

    /** Map features: grids valid on `on` whose boundary meets the box, in the given subtrees; one more than `limit` tells truncation. */
    async features(f: { bbox: [number, number, number, number]; on: string; paths: readonly string[]; limit: number }) {
      const [x1, y1, x2, y2] = f.bbox;
      const r = await sql<RawGridRow & { geojson: string }>`
        select ${gridColumns}, ST_AsGeoJSON(b.geom, 7) as geojson
        from grid g ${gridJoins(f.on)}
        where ${validOn('g', f.on)} and b.id is not null
          and b.geom && ST_MakeEnvelope(${x1}::float8, ${y1}::float8, ${x2}::float8, ${y2}::float8, 4326)
          and ${inSubtrees('c.path', f.paths)}
        order by g.level, g.code
        limit ${f.limit + 1}`.execute(db);
      return r.rows.map((row) => ({ ...toGridRow(row), geojson: row.geojson }));
    },

    /** Staff of the given grids with their names. */
    async staffOf(gridIds: readonly string[], trx: Kysely<DB> = db) {
      if (gridIds.length === 0) return [];
      return trx
        .selectFrom('grid_staff as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .select(['s.grid_id', 's.user_id', 's.duty', 's.since', 'u.username', 'u.display_name', 'u.mobile'])
        .where('s.grid_id', 'in', [...gridIds])
        .orderBy('s.grid_id')
        .orderBy(sql`array_position(array['leader','full_time','part_time','liaison','building_head'], s.duty)`)
        .orderBy('u.display_name')
        .execute();
    },
  };
}
export type GridsRepository = ReturnType<typeof createGridsRepository>;
