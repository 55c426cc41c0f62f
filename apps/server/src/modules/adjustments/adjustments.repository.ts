import { type Kysely, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import type { MultiPolygonJson } from '../grids/geometry.js';
import { EDGE_TOLERANCE_M, GRID_SIZE, SILENT_FAILURE } from '../grids/geometry.repository.js';
import { inSubtrees } from '../regions/subtree.js';
import { type LocatedRecordType, pointExpression } from './reattribution.registry.js';

/**
 * Areas below this (m²) are rounding, not overlap or gap. Overlay operations use the grids module's
 * precision grid (GRID_SIZE) and one-row queries, because PGlite can drop a failed overlay silently.
 */
export const AREA_TOLERANCE_M2 = 1;

export type AdjustmentStatus = DB['grid_adjustment']['status'];
export type AdjustmentKind = DB['grid_adjustment']['kind'];

export interface StoredProposal {
  gridId: string | null;
  name: string;
  gridType: '01' | '02' | '03';
  dedicatedKind: string | null;
  geometry: MultiPolygonJson;
}

export interface AdjustmentRow {
  id: string;
  community_id: string;
  community_name: string;
  community_code: string;
  community_path: string;
  kind: AdjustmentKind;
  status: AdjustmentStatus;
  reason: string;
  source_grid_ids: string[];
  proposal: StoredProposal[];
  notice_days: number;
  notice_from: string | null;
  effective_date: string | null;
  trigger: Record<string, unknown> | null;
  review_note: string | null;
  report: Record<string, unknown> | null;
  created_by: string | null;
  created_by_name: string | null;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CommunityRow {
  id: string;
  path: string;
  level: string;
  code: string;
  name: string;
  kind: 'urban' | 'rural' | null;
  has_boundary: boolean;
}

export interface SourceGridRow {
  id: string;
  code: string;
  name: string;
  community_id: string;
  level: string;
  grid_type: '01' | '02' | '03';
  area_code: string;
  valid_from: string;
  valid_to: string | null;
  /** valid_from of the current boundary row; null when the grid has none. */
  boundary_from: string | null;
}

export interface GeometryFinding {
  idx: number;
  valid: boolean;
  reason: string;
  area_m2: number;
}

export interface ReattributionMove {
  id: string;
  from_grid: string;
  to_grid: string;
}

/** A json_agg list from a query that must return exactly one row (see SILENT_FAILURE). */
function oneList<T extends { area_m2: number }>(rows: { list: unknown }[]): T[] {
  const row = rows[0];
  if (!row) throw new Error(SILENT_FAILURE);
  const list = fromJson<T[]>(row.list);
  return list.map((x) => ({ ...x, area_m2: Number(x.area_m2) }));
}

const gj = (geojson: string) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`;
const geomsCte = (geoms: readonly string[]) =>
  sql`p AS (SELECT (t.ord - 1)::int AS idx, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)) AS geom
            FROM unnest(${sql.val([...geoms])}::text[]) WITH ORDINALITY AS t(g, ord))`;

const SELECT_ADJUSTMENT = sql<AdjustmentRow>`SELECT a.id, a.community_id, c.name AS community_name, c.code AS community_code, c.path AS community_path,
        a.kind, a.status, a.reason, a.source_grid_ids, a.proposal, a.notice_days, a.notice_from, a.effective_date,
        a.trigger, a.review_note, a.report, a.created_by, cu.display_name AS created_by_name,
        a.reviewed_by, ru.display_name AS reviewed_by_name, a.created_at, a.updated_at
      FROM grid_adjustment a
      JOIN region c ON c.id = a.community_id
      LEFT JOIN app_user cu ON cu.id = a.created_by
      LEFT JOIN app_user ru ON ru.id = a.reviewed_by`;

/** All SQL of grid adjustments and of their taking effect. Writes take an optional transaction. */
export function createAdjustmentsRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async community(id: string, trx: Kysely<DB> = db): Promise<CommunityRow | undefined> {
      const r = await sql<CommunityRow>`SELECT id, path, level, code, name, kind, boundary IS NOT NULL AS has_boundary
        FROM region WHERE id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async region(id: string, trx: Kysely<DB> = db): Promise<CommunityRow | undefined> {
      return this.community(id, trx);
    },

    /** Serialises the taking effect of adjustments within one community (grid sequence numbers). */
    async lockCommunity(id: string, trx: Kysely<DB>): Promise<void> {
      await sql`SELECT id FROM region WHERE id = ${id} FOR NO KEY UPDATE`.execute(trx);
    },

    async sourceGrids(ids: readonly string[], trx: Kysely<DB> = db): Promise<SourceGridRow[]> {
      if (ids.length === 0) return [];
      const r = await sql<SourceGridRow>`SELECT g.id, g.code, g.name, g.community_id, g.level, g.grid_type, g.area_code,
          g.valid_from, g.valid_to, b.valid_from AS boundary_from
        FROM grid g
        LEFT JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
        WHERE g.id = ANY(${sql.val([...ids])}::uuid[])`.execute(trx);
      return r.rows;
    },

    async gridRefs(ids: readonly string[], trx: Kysely<DB> = db): Promise<{ id: string; code: string; name: string }[]> {
      if (ids.length === 0) return [];
      const r = await sql<{ id: string; code: string; name: string }>`SELECT id, code, name FROM grid
        WHERE id = ANY(${sql.val([...ids])}::uuid[]) ORDER BY code`.execute(trx);
      return r.rows;
    },

    /** PostGIS validity and geodesic area of each geometry (GeoJSON text, WGS84). */
    async checkGeometries(geoms: readonly string[], trx: Kysely<DB> = db): Promise<GeometryFinding[]> {
      if (geoms.length === 0) return [];
      const r = await sql<GeometryFinding>`WITH ${geomsCte(geoms)}
        SELECT idx, ST_IsValid(geom) AS valid, ST_IsValidReason(geom) AS reason,
               CASE WHEN ST_IsValid(geom) THEN ST_Area(geom::geography) ELSE 0 END AS area_m2
        FROM p ORDER BY idx`.execute(trx);
      if (r.rows.length !== geoms.length) throw new Error(SILENT_FAILURE);
      return r.rows.map((x) => ({ ...x, area_m2: Number(x.area_m2) }));
    },

    /** Pairs of geometries that share more than the tolerance, with the shared area. */
    async mutualOverlaps(geoms: readonly string[], trx: Kysely<DB> = db): Promise<{ a: number; b: number; area_m2: number }[]> {
      if (geoms.length < 2) return [];
      const r = await sql<{ list: unknown }>`WITH ${geomsCte(geoms)},
        pairs AS (SELECT x.idx AS a, y.idx AS b, ST_Area(ST_Intersection(x.geom, y.geom, ${GRID_SIZE}::float8)::geography) AS area_m2
                  FROM p x JOIN p y ON x.idx < y.idx AND x.geom && y.geom AND ST_Intersects(x.geom, y.geom))
        SELECT coalesce((SELECT json_agg(json_build_object('a', a, 'b', b, 'area_m2', area_m2) ORDER BY a, b)
                         FROM pairs WHERE area_m2 > ${AREA_TOLERANCE_M2}::float8), '[]'::json) AS list`.execute(trx);
      return oneList<{ a: number; b: number; area_m2: number }>(r.rows);
    },

    /** Area (m²) of the symmetric difference between the union of `geoms` and the union of the grids' current boundaries. */
    async tilingDifference(geoms: readonly string[], gridIds: readonly string[], trx: Kysely<DB> = db): Promise<number> {
      const r = await sql<{ diff: number | null }>`WITH ${geomsCte(geoms)},
        s AS (SELECT ST_Union(b.geom, ${GRID_SIZE}::float8) AS geom FROM grid_boundary b
              WHERE b.grid_id = ANY(${sql.val([...gridIds])}::uuid[]) AND b.valid_to IS NULL),
        u AS (SELECT ST_Union(geom, ${GRID_SIZE}::float8) AS geom FROM p)
        SELECT ST_Area(ST_SymDifference(u.geom, s.geom, ${GRID_SIZE}::float8)::geography) AS diff FROM u, s`.execute(trx);
      const row = r.rows[0];
      if (!row || row.diff === null) throw new Error(SILENT_FAILURE);
      return Number(row.diff);
    },

    /**
     * Part of each geometry outside the community's boundary (m², above tolerance only); none without a
     * boundary. Within EDGE_TOLERANCE_M of the edge counts as inside (digitising and datum-shift noise).
     */
    async outsideCommunity(geoms: readonly string[], communityId: string, trx: Kysely<DB> = db): Promise<{ idx: number; area_m2: number }[]> {
      if (geoms.length === 0) return [];
      const r = await sql<{ list: unknown }>`WITH ${geomsCte(geoms)},
        c AS (SELECT boundary, ST_Buffer(boundary::geography, ${EDGE_TOLERANCE_M}::float8)::geometry AS grown
              FROM region WHERE id = ${communityId} AND boundary IS NOT NULL),
        d AS (SELECT p.idx, CASE WHEN ST_CoveredBy(p.geom, c.grown) THEN 0
                                 ELSE ST_Area(ST_Difference(p.geom, c.boundary, ${GRID_SIZE}::float8)::geography) END AS area_m2
              FROM p, c)
        SELECT coalesce((SELECT json_agg(json_build_object('idx', idx, 'area_m2', area_m2) ORDER BY idx)
                         FROM d WHERE area_m2 > ${AREA_TOLERANCE_M2}::float8), '[]'::json) AS list`.execute(trx);
      return oneList<{ idx: number; area_m2: number }>(r.rows);
    },

    /** Overlaps (m², above tolerance) with the community's current grids, except `exceptGridIds`. */
    async overlapsWithCurrentGrids(
      geoms: readonly string[],
      communityId: string,
      exceptGridIds: readonly string[],
      trx: Kysely<DB> = db,
    ): Promise<{ idx: number; grid_id: string; code: string; area_m2: number }[]> {
      if (geoms.length === 0) return [];
      const r = await sql<{ list: unknown }>`WITH ${geomsCte(geoms)},
        o AS (SELECT p.idx, g.id AS grid_id, g.code, ST_Area(ST_Intersection(p.geom, b.geom, ${GRID_SIZE}::float8)::geography) AS area_m2
              FROM p
              JOIN grid_boundary b ON b.valid_to IS NULL AND b.geom && p.geom AND ST_Intersects(p.geom, b.geom)
              JOIN grid g ON g.id = b.grid_id AND g.valid_to IS NULL AND g.level = 'grid' AND g.community_id = ${communityId}
              WHERE NOT (g.id = ANY(${sql.val([...exceptGridIds])}::uuid[])))
        SELECT coalesce((SELECT json_agg(json_build_object('idx', idx, 'grid_id', grid_id, 'code', code, 'area_m2', area_m2) ORDER BY idx, code)
                         FROM o WHERE area_m2 > ${AREA_TOLERANCE_M2}::float8), '[]'::json) AS list`.execute(trx);
      return oneList<{ idx: number; grid_id: string; code: string; area_m2: number }>(r.rows);
    },

    async insert(
      a: {
        id: string;
        communityId: string;
        kind: AdjustmentKind;
        status: AdjustmentStatus;
        reason: string;
        sourceGridIds: string[];
        proposal: StoredProposal[];
        noticeDays: number;
        effectiveDate: string | null;
        createdBy: string;
      },
      trx: Kysely<DB> = db,
    ): Promise<void> {
      await trx
        .insertInto('grid_adjustment')
        .values({
          id: a.id,
          community_id: a.communityId,
          kind: a.kind,
          status: a.status,
          reason: a.reason,
          source_grid_ids: sql<string[]>`${sql.val(a.sourceGridIds)}::uuid[]` as unknown as string[],
          proposal: JSON.stringify(a.proposal),
          notice_days: a.noticeDays,
          effective_date: a.effectiveDate,
          created_by: a.createdBy,
        })
        .execute();
    },

    async update(
      id: string,
      p: {
        status?: AdjustmentStatus;
        reason?: string;
        sourceGridIds?: string[];
        proposal?: StoredProposal[];
        noticeDays?: number;
        noticeFrom?: string | null;
        effectiveDate?: string | null;
        reviewNote?: string | null;
        reviewedBy?: string | null;
        report?: Record<string, unknown>;
      },
      trx: Kysely<DB> = db,
    ): Promise<void> {
      await trx
        .updateTable('grid_adjustment')
        .set({
          ...(p.status !== undefined ? { status: p.status } : {}),
          ...(p.reason !== undefined ? { reason: p.reason } : {}),
          ...(p.sourceGridIds !== undefined ? { source_grid_ids: sql<string[]>`${sql.val(p.sourceGridIds)}::uuid[]` as unknown as string[] } : {}),
          ...(p.proposal !== undefined ? { proposal: JSON.stringify(p.proposal) } : {}),
          ...(p.noticeDays !== undefined ? { notice_days: p.noticeDays } : {}),
          ...(p.noticeFrom !== undefined ? { notice_from: p.noticeFrom } : {}),
          ...(p.effectiveDate !== undefined ? { effective_date: p.effectiveDate } : {}),
          ...(p.reviewNote !== undefined ? { review_note: p.reviewNote } : {}),
          ...(p.reviewedBy !== undefined ? { reviewed_by: p.reviewedBy } : {}),
          ...(p.report !== undefined ? { report: JSON.stringify(p.report) } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },

    /** One application; `lock` takes the row lock (inside a transaction) so transitions do not race. */
    async findById(id: string, trx: Kysely<DB> = db, lock = false): Promise<AdjustmentRow | undefined> {
      if (lock) await sql`SELECT id FROM grid_adjustment WHERE id = ${id} FOR UPDATE`.execute(trx);
      const r = await sql<AdjustmentRow>`${SELECT_ADJUSTMENT} WHERE a.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async list(f: { paths: readonly string[]; status?: AdjustmentStatus; limit: number; offset: number }) {
      const where = sql.join([inSubtrees('c.path', f.paths), ...(f.status ? [sql`a.status = ${f.status}`] : [])], sql` AND `);
      const rows = await sql<AdjustmentRow>`${SELECT_ADJUSTMENT} WHERE ${where}
        ORDER BY a.updated_at DESC, a.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grid_adjustment a JOIN region c ON c.id = a.community_id
        WHERE ${where}`.execute(db);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    /** Other applications under public notice that touch any of these grids. */
    async noticeConflicts(adjustmentId: string, gridIds: readonly string[], trx: Kysely<DB> = db): Promise<string[]> {
      if (gridIds.length === 0) return [];
      const r = await sql<{ id: string }>`SELECT id FROM grid_adjustment
        WHERE status = 'notice' AND id <> ${adjustmentId} AND source_grid_ids && ${sql.val([...gridIds])}::uuid[]`.execute(trx);
      return r.rows.map((x) => x.id);
    },

    /**
     * Claims the next application under notice whose date has come, skipping rows another
     * process holds: the row stays locked until the caller's transaction ends.
     */
    async claimDue(today: string, skip: readonly string[], trx: Kysely<DB>): Promise<string | undefined> {
      const r = await sql<{ id: string }>`SELECT id FROM grid_adjustment
        WHERE status = 'notice' AND effective_date <= ${today}::date AND NOT (id = ANY(${sql.val([...skip])}::uuid[]))
        ORDER BY effective_date, created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED`.execute(trx);
      return r.rows[0]?.id;
    },

    async codeTemplate(trx: Kysely<DB> = db): Promise<unknown> {
      const r = await trx.selectFrom('app_setting').select('value').where('key', '=', 'grid.code_template').executeTakeFirst();
      return r?.value;
    },

    /** Sequence numbers and codes already used in the community (retired grids included: codes are never reused). */
    async usedSeqsAndCodes(communityId: string, trx: Kysely<DB> = db): Promise<{ seqs: Set<number>; codes: Set<string> }> {
      const r = await sql<{ seq: number; code: string }>`SELECT seq, code FROM grid WHERE community_id = ${communityId}`.execute(trx);
      return { seqs: new Set(r.rows.map((x) => x.seq)), codes: new Set(r.rows.map((x) => x.code)) };
    },

    async codeTaken(code: string, trx: Kysely<DB> = db): Promise<boolean> {
      const r = await sql<{ id: string }>`SELECT id FROM grid WHERE code = ${code}`.execute(trx);
      return r.rows.length > 0;
    },

    /** Ends the current boundary of each grid on `date` (the new version starts that day). */
    async closeBoundaries(gridIds: readonly string[], date: string, trx: Kysely<DB>): Promise<number> {
      if (gridIds.length === 0) return 0;
      const r = await sql`UPDATE grid_boundary SET valid_to = ${date}::date
        WHERE grid_id = ANY(${sql.val([...gridIds])}::uuid[]) AND valid_to IS NULL`.execute(trx);
      return Number(r.numAffectedRows ?? 0);
    },

    async retireGrids(gridIds: readonly string[], date: string, trx: Kysely<DB>): Promise<void> {
      if (gridIds.length === 0) return;
      await sql`UPDATE grid SET valid_to = ${date}::date, updated_at = now()
        WHERE id = ANY(${sql.val([...gridIds])}::uuid[]) AND valid_to IS NULL`.execute(trx);
    },

    async renameGrid(gridId: string, name: string, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE grid SET name = ${name}, updated_at = now() WHERE id = ${gridId} AND name <> ${name}`.execute(trx);
    },

    async insertGrid(
      g: {
        communityId: string;
        code: string;
        name: string;
        gridType: '01' | '02' | '03';
        dedicatedKind: string | null;
        areaCode: string;
        seq: number;
        validFrom: string;
      },
      trx: Kysely<DB>,
    ): Promise<string> {
      const r = await trx
        .insertInto('grid')
        .values({
          community_id: g.communityId,
          code: g.code,
          name: g.name,
          grid_type: g.gridType,
          dedicated_kind: g.dedicatedKind,
          area_code: g.areaCode,
          seq: g.seq,
          valid_from: g.validFrom,
          criteria: JSON.stringify({}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    async insertBoundary(
      b: { gridId: string; geojson: string; validFrom: string; adjustmentId: string | null; createdBy: string | null },
      trx: Kysely<DB>,
    ): Promise<void> {
      await sql`INSERT INTO grid_boundary (grid_id, geom, valid_from, adjustment_id, created_by)
        VALUES (${b.gridId}, ${gj(b.geojson)}, ${b.validFrom}::date, ${b.adjustmentId}, ${b.createdBy})`.execute(trx);
    },

    /** Every process reloads its in-memory grid index when this number changes. */
    async bumpIndexVersion(trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE grid_index_version SET version = version + 1 WHERE id = 1`.execute(trx);
    },

    /**
     * Moves the records of one located type that lie in a source grid to the new grid whose new
     * boundary (inserted by this adjustment) covers their point — one set-based UPDATE. A point on
     * a shared edge goes to the grid with the lowest code, so the result does not depend on plan order.
     */
    async reattribute(t: LocatedRecordType, adjustmentId: string, sourceGridIds: readonly string[], trx: Kysely<DB>): Promise<ReattributionMove[]> {
      if (sourceGridIds.length === 0) return [];
      const table = sql.table(t.table);
      const id = sql.ref(`r.${t.idColumn}`);
      const grid = sql.ref(`r.${t.gridColumn}`);
      const open = t.openOnly ? sql`AND (${sql.raw(t.openOnly)})` : sql``;
      const r = await sql<ReattributionMove>`WITH moves AS (
          SELECT DISTINCT ON (${id}) ${id} AS record_id, ${grid} AS from_grid, nb.grid_id AS to_grid
          FROM ${table} AS r
          JOIN grid_boundary nb ON nb.adjustment_id = ${adjustmentId} AND nb.valid_to IS NULL
          JOIN grid ng ON ng.id = nb.grid_id
          WHERE ${grid} = ANY(${sql.val([...sourceGridIds])}::uuid[])
            ${open}
            AND ST_Covers(nb.geom, ${sql.raw(pointExpression(t))})
          ORDER BY ${id}, ng.code
        )
        UPDATE ${table} AS r SET ${sql.ref(t.gridColumn)} = moves.to_grid
        FROM moves
        WHERE ${id} = moves.record_id AND moves.to_grid <> moves.from_grid
        RETURNING ${id}::text AS id, moves.from_grid::text AS from_grid, moves.to_grid::text AS to_grid`.execute(trx);
      return r.rows;
    },

    /**
     * Records of a type left on a retired grid by the move by point (no point, or a point in no new grid):
     * when the retired grid's whole former area lies in ONE new grid (a merge, or a redraw that only grew
     * it), that grid is its heir and they move there. Others stay and are reported as not placed.
     */
    async reattributeToHeir(t: LocatedRecordType, adjustmentId: string, sourceGridIds: readonly string[], trx: Kysely<DB>): Promise<ReattributionMove[]> {
      if (sourceGridIds.length === 0) return [];
      const table = sql.table(t.table);
      const id = sql.ref(`r.${t.idColumn}`);
      const grid = sql.ref(`r.${t.gridColumn}`);
      const open = t.openOnly ? sql`AND (${sql.raw(t.openOnly)})` : sql``;
      const r = await sql<ReattributionMove>`WITH old AS (
          SELECT DISTINCT ON (ob.grid_id) ob.grid_id, ob.geom FROM grid_boundary ob JOIN grid og ON og.id = ob.grid_id
          WHERE ob.grid_id = ANY(${sql.val([...sourceGridIds])}::uuid[]) AND og.valid_to IS NOT NULL AND ob.valid_to IS NOT NULL
          ORDER BY ob.grid_id, ob.valid_to DESC, ob.id DESC
        ), heir AS (
          SELECT DISTINCT ON (old.grid_id) old.grid_id AS from_grid, nb.grid_id AS to_grid
          FROM old JOIN grid_boundary nb ON nb.adjustment_id = ${adjustmentId} AND nb.valid_to IS NULL
          WHERE ST_Area(ST_Intersection(old.geom, nb.geom, 1e-9)) >= 0.999 * ST_Area(old.geom)
          ORDER BY old.grid_id, nb.grid_id
        ), moves AS (
          SELECT ${id} AS record_id, heir.from_grid, heir.to_grid FROM ${table} AS r JOIN heir ON ${grid} = heir.from_grid
          WHERE true ${open}
        )
        UPDATE ${table} AS r SET ${sql.ref(t.gridColumn)} = moves.to_grid
        FROM moves
        WHERE ${id} = moves.record_id
        RETURNING ${id}::text AS id, moves.from_grid::text AS from_grid, moves.to_grid::text AS to_grid`.execute(trx);
      return r.rows;
    },

    /** Ids of the records of a type still on `gridIds` (the retired grids), at most `cap`, for the report. */
    async idsInGrids(t: LocatedRecordType, gridIds: readonly string[], cap: number, trx: Kysely<DB>): Promise<string[]> {
      if (gridIds.length === 0) return [];
      const open = t.openOnly ? sql`AND (${sql.raw(t.openOnly)})` : sql``;
      const id = sql.ref(`r.${t.idColumn}`);
      const r = await sql<{ id: string }>`SELECT ${id}::text AS id FROM ${sql.table(t.table)} AS r
        WHERE ${sql.ref(`r.${t.gridColumn}`)} = ANY(${sql.val([...gridIds])}::uuid[]) ${open} ORDER BY 1 LIMIT ${cap}`.execute(trx);
      return r.rows.map((x) => x.id);
    },

    /** Records of a type still attributed to retired grids after the move (no location, or outside every new grid). */
    async countInGrids(t: LocatedRecordType, gridIds: readonly string[], trx: Kysely<DB>): Promise<number> {
      if (gridIds.length === 0) return 0;
      const open = t.openOnly ? sql`AND (${sql.raw(t.openOnly)})` : sql``;
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t.table)} AS r
        WHERE ${sql.ref(`r.${t.gridColumn}`)} = ANY(${sql.val([...gridIds])}::uuid[]) ${open}`.execute(trx);
      return r.rows[0]?.n ?? 0;
    },
  };
}
export type AdjustmentsRepository = ReturnType<typeof createAdjustmentsRepository>;
