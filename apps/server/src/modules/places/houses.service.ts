import type {
  Building,
  BuildingInput,
  BuildingLayout,
  BuildingPatch,
  BuildingQuery,
  HouseDetail,
  HouseInput,
  HousePatch,
  HouseQuery,
  House as HouseShape,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { recordChange } from '../registry-common/change-log.js';
import type { RegistryContext } from '../registry-common/context.js';
import { resolvePlacement } from '../registry-common/placement.js';
import type { GridPlace } from '../registry-common/record-scope.repository.js';
import {
  addressKey,
  auditRecord,
  changedFields,
  checkListTargets,
  freshnessDays,
  freshnessOf,
  gridRefOf,
  iso,
  isUniqueViolation,
  num,
  withSuffix,
} from './common.js';
import type { BuildingRow, BuildingValues, HouseRow, HousesRepository, HouseValues } from './houses.repository.js';

type In<T extends z.ZodType> = z.infer<T>;

export const composeBuildingAddress = (communityName: string, b: { road?: string | null; number?: string | null; name: string }) =>
  `${communityName}${b.road?.trim() ?? ''}${withSuffix(b.number, '号')}${b.name.trim()}`;

/** Standard address of a house: its building's address (or its own, under the community's name) + unit + room. */
export function composeHouseAddress(
  base: { buildingAddress?: string; communityName: string; address?: string | null },
  unit?: string | null,
  room?: string | null,
) {
  let head = base.buildingAddress;
  if (head === undefined) {
    const own = base.address?.trim() ?? '';
    head = own.startsWith(base.communityName) ? own : `${base.communityName}${own}`;
  }
  return `${head}${withSuffix(unit, '单元')}${withSuffix(room, '室')}`;
}

const point = (r: { lng: number | null; lat: number | null }): [number, number] | null => (r.lng === null || r.lat === null ? null : [r.lng, r.lat]);

const toBuilding = (r: BuildingRow): Building => ({
  id: r.id,
  name: r.name,
  road: r.road,
  number: r.number,
  address: r.address,
  floors: r.floors,
  units: r.units,
  lng: num(r.lng),
  lat: num(r.lat),
  houses: r.houses,
  occupants: r.occupants,
  ...gridRefOf(r),
});

const toHouse = (r: HouseRow): HouseShape => ({
  id: r.id,
  buildingId: r.building_id,
  buildingName: r.building_name,
  address: r.address,
  unit: r.unit,
  floor: r.floor,
  room: r.room,
  use: r.use,
  areaM2: num(r.area_m2),
  note: r.note,
  lng: num(r.lng),
  lat: num(r.lat),
  occupantCount: r.occupant_count,
  ...gridRefOf(r),
  ...freshnessOf(r),
});

const duplicateHouse = (id: string, path: string, address: string) =>
  new AppError('HOUSE_DUPLICATE', {
    fields: [{ path, code: 'duplicate', message: `标准地址“${address}”已登记 / the address is already registered` }],
    details: { houseId: id },
  });
const duplicateBuilding = (id: string, address: string) =>
  new AppError('BUILDING_DUPLICATE', {
    fields: [{ path: 'name', code: 'duplicate', message: `标准地址“${address}”的楼栋已登记 / the building is already registered` }],
    details: { buildingId: id },
  });

export function createHousesService(deps: { repo: HousesRepository; ctx: RegistryContext }) {
  const { repo, ctx } = deps;
  const { scope, audit } = ctx;

  /** The building when the caller may see it; NOT_FOUND otherwise. */
  async function visibleBuilding(p: Principal, id: string): Promise<{ row: BuildingRow; place: GridPlace }> {
    const row = await repo.building(id);
    if (!row) throw new AppError('NOT_FOUND');
    return { row, place: await scope.viewableGrid(p, row.grid_id) };
  }

  async function visibleHouse(p: Principal, id: string, days: number): Promise<{ row: HouseRow; place: GridPlace }> {
    const row = await repo.house(id, days);
    if (!row) throw new AppError('NOT_FOUND');
    return { row, place: await scope.viewableGrid(p, row.grid_id) };
  }

  async function houseDetail(p: Principal, id: string): Promise<In<typeof HouseDetail>> {
    const days = await freshnessDays(ctx.db);
    const { row } = await visibleHouse(p, id, days);
    const occupants = await repo.occupants(id);
    return {
      ...toHouse(row),
      occupants: occupants.map((o) => ({
        personId: o.person_id,
        name: o.name,
        relation: o.relation,
        since: iso(o.since)?.slice(0, 10) ?? null,
        until: iso(o.until)?.slice(0, 10) ?? null,
        populationType: o.population_type,
      })),
    };
  }

  return {
    async listBuildings(p: Principal, q: In<typeof BuildingQuery>) {
      await checkListTargets(ctx, p, { regionId: q.regionId, gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const r = await repo.listBuildings({ filter, q: q.q, gridId: q.gridId, limit: q.limit, offset: q.offset });
      return { items: r.rows.map(toBuilding), total: r.total };
    },

    async getBuilding(p: Principal, id: string): Promise<Building> {
      return toBuilding((await visibleBuilding(p, id)).row);
    },

    async createBuilding(p: Principal, body: In<typeof BuildingInput>, meta: RequestMeta): Promise<Building> {
      const placed = await resolvePlacement(ctx.index, body);
      const place = await scope.capturableGrid(p, placed.gridId);
      const address = composeBuildingAddress(place.communityName, body);
      const v: BuildingValues = {
        gridId: place.gridId,
        name: body.name,
        road: body.road ?? null,
        number: body.number ?? null,
        address,
        addressKey: addressKey(place.communityId, address),
        floors: body.floors ?? null,
        units: body.units ?? null,
        point: placed.point,
      };
      const id = await repo.transaction(async (trx) => {
        const dup = await repo.buildingIdByKey(v.addressKey, trx);
        if (dup) throw duplicateBuilding(dup, address);
        const id = await insertOr(
          () => repo.insertBuilding(v, p.userId, trx),
          'building_address_key',
          () => duplicateBuilding('', address),
        );
        await auditRecord(audit, trx, p, meta, { action: 'building.created', targetType: 'building', targetId: id, place, details: { address } });
        await recordChange(trx, { entity: 'building', entityId: id, actor: p, action: 'created' });
        return id;
      });
      return toBuilding((await repo.building(id)) as BuildingRow);
    },

    async updateBuilding(p: Principal, id: string, body: In<typeof BuildingPatch>, meta: RequestMeta): Promise<Building> {
      const { row } = await visibleBuilding(p, id);
      const moved = body.gridId !== undefined || body.lng !== undefined || body.lat !== undefined;
      const placed = moved ? await resolvePlacement(ctx.index, body) : { gridId: row.grid_id, point: point(row) };
      await scope.capturableGrid(p, row.grid_id);
      const place = await scope.capturableGrid(p, placed.gridId);
      const next = { name: body.name ?? row.name, road: body.road ?? row.road, number: body.number ?? row.number };
      const address = composeBuildingAddress(place.communityName, next);
      const v: BuildingValues = {
        gridId: place.gridId,
        ...next,
        address,
        addressKey: addressKey(place.communityId, address),
        floors: body.floors ?? row.floors,
        units: body.units ?? row.units,
        point: placed.point,
      };
      await repo.transaction(async (trx) => {
        const dup = await repo.buildingIdByKey(v.addressKey, trx);
        if (dup && dup !== id) throw duplicateBuilding(dup, address);
        await repo.updateBuilding(id, v, trx);
        if (address !== row.address) {
          // The houses' standard addresses begin with the building's: they follow it.
          for (const h of await repo.housesOfBuilding(id, trx)) {
            const a = composeHouseAddress({ buildingAddress: address, communityName: place.communityName }, h.unit, h.room);
            const key = addressKey(place.communityId, a);
            const other = await repo.houseIdByKey(key, trx);
            if (other && other !== h.id) throw duplicateHouse(other, 'name', a);
            await repo.setHouseAddress(h.id, a, key, trx);
          }
        }
        const fields = changedFields(body);
        await auditRecord(audit, trx, p, meta, { action: 'building.updated', targetType: 'building', targetId: id, place, details: { fields, address } });
        await recordChange(trx, { entity: 'building', entityId: id, actor: p, action: 'updated', fields });
      });
      return toBuilding((await repo.building(id)) as BuildingRow);
    },

    async layout(p: Principal, id: string): Promise<In<typeof BuildingLayout>> {
      const { row } = await visibleBuilding(p, id);
      const cells = await repo.layout(id);
      return {
        building: toBuilding(row),
        cells: cells.map((c) => ({ houseId: c.id, unit: c.unit, floor: c.floor, room: c.room, use: c.use, occupants: c.occupants })),
      };
    },

    async listHouses(p: Principal, q: In<typeof HouseQuery>) {
      await checkListTargets(ctx, p, { regionId: q.regionId, gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const days = await freshnessDays(ctx.db);
      const r = await repo.listHouses({ filter, q: q.q, gridId: q.gridId, buildingId: q.buildingId, use: q.use, limit: q.limit, offset: q.offset, days });
      return { items: r.rows.map(toHouse), total: r.total };
    },

    getHouse: houseDetail,

    async createHouse(p: Principal, body: In<typeof HouseInput>, meta: RequestMeta): Promise<In<typeof HouseDetail>> {
      const building = body.buildingId ? (await visibleBuilding(p, body.buildingId)).row : null;
      if (!building && !body.address) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'address', code: 'required', message: '请选择楼栋或填写地址 / choose a building or give an address' }],
        });
      }
      const given = body.gridId !== undefined || body.lng !== undefined || body.lat !== undefined;
      // A house in a building stands where the building stands unless told otherwise.
      const placed = given || !building ? await resolvePlacement(ctx.index, body) : { gridId: building.grid_id, point: point(building) };
      const place = await scope.capturableGrid(p, placed.gridId);
      const address = composeHouseAddress(
        building ? { buildingAddress: building.address, communityName: place.communityName } : { communityName: place.communityName, address: body.address },
        body.unit,
        body.room,
      );
      const v: HouseValues = {
        buildingId: building?.id ?? null,
        gridId: place.gridId,
        address,
        addressKey: addressKey(place.communityId, address),
        unit: body.unit ?? null,
        floor: body.floor ?? null,
        room: body.room ?? null,
        use: body.use,
        areaM2: body.areaM2 ?? null,
        note: body.note ?? null,
        point: placed.point,
      };
      const path = building ? 'room' : 'address';
      const id = await repo.transaction(async (trx) => {
        const dup = await repo.houseIdByKey(v.addressKey, trx);
        if (dup) throw duplicateHouse(dup, path, address);
        const id = await insertOr(
          () => repo.insertHouse(v, p.userId, trx),
          'house_address_key',
          () => duplicateHouse('', path, address),
        );
        await auditRecord(audit, trx, p, meta, { action: 'house.created', targetType: 'house', targetId: id, place, details: { address, use: body.use } });
        await recordChange(trx, { entity: 'house', entityId: id, actor: p, action: 'created' });
        return id;
      });
      return houseDetail(p, id);
    },

    async updateHouse(p: Principal, id: string, body: In<typeof HousePatch>, meta: RequestMeta): Promise<In<typeof HouseDetail>> {
      const days = await freshnessDays(ctx.db);
      const { row } = await visibleHouse(p, id, days);
      const moved = body.gridId !== undefined || body.lng !== undefined || body.lat !== undefined;
      const placed = moved ? await resolvePlacement(ctx.index, body) : { gridId: row.grid_id, point: point(row) };
      await scope.capturableGrid(p, row.grid_id);
      const place = await scope.capturableGrid(p, placed.gridId);
      const unit = body.unit === undefined ? row.unit : body.unit;
      const room = body.room === undefined ? row.room : body.room;
      let address = row.address;
      if (row.building_id) {
        if (body.address !== undefined) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: 'address', code: 'building', message: '楼栋内房屋的地址由楼栋、单元和室号组成 / set unit and room instead' }],
          });
        }
        if (body.unit !== undefined || body.room !== undefined) {
          const b = (await repo.building(row.building_id)) as BuildingRow;
          address = composeHouseAddress({ buildingAddress: b.address, communityName: place.communityName }, unit, room);
        }
      } else if (body.address !== undefined || body.unit !== undefined || body.room !== undefined) {
        // A standalone house's own part is what follows the unit/room suffixes were added to.
        const own = body.address ?? stripSuffixes(row.address, row.unit, row.room);
        address = composeHouseAddress({ communityName: place.communityName, address: own }, unit, room);
      }
      const v: HouseValues = {
        buildingId: row.building_id,
        gridId: place.gridId,
        address,
        addressKey: addressKey(place.communityId, address),
        unit,
        floor: body.floor === undefined ? row.floor : body.floor,
        room,
        use: body.use ?? row.use,
        areaM2: body.areaM2 === undefined ? num(row.area_m2) : body.areaM2,
        note: body.note === undefined ? row.note : body.note,
        point: placed.point,
      };
      const fields = changedFields(body);
      await repo.transaction(async (trx) => {
        const dup = await repo.houseIdByKey(v.addressKey, trx);
        if (dup && dup !== id) throw duplicateHouse(dup, row.building_id ? 'room' : 'address', address);
        await repo.updateHouse(id, v, trx);
        await auditRecord(audit, trx, p, meta, { action: 'house.updated', targetType: 'house', targetId: id, place, details: { fields, address } });
        await recordChange(trx, { entity: 'house', entityId: id, actor: p, action: 'updated', fields });
      });
      return houseDetail(p, id);
    },

    async verifyHouse(p: Principal, id: string, body: In<typeof VerifyRequest>, meta: RequestMeta): Promise<In<typeof HouseDetail>> {
      const days = await freshnessDays(ctx.db);
      const { row } = await visibleHouse(p, id, days);
      const place = await scope.capturableGrid(p, row.grid_id);
      await repo.transaction(async (trx) => {
        await repo.verifyHouse(id, p.userId, trx);
        await auditRecord(audit, trx, p, meta, { action: 'record.verified', targetType: 'house', targetId: id, place, details: { note: body.note ?? null } });
        await recordChange(trx, { entity: 'house', entityId: id, actor: p, action: 'verified', note: body.note ?? null });
      });
      return houseDetail(p, id);
    },
  };
}
export type HousesService = ReturnType<typeof createHousesService>;

/** The clerk-typed part of a standalone house's address (without the unit and room suffixes composed onto it). */
function stripSuffixes(address: string, unit: string | null, room: string | null): string {
  let a = address;
  const r = withSuffix(room, '室');
  if (r && a.endsWith(r)) a = a.slice(0, -r.length);
  const u = withSuffix(unit, '单元');
  if (u && a.endsWith(u)) a = a.slice(0, -u.length);
  return a;
}

/** Runs an insert; a unique violation on `constraint` (a concurrent duplicate) becomes the domain error. */
export async function insertOr<T>(insert: () => Promise<T>, constraint: string, duplicate: () => AppError): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (isUniqueViolation(err, constraint)) throw duplicate();
    throw err;
  }
}
