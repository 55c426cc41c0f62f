import { maskPhone } from '@gridgov/contracts/identifiers';
import type {
  Organisation,
  OrganisationInput,
  OrganisationPatch,
  OrganisationQuery,
  UnmaskRequest,
  UnmaskResponse,
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
import { auditRecord, changedFields, checkListTargets, freshnessDays, freshnessOf, gridRefOf, num } from './common.js';
import { insertOr } from './houses.service.js';
import type { OrganisationRow, OrganisationsRepository, OrganisationValues } from './organisations.repository.js';

type In<T extends z.ZodType> = z.infer<T>;
type Out = z.infer<typeof Organisation>;

const toOrganisation = (r: OrganisationRow): Out => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  uscc: r.uscc,
  legalRepName: r.legal_rep_name,
  phoneMasked: r.phone_masked,
  address: r.address,
  houseId: r.house_id,
  employees: r.employees,
  keyPremises: r.key_premises,
  keyPremisesType: r.key_premises_type as Out['keyPremisesType'],
  attention: r.attention,
  hasPartyOrg: r.has_party_org,
  note: r.note,
  lng: num(r.lng),
  lat: num(r.lat),
  ...gridRefOf(r),
  ...freshnessOf(r),
});

const duplicate = (id: string, uscc: string) =>
  new AppError('ORGANISATION_DUPLICATE', {
    fields: [{ path: 'uscc', code: 'duplicate', message: `统一社会信用代码 ${uscc} 已登记 / this credit code is already registered` }],
    details: { organisationId: id },
  });

/**
 * Where a record of the places module goes: a point or grid given outright decides; otherwise a
 * registered house the caller may see lends its grid and point. Resolved before any transaction.
 */
export async function placeWithHouse(
  ctx: RegistryContext,
  p: Principal,
  body: { gridId?: string; lng?: number; lat?: number },
  house: { grid_id: string; lng: number | null; lat: number | null } | undefined,
  current?: { gridId: string; point: [number, number] | null },
): Promise<{ place: GridPlace; point: [number, number] | null }> {
  const given = body.gridId !== undefined || body.lng !== undefined || body.lat !== undefined;
  let placed: { gridId: string; point: [number, number] | null };
  if (given) placed = await resolvePlacement(ctx.index, body);
  else if (house) placed = { gridId: house.grid_id, point: house.lng === null || house.lat === null ? null : [Number(house.lng), Number(house.lat)] };
  else if (current) placed = current;
  else placed = await resolvePlacement(ctx.index, body);
  return { place: await ctx.scope.capturableGrid(p, placed.gridId), point: placed.point };
}

