import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { GridFilter } from '../registry-common/record-scope.js';
import { containsText, freshnessColumns, gridCondition, type LocatedRow, locatedColumns, locatedJoins, pointSql, verifiedJoin } from './common.js';

export interface BuildingRow extends LocatedRow {
  id: string;
  name: string;
  road: string | null;
  number: string | null;
  address: string;
  floors: number | null;
  units: number | null;
  houses: number;
  occupants: number;
}

export interface HouseRow extends LocatedRow {
  id: string;
  building_id: string | null;
  building_name: string | null;
  address: string;
  unit: string | null;
  floor: number | null;
  room: string | null;
  use: 'residential' | 'rental' | 'commercial' | 'mixed' | 'vacant' | 'other';
  area_m2: string | number | null;
  note: string | null;
  occupant_count: number;
}

export interface OccupantRow {
  person_id: string;
  name: string;
  relation: 'owner' | 'tenant' | 'resident';
  since: Date | string | null;
  until: Date | string | null;
  population_type: 'registered' | 'floating' | 'overseas';
}

export interface BuildingValues {
  gridId: string;
  name: string;
  road: string | null;
  number: string | null;
  address: string;
  addressKey: string;
  floors: number | null;
  units: number | null;
  point: [number, number] | null;
}

export interface HouseValues {
  buildingId: string | null;
  gridId: string;
  address: string;
  addressKey: string;
  unit: string | null;
  floor: number | null;
  room: string | null;
  use: HouseRow['use'];
  areaM2: number | null;
  note: string | null;
  point: [number, number] | null;
}

/** Current occupants: residence rows not ended (an end date in the future still counts). */
const currentResidence = sql`(res.until IS NULL OR res.until >= CURRENT_DATE)`;

const buildingSelect = sql`SELECT x.id, x.name, x.road, x.number, x.address, x.floors, x.units, ${locatedColumns},
    (SELECT count(*)::int FROM house h WHERE h.building_id = x.id) AS houses,
    (SELECT count(DISTINCT res.person_id)::int FROM residence res JOIN house h ON h.id = res.house_id
      WHERE h.building_id = x.id AND ${currentResidence}) AS occupants
  FROM building x ${locatedJoins}`;

const houseSelect = (days: number) => sql`SELECT x.id, x.building_id, b.name AS building_name, x.address, x.unit, x.floor, x.room, x.use,
    x.area_m2, x.note, ${locatedColumns}, ${freshnessColumns(days)},
    (SELECT count(DISTINCT res.person_id)::int FROM residence res WHERE res.house_id = x.id AND ${currentResidence}) AS occupant_count
  FROM house x ${locatedJoins} ${verifiedJoin} LEFT JOIN building b ON b.id = x.building_id`;

