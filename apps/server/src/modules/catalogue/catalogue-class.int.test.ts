import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { itemRules } from './catalogue.fixtures.js';

type Cls = { id: string; code: string; name: string; active: boolean; sortOrder: number; items: { id: string; code: string; active: boolean }[] };

/** Class-level catalogue edits: rename, reorder, deactivate (refused while items are active), activate. */
describe('event catalogue: class edits', () => {
  let t: TestApp;
  let center: TestSession;
  let street: TestSession;
  const classes = async () => ((await t.as(center, { method: 'GET', url: '/api/catalogue?includeInactive=true' })).json() as { classes: Cls[] }).classes;
  const post = (url: string, payload?: object) => t.as(center, { method: 'POST', url, payload });

  beforeAll(async () => {
    t = await createTestApp();
    center = await t.login('qu_zhongxin');
    street = await t.login('jd_quancheng');
  });
  afterAll(() => t.close());

  it('renames a class (the code stays) and audits it; a street center may not', async () => {
    const c = (await classes()).find((x) => x.code === '02') as Cls;
    const res = await t.as(center, { method: 'PUT', url: `/api/catalogue/classes/${c.id}`, payload: { name: '  市政设施管理 ' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: c.id, code: '02', name: '市政设施管理', active: true });
    expect(res.json().items.length).toBe(c.items.length);
    const empty = await t.as(center, { method: 'PUT', url: `/api/catalogue/classes/${c.id}`, payload: { name: ' ' } });
    expect([empty.statusCode, empty.json().error.fields[0].path]).toEqual([400, 'name']);
    const denied = await t.as(street, { method: 'PUT', url: `/api/catalogue/classes/${c.id}`, payload: { name: '街道改名' } });
    expect(denied.statusCode).toBe(403);
    const audit = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'catalogue.class_updated').execute();
    expect(audit).toHaveLength(1);
  });

  it('reorders the classes; a list missing one is refused', async () => {
    const before = await classes();
    const reversed = [...before].reverse().map((c) => c.id);
    const res = await post('/api/catalogue/classes/reorder', { classIds: reversed });
    expect(res.statusCode).toBe(200);
    expect(res.json().classes.map((c: Cls) => c.id)).toEqual(reversed);
    expect((await classes()).map((c) => c.code)).toEqual(['03', '02', '01']);
    const partial = await post('/api/catalogue/classes/reorder', { classIds: reversed.slice(1) });
    expect([partial.statusCode, partial.json().error.fields[0].code]).toEqual([400, 'not_all_classes']);
    const twice = await post('/api/catalogue/classes/reorder', { classIds: [reversed[0], reversed[0], reversed[1]] });
    expect(twice.statusCode).toBe(400);
    await post('/api/catalogue/classes/reorder', { classIds: before.map((c) => c.id) });
  });

  it('refuses to deactivate a class with active items (naming them); once they are off it goes, and its items cannot be switched back on alone', async () => {
    const made = await post('/api/catalogue/classes', { code: '09', name: '试点大类' });
    expect(made.statusCode).toBe(201);
    const cls = made.json() as Cls;
    const item = await post('/api/catalogue/items', {
      classId: cls.id,
      code: '0901',
      name: '试点小类',
      rules: itemRules({ deptCode: null, level: 'community', feedback: '', closure: '', keywords: [] }),
    });
    expect(item.statusCode).toBe(201);

    const refused = await post(`/api/catalogue/classes/${cls.id}/deactivate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CATEGORY_CLASS_HAS_ACTIVE_ITEMS', details: { activeItems: ['0901'] } });
    expect(refused.json().error.message).toContain('0901');

    expect((await post(`/api/catalogue/items/${item.json().id}/deactivate`)).statusCode).toBe(200);
    const off = await post(`/api/catalogue/classes/${cls.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ active: false, items: [{ code: '0901', active: false }] });
    // Not offered to reporters any more.
    const open = (await t.as(street, { method: 'GET', url: '/api/catalogue' })).json() as { classes: Cls[] };
    expect(open.classes.map((c) => c.code)).not.toContain('09');

    const itemOn = await post(`/api/catalogue/items/${item.json().id}/activate`);
    expect([itemOn.statusCode, itemOn.json().error.code]).toEqual([409, 'CATEGORY_CLASS_INACTIVE']);
    expect((await post(`/api/catalogue/classes/${cls.id}/activate`)).json()).toMatchObject({ active: true, items: [{ active: false }] });
    expect((await post(`/api/catalogue/items/${item.json().id}/activate`)).statusCode).toBe(200);
    const actions = await t.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'catalogue.class_%activated').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['catalogue.class_deactivated', 'catalogue.class_activated']);
    expect((await post('/api/catalogue/classes/01a23b7a-80f6-7000-9e02-1f6ff8f61284/deactivate')).statusCode).toBe(404);
  });
});