export function createOrganisationsService(deps: { repo: OrganisationsRepository; ctx: RegistryContext }) {
  const { repo, ctx } = deps;
  const { scope, audit, pii } = ctx;

  async function visible(p: Principal, id: string, days: number): Promise<{ row: OrganisationRow; place: GridPlace }> {
    const row = await repo.get(id, days);
    if (!row) throw new AppError('NOT_FOUND');
    return { row, place: await scope.viewableGrid(p, row.grid_id) };
  }

  async function get(p: Principal, id: string): Promise<Out> {
    return toOrganisation((await visible(p, id, await freshnessDays(ctx.db))).row);
  }

  async function houseFor(p: Principal, houseId: string | undefined | null) {
    if (!houseId) return undefined;
    const h = await repo.housePlace(houseId);
    if (!h) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'houseId', code: 'not_found', message: '所选房屋不存在 / no such house' }] });
    await scope.viewableGrid(p, h.grid_id).catch(() => {
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'houseId', code: 'not_found', message: '所选房屋不存在 / no such house' }] });
    });
    return h;
  }

  const phoneValues = (phone: string) => ({ enc: pii.encrypt(phone), bidx: pii.blindIndex('phone', phone), masked: maskPhone(phone) as string });

  function checkPremises(keyPremises: boolean, type: string | null) {
    if (type && !keyPremises) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'keyPremisesType', code: 'not_key', message: '只有重点场所才填写场所类型 / only key premises have a premises type' }],
      });
    }
  }

  return {
    get,

    async list(p: Principal, q: In<typeof OrganisationQuery>) {
      await checkListTargets(ctx, p, { regionId: q.regionId, gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const days = await freshnessDays(ctx.db);
      const r = await repo.list({
        filter,
        q: q.q,
        uscc: q.uscc,
        kind: q.kind,
        keyPremises: q.keyPremises === undefined ? undefined : q.keyPremises === 'true',
        gridId: q.gridId,
        limit: q.limit,
        offset: q.offset,
        days,
      });
      return { items: r.rows.map(toOrganisation), total: r.total };
    },

    async create(p: Principal, body: In<typeof OrganisationInput>, meta: RequestMeta): Promise<Out> {
      const house = await houseFor(p, body.houseId);
      const { place, point } = await placeWithHouse(ctx, p, body, house);
      checkPremises(body.keyPremises, body.keyPremisesType ?? null);
      const v: OrganisationValues = {
        kind: body.kind,
        name: body.name,
        uscc: body.uscc ?? null,
        legalRepName: body.legalRepName || null,
        phone: body.phone ? phoneValues(body.phone) : null,
        address: body.address ?? house?.address ?? null,
        houseId: body.houseId ?? null,
        employees: body.employees ?? null,
        keyPremises: body.keyPremises,
        keyPremisesType: body.keyPremisesType ?? null,
        attention: body.attention ?? null,
        hasPartyOrg: body.hasPartyOrg ?? null,
        note: body.note ?? null,
        gridId: place.gridId,
        point,
      };
      const id = await repo.transaction(async (trx) => {
        if (v.uscc) {
          const dup = await repo.idByUscc(v.uscc, trx);
          if (dup) throw duplicate(dup, v.uscc);
        }
        const id = await insertOr(
          () => repo.insert(v, p.userId, trx),
          'organisation_uscc',
          () => duplicate('', v.uscc ?? ''),
        );
        await auditRecord(audit, trx, p, meta, {
          action: 'organisation.created',
          targetType: 'organisation',
          targetId: id,
          place,
          details: { name: v.name, uscc: v.uscc, kind: v.kind, keyPremises: v.keyPremises },
        });
        await recordChange(trx, { entity: 'organisation', entityId: id, actor: p, action: 'created' });
        return id;
      });
      return get(p, id);
    },

    async update(p: Principal, id: string, body: In<typeof OrganisationPatch>, meta: RequestMeta): Promise<Out> {
      const days = await freshnessDays(ctx.db);
      const { row } = await visible(p, id, days);
      await scope.capturableGrid(p, row.grid_id);
      const house = body.houseId ? await houseFor(p, body.houseId) : undefined;
      const { place, point } = await placeWithHouse(ctx, p, body, house, {
        gridId: row.grid_id,
        point: row.lng === null || row.lat === null ? null : [Number(row.lng), Number(row.lat)],
      });
      const keyPremises = body.keyPremises ?? row.key_premises;
      const keyPremisesType = body.keyPremisesType ?? (keyPremises ? row.key_premises_type : null);
      checkPremises(keyPremises, keyPremisesType);
      const v = {
        kind: body.kind ?? row.kind,
        name: body.name ?? row.name,
        uscc: body.uscc ?? row.uscc,
        legalRepName: body.legalRepName ?? row.legal_rep_name,
        phone: body.phone === undefined ? undefined : body.phone === null ? null : phoneValues(body.phone),
        address: body.address ?? row.address,
        houseId: body.houseId ?? row.house_id,
        employees: body.employees ?? row.employees,
        keyPremises,
        keyPremisesType,
        attention: body.attention ?? row.attention,
        hasPartyOrg: body.hasPartyOrg ?? row.has_party_org,
        note: body.note ?? row.note,
        gridId: place.gridId,
        point,
      };
      const fields = changedFields(body);
      await repo.transaction(async (trx) => {
        if (v.uscc && v.uscc !== row.uscc) {
          const dup = await repo.idByUscc(v.uscc, trx);
          if (dup && dup !== id) throw duplicate(dup, v.uscc);
        }
        await repo.update(id, v, trx);
        // The phone is named as changed, never with its value.
        await auditRecord(audit, trx, p, meta, { action: 'organisation.updated', targetType: 'organisation', targetId: id, place, details: { fields } });
        await recordChange(trx, { entity: 'organisation', entityId: id, actor: p, action: 'updated', fields });
      });
      return get(p, id);
    },

    async verify(p: Principal, id: string, body: In<typeof VerifyRequest>, meta: RequestMeta): Promise<Out> {
      const { row } = await visible(p, id, await freshnessDays(ctx.db));
      const place = await scope.capturableGrid(p, row.grid_id);
      await repo.transaction(async (trx) => {
        await repo.verify(id, p.userId, trx);
        await auditRecord(audit, trx, p, meta, {
          action: 'record.verified',
          targetType: 'organisation',
          targetId: id,
          place,
          details: { note: body.note ?? null },
        });
        await recordChange(trx, { entity: 'organisation', entityId: id, actor: p, action: 'verified', note: body.note ?? null });
      });
      return get(p, id);
    },

    /** The phone in clear, for a caller who may see the organisation, with a reason; audited. */
    async unmask(p: Principal, id: string, body: In<typeof UnmaskRequest>, meta: RequestMeta): Promise<z.infer<typeof UnmaskResponse>> {
      const { place } = await visible(p, id, await freshnessDays(ctx.db));
      if (body.field !== 'phone') {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'field', code: 'unknown', message: '单位只有联系电话可查看明文 / organisations only have a phone to unmask' }],
        });
      }
      const enc = await repo.phoneEnc(id);
      const value = enc ? pii.decrypt(enc) : null;
      await repo.transaction(async (trx) => {
        await auditRecord(audit, trx, p, meta, {
          action: 'personal_data.unmasked',
          targetType: 'organisation',
          targetId: id,
          place,
          details: { field: 'phone', reason: body.reason },
        });
      });
      return { field: 'phone', value };
    },
  };
}
export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
