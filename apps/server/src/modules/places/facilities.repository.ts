import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeLiteral } from '../regions/subtree.js';
import type { GridFilter } from '../registry-common/record-scope.js';
import { freshnessColumns, gridCondition, type LocatedRow, locatedColumns, locatedJoins, pointSql, verifiedJoin } from './common.js';

export interface FacilityRow extends LocatedRow {
  id: string;
  kind: 'fire_hydrant' | 'extinguisher' | 'manhole' | 'street_light' | 'elevator' | 'camera' | 'fitness' | 'road' | 'other';
  name: string;
  code: string | null;
  state: 'intact' | 'damaged' | 'lost' | 'occupied';
  address: string | null;
  owner: string | null;
  note: string | null;
}
export interface FacilityValues {
  kind: FacilityRow['kind'];
  name: string;
  code: string | null;
  state: FacilityRow['state'];
  address: string | null;
  owner: string | null;
  note: string | null;
  gridId: string;
  point: [number, number] | null;
}

export interface KeyPlaceRow extends LocatedRow {
  id: string;
  kind: 'fire_hazard' | 'conflict_area' | 'crowded' | 'hazardous_chemicals' | 'construction' | 'waters' | 'other';
  name: string;
  warning_level: 'blue' | 'yellow' | 'orange' | 'red';
  address: string | null;
  description: string | null;
  responsible: string | null;
  organisation_id: string | null;
}
export interface KeyPlaceValues {
  kind: KeyPlaceRow['kind'];
  name: string;
  warningLevel: KeyPlaceRow['warning_level'];
  address: string | null;
  description: string | null;
  responsible: string | null;
  organisationId: string | null;
  gridId: string;
  point: [number, number] | null;
}

const facilitySelect = (
  days: number,
) => sql`SELECT x.id, x.kind, x.name, x.code, x.state, x.address, x.owner, x.note, ${locatedColumns}, ${freshnessColumns(days)}
  FROM facility x ${locatedJoins} ${verifiedJoin}`;
const keyPlaceSelect = (days: number) => sql`SELECT x.id, x.kind, x.name, x.warning_level, x.address, x.description, x.responsible, x.organisation_id,
    ${locatedColumns}, ${freshnessColumns(days)}
  FROM key_place x ${locatedJoins} ${verifiedJoin}`;

const nameOrAddress = (q: string | undefined) => (q ? sql`AND (x.name ILIKE ${`%${likeLiteral(q)}%`} OR x.address ILIKE ${`%${likeLiteral(q)}%`})` : sql``);

export function createFacilitiesRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async facility(id: string, days: number, trx: Kysely<DB> = db): Promise<FacilityRow | undefined> {
      const r = await sql<FacilityRow>`${facilitySelect(days)} WHERE x.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async listFacilities(
      f: { filter: GridFilter; q?: string; kind?: string; state?: string; gridId?: string; limit: number; offset: number; days: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: FacilityRow[]; total: number }> {
      const where = sql`WHERE true ${gridCondition(f.filter)} ${f.gridId ? sql`AND x.grid_id = ${f.gridId}` : sql``} ${nameOrAddress(f.q)}
        ${f.kind ? sql`AND x.kind = ${f.kind}` : sql``} ${f.state ? sql`AND x.state = ${f.state}` : sql``}`;
      const rows =
        await sql<FacilityRow>`${facilitySelect(f.days)} ${where} ORDER BY x.kind, x.code NULLS LAST, x.name, x.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(
          trx,
        );
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM facility x ${where}`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async facilityIdByCode(code: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const r = await trx.selectFrom('facility').select('id').where('code', '=', code).executeTakeFirst();
      return r?.id;
    },

    async insertFacility(v: FacilityValues, createdBy: string, trx: Kysely<DB>): Promise<string> {
      const r = await sql<{ id: string }>`INSERT INTO facility (kind, name, code, state, address, owner, note, grid_id, geom, created_by)
        VALUES (${v.kind}, ${v.name}, ${v.code}, ${v.state}, ${v.address}, ${v.owner}, ${v.note}, ${v.gridId}, ${pointSql(v.point)}, ${createdBy})
        RETURNING id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    async updateFacility(id: string, v: FacilityValues, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE facility SET kind = ${v.kind}, name = ${v.name}, code = ${v.code}, state = ${v.state}, address = ${v.address}, owner = ${v.owner},
          note = ${v.note}, grid_id = ${v.gridId}, geom = ${pointSql(v.point)}, updated_at = now()
        WHERE id = ${id}`.execute(trx);
    },

    async verifyFacility(id: string, userId: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('facility').set({ verified_at: sql`now()`, verified_by: userId }).where('id', '=', id).execute();
    },

    async keyPlace(id: string, days: number, trx: Kysely<DB> = db): Promise<KeyPlaceRow | undefined> {
      const r = await sql<KeyPlaceRow>`${keyPlaceSelect(days)} WHERE x.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async listKeyPlaces(
      f: { filter: GridFilter; q?: string; kind?: string; warningLevel?: string; gridId?: string; limit: number; offset: number; days: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: KeyPlaceRow[]; total: number }> {
      const where = sql`WHERE true ${gridCondition(f.filter)} ${f.gridId ? sql`AND x.grid_id = ${f.gridId}` : sql``} ${nameOrAddress(f.q)}
        ${f.kind ? sql`AND x.kind = ${f.kind}` : sql``} ${f.warningLevel ? sql`AND x.warning_level = ${f.warningLevel}` : sql``}`;
      const rows = await sql<KeyPlaceRow>`${keyPlaceSelect(f.days)} ${where}
        ORDER BY CASE x.warning_level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END, x.name, x.id
        LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM key_place x ${where}`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async organisationPlace(
      id: string,
      trx: Kysely<DB> = db,
    ): Promise<{ grid_id: string; lng: number | null; lat: number | null; address: string | null } | undefined> {
      const r = await sql<{ grid_id: string; lng: number | null; lat: number | null; address: string | null }>`
        SELECT grid_id, ST_X(geom) AS lng, ST_Y(geom) AS lat, address FROM organisation WHERE id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async insertKeyPlace(v: KeyPlaceValues, createdBy: string, trx: Kysely<DB>): Promise<string> {
      const r = await sql<{
        id: string;
      }>`INSERT INTO key_place (kind, name, warning_level, address, description, responsible, organisation_id, grid_id, geom, created_by)
        VALUES (${v.kind}, ${v.name}, ${v.warningLevel}, ${v.address}, ${v.description}, ${v.responsible}, ${v.organisationId}, ${v.gridId},
          ${pointSql(v.point)}, ${createdBy})
        RETURNING id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    async updateKeyPlace(id: string, v: KeyPlaceValues, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE key_place SET kind = ${v.kind}, name = ${v.name}, warning_level = ${v.warningLevel}, address = ${v.address},
          description = ${v.description}, responsible = ${v.responsible}, organisation_id = ${v.organisationId}, grid_id = ${v.gridId},
          geom = ${pointSql(v.point)}, updated_at = now()
        WHERE id = ${id}`.execute(trx);
    },

    async verifyKeyPlace(id: string, userId: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('key_place').set({ verified_at: sql`now()`, verified_by: userId }).where('id', '=', id).execute();
    },
  };
}
export type FacilitiesRepository = ReturnType<typeof createFacilitiesRepository>;
