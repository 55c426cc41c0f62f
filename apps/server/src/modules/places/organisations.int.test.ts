import { usccCheckChar } from '@gridgov/contracts/identifiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { type FixtureGrid, gridsOf } from './places.fixtures.js';

const uscc = (body17: string) => `${body17}${usccCheckChar(body17)}`;
const GOOD = uscc('91370102MA3TQE01X');
const OTHER = uscc('92370102MA3TQE02Y');

/** Organisations (credit code checked and unique, phone encrypted and masked, audited unmask), facilities, key places. */
describe('organisations, facilities and key places', () => {
  let t: TestApp;
  let station: TestSession;
  let worker: TestSession;
  let otherWorker: TestSession;
  let grids: FixtureGrid[];
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp();
    station = await t.login('sq_baotuquan');
    worker = await t.login('wgy_baotuquan');
    otherWorker = await t.login('wgy_daminghu');
    grids = await gridsOf(t.database.db, '370118001001');
  });
  afterAll(() => t.close());
  const g = (i: number) => grids[i] as FixtureGrid;

  it('registers an enterprise with a valid credit code; the phone is stored encrypted and shown masked', async () => {
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/organisations',
      payload: {
        kind: 'enterprise',
        name: '测试泉城网吧有限公司',
        uscc: GOOD.toLowerCase(),
        legalRepName: '王某',
        phone: '13912345678',
        keyPremises: true,
        keyPremisesType: 'internet_cafe',
        employees: 12,
        lng: g(0).lng,
        lat: g(0).lat,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o.uscc).toBe(GOOD);
    expect(o.phoneMasked).toBe('139****5678');
    expect(o.gridId).toBe(g(0).id);
    expect(o.keyPremises).toBe(true);
    expect(JSON.stringify(o)).not.toContain('13912345678');
    orgId = o.id;
    const raw = await t.database.db.selectFrom('organisation').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('13912345678');
    expect(Buffer.from(raw.phone_enc as Uint8Array).toString('latin1')).not.toContain('13912345678');
    const audit = await t.database.db.selectFrom('audit_log').select('details').where('target_id', '=', orgId).execute();
    expect(JSON.stringify(audit)).not.toContain('13912345678');
  });

  it('refuses a wrong check character and a second organisation with the same code', async () => {
    const bad = `${GOOD.slice(0, 17)}${GOOD.endsWith('0') ? '1' : '0'}`;
    const wrong = await t.as(station, {
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'enterprise', name: '错码公司', uscc: bad, gridId: g(0).id },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields[0].path).toBe('uscc');
    expect(wrong.json().error.fields[0].message).toContain('校验码');

    const dup = await t.as(station, {
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'enterprise', name: '重复公司', uscc: GOOD, gridId: g(1).id },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ORGANISATION_DUPLICATE');
    expect(dup.json().error.details.organisationId).toBe(orgId);

    const premises = await t.as(station, {
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'individual', name: '小饭馆', keyPremisesType: 'restaurant', gridId: g(1).id },
    });
    expect(premises.statusCode).toBe(400);
    expect(premises.json().error.fields[0].path).toBe('keyPremisesType');
  });

  it('an organisation in a registered house takes its grid, point and address', async () => {
    const h = await t.as(station, {
      method: 'POST',
      url: '/api/houses',
      payload: { address: '测试商铺街3号', use: 'commercial', lng: g(2).lng, lat: g(2).lat },
    });
    expect(h.statusCode, h.body).toBe(201);
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'individual', name: '测试小吃店', uscc: OTHER, houseId: h.json().id },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().gridId).toBe(g(2).id);
    expect(res.json().address).toBe('趵突泉社区测试商铺街3号');
    expect(res.json().lng).toBeCloseTo(g(2).lng, 9);
  });

  it('unmasks the phone only with a reason, and audits it as personal_data.unmasked', async () => {
    const none = await t.as(worker, { method: 'POST', url: `/api/organisations/${orgId}/unmask`, payload: { field: 'phone', reason: '' } });
    expect(none.statusCode).toBe(400);
    const res = await t.as(worker, { method: 'POST', url: `/api/organisations/${orgId}/unmask`, payload: { field: 'phone', reason: '核实经营者联系方式' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'phone', value: '13912345678' });
    const row = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'details', 'target_type'])
      .where('action', '=', 'personal_data.unmasked')
      .where('target_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row.actor_name).toBe('wgy_baotuquan');
    expect(row.target_type).toBe('organisation');
    expect(row.details).toMatchObject({ field: 'phone', reason: '核实经营者联系方式' });
    expect(JSON.stringify(row.details)).not.toContain('13912345678');
    expect(
      (await t.as(otherWorker, { method: 'POST', url: `/api/organisations/${orgId}/unmask`, payload: { field: 'phone', reason: '越权查看测试' } })).statusCode,
    ).toBe(404);
  });

  it('lists and patches in scope; verification clears staleness', async () => {
    const list = await t.as(station, { method: 'GET', url: '/api/organisations?keyPremises=true&q=测试泉城' });
    expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([orgId]);
    expect((await t.as(otherWorker, { method: 'GET', url: '/api/organisations?q=测试泉城' })).json().total).toBe(0);
    const byCode = await t.as(station, { method: 'GET', url: `/api/organisations?uscc=${GOOD}` });
    expect(byCode.json().total).toBe(1);

    const p = await t.as(station, { method: 'PATCH', url: `/api/organisations/${orgId}`, payload: { phone: null, attention: 'medium' } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().phoneMasked).toBeNull();
    expect(p.json().attention).toBe('medium');
    expect(p.json().keyPremisesType).toBe('internet_cafe');
    const v = await t.as(worker, { method: 'POST', url: `/api/organisations/${orgId}/verify`, payload: {} });
    expect(v.json().stale).toBe(false);
    expect(v.json().verifiedBy).toBe('张网格员');
  });

  it('facilities: unique code, state changes, filter by state', async () => {
    const make = (code: string, state?: string) =>
      t.as(station, {
        method: 'POST',
        url: '/api/facilities',
        payload: { kind: 'fire_hydrant', name: '消火栓', code, ...(state ? { state } : {}), lng: g(3).lng, lat: g(3).lat },
      });
    const a = await make('TEST-XHS-001');
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().state).toBe('intact');
    const dup = await make('TEST-XHS-001');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('FACILITY_DUPLICATE');
    const p = await t.as(worker, { method: 'PATCH', url: `/api/facilities/${a.json().id}`, payload: { state: 'damaged', note: '阀门漏水' } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().state).toBe('damaged');
    const list = await t.as(worker, { method: 'GET', url: `/api/facilities?state=damaged&gridId=${g(3).id}&q=消火栓` });
    expect(list.json().items.map((f: { id: string }) => f.id)).toContain(a.json().id);
    expect(list.json().items.every((f: { state: string }) => f.state === 'damaged')).toBe(true);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'facility.updated')
      .where('target_id', '=', a.json().id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ state: { from: 'intact', to: 'damaged' } });
    expect((await t.as(otherWorker, { method: 'GET', url: `/api/facilities/${a.json().id}` })).statusCode).toBe(404);
  });

  it('key places: a new one raises a new-key-place adjustment trigger for its grid, which a center may dismiss', async () => {
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/key-places',
      payload: { kind: 'fire_hazard', name: '测试老旧市场', warningLevel: 'orange', organisationId: orgId, responsible: '王某' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const kp = res.json();
    expect(kp.gridId).toBe(g(0).id);
    expect(kp.warningLevel).toBe('orange');

    const center = await t.login('qu_zhongxin');
    const list = await t.as(center, { method: 'GET', url: '/api/adjustment-triggers' });
    expect(list.statusCode, list.body).toBe(200);
    const trig = list.json().items.find((x: { details: { keyPlaceId?: string } }) => x.details.keyPlaceId === kp.id);
    expect(trig).toMatchObject({ kind: 'new_key_place', gridId: g(0).id, message: { zh: '网格内新增重点场所：测试老旧市场' } });
    // The community station sees it, the other street's worker does not.
    expect((await t.as(station, { method: 'GET', url: '/api/adjustment-triggers' })).json().items.some((x: { id: string }) => x.id === trig.id)).toBe(true);
    expect((await t.as(otherWorker, { method: 'GET', url: '/api/adjustment-triggers' })).json().items.some((x: { id: string }) => x.id === trig.id)).toBe(
      false,
    );

    const d = await t.as(center, { method: 'POST', url: `/api/adjustment-triggers/${trig.id}/dismiss` });
    expect(d.statusCode, d.body).toBe(200);
    expect((await t.as(center, { method: 'GET', url: '/api/adjustment-triggers' })).json().items.some((x: { id: string }) => x.id === trig.id)).toBe(false);
    expect((await t.as(center, { method: 'POST', url: `/api/adjustment-triggers/${trig.id}/dismiss` })).statusCode).toBe(409);

    const byLevel = await t.as(worker, { method: 'GET', url: '/api/key-places?warningLevel=orange' });
    expect(byLevel.json().items.map((k: { id: string }) => k.id)).toContain(kp.id);
    const patched = await t.as(worker, { method: 'PATCH', url: `/api/key-places/${kp.id}`, payload: { warningLevel: 'red' } });
    expect(patched.json().warningLevel).toBe('red');
  });
});
