import { ageOn, checkIdNumber, maskIdNumber, maskPhone } from '@gridgov/contracts/identifiers';
import type {
  Household,
  HouseholdInput,
  MoveRequest,
  PersonDetail,
  PersonInput,
  PersonMergeRequest,
  PersonPatch,
  PersonQuery,
  PersonSummary,
  SpecialEntry,
  UnmaskRequest,
  UnmaskResponse,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import { specialGroupByCode } from '@gridgov/contracts/special-groups';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCaptureRecord, canView, canViewRecord, type Principal } from '../../http/principal.js';
import type { BlindIndexKind } from '../../lib/pii-crypto.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import { todayInChina } from '../grids/today.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { recordChange } from '../registry-common/change-log.js';
import type { RegistryContext } from '../registry-common/context.js';
import { resolvePlacement } from '../registry-common/placement.js';
import { type EntryRow, type PersonRow, type PersonSearchRow, type PersonsRepository, pointSql } from './persons.repository.js';
import { visibleSensitivities } from './visibility.js';

type PersonInputT = z.infer<typeof PersonInput>;
type PersonPatchT = z.infer<typeof PersonPatch>;
type Detail = z.infer<typeof PersonDetail>;
type Summary = z.infer<typeof PersonSummary>;
type HouseholdT = z.infer<typeof Household>;
type Entry = z.infer<typeof SpecialEntry>;

const fieldError = (path: string, message: string, code = 'invalid') => new AppError('VALIDATION_FAILED', { fields: [{ path, code, message }] });

/** Columns a patch may set, by API field name. */
const PATCH_COLUMNS = {
  name: 'name',
  ethnicity: 'ethnicity',
  nativePlace: 'native_place',
  hukouPlace: 'hukou_place',
  hukouAddress: 'hukou_address',
  currentAddress: 'current_address',
  marital: 'marital',
  political: 'political',
  education: 'education',
  religion: 'religion',
  occupation: 'occupation',
  workplace: 'workplace',
  populationType: 'population_type',
  note: 'note',
} as const;

/** Fields a merge copies from the duplicate when the survivor has none. */
const MERGE_FILL = [
  'ethnicity',
  'native_place',
  'hukou_place',
  'hukou_address',
  'current_address',
  'marital',
  'political',
  'education',
  'religion',
  'occupation',
  'workplace',
  'birth_date',
] as const;

export function entryView(e: EntryRow, viaBreakGlass: boolean): Entry {
  return {
    id: e.id,
    personId: e.person_id,
    personName: e.person_name,
    typeCode: e.type_code,
    sensitivity: e.sensitivity as 1 | 2 | 3,
    level: e.level as Entry['level'],
    fields: e.fields,
    since: e.since,
    until: e.until,
    note: e.note,
    gridId: e.grid_id,
    gridCode: e.grid_code,
    gridName: e.grid_name,
    communityId: e.community_id,
    communityName: e.community_name,
    viaBreakGlass,
  };
}

