import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { itemRules } from './catalogue.fixtures.js';
import { categoryRulesAt } from './category-rules.js';

type Item = {
  id: string;
  code: string;
  name: string;
  active: boolean;
  rules: { version: number; limits: Record<string, { amount: number; unit: string; zh: string }> };
};
type Tree = { classes: { code: string; items: Item[] }[] };

const rules = itemRules;

describe('event catalogue: tree, versioned rules, validation, codes', () => {
  let t: TestApp;
  let center: TestSession;
  let street: TestSession;
  let resident: TestSession;
  const itemOf = (tree: Tree, code: string) => tree.classes.flatMap((c) => c.items).find((i) => i.code === code);
  const tree = async (s: TestSession, q = '') => (await t.as(s, { method: 'GET', url: `/api/catalogue${q}` })).json() as Tree;

  beforeAll(async () => {
    t = await createTestApp();
    center = await t.login('qu_zhongxin');
    street = await t.login('jd_quancheng');
    resident = await t.login('jumin');
  });
  afterAll(() => t.close());

  it('gives every signed-in caller the tree with the current rules, department names and zh labels', async () => {
    const r = await t.as(resident, { method: 'GET', url: '/api/catalogue' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as Tree;
    expect(body.classes.map((c) => c.code)).toEqual(['01', '02', '03']);
    expect(body.classes.every((c) => c.items.length === 20)).toBe(true);
    const lamp = itemOf(body, '0207');
    expect(lamp).toMatchObject({
      name: '路灯损坏',
      active: true,
      rules: {
        version: 1,
        deptCode: 'cg',
        deptName: '区城市管理局',
        level: 'street',
        limits: {
          accept: { amount: 2, unit: 'working_hours', zh: '2 工作时', en: '2 working hours' },
          handle: { amount: 3, unit: 'working_days', zh: '3 工作日' },
        },
        selfDispose: false,
        admitted: true,
        keywords: ['路灯', '不亮', '灯坏'],
      },
    });
    expect(itemOf(body, '0110')?.rules).toMatchObject({ deptCode: null, deptName: null, level: 'grid', selfDispose: true });
    // includeInactive is for configurers.
    const refused = await t.as(street, { method: 'GET', url: '/api/catalogue?includeInactive=true' });
    expect(refused.statusCode).toBe(403);
  });

  it('an edit writes version 2; the history shows both; a case opened under version 1 keeps its limits', async () => {
    const lamp = itemOf(await tree(center), '0207') as Item;
    const db = t.database.db;
    const community = await regionByCode(db, '370118001001');
    await db
      .insertInto('event_case')
      .values({
        case_no: '370118-20261203-990001',
        channel: 'grid_worker',
        category_id: lamp.id,
        category_version: 1,
        title: '路灯不亮',
        description: '趵突泉社区 3 号楼前路灯不亮',
        status: 'reported',
        region_id: community.id,
        region_path: community.path,
        handling_level: 'street',
        reported_at: new Date('2026-12-01T09:00:00+08:00'),
      })
      .execute();

    const edit = await t.as(center, {
      method: 'PUT',
      url: `/api/catalogue/items/${lamp.id}`,
      payload: { name: '路灯损坏', version: 1, rules: rules({ limits: { ...rules().limits, handle: { amount: 16, unit: 'working_hours' } } }) },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().rules).toMatchObject({ version: 2, limits: { handle: { amount: 16, unit: 'working_hours', zh: '16 工作时' } }, createdBy: '王主任' });
    expect(itemOf(await tree(resident), '0207')?.rules.version).toBe(2);

    const history = await t.as(street, { method: 'GET', url: `/api/catalogue/items/${lamp.id}/versions` });
    expect(history.statusCode).toBe(200);
    expect(history.json()).toMatchObject({ code: '0207', currentVersion: 2 });
    expect(history.json().versions.map((v: { version: number; limits: { handle: { amount: number } } }) => [v.version, v.limits.handle.amount])).toEqual([
      [2, 16],
      [1, 3],
    ]);

    // The version-1 row is untouched, and the case still reads version 1's limits.
    const c = await db
      .selectFrom('event_case')
      .select(['category_id', 'category_version'])
      .where('case_no', '=', '370118-20261203-990001')
      .executeTakeFirstOrThrow();
    expect((await categoryRulesAt(db, c.category_id, c.category_version))?.limits.handle).toMatchObject({ amount: 3, unit: 'working_days' });
    expect((await categoryRulesAt(db, c.category_id))?.limits.handle).toMatchObject({ amount: 16, unit: 'working_hours' });

    // A stale editor (still at version 1) is refused, and nothing is written.
    const stale = await t.as(center, { method: 'PUT', url: `/api/catalogue/items/${lamp.id}`, payload: { name: '路灯损坏', version: 1, rules: rules() } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: 2 } });
    const versions = await db.selectFrom('event_category_version').select('version').where('category_id', '=', lamp.id).execute();
    expect(versions).toHaveLength(2);

    // A rename alone makes no new version of the rules.
    const current = (await t.as(center, { method: 'GET', url: `/api/catalogue/items/${lamp.id}/versions` })).json().versions[0];
    const renamed = await t.as(center, {
      method: 'PUT',
      url: `/api/catalogue/items/${lamp.id}`,
      payload: {
        name: '路灯照明故障',
        rules: {
          ...rules(),
          limits: Object.fromEntries(
            Object.entries(current.limits).map(([k, v]) => [k, { amount: (v as { amount: number }).amount, unit: (v as { unit: string }).unit }]),
          ),
        },
      },
    });
    expect(renamed.json()).toMatchObject({ name: '路灯照明故障', rules: { version: 2 } });

    const audit = await db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'catalogue.item_updated')
      .where('target_id', '=', lamp.id)
      .orderBy('id')
      .execute();
    const details = audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details));
    expect(details).toEqual([
      { code: '0207', version: 2, changes: expect.arrayContaining(['limits.handle', 'keywords']) },
      { code: '0207', version: 2, changes: ['name'] },
    ]);
    expect(details[0].changes).not.toContain('limits.accept');
  });

  it('names each bad field: limits above 0, units, level, unknown department, duplicate keywords, class prefix', async () => {
    const classId = (await tree(center)).classes.find((c) => c.code === '03') as unknown as { id: string };
    const bad = await t.as(center, {
      method: 'POST',
      url: '/api/catalogue/items',
      payload: {
        classId: classId.id,
        code: '0399',
        name: '测试',
        rules: rules({
          level: 'province',
          limits: { ...rules().limits, accept: { amount: 0, unit: 'working_hours' }, verify: { amount: 1, unit: 'weeks' } },
        }),
      },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().error.fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'rules.level',
      'rules.limits.accept.amount',
      'rules.limits.verify.unit',
    ]);

    const semantic = await t.as(center, {
      method: 'POST',
      url: '/api/catalogue/items',
      payload: { classId: classId.id, code: '0299', name: '测试', rules: rules({ deptCode: 'nosuch', keywords: ['占道', '占道'] }) },
    });
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json().error.fields).toEqual([
      expect.objectContaining({ path: 'code', code: 'class_prefix' }),
      expect.objectContaining({ path: 'rules.deptCode', code: 'unknown_department' }),
      expect.objectContaining({ path: 'rules.keywords.1', code: 'duplicate' }),
    ]);
    const lamp = itemOf(await tree(center), '0207') as Item;
    const badEdit = await t.as(center, { method: 'PUT', url: `/api/catalogue/items/${lamp.id}`, payload: { name: '', rules: rules({ deptCode: 'nosuch' }) } });
    expect(badEdit.statusCode).toBe(400);
    expect(badEdit.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['name']);
    const badDept = await t.as(center, {
      method: 'PUT',
      url: `/api/catalogue/items/${lamp.id}`,
      payload: { name: '路灯损坏', rules: rules({ deptCode: 'nosuch' }) },
    });
    expect(badDept.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['rules.deptCode']);
    // Nothing of the refused requests was written.
    const n = await t.database.db.selectFrom('event_category').select(t.database.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(63);
  });

  it('creates classes and items with unique codes, and deactivates/activates an item', async () => {
    const cls = await t.as(center, { method: 'POST', url: '/api/catalogue/classes', payload: { code: '04', name: '专项治理类' } });
    expect(cls.statusCode).toBe(201);
    const again = await t.as(center, { method: 'POST', url: '/api/catalogue/classes', payload: { code: '04', name: '重复' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'CATEGORY_CODE_TAKEN', fields: [{ path: 'code' }] });
    const item = await t.as(center, {
      method: 'POST',
      url: '/api/catalogue/items',
      payload: { classId: cls.json().id, code: '0401', name: '群租房整治', rules: rules({ deptCode: 'zj', level: 'community', keywords: ['群租'] }) },
    });
    expect(item.statusCode).toBe(201);
    expect(item.json()).toMatchObject({ code: '0401', rules: { version: 1, deptName: '区住房和城乡建设局', level: 'community' } });
    const taken = await t.as(center, {
      method: 'POST',
      url: '/api/catalogue/items',
      payload: { classId: (itemOf(await tree(center), '0207') as Item & { classId: string }).classId, code: '0207', name: '重复', rules: rules() },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('CATEGORY_CODE_TAKEN');

    const id = item.json().id;
    expect((await t.as(street, { method: 'POST', url: `/api/catalogue/items/${id}/deactivate` })).statusCode).toBe(403);
    const off = await t.as(center, { method: 'POST', url: `/api/catalogue/items/${id}/deactivate` });
    expect(off.json().active).toBe(false);
    expect(itemOf(await tree(resident), '0401')).toBeUndefined();
    expect(itemOf(await tree(center, '?includeInactive=true'), '0401')).toMatchObject({ active: false });
    const on = await t.as(center, { method: 'POST', url: `/api/catalogue/items/${id}/activate` });
    expect(on.json().active).toBe(true);
    expect(itemOf(await tree(resident), '0401')).toBeDefined();
    const actions = await t.database.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['catalogue.item_created', 'catalogue.item_deactivated', 'catalogue.item_activated']);
    expect((await t.as(center, { method: 'POST', url: `/api/catalogue/items/${cls.json().id}/deactivate` })).statusCode).toBe(404);
  });
});

describe('routing rules over HTTP: who may write where, field errors, resolution', () => {
  let t: TestApp;
  let center: TestSession;
  let street: TestSession;
  let station: TestSession;
  const ids = {} as Record<'district' | 'street' | 'community' | 'otherStreet' | 'noise' | 'cg' | 'zj' | 'station' | 'streetCenter', string>;

  beforeAll(async () => {
    t = await createTestApp();
    center = await t.login('qu_zhongxin');
    street = await t.login('jd_quancheng');
    station = await t.login('sq_baotuquan');
    const db = t.database.db;
    ids.district = (await regionByCode(db, '370118')).id;
    ids.street = (await regionByCode(db, '370118001000')).id;
    ids.community = (await regionByCode(db, '370118001001')).id;
    ids.otherStreet = (await regionByCode(db, '370118002000')).id;
    ids.noise = (await db.selectFrom('event_category').select('id').where('code', '=', '0118').executeTakeFirstOrThrow()).id;
    const unit = async (name: string) => (await db.selectFrom('org_unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    ids.cg = await unit('区城市管理局');
    ids.zj = await unit('区住房和城乡建设局');
    ids.station = (
      await db.selectFrom('org_unit').select('id').where('region_id', '=', ids.community).where('kind', '=', 'station').executeTakeFirstOrThrow()
    ).id;
    ids.streetCenter = (
      await db.selectFrom('org_unit').select('id').where('region_id', '=', ids.street).where('kind', '=', 'center').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t.close());

  const create = (s: TestSession, payload: Record<string, unknown>) => t.as(s, { method: 'POST', url: '/api/routing-rules', payload });
  const resolve = async (s: TestSession, regionId: string) =>
    (await t.as(s, { method: 'GET', url: `/api/routing-rules/resolve?categoryId=${ids.noise}&regionId=${regionId}` })).json();

  it('a street center writes rules for its street (district departments included), not for the district or another street', async () => {
    expect(await resolve(street, ids.community)).toMatchObject({ source: 'category_department', lead: { id: ids.cg, name: '区城市管理局' } });
    const r = await create(street, { categoryId: ids.noise, regionId: ids.street, leadOrgUnitId: ids.streetCenter, coOrgUnitIds: [ids.cg] });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      categoryCode: '0118',
      categoryName: '噪声扰民',
      regionName: '泉城街道',
      lead: { id: ids.streetCenter },
      co: [{ id: ids.cg, name: '区城市管理局' }],
      active: true,
      createdBy: '李调度',
    });
    expect(await resolve(station, ids.community)).toMatchObject({ source: 'rule', ruleId: r.json().id, lead: { id: ids.streetCenter }, co: [{ id: ids.cg }] });

    // The district lies outside the street's view (NOT_FOUND, no existence leak), so does another street.
    expect((await create(street, { categoryId: null, regionId: ids.district, leadOrgUnitId: ids.cg })).statusCode).toBe(404);
    expect((await create(street, { categoryId: null, regionId: ids.otherStreet, leadOrgUnitId: ids.cg })).statusCode).toBe(404);
    // The district center (case.configure) writes anywhere in its scope.
    const any = await create(center, { categoryId: null, regionId: ids.district, leadOrgUnitId: ids.zj, priority: 3 });
    expect(any.statusCode).toBe(201);
    // A community station writes for its community only; its rule, deeper, wins for the community.
    const mine = await create(station, { categoryId: ids.noise, regionId: ids.community, leadOrgUnitId: ids.station });
    expect(mine.statusCode).toBe(201);
    expect(await resolve(street, ids.community)).toMatchObject({ ruleId: mine.json().id, lead: { id: ids.station } });
    // The street center lists the rules of its street; the district's rule is outside its view.
    const list = (await t.as(street, { method: 'GET', url: '/api/routing-rules' })).json().items as { id: string }[];
    expect(list.map((x) => x.id).sort()).toEqual([r.json().id, mine.json().id].sort());
    // The station does not see the street's rule; the street center may deactivate the station's.
    expect((await t.as(station, { method: 'DELETE', url: `/api/routing-rules/${r.json().id}` })).statusCode).toBe(404);
    const off = await t.as(street, { method: 'DELETE', url: `/api/routing-rules/${mine.json().id}` });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(await resolve(street, ids.community)).toMatchObject({ ruleId: r.json().id });
    const listed = (await t.as(street, { method: 'GET', url: '/api/routing-rules?includeInactive=true' })).json().items as { id: string; active: boolean }[];
    expect(listed.find((x) => x.id === mine.json().id)?.active).toBe(false);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target_type', '=', 'routing_rule').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['routing_rule.created', 'routing_rule.created', 'routing_rule.created', 'routing_rule.deactivated']);
  });

  it('a dispatcher who may see the district but write only in its street: OUT_OF_SCOPE above, allowed below', async () => {
    const db = t.database.db;
    const u = await createUser(db, { username: 'jd_view_wide', role: 'street_center', scopeRegionIds: [ids.street] });
    await db.insertInto('user_scope').values({ user_id: u.id, kind: 'view', region_id: ids.district }).execute();
    const s = await t.login('jd_view_wide');
    const above = await create(s, { categoryId: null, regionId: ids.district, leadOrgUnitId: ids.cg });
    expect(above.statusCode).toBe(403);
    expect(above.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await create(s, { categoryId: null, regionId: ids.community, leadOrgUnitId: ids.station })).statusCode).toBe(201);
    // It sees the district's rules, but may not deactivate them.
    const district = (await t.as(s, { method: 'GET', url: '/api/routing-rules' })).json().items.find((r: { regionId: string }) => r.regionId === ids.district);
    expect(district).toBeDefined();
    expect((await t.as(s, { method: 'DELETE', url: `/api/routing-rules/${district.id}` })).json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('names the bad fields: unknown category, a unit outside the jurisdiction, the lead twice', async () => {
    const otherStation = (
      await t.database.db
        .selectFrom('org_unit')
        .select('id')
        .where('region_id', '=', (await regionByCode(t.database.db, '370118002002')).id)
        .where('kind', '=', 'station')
        .executeTakeFirstOrThrow()
    ).id;
    const r = await create(street, {
      categoryId: ids.street,
      regionId: ids.street,
      leadOrgUnitId: otherStation,
      coOrgUnitIds: [ids.cg, ids.cg, otherStation],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.map((f: { path: string; code: string }) => `${f.path}:${f.code}`)).toEqual([
      'categoryId:unknown_category',
      'leadOrgUnitId:unknown_unit',
      'coOrgUnitIds.1:duplicate',
      'coOrgUnitIds.2:unknown_unit',
    ]);
    const unknown = await t.as(street, { method: 'GET', url: `/api/routing-rules/resolve?categoryId=${ids.street}&regionId=${ids.community}` });
    expect(unknown.json().error.code).toBe('CATEGORY_UNKNOWN');
  });
});