export function createHousesRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async building(id: string, trx: Kysely<DB> = db): Promise<BuildingRow | undefined> {
      const r = await sql<BuildingRow>`${buildingSelect} WHERE x.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async listBuildings(
      f: { filter: GridFilter; q?: string; gridId?: string; limit: number; offset: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: BuildingRow[]; total: number }> {
      const where = sql`WHERE true ${gridCondition(f.filter)} ${f.gridId ? sql`AND x.grid_id = ${f.gridId}` : sql``} ${containsText('x.address', f.q)}`;
      const rows = await sql<BuildingRow>`${buildingSelect} ${where} ORDER BY x.address, x.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM building x ${where}`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async buildingIdByKey(key: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const r = await trx.selectFrom('building').select('id').where('address_key', '=', key).executeTakeFirst();
      return r?.id;
    },

    async insertBuilding(v: BuildingValues, createdBy: string | null, trx: Kysely<DB>): Promise<string> {
      const r = await sql<{ id: string }>`INSERT INTO building (grid_id, name, road, number, address, address_key, floors, units, geom, created_by)
        VALUES (${v.gridId}, ${v.name}, ${v.road}, ${v.number}, ${v.address}, ${v.addressKey}, ${v.floors}, ${v.units}, ${pointSql(v.point)}, ${createdBy})
        RETURNING id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    async updateBuilding(id: string, v: BuildingValues, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE building SET grid_id = ${v.gridId}, name = ${v.name}, road = ${v.road}, number = ${v.number}, address = ${v.address},
        address_key = ${v.addressKey}, floors = ${v.floors}, units = ${v.units}, geom = ${pointSql(v.point)}, updated_at = now()
        WHERE id = ${id}`.execute(trx);
    },

    async housesOfBuilding(buildingId: string, trx: Kysely<DB>) {
      return trx.selectFrom('house').select(['id', 'unit', 'room']).where('building_id', '=', buildingId).execute();
    },

    async setHouseAddress(id: string, address: string, addressKey: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('house').set({ address, address_key: addressKey, updated_at: sql`now()` }).where('id', '=', id).execute();
    },

    async house(id: string, days: number, trx: Kysely<DB> = db): Promise<HouseRow | undefined> {
      const r = await sql<HouseRow>`${houseSelect(days)} WHERE x.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async listHouses(
      f: { filter: GridFilter; q?: string; gridId?: string; buildingId?: string; use?: string; limit: number; offset: number; days: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: HouseRow[]; total: number }> {
      const where = sql`WHERE true ${gridCondition(f.filter)} ${f.gridId ? sql`AND x.grid_id = ${f.gridId}` : sql``}
        ${f.buildingId ? sql`AND x.building_id = ${f.buildingId}` : sql``} ${f.use ? sql`AND x.use = ${f.use}` : sql``} ${containsText('x.address', f.q)}`;
      const rows = await sql<HouseRow>`${houseSelect(f.days)} ${where} ORDER BY x.address, x.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM house x ${where}`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async houseIdByKey(key: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const r = await trx.selectFrom('house').select('id').where('address_key', '=', key).executeTakeFirst();
      return r?.id;
    },

    async insertHouse(v: HouseValues, createdBy: string | null, trx: Kysely<DB>): Promise<string> {
      const r = await sql<{
        id: string;
      }>`INSERT INTO house (building_id, grid_id, address, address_key, unit, floor, room, use, area_m2, note, geom, created_by)
        VALUES (${v.buildingId}, ${v.gridId}, ${v.address}, ${v.addressKey}, ${v.unit}, ${v.floor}, ${v.room}, ${v.use}, ${v.areaM2}, ${v.note},
                ${pointSql(v.point)}, ${createdBy})
        RETURNING id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    async updateHouse(id: string, v: HouseValues, trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE house SET grid_id = ${v.gridId}, address = ${v.address}, address_key = ${v.addressKey}, unit = ${v.unit}, floor = ${v.floor},
          room = ${v.room}, use = ${v.use}, area_m2 = ${v.areaM2}, note = ${v.note}, geom = ${pointSql(v.point)}, updated_at = now()
        WHERE id = ${id}`.execute(trx);
    },

    async verifyHouse(id: string, userId: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('house').set({ verified_at: sql`now()`, verified_by: userId }).where('id', '=', id).execute();
    },

    async occupants(houseId: string, trx: Kysely<DB> = db): Promise<OccupantRow[]> {
      const r = await sql<OccupantRow>`SELECT res.person_id, p.name, res.relation, res.since, res.until, p.population_type
        FROM residence res JOIN person p ON p.id = res.person_id
        WHERE res.house_id = ${houseId} AND ${currentResidence} AND p.status <> 'merged'
        ORDER BY CASE res.relation WHEN 'owner' THEN 0 WHEN 'tenant' THEN 1 ELSE 2 END, res.since NULLS FIRST, p.name, res.id`.execute(trx);
      return r.rows;
    },

    /** One cell per house of the building with its use and current occupant count. */
    async layout(buildingId: string, trx: Kysely<DB> = db) {
      const r = await sql<{ id: string; unit: string | null; floor: number | null; room: string | null; use: HouseRow['use']; occupants: number }>`
        SELECT x.id, x.unit, x.floor, x.room, x.use,
          (SELECT count(DISTINCT res.person_id)::int FROM residence res WHERE res.house_id = x.id AND ${currentResidence}) AS occupants
        FROM house x WHERE x.building_id = ${buildingId}
        ORDER BY x.unit NULLS FIRST, x.floor DESC NULLS LAST, x.room, x.id`.execute(trx);
      return r.rows;
    },
  };
}
export type HousesRepository = ReturnType<typeof createHousesRepository>;