export function createPersonsService(ctx: RegistryContext, repo: PersonsRepository, opts: { now?: () => Date } = {}) {
  const { db, audit, scope, pii, index } = ctx;
  const now = opts.now ?? (() => new Date());
  const today = () => todayInChina(now());

  const isStale = (verifiedAt: Date | null, days: number) => !verifiedAt || now().getTime() - verifiedAt.getTime() > days * 86_400_000;

  function summaryOf(r: Omit<PersonSearchRow, 'score'> & { score?: number | null }, freshnessDays: number): Summary {
    return {
      id: r.id,
      name: r.name,
      sex: r.sex,
      birthDate: r.birth_date,
      age: r.birth_date ? ageOn(r.birth_date, today()) : null,
      docType: r.doc_type as Summary['docType'],
      idNumberMasked: r.id_number_masked,
      phoneMasked: r.phone_masked,
      populationType: r.population_type,
      address: r.address,
      houseId: r.house_id,
      tags: r.tags ?? [],
      registers: r.registers ?? [],
      gridId: r.grid_id,
      gridCode: r.grid_code,
      gridName: r.grid_name,
      communityId: r.community_id,
      communityName: r.community_name,
      verifiedAt: r.verified_at ? r.verified_at.toISOString() : null,
      stale: isStale(r.verified_at, freshnessDays),
      ...(r.score !== undefined && r.score !== null ? { score: r.score } : {}),
    };
  }

  /** The person when the caller may read it; NOT_FOUND otherwise (also for merged duplicates). */
  async function viewable(p: Principal, id: string, trx: Kysely<DB> = db): Promise<PersonRow> {
    const row = await repo.byId(id, trx);
    if (!row || row.status === 'merged' || !canViewRecord(p, { regionPath: row.region_path, gridId: row.grid_id })) throw new AppError('NOT_FOUND');
    return row;
  }

  /** The person when the caller may write it: NOT_FOUND outside the view scope, OUT_OF_SCOPE when only readable. */
  async function capturable(p: Principal, id: string, trx: Kysely<DB> = db): Promise<PersonRow> {
    const row = await viewable(p, id, trx);
    if (!canCaptureRecord(p, { regionPath: row.region_path, gridId: row.grid_id })) throw new AppError('OUT_OF_SCOPE');
    return row;
  }

  const audited = (actor: Principal, meta: RequestMeta, action: string, row: { id: string; community_id: string; region_path: string }, details = {}) => ({
    ...auditContext(actor, meta),
    action,
    outcome: 'ok' as const,
    targetType: 'person',
    targetId: row.id,
    regionId: row.community_id,
    regionPath: row.region_path,
    details,
  });

  /**
   * Where a new or moved person lives: a house gives its grid and point; otherwise a grid and/or a point
   * through the grid index. Resolved before any transaction (the index reads through `db`).
   */
  async function placement(p: Principal, input: { houseId?: string; gridId?: string; lng?: number; lat?: number }) {
    if (input.houseId) {
      const house = await repo.housePlace(input.houseId);
      if (!house) throw fieldError('houseId', '住房不存在', 'not_found');
      if (input.gridId && input.gridId !== house.grid_id)
        throw new AppError('HOUSE_NOT_IN_GRID', { fields: [{ path: 'houseId', code: 'grid', message: '住房不在所选网格内' }] });
      const place = await scope.capturableGrid(p, house.grid_id);
      const point: [number, number] | null = house.lng !== null && house.lat !== null ? [house.lng, house.lat] : null;
      return { place, point, houseId: house.id };
    }
    const resolved = await resolvePlacement(index, input);
    const place = await scope.capturableGrid(p, resolved.gridId);
    return { place, point: resolved.point, houseId: null };
  }

  /** A duplicate 身份证号: the existing record's id only when the caller may read it. */
  async function duplicateError(p: Principal, bidx: Buffer, trx: Kysely<DB> = db): Promise<AppError> {
    const found = await repo.byIdNumberBidx(bidx, trx);
    const visible = found && canViewRecord(p, { regionPath: found.region_path, gridId: found.grid_id });
    return new AppError('PERSON_DUPLICATE', {
      fields: [{ path: 'idNumber', code: 'duplicate', message: '该身份证号已登记（一人一档）' }],
      ...(visible ? { details: { personId: found.id } } : {}),
    });
  }

  /**
   * The person page. Reading a sensitive entry under a break-the-glass grant is audited (`breakglass.used`)
   * and counted on the grant; reading a record outside one's capture scope is audited too.
   */
  async function detail(p: Principal, id: string, meta: RequestMeta): Promise<Detail> {
    const row = await viewable(p, id);
    const days = await repo.freshnessDays();
    const visible = visibleSensitivities(p);
    const entries = await repo.entriesOf(id);
    const shown = entries.filter((e) => visible.includes(e.sensitivity));
    const hidden = entries.filter((e) => !visible.includes(e.sensitivity));
    const grant = hidden.length ? await repo.openGrantOf(p.userId, id, now()) : undefined;
    const canCapture = canCaptureRecord(p, { regionPath: row.region_path, gridId: row.grid_id });
    if (grant || !canCapture) {
      await db.transaction().execute(async (trx) => {
        if (grant) {
          await repo.countGrantReads(grant.id, hidden.length, trx);
          await audit.append(audited(p, meta, 'breakglass.used', row, { grantId: grant.id, entryIds: hidden.map((e) => e.id) }), trx);
        }
        if (!canCapture) await audit.append(audited(p, meta, 'person.viewed_outside_scope', row), trx);
      });
    }
    const [summary] = await repo.summaries([id], visible);
    const household = await repo.householdOf(id);
    const residence = await repo.residence(id);
    const changes = await repo.changes(id);
    return {
      ...summaryOf(summary as Omit<PersonSearchRow, 'score'>, days),
      nativePlace: row.native_place,
      ethnicity: row.ethnicity,
      hukouPlace: row.hukou_place,
      hukouAddress: row.hukou_address,
      currentAddress: row.current_address,
      marital: row.marital as Detail['marital'],
      political: row.political as Detail['political'],
      education: row.education as Detail['education'],
      religion: row.religion,
      occupation: row.occupation,
      workplace: row.workplace,
      note: row.note,
      household: household ? householdView(household) : null,
      residence: residence.map((r) => ({
        houseId: r.house_id,
        address: r.address,
        gridName: r.grid_name,
        relation: r.relation,
        since: r.since,
        until: r.until,
      })),
      specialEntries: [...shown.map((e) => entryView(e, false)), ...(grant ? hidden.map((e) => entryView(e, true)) : [])],
      hiddenEntries: grant ? 0 : hidden.length,
      changes: changes.map((c) => ({ at: c.at.toISOString(), actorName: c.actor_name, action: c.action, fields: c.fields, note: c.note })),
      canEdit: canCapture && p.permissions.has('registry.manage'),
      canUnmask: p.permissions.has('pii.unmask'),
      createdBy: row.created_by_name,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      verifiedBy: row.verified_by_name,
    };
  }

  function householdView(h: NonNullable<Awaited<ReturnType<PersonsRepository['householdOf']>>>): HouseholdT {
    return {
      id: h.id,
      number: h.number,
      houseId: h.house_id,
      address: h.address,
      members: h.members.map((m) => ({
        personId: m.person_id,
        name: m.name,
        relation: m.relation as HouseholdT['members'][number]['relation'],
        sex: m.sex,
        age: m.birth_date ? ageOn(m.birth_date, today()) : null,
      })),
    };
  }

  /** A region or grid named as a filter must be readable by the caller: NOT_FOUND otherwise, as for records. */
  async function checkFilterTargets(p: Principal, f: { regionId?: string; gridId?: string }): Promise<void> {
    if (f.gridId) await scope.viewableGrid(p, f.gridId);
    if (f.regionId) {
      const path = await repo.regionPath(f.regionId);
      if (!path || !canView(p, path)) throw new AppError('NOT_FOUND');
    }
  }

  return {
    detail,
    checkFilterTargets,

    async search(p: Principal, q: z.infer<typeof PersonQuery>): Promise<{ items: Summary[]; total: number; totalIsLowerBound?: boolean }> {
      await checkFilterTargets(p, q);
      const grids = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      const visible = visibleSensitivities(p);
      const empty = { items: [], total: 0 };
      if (grids !== null && grids.length === 0) return empty;
      if (q.register) {
        const t = specialGroupByCode.get(q.register);
        // A register the caller may not see is not a filter they can probe with.
        if (!t || !visible.includes(t.sensitivity)) return empty;
      }
      let idNumberBidx: Buffer[] | undefined;
      if (q.idNumber) {
        const v = q.idNumber.trim().toUpperCase();
        const kinds: BlindIndexKind[] = checkIdNumber(v).ok ? ['id_card'] : ['passport', 'hk_macao', 'taiwan', 'foreign_pr', 'other'];
        idNumberBidx = kinds.map((k) => pii.blindIndex(k, v));
      }
      const r = await repo.search({
        grids,
        q: q.q,
        idNumberBidx,
        phoneBidx: q.phone ? pii.blindIndex('phone', q.phone.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '')) : undefined,
        address: q.address,
        tag: q.tag,
        populationType: q.populationType,
        register: q.register,
        visibleSensitivities: visible,
        limit: q.limit,
        offset: q.offset,
      });
      const days = await repo.freshnessDays();
      return { items: r.rows.map((row) => summaryOf(row, days)), total: r.total, ...(r.totalIsLowerBound ? { totalIsLowerBound: true } : {}) };
    },

    async create(p: Principal, input: PersonInputT, meta: RequestMeta): Promise<Detail> {
      let sex = input.sex;
      let birthDate = input.birthDate;
      let idNumber: string | null = null;
      if (input.docType === 'id_card') {
        const r = checkIdNumber(input.idNumber ?? '');
        if (!r.ok) throw new AppError('ID_NUMBER_INVALID', { fields: [{ path: 'idNumber', code: 'invalid', message: r.zh }] });
        idNumber = r.value;
        if (sex && sex !== r.sex) throw fieldError('sex', `性别与身份证号不符（身份证号为${r.sex === 'male' ? '男' : '女'}）`, 'mismatch');
        if (birthDate && birthDate !== r.birthDate) throw fieldError('birthDate', `出生日期与身份证号不符（身份证号为 ${r.birthDate}）`, 'mismatch');
        sex = r.sex;
        birthDate = r.birthDate;
      } else if (input.idNumber) {
        idNumber = input.idNumber.trim().toUpperCase();
      }
      const bidx = idNumber ? pii.blindIndex(input.docType as BlindIndexKind, idNumber) : null;
      const { place, point, houseId } = await placement(p, input);
      if (bidx && (await repo.byIdNumberBidx(bidx))) throw await duplicateError(p, bidx);
      const given = Object.keys(input).filter((k) => !['lng', 'lat', 'gridId'].includes(k));
      let id: string;
      try {
        id = await db.transaction().execute(async (trx) => {
          const personId = await repo.insertPerson(
            {
              name: input.name,
              doc_type: input.docType,
              id_number_enc: idNumber ? pii.encrypt(idNumber) : null,
              id_number_bidx: bidx,
              id_number_masked: maskIdNumber(idNumber),
              sex: sex ?? 'unknown',
              birth_date: birthDate ?? null,
              ethnicity: input.ethnicity ?? null,
              native_place: input.nativePlace ?? null,
              hukou_place: input.hukouPlace ?? null,
              hukou_address: input.hukouAddress ?? null,
              current_address: input.currentAddress ?? null,
              phone_enc: input.phone ? pii.encrypt(input.phone) : null,
              phone_bidx: input.phone ? pii.blindIndex('phone', input.phone) : null,
              phone_masked: maskPhone(input.phone),
              marital: input.marital ?? null,
              political: input.political ?? null,
              education: input.education ?? null,
              religion: input.religion ?? null,
              occupation: input.occupation ?? null,
              workplace: input.workplace ?? null,
              population_type: input.populationType,
              grid_id: place.gridId,
              house_id: houseId,
              geom: pointSql(point),
              tags: input.tags ?? [],
              note: input.note ?? null,
              created_by: p.userId,
            },
            trx,
          );
          const row = { id: personId };
          await repo.openResidence({ personId, houseId, gridId: place.gridId, relation: input.houseRelation ?? 'resident', since: today() }, trx);
          await recordChange(trx, { entity: 'person', entityId: row.id, actor: p, action: 'created', fields: given });
          await audit.append(
            audited(
              p,
              meta,
              'person.created',
              { id: row.id, community_id: place.communityId, region_path: place.regionPath },
              {
                gridId: place.gridId,
                houseId,
                docType: input.docType,
                populationType: input.populationType,
              },
            ),
            trx,
          );
          return row.id;
        });
      } catch (err) {
        // Two registrations of one number at once: the unique blind index decides.
        if (bidx && pgErrorOf(err)?.code === '23505') throw await duplicateError(p, bidx);
        throw err;
      }
      return detail(p, id, meta);
    },

    async patch(p: Principal, id: string, input: PersonPatchT, meta: RequestMeta): Promise<Detail> {
      const row = await capturable(p, id);
      const set: Record<string, unknown> = {};
      const fields: string[] = [];
      for (const [key, col] of Object.entries(PATCH_COLUMNS)) {
        const v = (input as Record<string, unknown>)[key];
        if (v === undefined) continue;
        const next = v === '' ? null : v;
        if ((row as unknown as Record<string, unknown>)[col] === next) continue;
        set[col] = next;
        fields.push(key);
      }
      if (input.tags !== undefined && JSON.stringify([...input.tags].sort()) !== JSON.stringify([...row.tags].sort())) {
        set.tags = input.tags;
        fields.push('tags');
      }
      if (input.phone !== undefined) {
        const same =
          input.phone === null ? row.phone_enc === null : row.phone_bidx !== null && pii.blindIndex('phone', input.phone).equals(Buffer.from(row.phone_bidx));
        if (!same) {
          set.phone_enc = input.phone ? pii.encrypt(input.phone) : null;
          set.phone_bidx = input.phone ? pii.blindIndex('phone', input.phone) : null;
          set.phone_masked = maskPhone(input.phone);
          fields.push('phone');
        }
      }
      if (fields.length) {
        await db.transaction().execute(async (trx) => {
          await repo.updatePerson(id, set, trx);
          await recordChange(trx, { entity: 'person', entityId: id, actor: p, action: 'updated', fields });
          await audit.append(audited(p, meta, 'person.updated', row, { fields }), trx);
        });
      }
      return detail(p, id, meta);
    },

    async unmask(p: Principal, id: string, req: z.infer<typeof UnmaskRequest>, meta: RequestMeta): Promise<z.infer<typeof UnmaskResponse>> {
      const row = await viewable(p, id);
      if (!req.reason.trim()) throw new AppError('REASON_REQUIRED');
      const enc = req.field === 'idNumber' ? row.id_number_enc : row.phone_enc;
      const value = enc ? pii.decrypt(enc) : null;
      await db.transaction().execute(async (trx) => {
        await audit.append(audited(p, meta, 'personal_data.unmasked', row, { field: req.field, reason: req.reason }), trx);
      });
      return { field: req.field, value };
    },

    async move(p: Principal, id: string, req: z.infer<typeof MoveRequest>, meta: RequestMeta): Promise<Detail> {
      const row = await capturable(p, id);
      if (!req.houseId && !req.gridId)
        throw new AppError('LOCATION_REQUIRED', { fields: [{ path: 'houseId', code: 'required', message: '请选择新住房或网格' }] });
      const { place, point, houseId } = await placement(p, { houseId: req.houseId, gridId: req.gridId });
      await db.transaction().execute(async (trx) => {
        const open = await repo.currentResidences(id, trx);
        for (const r of open) {
          if (r.since && r.since > req.since) throw fieldError('since', `迁入日期不能早于现住所的起始日期 ${r.since}`);
        }
        await repo.closeResidences(id, req.since, trx);
        await repo.openResidence({ personId: id, houseId, gridId: place.gridId, relation: req.relation, since: req.since }, trx);
        await repo.updatePerson(id, { grid_id: place.gridId, house_id: houseId, geom: pointSql(point) }, trx);
        await recordChange(trx, { entity: 'person', entityId: id, actor: p, action: 'moved', fields: ['gridId', 'houseId'], note: req.note ?? null });
        await audit.append(
          audited(
            p,
            meta,
            'person.moved',
            { id, community_id: place.communityId, region_path: place.regionPath },
            {
              fromGridId: row.grid_id,
              toGridId: place.gridId,
              fromHouseId: row.house_id,
              toHouseId: houseId,
              since: req.since,
            },
          ),
          trx,
        );
      });
      return detail(p, id, meta);
    },

    async merge(p: Principal, id: string, req: z.infer<typeof PersonMergeRequest>, meta: RequestMeta): Promise<Detail> {
      if (req.duplicateId === id) throw new AppError('MERGE_INVALID', { fields: [{ path: 'duplicateId', code: 'same', message: '不能与自身合并' }] });
      const survivor = await capturable(p, id);
      const dup = await capturable(p, req.duplicateId);
      if (survivor.status !== 'active' || dup.status !== 'active') throw new AppError('MERGE_INVALID');
      if (survivor.id_number_enc && dup.id_number_enc && survivor.doc_type === 'id_card' && dup.doc_type === 'id_card') {
        // Two different valid 身份证号 are two people, not a duplicate.
        if (pii.decrypt(survivor.id_number_enc) !== pii.decrypt(dup.id_number_enc)) {
          throw new AppError('MERGE_INVALID', { fields: [{ path: 'duplicateId', code: 'different_id', message: '两人身份证号不同，不能合并' }] });
        }
      }
      await db.transaction().execute(async (trx) => {
        const filled: string[] = [];
        const set: Record<string, unknown> = {};
        const s = survivor as unknown as Record<string, unknown>;
        const d = dup as unknown as Record<string, unknown>;
        for (const col of MERGE_FILL) {
          if ((s[col] === null || s[col] === undefined) && d[col] !== null && d[col] !== undefined) {
            set[col] = d[col];
            filled.push(col);
          }
        }
        const dupIdx = await repo.indexesOf(dup.id, trx);
        await repo.markMerged(dup.id, id, trx);
        if (!survivor.id_number_enc && dup.id_number_enc) {
          Object.assign(set, {
            doc_type: dup.doc_type,
            id_number_enc: dup.id_number_enc,
            id_number_bidx: dupIdx.id_number_bidx,
            id_number_masked: dup.id_number_masked,
          });
          if (survivor.sex === 'unknown') set.sex = dup.sex;
          filled.push('idNumber');
        }
        if (!survivor.phone_enc && dup.phone_enc) {
          Object.assign(set, { phone_enc: dup.phone_enc, phone_bidx: dupIdx.phone_bidx, phone_masked: dup.phone_masked });
          filled.push('phone');
        }
        const tags = [...new Set([...survivor.tags, ...dup.tags])];
        if (tags.length !== survivor.tags.length) {
          set.tags = tags;
          filled.push('tags');
        }
        await repo.updatePerson(id, set, trx);
        await repo.moveDependents(dup.id, id, trx);
        await recordChange(trx, { entity: 'person', entityId: id, actor: p, action: 'merged', fields: filled, note: req.reason });
        await recordChange(trx, { entity: 'person', entityId: dup.id, actor: p, action: 'merged_into', fields: [], note: req.reason });
        await audit.append(audited(p, meta, 'person.merged', survivor, { duplicateId: dup.id, reason: req.reason, filled }), trx);
      });
      return detail(p, id, meta);
    },

    async verify(p: Principal, id: string, req: z.infer<typeof VerifyRequest>, meta: RequestMeta): Promise<Detail> {
      const row = await capturable(p, id);
      await db.transaction().execute(async (trx) => {
        await repo.setVerified(id, p.userId, now(), trx);
        await recordChange(trx, { entity: 'person', entityId: id, actor: p, action: 'verified', note: req.note ?? null });
        await audit.append(audited(p, meta, 'record.verified', row, { kind: 'person', note: req.note ?? null }), trx);
      });
      return detail(p, id, meta);
    },

    /** Sets the household (户) of a person: its members with their relation to the one head. */
    async saveHousehold(p: Principal, id: string, input: z.infer<typeof HouseholdInput>, meta: RequestMeta): Promise<HouseholdT> {
      const row = await capturable(p, id);
      const ids = input.members.map((m) => m.personId);
      if (new Set(ids).size !== ids.length) throw fieldError('members', '成员重复');
      if (!ids.includes(id)) throw fieldError('members', '成员中应包含本人');
      const heads = input.members.filter((m) => m.relation === 'head').length;
      if (heads !== 1) throw fieldError('members', heads === 0 ? '请指定一名户主' : '一户只能有一名户主', 'head');
      for (const [k, m] of input.members.entries()) {
        try {
          await capturable(p, m.personId);
        } catch (err) {
          if (err instanceof AppError && err.code === 'NOT_FOUND')
            throw new AppError('NOT_FOUND', { fields: [{ path: `members.${k}.personId`, code: 'not_found', message: '人员不存在' }] });
          throw err;
        }
      }
      if (input.houseId) {
        const house = await repo.housePlace(input.houseId);
        if (!house) throw fieldError('houseId', '住房不存在', 'not_found');
        await scope.capturableGrid(p, house.grid_id);
      }
      const householdId = await db.transaction().execute(async (trx) => {
        const hid = await repo.saveHousehold(
          id,
          { number: input.number ?? null, houseId: input.houseId ?? null, defaultHouseId: row.house_id, members: input.members },
          trx,
        );
        for (const m of ids) await recordChange(trx, { entity: 'person', entityId: m, actor: p, action: 'household', fields: ['household'] });
        await audit.append(audited(p, meta, 'household.saved', row, { householdId: hid, members: input.members.length }), trx);
        return hid;
      });
      const h = await repo.householdOf(id);
      if (!h || h.id !== householdId) throw new AppError('INTERNAL');
      return householdView(h);
    },

    viewable,
    capturable,
  };
}
export type PersonsService = ReturnType<typeof createPersonsService>;
