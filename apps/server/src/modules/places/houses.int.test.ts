import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { type FixtureGrid, gridsOf, insertResident } from './places.fixtures.js';

/** Buildings and houses (一标三实): standard addresses, uniqueness, placement, scope, occupants, layout, verification. */
describe('buildings and houses', () => {
  let t: TestApp;
  let station: TestSession;
  let worker: TestSession;
  let otherWorker: TestSession;
  let grids: FixtureGrid[];
  let buildingId: string;
  let houseId: string;

  beforeAll(async () => {
    t = await createTestApp();
    station = await t.login('sq_baotuquan');
    worker = await t.login('wgy_baotuquan');
    otherWorker = await t.login('wgy_daminghu');
    grids = await gridsOf(t.database.db, '370118001001');
  });
  afterAll(() => t.close());

  const g = (i: number) => grids[i] as FixtureGrid;

  it('creates a building placed by its point, with the composed standard address', async () => {
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/buildings',
      payload: { name: '甲3号楼', road: '测试大街', number: '912', floors: 6, units: 2, lng: g(0).lng, lat: g(0).lat },
    });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b.address).toBe('趵突泉社区测试大街912号甲3号楼');
    expect(b.gridId).toBe(g(0).id);
    expect(b.communityName).toBe('趵突泉社区');
    expect(b.houses).toBe(0);
    buildingId = b.id;

    const again = await t.as(station, {
      method: 'POST',
      url: '/api/buildings',
      payload: { name: '甲3号楼', road: '测试大街', number: '912号', gridId: g(0).id },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('BUILDING_DUPLICATE');
  });

  it('creates a house in the building: it inherits grid and point, and the address adds unit and room', async () => {
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/houses',
      payload: { buildingId, unit: '2', floor: 3, room: '301', use: 'rental', areaM2: 89.5 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h.address).toBe('趵突泉社区测试大街912号甲3号楼2单元301室');
    expect(h.gridId).toBe(g(0).id);
    expect(h.lng).toBeCloseTo(g(0).lng, 9);
    expect(h.lat).toBeCloseTo(g(0).lat, 9);
    expect(h.use).toBe('rental');
    expect(h.areaM2).toBe(89.5);
    expect(h.stale).toBe(true);
    expect(h.verifiedAt).toBeNull();
    expect(h.createdBy).toBe('陈站长');
    expect(h.occupants).toEqual([]);
    houseId = h.id;
  });

  it('refuses the same standard address twice (also typed with suffixes and full-width digits) with HOUSE_DUPLICATE', async () => {
    const res = await t.as(station, {
      method: 'POST',
      url: '/api/houses',
      payload: { buildingId, unit: '2单元', floor: 3, room: '３０１', use: 'residential' },
    });
    expect(res.statusCode).toBe(409);
    const body = res.json().error;
    expect(body.code).toBe('HOUSE_DUPLICATE');
    expect(body.fields[0].path).toBe('room');
    expect(body.details.houseId).toBe(houseId);
  });

  it('places a standalone house by grid, under the community name, and requires an address or building', async () => {
    const res = await t.as(station, { method: 'POST', url: '/api/houses', payload: { address: '测试巷7号', use: 'commercial', gridId: g(1).id } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().address).toBe('趵突泉社区测试巷7号');
    expect(res.json().buildingId).toBeNull();

    const none = await t.as(station, { method: 'POST', url: '/api/houses', payload: { use: 'vacant', gridId: g(1).id } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].path).toBe('address');
    const nowhere = await t.as(station, { method: 'POST', url: '/api/houses', payload: { address: '无处7号', use: 'vacant' } });
    expect(nowhere.json().error.code).toBe('LOCATION_REQUIRED');
  });

  it('lists in scope only: the other community’s worker sees nothing and gets 404 on the house', async () => {
    const mine = await t.as(station, { method: 'GET', url: `/api/houses?buildingId=${buildingId}` });
    expect(mine.json().total).toBe(1);
    const byText = await t.as(station, { method: 'GET', url: '/api/houses?q=测试巷' });
    expect(byText.json().items.map((h: { address: string }) => h.address)).toEqual(['趵突泉社区测试巷7号']);

    const theirs = await t.as(otherWorker, { method: 'GET', url: `/api/houses?buildingId=${buildingId}` });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().total).toBe(0);
    expect((await t.as(otherWorker, { method: 'GET', url: `/api/houses/${houseId}` })).statusCode).toBe(404);
    expect((await t.as(otherWorker, { method: 'GET', url: `/api/buildings/${buildingId}` })).statusCode).toBe(404);
    expect((await t.as(otherWorker, { method: 'PATCH', url: `/api/houses/${houseId}`, payload: { use: 'vacant' } })).statusCode).toBe(404);
  });

  it('narrows grid workers to the grids they serve', async () => {
    // wgy_baotuquan serves grids 1–8 of the community, not the tenth.
    const far = g(9);
    const made = await t.as(station, { method: 'POST', url: '/api/houses', payload: { address: '测试远巷1号', use: 'residential', gridId: far.id } });
    expect(made.statusCode).toBe(201);
    expect((await t.as(worker, { method: 'GET', url: `/api/houses/${made.json().id}` })).statusCode).toBe(404);
    expect((await t.as(worker, { method: 'GET', url: `/api/houses/${houseId}` })).statusCode).toBe(200);
    const refused = await t.as(worker, { method: 'POST', url: '/api/houses', payload: { address: '测试远巷2号', use: 'residential', gridId: far.id } });
    expect(refused.statusCode).toBe(404);
  });

  it('shows occupants from residence rows, in the house, the building and the layout', async () => {
    const db = t.database.db;
    await insertResident(db, { name: '测试房东', gridId: g(0).id, houseId, relation: 'owner' });
    await insertResident(db, { name: '测试租客', gridId: g(0).id, houseId, relation: 'tenant', populationType: 'floating' });
    const h = (await t.as(station, { method: 'GET', url: `/api/houses/${houseId}` })).json();
    expect(h.occupantCount).toBe(2);
    expect(h.occupants.map((o: { name: string; relation: string; populationType: string }) => [o.name, o.relation, o.populationType])).toEqual([
      ['测试房东', 'owner', 'registered'],
      ['测试租客', 'tenant', 'floating'],
    ]);
    expect(h.occupants[0].since).toBe('2025-03-01');

    await t.as(station, { method: 'POST', url: '/api/houses', payload: { buildingId, unit: '2', floor: 3, room: '302', use: 'vacant' } });
    await t.as(station, { method: 'POST', url: '/api/houses', payload: { buildingId, unit: '1', floor: 1, room: '101', use: 'commercial' } });
    const layout = await t.as(worker, { method: 'GET', url: `/api/buildings/${buildingId}/layout` });
    expect(layout.statusCode, layout.body).toBe(200);
    const l = layout.json();
    expect(l.building.houses).toBe(3);
    expect(l.building.occupants).toBe(2);
    expect(
      l.cells.map((c: { unit: string; floor: number; room: string; use: string; occupants: number }) => [c.unit, c.floor, c.room, c.use, c.occupants]),
    ).toEqual([
      ['1', 1, '101', 'commercial', 0],
      ['2', 3, '301', 'rental', 2],
      ['2', 3, '302', 'vacant', 0],
    ]);
  });

  it('patches a house: the address is recomposed and stays unique', async () => {
    const res = await t.as(station, { method: 'PATCH', url: `/api/houses/${houseId}`, payload: { room: '303', use: 'mixed', note: '一层商铺' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().address).toBe('趵突泉社区测试大街912号甲3号楼2单元303室');
    expect(res.json().use).toBe('mixed');
    const clash = await t.as(station, { method: 'PATCH', url: `/api/houses/${houseId}`, payload: { room: '302' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('HOUSE_DUPLICATE');
  });

  it('renaming the building carries the new address into its houses', async () => {
    const res = await t.as(station, { method: 'PATCH', url: `/api/buildings/${buildingId}`, payload: { name: '乙3号楼' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().address).toBe('趵突泉社区测试大街912号乙3号楼');
    const h = (await t.as(station, { method: 'GET', url: `/api/houses/${houseId}` })).json();
    expect(h.address).toBe('趵突泉社区测试大街912号乙3号楼2单元303室');
    expect(h.buildingName).toBe('乙3号楼');
  });

  it('verifies a house: fresh, with who and when, audited with its change history', async () => {
    const res = await t.as(worker, { method: 'POST', url: `/api/houses/${houseId}/verify`, payload: { note: '入户核实' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stale).toBe(false);
    expect(res.json().verifiedBy).toBe('张网格员');
    const db = t.database.db;
    const audits = await db.selectFrom('audit_log').select(['action', 'region_path']).where('target_id', '=', houseId).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['house.created', 'house.updated', 'record.verified']);
    expect(audits[0]?.region_path).toBeTruthy();
    const changes = await db.selectFrom('record_change').select(['action', 'fields']).where('entity_id', '=', houseId).orderBy('id').execute();
    expect(changes.map((c) => c.action)).toEqual(['created', 'updated', 'verified']);
    expect(changes[1]?.fields).toEqual(['room', 'use', 'note']);
  });
});
