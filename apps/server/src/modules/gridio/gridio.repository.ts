import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createAdjustmentsRepository } from '../adjustments/adjustments.repository.js';
import { likeLiteral } from '../regions/subtree.js';

export interface ExistingGridRow {
  id: string;
  code: string;
  name: string;
  community_id: string;
  level: string;
  grid_type: '01' | '02' | '03';
  valid_to: string | null;
}

export interface ExportRow {
  code: string;
  name: string;
  grid_type: '01' | '02' | '03';
  dedicated_kind: string | null;
  community: string;
  community_code: string;
  street: string | null;
  valid_from: string;
  geometry: unknown;
  staff: unknown;
}

export interface RegionRow {
  id: string;
  path: string;
  level: string;
  code: string;
  name: string;
  kind: 'urban' | 'rural' | null;
  has_boundary: boolean;
}

/**
 * SQL of grid import and export. The spatial checks and grid/boundary writes are the ones the
 * adjustment workflow uses (one implementation of "valid, inside, not overlapping").
 */
export function createGridioRepository(db: Kysely<DB>) {
  const shared = createAdjustmentsRepository(db);
  return {
    transaction: shared.transaction,
    region: (id: string, trx: Kysely<DB> = db) => shared.community(id, trx) as Promise<RegionRow | undefined>,
    lockCommunity: shared.lockCommunity,
    checkGeometries: shared.checkGeometries,
    mutualOverlaps: shared.mutualOverlaps,
    outsideCommunity: shared.outsideCommunity,
    overlapsWithCurrentGrids: shared.overlapsWithCurrentGrids,
    codeTemplate: shared.codeTemplate,
    usedSeqsAndCodes: shared.usedSeqsAndCodes,
    insertGrid: shared.insertGrid,
    insertBoundary: shared.insertBoundary,
    bumpIndexVersion: shared.bumpIndexVersion,

    async gridsByCodes(codes: readonly string[], trx: Kysely<DB> = db): Promise<ExistingGridRow[]> {
      if (codes.length === 0) return [];
      const r = await sql<ExistingGridRow>`SELECT id, code, name, community_id, level, grid_type, valid_to FROM grid
        WHERE code = ANY(${sql.val([...codes])}::text[])`.execute(trx);
      return r.rows;
    },

    async updateGrid(id: string, p: { name: string; dedicatedKind: string | null }, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE grid SET name = ${p.name}, dedicated_kind = ${p.dedicatedKind}, updated_at = now() WHERE id = ${id}`.execute(trx);
    },

    /**
     * A new boundary version from `day`: the current one ends that day. A version that itself began
     * that day is replaced in place (a version must last at least a day).
     */
    async replaceBoundary(gridId: string, geojson: string, day: string, createdBy: string, trx: Kysely<DB>): Promise<void> {
      const geom = sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`;
      const same = await sql`UPDATE grid_boundary SET geom = ${geom}, created_by = ${createdBy}
        WHERE grid_id = ${gridId} AND valid_to IS NULL AND valid_from >= ${day}::date`.execute(trx);
      if (Number(same.numAffectedRows ?? 0) > 0) return;
      await sql`UPDATE grid_boundary SET valid_to = ${day}::date WHERE grid_id = ${gridId} AND valid_to IS NULL`.execute(trx);
      await sql`INSERT INTO grid_boundary (grid_id, geom, valid_from, created_by) VALUES (${gridId}, ${geom}, ${day}::date, ${createdBy})`.execute(trx);
    },

    /** Top-level grids in a region subtree with the boundary valid on `on`, and their staff; by code. */
    async exportRows(regionPath: string, on: string): Promise<ExportRow[]> {
      const r = await sql<ExportRow>`SELECT g.code, g.name, g.grid_type, g.dedicated_kind, c.name AS community, c.code AS community_code,
          s.name AS street, b.valid_from, ST_AsGeoJSON(b.geom, 7)::json AS geometry,
          coalesce((SELECT json_agg(json_build_object('name', u.display_name, 'duty', gs.duty) ORDER BY gs.duty, u.display_name)
                    FROM grid_staff gs JOIN app_user u ON u.id = gs.user_id
                    WHERE gs.grid_id = g.id AND gs.since <= ${on}::date), '[]'::json) AS staff
        FROM grid g
        JOIN region c ON c.id = g.community_id
        LEFT JOIN region s ON s.id = c.parent_id
        JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_from <= ${on}::date AND (b.valid_to IS NULL OR b.valid_to > ${on}::date)
        WHERE c.path LIKE ${`${likeLiteral(regionPath)}%`} AND g.level = 'grid'
          AND (g.valid_to IS NULL OR g.valid_to > ${on}::date)
        ORDER BY g.code`.execute(db);
      return r.rows;
    },
  };
}
export type GridioRepository = ReturnType<typeof createGridioRepository>;
