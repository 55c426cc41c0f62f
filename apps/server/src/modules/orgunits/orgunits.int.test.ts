import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';

interface Unit {
  id: string;
  name: string;
  kind: string;
  regionId: string;
  regionName: string;
  deptCode: string | null;
}

describe('org units', () => {
  let t: TestApp;
  let admin: TestSession;
  let quancheng: TestSession;
  const ids: Record<string, string> = {};
  const unitCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('org_unit')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    for (const r of await t.database.db.selectFrom('region').select(['id', 'code']).execute()) ids[r.code] = r.id;
    admin = await t.login('admin');
    quancheng = await t.login('jd_quancheng');
  });
  afterAll(() => t.close());

  it('lists the units of a community and the departments serving it from the district', async () => {
    const res = await t.as(quancheng, { method: 'GET', url: `/api/org-units?regionId=${ids['370118001001']}` });
    expect(res.statusCode).toBe(200);
    const items: Unit[] = res.json().items;
    expect(items[items.length - 1]?.kind).toBe('department');
    expect(items.filter((u) => u.kind === 'station').map((u) => u.name)).toEqual(['趵突泉社区网格化服务管理站']);
    expect(
      items
        .filter((u) => u.kind === 'department')
        .map((u) => u.deptCode)
        .sort(),
    ).toEqual(['cg', 'mz', 'pcs_qc', 'sj', 'yj', 'zj']);
    expect(items.find((u) => u.deptCode === 'cg')).toMatchObject({
      name: '区城市管理局',
      regionName: '明湖区',
      regionLevel: 'district',
      phone: '0531-8800 1201',
    });
    // The street's own center is at another region: not listed for the community.
    expect(items.some((u) => u.kind === 'center')).toBe(false);
    expect(res.json().total).toBe(7);
  });

  it('without a region lists the whole view scope plus the departments above it', async () => {
    const mine = (await t.as(quancheng, { method: 'GET', url: '/api/org-units' })).json();
    expect(mine.total).toBe(10);
    expect(mine.items[0]).toMatchObject({ kind: 'center', name: '泉城街道网格化服务管理中心' });
    expect(mine.items.filter((u: Unit) => u.kind === 'station')).toHaveLength(3);
    expect(mine.items.some((u: Unit) => u.name.startsWith('柳荫') || u.name.startsWith('百花洲'))).toBe(false);

    const depts = (await t.as(quancheng, { method: 'GET', url: '/api/org-units?kind=department' })).json();
    expect(depts.total).toBe(6);
    const worker = (await t.as(await t.login('wgy_baotuquan'), { method: 'GET', url: '/api/org-units' })).json();
    expect(worker.total).toBe(7);
    const all = (await t.as(admin, { method: 'GET', url: '/api/org-units?limit=5&offset=5' })).json();
    expect(all.total).toBe(24);
    expect(all.items).toHaveLength(5);
  });

  it('a region outside the view scope is not found, and residents may not list', async () => {
    const other = await t.as(quancheng, { method: 'GET', url: `/api/org-units?regionId=${ids['370118002000']}` });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    const resident = await t.as(await t.login('jumin'), { method: 'GET', url: '/api/org-units' });
    expect(resident.statusCode).toBe(403);
    const badKind = await t.as(quancheng, { method: 'GET', url: '/api/org-units?kind=team' });
    expect(badKind.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'query.kind' }] });
    const extra = await t.as(quancheng, { method: 'GET', url: "/api/org-units?name=' OR 1=1" });
    expect(extra.json().error.code).toBe('UNKNOWN_FIELD');
  });

  it('only org-unit managers create units (street center: 403)', async () => {
    const res = await t.as(quancheng, {
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: ids['370118001000'], kind: 'department', name: '泉城司法所' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('creates a department at a street; the communities below list it, and it is audited', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: ids['370118001000'], kind: 'department', name: '泉城司法所', deptCode: 'sf_qc', phone: '0531-8800 1301' },
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json();
    expect(unit).toMatchObject({
      regionId: ids['370118001000'],
      regionName: '泉城街道',
      kind: 'department',
      name: '泉城司法所',
      deptCode: 'sf_qc',
      phone: '0531-8800 1301',
    });
    ids.sifa = unit.id;
    const forCommunity: Unit[] = (await t.as(quancheng, { method: 'GET', url: `/api/org-units?regionId=${ids['370118001002']}` })).json().items;
    expect(forCommunity.map((u) => u.name)).toContain('泉城司法所');
    const neighbour: Unit[] = (await t.as(await t.login('jd_liuyin'), { method: 'GET', url: '/api/org-units' })).json().items;
    expect(neighbour.map((u) => u.name)).not.toContain('泉城司法所');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'orgunit.created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const street = await t.database.db
      .selectFrom('region')
      .select('path')
      .where('id', '=', ids['370118001000'] as string)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_name: 'admin', target_type: 'org_unit', target_id: unit.id, region_id: ids['370118001000'], region_path: street.path });
  });

  it('refuses a duplicate name at the same region with CONFLICT on the name', async () => {
    const before = await unitCount();
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: ids['370118001000'], kind: 'department', name: '泉城司法所' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'name', code: 'taken' }] });
    // The same name at another region is fine.
    const elsewhere = await t.as(admin, {
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: ids['370118002000'], kind: 'department', name: '泉城司法所' },
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(await unitCount()).toBe(before + 1);
  });

  it('keeps stations at communities and centers above them; department codes only on departments', async () => {
    const before = await unitCount();
    const cases = [
      [{ regionId: ids['370118001000'], kind: 'station', name: '街道工作站' }, 'kind'],
      [{ regionId: ids['370118001001'], kind: 'center', name: '社区中心' }, 'kind'],
      [{ regionId: ids['370118001001'], kind: 'department', name: '社区部门' }, 'kind'],
      [{ regionId: ids['370118001000'], kind: 'center', name: '第二中心', deptCode: 'zx' }, 'deptCode'],
    ] as const;
    for (const [payload, field] of cases) {
      const res = await t.as(admin, { method: 'POST', url: '/api/org-units', payload });
      expect(res.statusCode, payload.name).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: field }] });
    }
    expect(await unitCount()).toBe(before);
  });

  it('refuses unknown fields and injection strings, writing nothing', async () => {
    const before = await unitCount();
    const bad: [Record<string, unknown>, string, string][] = [
      [{ regionId: ids['370118001000'], kind: 'department', name: '新部门', id: ids.sifa }, 'UNKNOWN_FIELD', 'id'],
      [{ regionId: ids['370118001000'], kind: 'department', name: "x'); DELETE FROM org_unit; --" }, 'VALIDATION_FAILED', 'name'],
      [{ regionId: ids['370118001000'], kind: 'department', name: '新部门', deptCode: "cg' OR '1'='1" }, 'VALIDATION_FAILED', 'deptCode'],
      [{ regionId: ids['370118001000'], kind: 'department', name: '新部门', phone: '<img src=x>' }, 'VALIDATION_FAILED', 'phone'],
      [{ regionId: '1 OR 1=1', kind: 'department', name: '新部门' }, 'VALIDATION_FAILED', 'regionId'],
    ];
    for (const [payload, code, path] of bad) {
      const res = await t.as(admin, { method: 'POST', url: '/api/org-units', payload });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.fields[0].path).toBe(path);
    }
    expect(await unitCount()).toBe(before);
  });

  it('a region outside the caller’s scope does not exist for creating either', async () => {
    const rootId = crypto.randomUUID();
    await t.database.db
      .insertInto('region')
      .values({ id: rootId, parent_id: null, level: 'district', code: '320508', name: '姑苏区', path: `/${rootId}/` })
      .execute();
    const res = await t.as(admin, { method: 'POST', url: '/api/org-units', payload: { regionId: rootId, kind: 'center', name: '姑苏区中心' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('renames a unit and changes its phone, auditing the change; duplicates and empty edits are refused', async () => {
    const res = await t.as(admin, { method: 'PATCH', url: `/api/org-units/${ids.sifa}`, payload: { name: '泉城街道司法所', phone: null } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '泉城街道司法所', phone: null, deptCode: 'sf_qc' });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'orgunit.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target_id: ids.sifa, region_id: ids['370118001000'] });
    expect(audit.details).toMatchObject({ changes: { name: { from: '泉城司法所', to: '泉城街道司法所' }, phone: { from: '0531-8800 1301', to: null } } });

    const dup = await t.as(admin, { method: 'PATCH', url: `/api/org-units/${ids.sifa}`, payload: { name: '泉城街道网格化服务管理中心' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'name' }] });
    const empty = await t.as(admin, { method: 'PATCH', url: `/api/org-units/${ids.sifa}`, payload: {} });
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
    const kind = await t.as(admin, { method: 'PATCH', url: `/api/org-units/${ids.sifa}`, payload: { kind: 'center' } });
    expect(kind.json().error.code).toBe('UNKNOWN_FIELD');

    const station = (await t.as(admin, { method: 'GET', url: `/api/org-units?regionId=${ids['370118001001']}&kind=station` })).json().items[0];
    const deptOnStation = await t.as(admin, { method: 'PATCH', url: `/api/org-units/${station.id}`, payload: { deptCode: 'zz' } });
    expect(deptOnStation.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'deptCode' }] });
    const missing = await t.as(admin, { method: 'PATCH', url: '/api/org-units/00000000-0000-4000-8000-000000000000', payload: { name: '无' } });
    expect(missing.statusCode).toBe(404);
    const worker = await t.as(await t.login('wgy_baotuquan'), { method: 'PATCH', url: `/api/org-units/${station.id}`, payload: { name: '改名' } });
    expect(worker.statusCode).toBe(403);
  });
});
