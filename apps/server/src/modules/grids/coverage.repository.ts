import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeLiteral } from '../regions/subtree.js';
import { GRID_SIZE, SILENT_FAILURE } from './geometry.repository.js';
import { validOn } from './grids.repository.js';
import { todayInChina } from './today.js';

/** Pieces smaller than this (m²) are floating-point noise along shared edges, not gaps or overlaps. */
export const COVERAGE_TOLERANCE_M2 = 0.5;

export interface CoverageIssueRow {
  kind: 'overlap' | 'gap' | 'outside';
  communityId: string;
  communityName: string;
  gridIds: string[];
  gridCodes: string[];
  areaM2: number;
  /** GeoJSON MultiPolygon text. */
  geojson: string;
}

export interface CoverageResult {
  checkedCommunities: number;
  checkedGrids: number;
  uncheckedCommunities: { id: string; code: string; name: string }[];
  issues: CoverageIssueRow[];
}

/**
 * The coverage check of every community under `regionPath` that has a boundary, as one set-based query:
 * overlaps between sibling grids (pairs found through the GiST index on grid_boundary.geom, kept when
 * their interiors meet), gaps = boundary minus ST_Union of the community's grids (one piece per
 * polygon), and grids reaching beyond the boundary. Area balances per community decide where the pair
 * search and the overlay are needed at all, so a clean district costs one union per community. Whole
 * grids only (level 'grid': micro-grids subdivide a grid and are not its siblings); boundaries and
 * grids as valid on `on`; areas in m² on the spheroid; pieces up to COVERAGE_TOLERANCE_M2 dropped.
 * Overlay operations run with a fixed grid size (GRID_SIZE): see geometry.repository.ts for why.
 */
export async function runCoverage(db: Kysely<DB>, regionPath: string, on: string = todayInChina()): Promise<CoverageResult> {
  const prefix = `${likeLiteral(regionPath)}%`;
  // One row, always: the counts and the issues as JSON. No row at all means the engine dropped the
  // statement (see SILENT_FAILURE) and is reported as an error, never as "no issues".
  const r = await sql<{
    communities: number;
    grids: number;
    issues: {
      kind: 'overlap' | 'gap' | 'outside';
      community_id: string;
      community_name: string;
      grid_a: string | null;
      grid_b: string | null;
      code_a: string | null;
      code_b: string | null;
      area: number;
      geometry: unknown;
    }[];
  }>`
    with comm as (
      select c.id, c.name, c.boundary from region c
      where c.level = 'community' and c.path like ${prefix} and c.boundary is not null
    ),
    g as materialized (
      select gr.id, gr.code, gr.community_id, b.geom, ST_CoveredBy(b.geom, comm.boundary) as inside
      from grid gr
      join comm on comm.id = gr.community_id
      join grid_boundary b on b.grid_id = gr.id and ${validOn('b', on)}
      where gr.level = 'grid' and ${validOn('gr', on)}
    ),
    -- Per community: the union of its grids and two area balances that tell, without any overlay,
    -- whether there can be an overlap (Σ grid areas > area of their union) or a gap (some grid outside,
    -- or the boundary larger than the union). Only such communities get the expensive searches below.
    sums as materialized (
      select g.community_id, ST_Union(g.geom) as u, sum(ST_Area(g.geom::geography)) as sum_area,
             count(*) filter (where not g.inside) as outside_n
      from g group by g.community_id
    ),
    agg as materialized (
      select comm.id as community_id, comm.boundary, sums.u,
             coalesce(sums.sum_area - ST_Area(sums.u::geography), 0) as overlap_excess,
             coalesce(sums.outside_n, 0) as outside_n,
             ST_Area(comm.boundary::geography) - coalesce(ST_Area(sums.u::geography), 0) as uncovered
      from comm left join sums on sums.community_id = comm.id
    ),
    -- The pair search runs per suspect community only (a lateral join, so none runs for a clean district).
    overlap as (
      select 'overlap'::text as kind, s.community_id, x.grid_a, x.grid_b, x.code_a, x.code_b, x.geom
      from agg s
      cross join lateral (
        select a.id as grid_a, o.id as grid_b, a.code as code_a, o.code as code_b,
               ST_CollectionExtract(ST_Intersection(a.geom, ob.geom, ${GRID_SIZE}::float8), 3) as geom
        from g a
        join grid_boundary ob on ob.geom && a.geom and ${validOn('ob', on)}
        join grid o on o.id = ob.grid_id
        where a.community_id = s.community_id
          and o.community_id = a.community_id and o.level = 'grid' and ${validOn('o', on)} and o.id > a.id
          and ST_Intersects(a.geom, ob.geom) and ST_Relate(a.geom, ob.geom, 'T********')
      ) x
      where s.overlap_excess > ${COVERAGE_TOLERANCE_M2}::float8
    ),
    gap as (
      select 'gap'::text as kind, community_id, null::uuid as grid_a, null::uuid as grid_b, null::text as code_a, null::text as code_b,
             (ST_Dump(case when u is null then boundary else ST_Difference(boundary, u, ${GRID_SIZE}::float8) end)).geom as geom
      from agg
      where u is null or outside_n > 0 or uncovered > ${COVERAGE_TOLERANCE_M2}::float8
    ),
    outside as (
      select 'outside'::text as kind, g.community_id, g.id as grid_a, null::uuid as grid_b, g.code as code_a, null::text as code_b,
             ST_CollectionExtract(ST_Difference(g.geom, comm.boundary, ${GRID_SIZE}::float8), 3) as geom
      from g join comm on comm.id = g.community_id
      where not g.inside
    ),
    -- Materialised: otherwise the planner pushes the join with comm into every branch and repeats
    -- the pair search once per community.
    pieces as materialized (
      select x.*, ST_Area(x.geom::geography) as area from (
        select * from overlap union all select * from gap union all select * from outside
      ) x
      where x.geom is not null and not ST_IsEmpty(x.geom)
    )
    select
      (select count(*)::int from comm) as communities,
      (select count(*)::int from g) as grids,
      coalesce((
        select json_agg(json_build_object(
                 'kind', p.kind, 'community_id', p.community_id, 'community_name', comm.name,
                 'grid_a', p.grid_a, 'grid_b', p.grid_b, 'code_a', p.code_a, 'code_b', p.code_b, 'area', p.area,
                 'geometry', ST_AsGeoJSON(ST_Multi(p.geom), 7)::json)
               order by p.kind, comm.name, p.area desc)
        from pieces p join comm on comm.id = p.community_id
        where p.area > ${COVERAGE_TOLERANCE_M2}::float8
      ), '[]'::json) as issues`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error(SILENT_FAILURE);
  const unchecked = await sql<{ id: string; code: string; name: string }>`
    select id, code, name from region where level = 'community' and path like ${prefix} and boundary is null order by code`.execute(db);

  return {
    checkedCommunities: row.communities,
    checkedGrids: row.grids,
    uncheckedCommunities: unchecked.rows,
    issues: (typeof row.issues === 'string' ? (JSON.parse(row.issues) as typeof row.issues) : row.issues).map((r) => ({
      kind: r.kind,
      communityId: r.community_id,
      communityName: r.community_name,
      gridIds: [r.grid_a, r.grid_b].filter((x): x is string => x !== null),
      gridCodes: [r.code_a, r.code_b].filter((x): x is string => x !== null),
      areaM2: Number(r.area),
      geojson: JSON.stringify(r.geometry),
    })),
  };
}
