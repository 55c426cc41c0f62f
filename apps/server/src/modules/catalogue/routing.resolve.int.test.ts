import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgUnit, regionByCode } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import type { DB } from '../../db/schema.js';
import { resolveRouting } from './routing.resolve.js';

describe('resolveRouting: rule specificity and the fallbacks', () => {
  let t: TestDatabase;
  let db: Kysely<DB>;
  const id = {} as Record<
    'district' | 'street' | 'community' | 'otherCommunity' | 'noise' | 'lamp' | 'neighbours' | 'other' | 'cg' | 'zj' | 'sj' | 'mz' | 'station' | 'streetCenter',
    string
  >;
  const cat = async (code: string) => (await db.selectFrom('event_category').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const unit = async (name: string) => (await db.selectFrom('org_unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const rule = async (v: { category: string | null; region: string; lead: string; co?: string[]; priority?: number; active?: boolean }) =>
    (
      await db
        .insertInto('routing_rule')
        .values({
          category_id: v.category,
          region_id: v.region,
          lead_org_unit_id: v.lead,
          co_org_unit_ids: v.co ?? [],
          priority: v.priority ?? 0,
          active: v.active ?? true,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.database.db;
    id.district = (await regionByCode(db, '370118')).id;
    id.street = (await regionByCode(db, '370118001000')).id;
    id.community = (await regionByCode(db, '370118001001')).id;
    id.otherCommunity = (await regionByCode(db, '370118002002')).id;
    id.noise = await cat('0118'); // 噪声扰民: cg, street
    id.lamp = await cat('0207'); // 路灯损坏: cg, street
    id.neighbours = await cat('0110'); // 邻里纠纷调解: no department, grid
    id.other = await cat('0220'); // 其他安全隐患: no department, street
    id.cg = await unit('区城市管理局');
    id.zj = await unit('区住房和城乡建设局');
    id.sj = await unit('区市场监督管理局');
    id.mz = await unit('区民政局');
    id.station = (
      await db.selectFrom('org_unit').select('id').where('region_id', '=', id.community).where('kind', '=', 'station').executeTakeFirstOrThrow()
    ).id;
    id.streetCenter = (
      await db.selectFrom('org_unit').select('id').where('region_id', '=', id.street).where('kind', '=', 'center').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t.cleanup());

  it('without rules: the category department of the district, or the station/center at the handling level', async () => {
    expect(await resolveRouting(db, id.noise, id.community)).toEqual({
      source: 'category_department',
      ruleId: null,
      lead: { id: id.cg, name: '区城市管理局' },
      co: [],
    });
    const grid = await resolveRouting(db, id.neighbours, id.community);
    expect(grid).toMatchObject({ source: 'handling_level', lead: { id: id.station } });
    const street = await resolveRouting(db, id.other, id.community);
    expect(street).toMatchObject({ source: 'handling_level', lead: { id: id.streetCenter } });
    // A case located at the street itself (no grid): a community-level item falls to the street center.
    expect(await resolveRouting(db, id.neighbours, id.street)).toMatchObject({ source: 'handling_level', lead: { id: id.streetCenter } });
  });

  it('exact category beats any, deeper region beats shallower, then priority; inactive rules are ignored', async () => {
    // "any category" at the district: everything in the district goes to 住建 …
    const anyDistrict = await rule({ category: null, region: id.district, lead: id.zj });
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ source: 'rule', ruleId: anyDistrict, lead: { id: id.zj } });
    // … an "any" rule deeper (the street) beats it …
    const anyStreet = await rule({ category: null, region: id.street, lead: id.streetCenter });
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ ruleId: anyStreet });
    // … but an exact-category rule beats any "any" rule, even at a shallower region.
    const noiseDistrict = await rule({ category: id.noise, region: id.district, lead: id.sj, co: [id.cg, id.mz] });
    expect(await resolveRouting(db, id.noise, id.community)).toEqual({
      source: 'rule',
      ruleId: noiseDistrict,
      lead: { id: id.sj, name: '区市场监督管理局' },
      co: [
        { id: id.cg, name: '区城市管理局' },
        { id: id.mz, name: '区民政局' },
      ],
    });
    // Among exact-category rules, the deeper region wins, and at the same depth the higher priority.
    const noiseCommunityLow = await rule({ category: id.noise, region: id.community, lead: id.station, priority: 1 });
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ ruleId: noiseCommunityLow });
    const noiseCommunityHigh = await rule({ category: id.noise, region: id.community, lead: id.cg, priority: 5 });
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ ruleId: noiseCommunityHigh, lead: { id: id.cg } });
    // A rule of another community does not apply; another category takes the "any" rules.
    expect(await resolveRouting(db, id.noise, id.otherCommunity)).toMatchObject({ ruleId: noiseDistrict });
    expect(await resolveRouting(db, id.lamp, id.community)).toMatchObject({ ruleId: anyStreet });
    expect(await resolveRouting(db, id.lamp, id.otherCommunity)).toMatchObject({ ruleId: anyDistrict });
    // Deactivated rules drop out.
    await db.updateTable('routing_rule').set({ active: false }).where('id', 'in', [noiseCommunityHigh, noiseCommunityLow]).execute();
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ ruleId: noiseDistrict });
    await db.updateTable('routing_rule').set({ active: false }).execute();
  });

  it('uses the rules of the given version; an unknown region or category resolves to none', async () => {
    const v = await db.selectFrom('event_category').select('current_version').where('id', '=', id.lamp).executeTakeFirstOrThrow();
    expect(v.current_version).toBe(1);
    await db.transaction().execute(async (trx) => {
      const old = await trx
        .selectFrom('event_category_version')
        .selectAll()
        .where('category_id', '=', id.lamp)
        .where('version', '=', 1)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('event_category_version')
        .values({ ...old, version: 2, dept_code: 'zj', limits: JSON.stringify(old.limits), keywords: JSON.stringify(old.keywords), created_at: new Date() })
        .execute();
      await trx.updateTable('event_category').set({ current_version: 2 }).where('id', '=', id.lamp).execute();
    });
    expect(await resolveRouting(db, id.lamp, id.community)).toMatchObject({ source: 'category_department', lead: { id: id.zj } });
    expect(await resolveRouting(db, id.lamp, id.community, { version: 1 })).toMatchObject({ source: 'category_department', lead: { id: id.cg } });
    const none = { source: 'none', ruleId: null, lead: null, co: [] };
    expect(await resolveRouting(db, '00000000-0000-4000-8000-000000000000', id.community)).toEqual(none);
    expect(await resolveRouting(db, id.lamp, '00000000-0000-4000-8000-000000000000')).toEqual(none);
  });

  it('a department of a nearer region beats the district one with the same code', async () => {
    const streetCg = await createOrgUnit(db, { regionId: id.street, kind: 'department', name: '泉城街道城管中队' });
    await db.updateTable('org_unit').set({ dept_code: 'cg' }).where('id', '=', streetCg.id).execute();
    expect(await resolveRouting(db, id.noise, id.community)).toMatchObject({ source: 'category_department', lead: { id: streetCg.id } });
    expect(await resolveRouting(db, id.noise, id.otherCommunity)).toMatchObject({ source: 'category_department', lead: { id: id.cg } });
  });
});
