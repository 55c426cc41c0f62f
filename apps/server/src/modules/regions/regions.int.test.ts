import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { demoUsers } from '../../seed/demo-district.js';

/** user_scope rows the demo seed writes for a region: capture + view per scoped user. */
const demoScopeRows = (code: string) =>
  demoUsers.reduce((n, u) => n + (u.scope === code ? 1 : 0) + (u.view ?? (u.scope ? [u.scope] : [])).filter((v) => v === code).length, 0);

describe('region tree', () => {
  let t: TestApp;
  let admin: TestSession;
  let quancheng: TestSession;
  const ids: Record<string, string> = {};

  const regionCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('region')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditRows = (action: string) => t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp();
    for (const r of await t.database.db.selectFrom('region').select(['id', 'code']).execute()) ids[r.code] = r.id;
    admin = await t.login('admin');
    quancheng = await t.login('jd_quancheng');
  });
  afterAll(() => t.close());

  it('lists the level names in depth order to any active user, and nobody signed out', async () => {
    const res = await t.as(await t.login('wgy_baotuquan'), { method: 'GET', url: '/api/region-levels' });
    expect(res.statusCode).toBe(200);
    const levels = res.json().items;
    expect(levels.map((l: { key: string }) => l.key)).toEqual(['province', 'city', 'district', 'street', 'community']);
    expect(levels[3]).toEqual({ key: 'street', depth: 3, nameZh: '街道/乡镇', nameEn: 'Street/town', codeLength: 12 });
    const anon = await t.as(null, { method: 'GET', url: '/api/region-levels' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('AUTH_REQUIRED');
  });

  it('starts each caller at the roots of their own scope, with child counts', async () => {
    const mine = await t.as(quancheng, { method: 'GET', url: '/api/regions' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toEqual([expect.objectContaining({ id: ids['370118001000'], name: '泉城街道', level: 'street', childCount: 3 })]);
    const district = (await t.as(admin, { method: 'GET', url: '/api/regions' })).json().items;
    expect(district).toEqual([expect.objectContaining({ code: '370118', name: '明湖区', level: 'district', parentId: null, childCount: 4 })]);
    const resident = await t.as(await t.login('jumin'), { method: 'GET', url: '/api/regions' });
    expect(resident.statusCode).toBe(403);
    expect(resident.json().error.code).toBe('FORBIDDEN');
  });

  it('lists the children of a viewable node in order, and a street center cannot see the next street (404)', async () => {
    const children = await t.as(quancheng, { method: 'GET', url: `/api/regions?parentId=${ids['370118001000']}` });
    expect(children.statusCode).toBe(200);
    expect(children.json().items.map((n: { name: string }) => n.name)).toEqual(['趵突泉社区', '芙蓉巷社区', '曲水亭社区']);
    expect(children.json().items[0]).toMatchObject({ level: 'community', kind: 'urban', childCount: 0 });

    for (const url of [
      `/api/regions?parentId=${ids['370118002000']}`,
      `/api/regions/${ids['370118002000']}`,
      `/api/regions/${ids['370118002001']}`,
      `/api/regions?parentId=${ids['370118']}`,
    ]) {
      const res = await t.as(quancheng, { method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const unknown = await t.as(quancheng, { method: 'GET', url: '/api/regions/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const badId = await t.as(quancheng, { method: 'GET', url: '/api/regions/1%20or%201=1' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows a node with its breadcrumb; ancestors above the scope by name only', async () => {
    const res = await t.as(quancheng, { method: 'GET', url: `/api/regions/${ids['370118001001']}` });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.node).toMatchObject({ name: '趵突泉社区', code: '370118001001', parentId: ids['370118001000'] });
    expect(d.ancestors).toEqual([
      { id: null, level: 'district', code: '370118', name: '明湖区' },
      { id: ids['370118001000'], level: 'street', code: '370118001000', name: '泉城街道' },
    ]);
    expect(d.canManage).toBe(true);
    expect(d.orgUnitCount).toBe(1);
    const worker = await t.as(await t.login('wgy_baotuquan'), { method: 'GET', url: `/api/regions/${ids['370118001001']}` });
    expect(worker.json().canManage).toBe(false);
  });

  it('searches names and code prefixes inside the view scope only', async () => {
    const byName = await t.as(quancheng, { method: 'GET', url: `/api/regions/search?q=${encodeURIComponent('社区')}` });
    expect(byName.statusCode).toBe(200);
    expect(
      byName
        .json()
        .items.map((h: { name: string }) => h.name)
        .sort(),
    ).toEqual(['曲水亭社区', '芙蓉巷社区', '趵突泉社区'].sort());
    expect(byName.json().items.find((h: { name: string }) => h.name === '趵突泉社区').pathName).toBe('泉城街道 / 趵突泉社区');

    const otherStreet = await t.as(quancheng, { method: 'GET', url: '/api/regions/search?q=370118002' });
    expect(otherStreet.json().items).toEqual([]);
    const adminCodes = (await t.as(admin, { method: 'GET', url: '/api/regions/search?q=370118002' })).json().items;
    expect(adminCodes.map((h: { code: string }) => h.code)).toEqual(['370118002000', '370118002001', '370118002002', '370118002003']);
    expect(adminCodes[1].pathName).toBe('明湖区 / 柳荫街道 / 百花洲社区');

    const exactFirst = (await t.as(admin, { method: 'GET', url: `/api/regions/search?q=${encodeURIComponent('泉城街道')}` })).json().items;
    expect(exactFirst[0].name).toBe('泉城街道');
    const limited = (await t.as(admin, { method: 'GET', url: '/api/regions/search?q=370118&limit=5' })).json().items;
    expect(limited).toHaveLength(5);
  });

  it('refuses injection strings, wildcards and bad limits in the search with VALIDATION_FAILED', async () => {
    for (const q of ["' OR 1=1 --", '%', '社区_', '<script>', '', 'a'.repeat(65)]) {
      const res = await t.as(admin, { method: 'GET', url: `/api/regions/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields[0].path).toBe('query.q');
    }
    const big = await t.as(admin, { method: 'GET', url: '/api/regions/search?q=370118&limit=51' });
    expect(big.statusCode).toBe(400);
    const extra = await t.as(admin, { method: 'GET', url: '/api/regions/search?q=370118&sort=name' });
    expect(extra.json().error.code).toBe('UNKNOWN_FIELD');
  });

  describe('creating', () => {
    it('a grid worker and a community station may not create regions (403 FORBIDDEN)', async () => {
      for (const u of ['wgy_baotuquan', 'sq_baotuquan']) {
        const res = await t.as(await t.login(u), {
          method: 'POST',
          url: '/api/regions',
          payload: { parentId: ids['370118001001'], code: '370118001009', name: '新社区' },
        });
        expect(res.statusCode, u).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    });

    it('a street center cannot create under the neighbouring street: it does not exist for them (404)', async () => {
      const before = await regionCount();
      const res = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118002000'], code: '370118002004', name: '新柳社区', kind: 'urban' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(await regionCount()).toBe(before);
    });

    it('a street center creates a community in its street, with the path and an audit row', async () => {
      const res = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118001000'], code: ' 370118001004 ', name: ' 泉韵社区 ', kind: 'urban' },
      });
      expect(res.statusCode).toBe(201);
      const node = res.json();
      expect(node).toMatchObject({
        parentId: ids['370118001000'],
        level: 'community',
        code: '370118001004',
        name: '泉韵社区',
        kind: 'urban',
        childCount: 0,
        sortOrder: 3,
      });
      ids['370118001004'] = node.id;
      const row = await t.database.db.selectFrom('region').selectAll().where('id', '=', node.id).executeTakeFirstOrThrow();
      const parent = await t.database.db
        .selectFrom('region')
        .select('path')
        .where('id', '=', ids['370118001000'] as string)
        .executeTakeFirstOrThrow();
      expect(row.path).toBe(`${parent.path}${node.id}/`);
      const audit = (await auditRows('region.created')).at(-1);
      expect(audit).toMatchObject({
        actor_name: 'jd_quancheng',
        outcome: 'ok',
        target_type: 'region',
        target_id: node.id,
        region_id: node.id,
        region_path: row.path,
      });
      expect(audit?.details).toMatchObject({ code: '370118001004', name: '泉韵社区', level: 'community' });
      // It appears in the tree and in search.
      const children = (await t.as(quancheng, { method: 'GET', url: `/api/regions?parentId=${ids['370118001000']}` })).json().items;
      expect(children.map((c: { name: string }) => c.name)).toContain('泉韵社区');
    });

    it('a malformed code gets REGION_CODE_INVALID with the offending position, and nothing is written', async () => {
      const cases: [string, number, RegExp][] = [
        ['3701180014', 11, /只有 10 位/],
        ['370118001400', 10, /400 超出 001–399/],
        ['370118001000', 10, /社区\/村代码的第 10–12 位/],
        ['370118601001', 7, /601 超出 001–599/],
        ["370118001005'; DROP TABLE region;--", 13, /第 13 位不是数字/],
        ['３70118001005', 1, /第 1 位不是数字/],
        ['370118', 7, /只有 6 位，应为 12 位/],
      ];
      const before = await regionCount();
      for (const [code, position, zh] of cases) {
        const res = await t.as(quancheng, { method: 'POST', url: '/api/regions', payload: { parentId: ids['370118001000'], code, name: '错误社区' } });
        expect(res.statusCode, code).toBe(400);
        const e = res.json().error;
        expect(e.code).toBe('REGION_CODE_INVALID');
        expect(e.message).toBe('区划代码不合法');
        expect(e.fields[0]).toMatchObject({ path: 'code', code: 'region_code' });
        expect(e.fields[0].message).toMatch(new RegExp(`^第 ${position} 位：`));
        expect(e.details.position, code).toBe(position);
        expect(e.details.reason.zh).toMatch(zh);
        expect(e.details.reason.en).toBeTruthy();
      }
      expect(await regionCount()).toBe(before);
    });

    it('a code that does not continue the parent, or a parent at the deepest level, gets REGION_PARENT_INVALID', async () => {
      const other = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118001000'], code: '370118002005', name: '错位社区' },
      });
      expect(other.statusCode).toBe(400);
      expect(other.json().error).toMatchObject({ code: 'REGION_PARENT_INVALID', details: { position: 9, parentCode: '370118001000' } });
      expect(other.json().error.fields[0]).toMatchObject({ path: 'code', code: 'not_under_parent' });

      const deepest = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118001001'], code: '370118001001', name: '网格' },
      });
      expect(deepest.statusCode).toBe(400);
      expect(deepest.json().error.code).toBe('REGION_PARENT_INVALID');
      expect(deepest.json().error.fields[0]).toMatchObject({ path: 'parentId', code: 'deepest_level' });

      const street = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: ids['370118'], code: '370119004000', name: '外区街道' } });
      expect(street.json().error).toMatchObject({ code: 'REGION_PARENT_INVALID', details: { position: 6 } });
    });

    it('a taken code gets REGION_CODE_TAKEN; a kind on a street, unknown fields and bad names are refused', async () => {
      const before = await regionCount();
      const taken = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118001000'], code: '370118001002', name: '重复社区' },
      });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({ code: 'REGION_CODE_TAKEN', fields: [{ path: 'code', code: 'taken' }] });

      const kind = await t.as(admin, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118'], code: '370118004000', name: '新街道', kind: 'urban' },
      });
      expect(kind.statusCode).toBe(400);
      expect(kind.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'kind', code: 'not_applicable' }] });

      const unknown = await t.as(quancheng, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: ids['370118001000'], code: '370118001006', name: '新社区', path: '/x/' },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_FIELD', fields: [{ path: 'path', code: 'unknown_field' }] });

      for (const name of ["x'); DROP TABLE region; --", '<script>alert(1)</script>', '社区\n换行', '   ', 'a'.repeat(65)]) {
        const res = await t.as(quancheng, { method: 'POST', url: '/api/regions', payload: { parentId: ids['370118001000'], code: '370118001006', name } });
        expect(res.statusCode, name).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.fields[0].path).toBe('name');
      }
      const badParent = await t.as(quancheng, { method: 'POST', url: '/api/regions', payload: { parentId: "' OR 1=1", code: '370118001006', name: '新社区' } });
      expect(badParent.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'parentId' }] });
      expect(await regionCount()).toBe(before);
    });

    it('a user who can view but not capture a node gets OUT_OF_SCOPE', async () => {
      const liuyin = await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'jd_liuyin').executeTakeFirstOrThrow();
      await t.database.db
        .insertInto('user_scope')
        .values({ user_id: liuyin.id, kind: 'view', region_id: ids['370118'] as string })
        .execute();
      const s = await t.login('jd_liuyin');
      expect((await t.as(s, { method: 'GET', url: `/api/regions/${ids['370118001000']}` })).json().canManage).toBe(false);
      const res = await t.as(s, { method: 'POST', url: '/api/regions', payload: { parentId: ids['370118001000'], code: '370118001007', name: '越界社区' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
      const patch = await t.as(s, { method: 'PATCH', url: `/api/regions/${ids['370118001001']}`, payload: { name: '改名' } });
      expect(patch.json().error.code).toBe('OUT_OF_SCOPE');
      await t.database.db
        .deleteFrom('user_scope')
        .where('user_id', '=', liuyin.id)
        .where('kind', '=', 'view')
        .where('region_id', '=', ids['370118'] as string)
        .execute();
    });
  });

  describe('editing and deleting', () => {
    it('renames and reorders a node in scope, auditing what changed', async () => {
      const res = await t.as(quancheng, {
        method: 'PATCH',
        url: `/api/regions/${ids['370118001004']}`,
        payload: { name: '泉韵新社区', sortOrder: 9, kind: 'rural' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: '泉韵新社区', sortOrder: 9, kind: 'rural', code: '370118001004' });
      const audit = (await auditRows('region.updated')).at(-1);
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', region_id: ids['370118001004'] });
      expect(audit?.region_path).toMatch(new RegExp(`${ids['370118001004']}/$`));
      expect(audit?.details).toMatchObject({
        changes: { name: { from: '泉韵社区', to: '泉韵新社区' }, sortOrder: { from: 3, to: 9 }, kind: { from: 'urban', to: 'rural' } },
      });
    });

    it('refuses an empty change, a kind on a street, unknown fields and nodes outside the view scope', async () => {
      const empty = await t.as(quancheng, { method: 'PATCH', url: `/api/regions/${ids['370118001004']}`, payload: {} });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.code).toBe('VALIDATION_FAILED');
      const kind = await t.as(quancheng, { method: 'PATCH', url: `/api/regions/${ids['370118001000']}`, payload: { kind: 'urban' } });
      expect(kind.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'kind' }] });
      const code = await t.as(quancheng, { method: 'PATCH', url: `/api/regions/${ids['370118001004']}`, payload: { code: '370118001008' } });
      expect(code.json().error.code).toBe('UNKNOWN_FIELD');
      const other = await t.as(quancheng, { method: 'PATCH', url: `/api/regions/${ids['370118002001']}`, payload: { name: '改名' } });
      expect(other.statusCode).toBe(404);
      const del = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118002001']}` });
      expect(del.statusCode).toBe(404);
      const name = await t.database.db
        .selectFrom('region')
        .select('name')
        .where('id', '=', ids['370118002001'] as string)
        .executeTakeFirstOrThrow();
      expect(name.name).toBe('百花洲社区');
    });

    it('will not delete a node with children, org units or user scopes', async () => {
      const street = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118001000']}` });
      expect(street.statusCode).toBe(409);
      expect(street.json().error).toMatchObject({ code: 'REGION_HAS_CHILDREN', details: { children: 4 } });
      const withStation = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118001002']}` });
      expect(withStation.statusCode).toBe(409);
      expect(withStation.json().error).toMatchObject({ code: 'CONFLICT', details: { orgUnits: 1, userScopes: demoScopeRows('370118001002') } });
      const withUsers = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118001001']}` });
      expect(withUsers.json().error).toMatchObject({ code: 'CONFLICT', details: { orgUnits: 1, userScopes: demoScopeRows('370118001001') } });
    });

    it('deletes an unused leaf and audits it with its region path', async () => {
      const path = (
        await t.database.db
          .selectFrom('region')
          .select('path')
          .where('id', '=', ids['370118001004'] as string)
          .executeTakeFirstOrThrow()
      ).path;
      const res = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118001004']}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });
      expect(
        await t.database.db
          .selectFrom('region')
          .select('id')
          .where('id', '=', ids['370118001004'] as string)
          .executeTakeFirst(),
      ).toBeUndefined();
      const audit = (await auditRows('region.deleted')).at(-1);
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', region_id: ids['370118001004'], region_path: path });
      expect(audit?.details).toMatchObject({ code: '370118001004', name: '泉韵新社区' });
      const again = await t.as(quancheng, { method: 'DELETE', url: `/api/regions/${ids['370118001004']}` });
      expect(again.statusCode).toBe(404);
    });
  });

  describe('level names', () => {
    it('only a system administrator renames a level; the new name is served and audited', async () => {
      const street = await t.as(quancheng, { method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: '乡镇', nameEn: 'Town' } });
      expect(street.statusCode).toBe(403);
      expect(street.json().error.code).toBe('FORBIDDEN');
      const res = await t.as(admin, { method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: '乡镇', nameEn: 'Town' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ key: 'street', depth: 3, nameZh: '乡镇', nameEn: 'Town', codeLength: 12 });
      const levels = (await t.as(quancheng, { method: 'GET', url: '/api/region-levels' })).json().items;
      expect(levels[3].nameZh).toBe('乡镇');
      const audit = (await auditRows('region.level_renamed')).at(-1);
      expect(audit).toMatchObject({ actor_name: 'admin', target_id: 'street' });
      expect(audit?.details).toMatchObject({ from: { nameZh: '街道/乡镇' }, to: { nameZh: '乡镇', nameEn: 'Town' } });
    });

    it('refuses unknown levels, unknown fields and odd names', async () => {
      const key = await t.as(admin, { method: 'PUT', url: '/api/region-levels/grid', payload: { nameZh: '网格', nameEn: 'Grid' } });
      expect(key.statusCode).toBe(400);
      expect(key.json().error.fields[0].path).toBe('params.key');
      const extra = await t.as(admin, { method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: '乡镇', nameEn: 'Town', depth: 9 } });
      expect(extra.json().error.code).toBe('UNKNOWN_FIELD');
      const odd = await t.as(admin, { method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: "乡镇'; --", nameEn: 'Town' } });
      expect(odd.json().error.code).toBe('VALIDATION_FAILED');
      const levels = await t.database.db.selectFrom('region_level').select(['key', 'depth']).orderBy('depth').execute();
      expect(levels.map((l) => l.key)).toEqual(['province', 'city', 'district', 'street', 'community']);
    });
  });

  describe('multi-county deployments', () => {
    it('creates a city under a province root and a district and street under the city', async () => {
      const provinceId = crypto.randomUUID();
      await t.database.db
        .insertInto('region')
        .values({ id: provinceId, parent_id: null, level: 'province', code: '320000', name: '江苏省', path: `/${provinceId}/` })
        .execute();
      const adminUser = await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
      await t.database.db
        .insertInto('user_scope')
        .values([
          { user_id: adminUser.id, kind: 'capture', region_id: provinceId },
          { user_id: adminUser.id, kind: 'view', region_id: provinceId },
        ])
        .execute();

      const roots = (await t.as(admin, { method: 'GET', url: '/api/regions' })).json().items;
      expect(roots.map((r: { code: string }) => r.code)).toEqual(['320000', '370118']);

      const city = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: provinceId, code: '320500', name: '苏州市' } });
      expect(city.statusCode).toBe(201);
      expect(city.json()).toMatchObject({ level: 'city', parentId: provinceId });
      const wrongCity = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: provinceId, code: '320508', name: '姑苏区' } });
      expect(wrongCity.json().error).toMatchObject({ code: 'REGION_CODE_INVALID', details: { position: 5 } });

      const district = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: city.json().id, code: '320508', name: '姑苏区' } });
      expect(district.statusCode).toBe(201);
      expect(district.json()).toMatchObject({ level: 'district', code: '320508' });
      const otherCity = await t.as(admin, { method: 'POST', url: '/api/regions', payload: { parentId: city.json().id, code: '320618', name: '外市区' } });
      expect(otherCity.json().error).toMatchObject({ code: 'REGION_PARENT_INVALID', details: { position: 4 } });

      const street = await t.as(admin, {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: district.json().id, code: '320508019000', name: '金阊街道' },
      });
      expect(street.statusCode).toBe(201);
      const detail = (await t.as(admin, { method: 'GET', url: `/api/regions/${street.json().id}` })).json();
      expect(detail.ancestors.map((a: { name: string }) => a.name)).toEqual(['江苏省', '苏州市', '姑苏区']);
      const hit = (await t.as(admin, { method: 'GET', url: `/api/regions/search?q=${encodeURIComponent('金阊')}` })).json().items;
      expect(hit[0].pathName).toBe('江苏省 / 苏州市 / 姑苏区 / 金阊街道');
      // The street center of 泉城 still sees nothing of it.
      const hidden = await t.as(quancheng, { method: 'GET', url: `/api/regions/${street.json().id}` });
      expect(hidden.statusCode).toBe(404);
    });
  });
});
