import type {
  Facility,
  FacilityInput,
  FacilityPatch,
  FacilityQuery,
  KeyPlace,
  KeyPlaceInput,
  KeyPlacePatch,
  KeyPlaceQuery,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { recordChange } from '../registry-common/change-log.js';
import type { RegistryContext } from '../registry-common/context.js';
import type { GridPlace } from '../registry-common/record-scope.repository.js';
import { auditRecord, changedFields, checkListTargets, freshnessDays, freshnessOf, gridRefOf, num } from './common.js';
import type { FacilitiesRepository, FacilityRow, FacilityValues, KeyPlaceRow, KeyPlaceValues } from './facilities.repository.js';
import { insertOr } from './houses.service.js';
import { placeWithHouse } from './organisations.service.js';
import type { TriggersRepository } from './triggers.repository.js';

type In<T extends z.ZodType> = z.infer<T>;
type FacilityOut = z.infer<typeof Facility>;
type KeyPlaceOut = z.infer<typeof KeyPlace>;

const toFacility = (r: FacilityRow): FacilityOut => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  code: r.code,
  state: r.state,
  address: r.address,
  owner: r.owner,
  note: r.note,
  lng: num(r.lng),
  lat: num(r.lat),
  ...gridRefOf(r),
  ...freshnessOf(r),
});

const toKeyPlace = (r: KeyPlaceRow): KeyPlaceOut => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  warningLevel: r.warning_level,
  address: r.address,
  description: r.description,
  responsible: r.responsible,
  organisationId: r.organisation_id,
  lng: num(r.lng),
  lat: num(r.lat),
  ...gridRefOf(r),
  ...freshnessOf(r),
});

const duplicateCode = (id: string, code: string) =>
  new AppError('FACILITY_DUPLICATE', {
    fields: [{ path: 'code', code: 'duplicate', message: `部件编码 ${code} 已登记 / this facility code is already registered` }],
    details: { facilityId: id },
  });

const pointOf = (r: { lng: number | null; lat: number | null }): [number, number] | null =>
  r.lng === null || r.lat === null ? null : [Number(r.lng), Number(r.lat)];

