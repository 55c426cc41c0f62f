import gcoord from 'gcoord';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { createBareCommunity, createTestCommunity, polygon, type Ring, rect, X0, X1, XM, Y0, Y1, YM } from '../adjustments/adjustments.fixtures.js';
import { todayInChina } from '../grids/today.js';
import { multipart, PRJ_CGCS2000, PRJ_CGCS2000_GK39, writeShapefile, zipShapefile } from './shapefile.fixtures.js';

const CRS84 = { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } };
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const collection = (features: unknown[], crs: unknown = CRS84) => ({ type: 'FeatureCollection', ...(crs ? { crs } : {}), features });
/** West and east halves of the test community square. */
const halves = () => [feature({ name: '西区网格' }, polygon(rect(X0, Y0, XM, Y1))), feature({ name: '东区网格' }, polygon(rect(XM, Y0, X1, Y1)))];

describe('grid import and export', () => {
  let t: TestApp;
  let admin: TestSession;
  let street: TestSession;
  const today = todayInChina();

  const gridCount = async (communityId: string) =>
    (await t.database.db.selectFrom('grid').select('id').where('community_id', '=', communityId).execute()).length;
  const importJson = (s: TestSession, payload: unknown) => t.as(s, { method: 'POST', url: '/api/grids/import', payload });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    street = await t.login('jd_quancheng');
  });
  afterAll(() => t.close());

  it('validates, then commits a good GeoJSON file in one go: codes generated, boundaries from today, audited', async () => {
    const c = await createBareCommunity(t.database.db, { code: '370118001080' });
    const data = collection(halves());
    const checked = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'validate', data });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ ok: true, committed: false, coordSystem: 'WGS84', crsSource: 'file', features: 2, problems: [] });
    expect(checked.json().grids.map((g: { code: string }) => g.code)).toEqual(['3701180010008000101', '3701180010008000201']);
    expect(await gridCount(c.id)).toBe(0);

    const version = async () => (await t.database.db.selectFrom('grid_index_version').select('version').executeTakeFirstOrThrow()).version;
    const before = await version();
    const done = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ ok: true, committed: true });
    const grids = done.json().grids as { id: string; code: string; action: string; areaM2: number }[];
    expect(grids.map((g) => [g.action, g.code])).toEqual([
      ['create', '3701180010008000101'],
      ['create', '3701180010008000201'],
    ]);
    expect(grids[0]?.areaM2).toBeGreaterThan(900_000);
    const rows = await t.database.db
      .selectFrom('grid_boundary')
      .select(['grid_id', 'valid_from', 'valid_to'])
      .where(
        'grid_id',
        'in',
        grids.map((g) => g.id),
      )
      .execute();
    expect(rows.map((r) => [r.valid_from, r.valid_to])).toEqual([
      [today, null],
      [today, null],
    ]);
    expect(await version()).toBe(before + 1);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'details'])
      .where('action', '=', 'grid.imported')
      .where('target_id', '=', c.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ format: 'geojson', features: 2, created: ['3701180010008000101', '3701180010008000201'], replaced: [] });

    // The same file again: the grids are there now, so both features overlap them.
    const again = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'validate', data });
    expect(again.json().ok).toBe(false);
    expect(again.json().problems.map((p: { index: number; code: string; other: string }) => [p.index, p.code, p.other])).toEqual([
      [0, 'overlaps_grid', '3701180010008000101'],
      [1, 'overlaps_grid', '3701180010008000201'],
    ]);
    // With their codes the features replace the grids instead: a new boundary version (today's is replaced in place).
    const moved = collection([
      feature({ name: '西区网格', code: '3701180010008000101' }, polygon(rect(X0, Y0, 118.512, Y1))),
      feature({ 名称: '东区网格（调整）', 编码: '3701180010008000201' }, polygon(rect(118.512, Y0, X1, Y1))),
    ]);
    const replaced = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data: moved });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().grids.map((g: { action: string }) => g.action)).toEqual(['replace', 'replace']);
    const east = await t.database.db.selectFrom('grid').select(['name']).where('code', '=', '3701180010008000201').executeTakeFirstOrThrow();
    expect(east.name).toBe('东区网格（调整）');
    expect(await gridCount(c.id)).toBe(2);
  });

  it('refuses each bad file with the feature index and the reason, and stores nothing', async () => {
    const c = await createBareCommunity(t.database.db, { code: '370118001081' });
    const bad: { name: string; data: unknown; index: number; code: string; field?: string; reason?: RegExp }[] = [
      {
        name: 'self-intersecting',
        data: collection([
          halves()[0],
          feature(
            { name: '蝴蝶' },
            polygon([
              [XM, Y0],
              [X1, Y1],
              [X1, Y0],
              [XM, Y1],
              [XM, Y0],
            ]),
          ),
        ]),
        index: 1,
        code: 'invalid_geometry',
        reason: /Self-intersection/i,
      },
      {
        name: 'unclosed ring',
        data: collection([feature({ name: '未闭合' }, polygon(rect(X0, Y0, XM, Y1).slice(0, 4))), halves()[1]]),
        index: 0,
        code: 'ring_not_closed',
        field: 'geometry.coordinates.0',
        reason: /未闭合/,
      },
      {
        name: 'outside the community',
        data: collection([halves()[0], feature({ name: '越界' }, polygon(rect(XM, Y0, 118.53, Y1)))]),
        index: 1,
        code: 'outside_community',
        reason: /m²/,
      },
      {
        name: 'overlapping features',
        data: collection([halves()[0], feature({ name: '重叠' }, polygon(rect(118.505, Y0, X1, Y1)))]),
        index: 1,
        code: 'overlap',
        reason: /第 0 个要素/,
      },
      { name: 'missing name', data: collection([feature({}, polygon(rect(X0, Y0, XM, Y1)))]), index: 0, code: 'required', field: 'properties.name' },
      {
        name: 'malformed code',
        data: collection([feature({ name: '错码', code: '3701180010008000104' }, polygon(rect(X0, Y0, XM, Y1)))]),
        index: 0,
        code: 'grid_code',
        reason: /第 18 位/,
      },
      { name: 'not a polygon', data: collection([feature({ name: '点' }, { type: 'Point', coordinates: [X0, Y0] })]), index: 0, code: 'not_polygon' },
    ];
    for (const b of bad) {
      const res = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data: b.data });
      expect(res.statusCode, `${b.name}: ${res.body}`).toBe(422);
      const err = res.json().error;
      expect(err.code, b.name).toBe('IMPORT_INVALID');
      const problem = err.details.problems.find((p: { index: number; code: string }) => p.code === b.code);
      expect(problem, `${b.name}: ${JSON.stringify(err.details.problems)}`).toMatchObject({ index: b.index, ...(b.field ? { field: b.field } : {}) });
      if (b.reason) expect(problem.message, b.name).toMatch(b.reason);
      expect(
        err.fields.some((f: { path: string }) => f.path.startsWith(`data.features.${b.index}.`)),
        b.name,
      ).toBe(true);
      expect(await gridCount(c.id), b.name).toBe(0);
    }

    // Validate mode reports every problem of every feature at once.
    const all = await importJson(street, {
      communityId: c.id,
      format: 'geojson',
      mode: 'validate',
      data: collection(bad.flatMap((b) => (b.data as { features: unknown[] }).features)),
    });
    expect(all.statusCode).toBe(200);
    expect(all.json().ok).toBe(false);
    expect(new Set(all.json().problems.map((p: { code: string }) => p.code))).toEqual(
      new Set(['invalid_geometry', 'ring_not_closed', 'outside_community', 'overlap', 'required', 'grid_code', 'not_polygon']),
    );

    const fileLevel: { name: string; data: unknown; coordSystem?: string; code: string }[] = [
      { name: 'undeclared CRS', data: collection(halves(), null), code: 'IMPORT_CRS_UNDECLARED' },
      { name: 'unknown CRS', data: collection(halves(), { type: 'name', properties: { name: 'EPSG:3857' } }), code: 'IMPORT_CRS_UNKNOWN' },
      { name: 'empty collection', data: collection([]), code: 'IMPORT_EMPTY' },
    ];
    for (const f of fileLevel) {
      const res = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data: f.data });
      expect(res.statusCode, f.name).toBe(400);
      expect(res.json().error.code, f.name).toBe(f.code);
    }
    const unknown = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data: fileLevel[1]?.data });
    expect(unknown.json().error.details.crs).toBe('EPSG:3857');
    // The request may declare what the file does not.
    const declared = await importJson(street, {
      communityId: c.id,
      format: 'geojson',
      mode: 'validate',
      coordSystem: 'CGCS2000',
      data: collection(halves(), null),
    });
    expect(declared.json()).toMatchObject({ ok: true, coordSystem: 'CGCS2000', crsSource: 'request' });
    expect(await gridCount(c.id)).toBe(0);
    expect(await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'grid.imported').where('target_id', '=', c.id).execute()).toEqual([]);
  });

  it('converts a GCJ-02 file to WGS84 before storing it', async () => {
    const c = await createBareCommunity(t.database.db, { code: '370118001082' });
    const wgs: Ring[] = [rect(118.502, 37.502, XM, 37.508), rect(XM, 37.502, 118.518, 37.508)];
    const toGcj = (r: Ring) => r.map((p) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number]);
    const data = collection(
      wgs.map((r, i) => feature({ name: `火星网格${i + 1}` }, polygon(toGcj(r)))),
      { type: 'name', properties: { name: 'GCJ02' } },
    );
    const res = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'commit', data });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ coordSystem: 'GCJ02', crsSource: 'file', committed: true });
    const ids = res.json().grids.map((g: { id: string }) => g.id);
    const r = await sql<{ d: number; shift: number }>`SELECT
        ST_HausdorffDistance(b.geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon(wgs[0] as Ring))}), 4326)) AS d,
        ST_HausdorffDistance(b.geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon(toGcj(wgs[0] as Ring)))}), 4326)) AS shift
      FROM grid_boundary b WHERE b.grid_id = ${ids[0]}`.execute(t.database.db);
    // Within 1e-5° (about a metre) of the WGS84 square, and hundreds of metres from the GCJ-02 input.
    expect(Number(r.rows[0]?.d)).toBeLessThan(1e-5);
    expect(Number(r.rows[0]?.shift)).toBeGreaterThan(1e-3);
  });

  it('imports a zipped shapefile: GBK attribute names and values, CGCS2000 from the .prj', async () => {
    const c = await createBareCommunity(t.database.db, { code: '370118001083' });
    const files = writeShapefile(
      [
        { rings: [rect(X0, Y0, XM, YM)], attributes: { 名称: '西南网格', 类型: '01' } },
        { rings: [rect(X0, YM, XM, Y1)], attributes: { 名称: '西北网格', 类型: '01' } },
        { rings: [rect(XM, Y0, X1, Y1)], attributes: { 名称: '东部园区网格', 类型: '03', 专属类型: 'park' } },
      ],
      {
        fields: [
          { name: '名称', length: 40 },
          { name: '类型', length: 2 },
          { name: '专属类型', length: 12 },
        ],
        encoding: 'gbk',
        ldid: 0x4d,
      },
    );
    const send = (zip: Uint8Array, fields: Record<string, string> = {}) => {
      const body = multipart({ communityId: c.id, mode: 'commit', ...fields }, { name: 'grids.zip', data: zip });
      return t.as(street, { method: 'POST', url: '/api/grids/import/shapefile', payload: body.payload, headers: body.headers });
    };

    expect((await send(zipShapefile('grids', files))).json().error.code).toBe('IMPORT_CRS_UNDECLARED');
    const projected = await send(zipShapefile('grids', files, { prj: PRJ_CGCS2000_GK39 }));
    expect(projected.json().error).toMatchObject({ code: 'IMPORT_CRS_UNKNOWN', details: { crs: 'CGCS2000_3_Degree_GK_Zone_39' } });
    const notZip = await send(new TextEncoder().encode('not a zip'));
    expect(notZip.json().error.code).toBe('IMPORT_FILE_INVALID');
    expect(await gridCount(c.id)).toBe(0);

    const res = await send(zipShapefile('grids', files, { prj: PRJ_CGCS2000 }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, coordSystem: 'CGCS2000', crsSource: 'file', features: 3 });
    expect(res.json().grids.map((g: { name: string; gridType: string }) => [g.name, g.gridType])).toEqual([
      ['西南网格', '01'],
      ['西北网格', '01'],
      ['东部园区网格', '03'],
    ]);
    const park = await t.database.db.selectFrom('grid').select(['dedicated_kind', 'code']).where('name', '=', '东部园区网格').executeTakeFirstOrThrow();
    expect(park).toEqual({ dedicated_kind: 'park', code: '3701180010008300303' });

    // UTF-8 with a .cpg, into another community.
    const d = await createBareCommunity(t.database.db, { code: '370118001084' });
    const utf8 = writeShapefile([{ rings: [rect(X0, Y0, X1, Y1)], attributes: { NAME: '整片网格' } }], {
      fields: [{ name: 'NAME', length: 30 }],
      encoding: 'utf-8',
    });
    const body = multipart({ communityId: d.id, mode: 'validate' }, { name: 'one.zip', data: zipShapefile('one', utf8, { prj: PRJ_CGCS2000, cpg: 'UTF-8' }) });
    const one = await t.as(street, { method: 'POST', url: '/api/grids/import/shapefile', payload: body.payload, headers: body.headers });
    expect(one.json()).toMatchObject({ ok: true, grids: [{ name: '整片网格', action: 'create' }] });
  });

  it('exports a community or street as GeoJSON with codes, types and staff, audited, and the file imports back', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001085' });
    const worker = await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'wgy_baotuquan').executeTakeFirstOrThrow();
    await t.database.db.insertInto('grid_staff').values({ grid_id: c.west.id, user_id: worker.id, duty: 'full_time', since: '2026-01-01' }).execute();

    const res = await t.as(street, { method: 'GET', url: `/api/grids/export.geojson?regionId=${c.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('试验社区'));
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0].properties).toEqual({
      code: c.west.code,
      name: '西网格',
      type: '01',
      typeName: '城镇社区网格',
      dedicatedKind: null,
      community: '试验社区',
      communityCode: c.code,
      street: '泉城街道',
      staff: [{ name: '张网格员', duty: 'full_time', dutyName: '专职网格员' }],
      validFrom: '2026-01-01',
    });
    expect(fc.features[0].geometry.type).toBe('MultiPolygon');
    const exported = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export').where('target_id', '=', c.id).execute();
    expect(exported[0]?.details).toMatchObject({ what: 'grids', format: 'geojson', grids: 2 });

    // As it was before the grids existed; and the street level.
    const past = await t.as(street, { method: 'GET', url: `/api/grids/export.geojson?regionId=${c.id}&on=2025-12-31` });
    expect(past.json().features).toEqual([]);
    const streetId = (await t.database.db.selectFrom('region').select('id').where('code', '=', '370118001000').executeTakeFirstOrThrow()).id;
    const streetFile = await t.as(street, { method: 'GET', url: `/api/grids/export.geojson?regionId=${streetId}` });
    expect(streetFile.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(
      expect.arrayContaining([c.west.code, c.east.code]),
    );
    const district = (await t.database.db.selectFrom('region').select('id').where('code', '=', '370118').executeTakeFirstOrThrow()).id;
    expect((await t.as(admin, { method: 'GET', url: `/api/grids/export.geojson?regionId=${district}` })).statusCode).toBe(400);

    // The exported file declares its CRS and imports back as replacements of the same grids.
    const back = await importJson(street, { communityId: c.id, format: 'geojson', mode: 'validate', data: fc });
    expect(back.json()).toMatchObject({ ok: true, crsSource: 'file' });
    expect(back.json().grids.map((g: { action: string; code: string }) => [g.action, g.code])).toEqual([
      ['replace', c.west.code],
      ['replace', c.east.code],
    ]);
  });

  it('keeps to scope: another community’s station gets 404, a grid worker 403', async () => {
    const c = await createBareCommunity(t.database.db, { code: '370118001086' });
    const other = await t.login('sq_baotuquan');
    const worker = await t.login('wgy_baotuquan');
    const payload = { communityId: c.id, format: 'geojson', mode: 'validate', data: collection(halves()) };
    expect((await importJson(other, payload)).statusCode).toBe(404);
    expect((await importJson(worker, payload)).statusCode).toBe(403);
    expect((await t.as(other, { method: 'GET', url: `/api/grids/export.geojson?regionId=${c.id}` })).statusCode).toBe(404);
    const body = multipart({ communityId: c.id, mode: 'validate' }, null);
    expect((await t.as(worker, { method: 'POST', url: '/api/grids/import/shapefile', payload: body.payload, headers: body.headers })).statusCode).toBe(403);
    expect((await t.as(null, { method: 'POST', url: '/api/grids/import/shapefile', payload: body.payload, headers: body.headers })).statusCode).toBe(401);
    // Multipart bodies stay refused everywhere else.
    const elsewhere = await t.as(street, { method: 'POST', url: '/api/grids/import', payload: body.payload, headers: body.headers });
    expect(elsewhere.statusCode).toBe(415);
  });
});