export function createFacilitiesService(deps: { repo: FacilitiesRepository; triggers: TriggersRepository; ctx: RegistryContext }) {
  const { repo, triggers, ctx } = deps;
  const { scope, audit } = ctx;

  async function visibleFacility(p: Principal, id: string, days: number): Promise<{ row: FacilityRow; place: GridPlace }> {
    const row = await repo.facility(id, days);
    if (!row) throw new AppError('NOT_FOUND');
    return { row, place: await scope.viewableGrid(p, row.grid_id) };
  }
  async function visibleKeyPlace(p: Principal, id: string, days: number): Promise<{ row: KeyPlaceRow; place: GridPlace }> {
    const row = await repo.keyPlace(id, days);
    if (!row) throw new AppError('NOT_FOUND');
    return { row, place: await scope.viewableGrid(p, row.grid_id) };
  }
  const getFacility = async (p: Principal, id: string) => toFacility((await visibleFacility(p, id, await freshnessDays(ctx.db))).row);
  const getKeyPlace = async (p: Principal, id: string) => toKeyPlace((await visibleKeyPlace(p, id, await freshnessDays(ctx.db))).row);

  /** The organisation a key place belongs to, when the caller may see it (it lends its grid and point). */
  async function organisationFor(p: Principal, id: string | undefined) {
    if (!id) return undefined;
    const o = await repo.organisationPlace(id);
    const bad = new AppError('VALIDATION_FAILED', {
      fields: [{ path: 'organisationId', code: 'not_found', message: '所选单位不存在 / no such organisation' }],
    });
    if (!o) throw bad;
    await scope.viewableGrid(p, o.grid_id).catch(() => {
      throw bad;
    });
    return o;
  }

  return {
    getFacility,
    getKeyPlace,

    async listFacilities(p: Principal, q: In<typeof FacilityQuery>) {
      await checkListTargets(ctx, p, { regionId: q.regionId, gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const days = await freshnessDays(ctx.db);
      const r = await repo.listFacilities({ filter, q: q.q, kind: q.kind, state: q.state, gridId: q.gridId, limit: q.limit, offset: q.offset, days });
      return { items: r.rows.map(toFacility), total: r.total };
    },

    async createFacility(p: Principal, body: In<typeof FacilityInput>, meta: RequestMeta): Promise<FacilityOut> {
      const { place, point } = await placeWithHouse(ctx, p, body, undefined);
      const v: FacilityValues = {
        kind: body.kind,
        name: body.name,
        code: body.code ?? null,
        state: body.state,
        address: body.address ?? null,
        owner: body.owner ?? null,
        note: body.note ?? null,
        gridId: place.gridId,
        point,
      };
      const id = await repo.transaction(async (trx) => {
        if (v.code) {
          const dup = await repo.facilityIdByCode(v.code, trx);
          if (dup) throw duplicateCode(dup, v.code);
        }
        const id = await insertOr(
          () => repo.insertFacility(v, p.userId, trx),
          'facility_code',
          () => duplicateCode('', v.code ?? ''),
        );
        await auditRecord(audit, trx, p, meta, {
          action: 'facility.created',
          targetType: 'facility',
          targetId: id,
          place,
          details: { name: v.name, code: v.code, state: v.state },
        });
        await recordChange(trx, { entity: 'facility', entityId: id, actor: p, action: 'created' });
        return id;
      });
      return getFacility(p, id);
    },

    async updateFacility(p: Principal, id: string, body: In<typeof FacilityPatch>, meta: RequestMeta): Promise<FacilityOut> {
      const { row } = await visibleFacility(p, id, await freshnessDays(ctx.db));
      await scope.capturableGrid(p, row.grid_id);
      const { place, point } = await placeWithHouse(ctx, p, body, undefined, { gridId: row.grid_id, point: pointOf(row) });
      const v: FacilityValues = {
        kind: body.kind ?? row.kind,
        name: body.name ?? row.name,
        code: body.code ?? row.code,
        state: body.state ?? row.state,
        address: body.address ?? row.address,
        owner: body.owner ?? row.owner,
        note: body.note ?? row.note,
        gridId: place.gridId,
        point,
      };
      const fields = changedFields(body);
      await repo.transaction(async (trx) => {
        if (v.code && v.code !== row.code) {
          const dup = await repo.facilityIdByCode(v.code, trx);
          if (dup && dup !== id) throw duplicateCode(dup, v.code);
        }
        await repo.updateFacility(id, v, trx);
        const stateChange = v.state !== row.state ? { from: row.state, to: v.state } : undefined;
        await auditRecord(audit, trx, p, meta, {
          action: 'facility.updated',
          targetType: 'facility',
          targetId: id,
          place,
          details: { fields, state: stateChange },
        });
        await recordChange(trx, { entity: 'facility', entityId: id, actor: p, action: 'updated', fields });
      });
      return getFacility(p, id);
    },

    async verifyFacility(p: Principal, id: string, body: In<typeof VerifyRequest>, meta: RequestMeta): Promise<FacilityOut> {
      const { row } = await visibleFacility(p, id, await freshnessDays(ctx.db));
      const place = await scope.capturableGrid(p, row.grid_id);
      await repo.transaction(async (trx) => {
        await repo.verifyFacility(id, p.userId, trx);
        await auditRecord(audit, trx, p, meta, {
          action: 'record.verified',
          targetType: 'facility',
          targetId: id,
          place,
          details: { note: body.note ?? null },
        });
        await recordChange(trx, { entity: 'facility', entityId: id, actor: p, action: 'verified', note: body.note ?? null });
      });
      return getFacility(p, id);
    },

    async listKeyPlaces(p: Principal, q: In<typeof KeyPlaceQuery>) {
      await checkListTargets(ctx, p, { regionId: q.regionId, gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const days = await freshnessDays(ctx.db);
      const r = await repo.listKeyPlaces({
        filter,
        q: q.q,
        kind: q.kind,
        warningLevel: q.warningLevel,
        gridId: q.gridId,
        limit: q.limit,
        offset: q.offset,
        days,
      });
      return { items: r.rows.map(toKeyPlace), total: r.total };
    },

    /** A new key place is also an adjustment trigger (A18) for its grid, raised in the same transaction. */
    async createKeyPlace(p: Principal, body: In<typeof KeyPlaceInput>, meta: RequestMeta): Promise<KeyPlaceOut> {
      const org = await organisationFor(p, body.organisationId);
      const { place, point } = await placeWithHouse(ctx, p, body, org);
      const v: KeyPlaceValues = {
        kind: body.kind,
        name: body.name,
        warningLevel: body.warningLevel,
        address: body.address ?? org?.address ?? null,
        description: body.description ?? null,
        responsible: body.responsible ?? null,
        organisationId: body.organisationId ?? null,
        gridId: place.gridId,
        point,
      };
      const id = await repo.transaction(async (trx) => {
        const id = await repo.insertKeyPlace(v, p.userId, trx);
        await auditRecord(audit, trx, p, meta, {
          action: 'key_place.created',
          targetType: 'key_place',
          targetId: id,
          place,
          details: { name: v.name, kind: v.kind, warningLevel: v.warningLevel },
        });
        await recordChange(trx, { entity: 'key_place', entityId: id, actor: p, action: 'created' });
        await triggers.raiseNewKeyPlace(place.gridId, { keyPlaceId: id, keyPlaceName: v.name, warningLevel: v.warningLevel }, trx);
        return id;
      });
      return getKeyPlace(p, id);
    },

    async updateKeyPlace(p: Principal, id: string, body: In<typeof KeyPlacePatch>, meta: RequestMeta): Promise<KeyPlaceOut> {
      const { row } = await visibleKeyPlace(p, id, await freshnessDays(ctx.db));
      await scope.capturableGrid(p, row.grid_id);
      const org = body.organisationId ? await organisationFor(p, body.organisationId) : undefined;
      const { place, point } = await placeWithHouse(ctx, p, body, org, { gridId: row.grid_id, point: pointOf(row) });
      const v: KeyPlaceValues = {
        kind: body.kind ?? row.kind,
        name: body.name ?? row.name,
        warningLevel: body.warningLevel ?? row.warning_level,
        address: body.address ?? row.address,
        description: body.description ?? row.description,
        responsible: body.responsible ?? row.responsible,
        organisationId: body.organisationId ?? row.organisation_id,
        gridId: place.gridId,
        point,
      };
      const fields = changedFields(body);
      await repo.transaction(async (trx) => {
        await repo.updateKeyPlace(id, v, trx);
        const level = v.warningLevel !== row.warning_level ? { from: row.warning_level, to: v.warningLevel } : undefined;
        await auditRecord(audit, trx, p, meta, {
          action: 'key_place.updated',
          targetType: 'key_place',
          targetId: id,
          place,
          details: { fields, warningLevel: level },
        });
        await recordChange(trx, { entity: 'key_place', entityId: id, actor: p, action: 'updated', fields });
      });
      return getKeyPlace(p, id);
    },

    async verifyKeyPlace(p: Principal, id: string, body: In<typeof VerifyRequest>, meta: RequestMeta): Promise<KeyPlaceOut> {
      const { row } = await visibleKeyPlace(p, id, await freshnessDays(ctx.db));
      const place = await scope.capturableGrid(p, row.grid_id);
      await repo.transaction(async (trx) => {
        await repo.verifyKeyPlace(id, p.userId, trx);
        await auditRecord(audit, trx, p, meta, {
          action: 'record.verified',
          targetType: 'key_place',
          targetId: id,
          place,
          details: { note: body.note ?? null },
        });
        await recordChange(trx, { entity: 'key_place', entityId: id, actor: p, action: 'verified', note: body.note ?? null });
      });
      return getKeyPlace(p, id);
    },
  };
}
export type FacilitiesService = ReturnType<typeof createFacilitiesService>;
