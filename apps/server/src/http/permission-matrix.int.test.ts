import { defaultSizeNorm } from '@gridgov/contracts/grids';
import { type Role, roleCan, roles } from '@gridgov/contracts/roles';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgUnit, createRegion, createUser, regionByCode } from '../../test/factories.js';
import { insertGrid } from '../../test/grid-factories.js';
import type { Case, Fx, Home, Req, Target, Who } from '../../test/permission-matrix.types.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import type { RegisteredRoute } from '../app.js';
import { calendarCases } from '../modules/calendar/calendar.permission-cases.js';
import { archiveCases } from '../modules/cases/archive.permission-cases.js';
import { casesCases } from '../modules/cases/cases.permission-cases.js';
import { catalogueCases } from '../modules/catalogue/catalogue.permission-cases.js';
import { multipart, PRJ_CGCS2000, writeShapefile, zipShapefile } from '../modules/gridio/shapefile.fixtures.js';
import { indicatorsCases } from '../modules/indicators/indicators.permission-cases.js';
import { intakeCases } from '../modules/intake/intake.permission-cases.js';
import { open311Cases } from '../modules/open311/open311.permission-cases.js';
import { personsCases } from '../modules/persons/persons.permission-cases.js';
import { placesCases } from '../modules/places/places.permission-cases.js';
import { registryIoCases } from '../modules/registry-io/registry-io.permission-cases.js';
import { slaCases } from '../modules/sla/sla.permission-cases.js';

/**
 * Every endpoint × every role × a target inside and outside the caller's scope (plus no session).
 * The route list comes from the running app: a new endpoint without a case here fails this test.
 *
 * Expected outcome, derived from the route's declared access and the role's permissions:
 *  - no session: 401 (public routes: their own answer)
 *  - role lacks the permission: 403
 *  - in scope: the case's success status; out of scope: 404 (records) or the case's own status
 */
/** A point inside a grid of the community: its service station. */
async function gridPoint(f: Fx, communityId: string): Promise<[number, number]> {
  const g = await f.t.database.db.selectFrom('grid').select('station').where('community_id', '=', communityId).orderBy('code').executeTakeFirstOrThrow();
  const st = g.station as { lng: number; lat: number };
  return [st.lng, st.lat];
}

/**
 * A grid adjustment in `status` for the community: a redraw of one of its grids onto its own boundary
 * (valid in every state; a different grid each time so approvals never clash), or, in a community
 * without grids (the out-of-scope one), an empty application that no in-scope call ever reaches.
 */
async function adjustmentIn(f: Fx, communityId: string, status: 'draft' | 'submitted'): Promise<{ id: string; body: Record<string, unknown> }> {
  const db = f.t.database.db;
  const grids = await sql<{ id: string; name: string; grid_type: string; geometry: unknown }>`
    SELECT g.id, g.name, g.grid_type, ST_AsGeoJSON(b.geom)::json AS geometry FROM grid g
    JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    WHERE g.community_id = ${communityId} AND g.valid_to IS NULL AND g.level = 'grid' AND g.grid_type <> '03'
    ORDER BY g.code`.execute(db);
  const g = grids.rows.length ? grids.rows[f.seq() % grids.rows.length] : undefined;
  const geometry = g ? (typeof g.geometry === 'string' ? JSON.parse(g.geometry) : g.geometry) : null;
  const body = g
    ? { reason: '矩阵测试：边界核定', sourceGridIds: [g.id], proposal: [{ gridId: g.id, name: g.name, gridType: g.grid_type, geometry }] }
    : { reason: '矩阵测试', sourceGridIds: [], proposal: [] };
  const row = await db
    .insertInto('grid_adjustment')
    .values({
      community_id: communityId,
      kind: g ? 'redraw' : 'create',
      status,
      reason: body.reason,
      source_grid_ids: body.sourceGridIds,
      proposal: JSON.stringify(body.proposal),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, body };
}
const smallSquare = {
  type: 'Polygon',
  coordinates: [
    [
      [116.5, 36.2],
      [116.501, 36.2],
      [116.501, 36.201],
      [116.5, 36.201],
      [116.5, 36.2],
    ],
  ],
};

/** A community's boundary as GeoJSON (a grid drawn on it lies inside), or a small square when it has none. */
async function communityArea(f: Fx, communityId: string): Promise<unknown> {
  const r = await sql<{ g: unknown }>`SELECT ST_AsGeoJSON(boundary)::json AS g FROM region WHERE id = ${communityId}`.execute(f.t.database.db);
  const g = r.rows[0]?.g;
  return g ? (typeof g === 'string' ? JSON.parse(g) : g) : smallSquare;
}

/** A current grid of the community with its geometry; one is made in a community without grids (the out-of-scope one). */
async function gridIn(f: Fx, communityId: string): Promise<{ id: string; geometry: unknown }> {
  const db = f.t.database.db;
  const r = await sql<{ id: string; g: unknown }>`
    SELECT g.id, ST_AsGeoJSON(b.geom)::json AS g FROM grid g JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    WHERE g.community_id = ${communityId} AND g.valid_to IS NULL AND g.level = 'grid' ORDER BY g.code LIMIT 1`.execute(db);
  const row = r.rows[0];
  if (row) return { id: row.id, geometry: typeof row.g === 'string' ? JSON.parse(row.g) : row.g };
  const id = await insertGrid(db, { communityId, code: `9${String(f.seq()).padStart(18, '0')}`, name: '矩阵网格', seq: 1, geometry: smallSquare });
  return { id, geometry: smallSquare };
}

const STRONG = 'Matrix#Pass2026';
const get = (url: string): Req => ({ method: 'GET', url });

const cases: Record<string, Case> = {
  ...calendarCases,
  ...archiveCases,
  ...open311Cases,
  ...catalogueCases,
  ...personsCases,
  ...placesCases,
  ...registryIoCases,
  ...indicatorsCases,
  ...intakeCases,
  ...slaCases,
  ...casesCases,
  'GET /api/health': { build: () => get('/api/health'), out: null, anon: 200 },
  'GET /api/openapi.json': { build: () => get('/api/openapi.json'), out: null, anon: 200 },
  'POST /api/cli': { build: () => ({ method: 'POST', url: '/api/cli', payload: { command: 'migrate' } }), out: null, anon: 401, fixed: 401 },

  'POST /api/auth/login': {
    build: (_f, w) => ({ method: 'POST', url: '/api/auth/login', payload: { login: w.username, password: 'Gridgov@2026' } }),
    out: null,
    anon: 200,
  },
  'POST /api/auth/logout': {
    // A second session of the same user, so the matrix's own session survives.
    build: async (f, w) => {
      const s = await f.t.login(w.username);
      return { method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } };
    },
    out: null,
  },
  'GET /api/auth/session': { build: () => get('/api/auth/session'), out: null },
  'GET /api/auth/sessions': { build: () => get('/api/auth/sessions'), out: null },
  'DELETE /api/auth/sessions/:id': {
    build: async (f, w, target) => {
      const username = target === 'in' ? w.username : 'wgy_outside';
      await f.t.login(username);
      const row = await f.t.database.db
        .selectFrom('user_session as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .select('s.id')
        .where('u.username', '=', username)
        .where('s.revoked_at', 'is', null)
        .orderBy('s.created_at', 'desc')
        .executeTakeFirstOrThrow();
      return { method: 'DELETE', url: `/api/auth/sessions/${row.id}` };
    },
  },
  // A wrong current password: passing the gate is what is checked (400 from the service, not 401/403).
  'POST /api/auth/password': {
    build: () => ({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-my-password', newPassword: STRONG } }),
    ok: 400,
    out: null,
  },
  'PUT /api/auth/locale': { build: () => ({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'zh-CN' } }), out: null },

  'GET /api/tokens': { build: () => get('/api/tokens'), out: null },
  'POST /api/tokens': {
    build: (_f, w, target) => ({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'matrix', permissions: ['region.read'], regionIds: [target === 'in' ? w.home.community.id : _f.out.community.id] },
    }),
    ok: 201,
    out: 403,
  },
  'DELETE /api/tokens/:id': {
    build: async (f, w) => ({ method: 'DELETE', url: `/api/tokens/${await f.tokenOf(w)}` }),
    out: null,
  },

  'GET /api/region-levels': { build: () => get('/api/region-levels'), out: null },
  'PUT /api/region-levels/:key': {
    build: () => ({ method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: '街道/乡镇', nameEn: 'Street/town' } }),
    out: null,
  },
  'GET /api/regions': { build: (f, w, t) => get(`/api/regions?parentId=${t === 'in' ? w.home.community.id : f.out.street.id}`) },
  'GET /api/regions/search': { build: () => get(`/api/regions/search?q=${encodeURIComponent('社区')}`), out: null },
  'GET /api/regions/:id': { build: (f, w, t) => get(`/api/regions/${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'POST /api/regions': {
    build: (f, w, t) => {
      const street = t === 'in' ? w.home.street : f.out.street;
      const village = String(100 + f.seq()).padStart(3, '0');
      return {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: street.id, code: `${street.code.slice(0, 9)}${village}`, name: `矩阵社区${village}` },
      };
    },
    ok: 201,
  },
  'PATCH /api/regions/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/regions/${t === 'in' ? w.home.community.id : f.out.community.id}`, payload: { sortOrder: 5 } }),
  },
  'DELETE /api/regions/:id': {
    build: async (f, w, t) => {
      const street = t === 'in' ? w.home.street : f.out.street;
      const parent = await regionByCode(f.t.database.db, street.code);
      const leaf = await createRegion(f.t.database.db, {
        parent,
        level: 'community',
        code: `${street.code.slice(0, 9)}${String(300 + f.seq()).padStart(3, '0')}`,
        name: '待删社区',
      });
      return { method: 'DELETE', url: `/api/regions/${leaf.id}` };
    },
  },

  'GET /api/org-units': { build: (f, w, t) => get(`/api/org-units?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'POST /api/org-units': {
    build: (f, w, t) => ({
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: t === 'in' ? w.home.community.id : f.out.community.id, kind: 'station', name: `矩阵工作站${f.seq()}` },
    }),
    ok: 201,
  },
  'PATCH /api/org-units/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/org-units/${t === 'in' ? w.home.station : f.out.station}`, payload: { phone: '0531-8800 0000' } }),
  },

  'GET /api/audit': { build: (f, w, t) => get(`/api/audit?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/audit/actions': { build: () => get('/api/audit/actions'), out: null },

  'GET /api/users': { build: (f, w, t) => get(`/api/users?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/users/:id': { build: (f, w, t) => get(`/api/users/${t === 'in' ? w.home.user : f.out.user}`) },
  'POST /api/users': {
    build: (f, w, t) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: `matrix_${f.seq()}`,
        displayName: '矩阵用户',
        role: 'grid_worker',
        captureRegionIds: [t === 'in' ? w.home.community.id : f.out.community.id],
        password: STRONG,
      },
    }),
    ok: 201,
    out: 403,
  },
  'PATCH /api/users/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}`, payload: { displayName: '目标用户' } }),
  },
  'PUT /api/users/:id/scopes': {
    build: (f, w, t) => {
      const h = t === 'in' ? w.home : f.out;
      return { method: 'PUT', url: `/api/users/${h.user}/scopes`, payload: { captureRegionIds: [h.community.id], viewRegionIds: [h.community.id] } };
    },
  },
  'POST /api/users/:id/password': {
    build: (f, w, t) => ({ method: 'POST', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}/password`, payload: { password: STRONG } }),
  },
  'POST /api/users/:id/unlock': { build: (f, w, t) => ({ method: 'POST', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}/unlock` }) },

  // grid adjustments: applications made directly in the state each action needs
  'GET /api/grid-adjustments': { build: (f, w, t) => get(`/api/grid-adjustments?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/grid-adjustments/:id': {
    build: async (f, w, t) => get(`/api/grid-adjustments/${(await adjustmentIn(f, t === 'in' ? w.home.community.id : f.out.community.id, 'draft')).id}`),
  },
  'POST /api/grid-adjustments': {
    build: async (f, w, t) => {
      if (t === 'out') {
        const payload = {
          communityId: f.out.community.id,
          kind: 'create',
          reason: '矩阵测试',
          proposal: [{ name: '矩阵网格', gridType: '01', geometry: smallSquare }],
        };
        return { method: 'POST', url: '/api/grid-adjustments', payload };
      }
      const { body } = await adjustmentIn(f, w.home.community.id, 'draft');
      return { method: 'POST', url: '/api/grid-adjustments', payload: { communityId: w.home.community.id, kind: 'redraw', ...body } };
    },
    ok: 201,
  },
  'PUT /api/grid-adjustments/:id': {
    build: async (f, w, t) => {
      const a = await adjustmentIn(f, t === 'in' ? w.home.community.id : f.out.community.id, 'draft');
      const payload = t === 'in' ? a.body : { reason: '矩阵测试', proposal: [{ name: '矩阵网格', gridType: '01', geometry: smallSquare }] };
      return { method: 'PUT', url: `/api/grid-adjustments/${a.id}`, payload };
    },
  },
  'POST /api/grid-adjustments/:id/submit': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/grid-adjustments/${(await adjustmentIn(f, t === 'in' ? w.home.community.id : f.out.community.id, 'draft')).id}/submit`,
    }),
  },
  'POST /api/grid-adjustments/:id/withdraw': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/grid-adjustments/${(await adjustmentIn(f, t === 'in' ? w.home.community.id : f.out.community.id, 'draft')).id}/withdraw`,
    }),
  },
  'POST /api/grid-adjustments/:id/review': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/grid-adjustments/${(await adjustmentIn(f, t === 'in' ? w.home.community.id : f.out.community.id, 'submitted')).id}/review`,
      payload: { decision: 'return', note: '矩阵测试退回' },
    }),
  },
  'POST /api/grid-adjustments/apply-due': { build: () => ({ method: 'POST', url: '/api/grid-adjustments/apply-due' }), out: null },

  // grid import (validate mode: a report, even with problems) and GeoJSON export
  'POST /api/grids/import': {
    build: (f, w, t) => ({
      method: 'POST',
      url: '/api/grids/import',
      payload: {
        communityId: t === 'in' ? w.home.community.id : f.out.community.id,
        format: 'geojson',
        mode: 'validate',
        data: { type: 'FeatureCollection', crs: 'EPSG:4326', features: [{ type: 'Feature', properties: { name: '矩阵网格' }, geometry: smallSquare }] },
      },
    }),
  },
  'POST /api/grids/import/shapefile': {
    build: (f, w, t) => {
      const ring = smallSquare.coordinates[0] as [number, number][];
      const zip = zipShapefile(
        'm',
        writeShapefile([{ rings: [ring], attributes: { NAME: '矩阵网格' } }], { fields: [{ name: 'NAME', length: 20 }], encoding: 'utf-8' }),
        {
          prj: PRJ_CGCS2000,
        },
      );
      const body = multipart({ communityId: t === 'in' ? w.home.community.id : f.out.community.id, mode: 'validate' }, { name: 'm.zip', data: zip });
      return { method: 'POST', url: '/api/grids/import/shapefile', payload: body.payload, headers: body.headers };
    },
  },
  'GET /api/grids/export.geojson': { build: (f, w, t) => get(`/api/grids/export.geojson?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },

  // grid lookup: a point in a grid of the caller's home community; out of scope answers 200 found:false.
  'GET /api/grids/lookup': {
    build: async (f, w, t) => {
      const [lng, lat] = t === 'in' ? await gridPoint(f, w.home.community.id) : [116.5, 36.2];
      return get(`/api/grids/lookup?lng=${lng}&lat=${lat}`);
    },
    out: 200,
  },
  'GET /api/public/grid-lookup': {
    build: async (f, w) => {
      const [lng, lat] = await gridPoint(f, w.home.community.id);
      return get(`/api/public/grid-lookup?lng=${lng}&lat=${lat}`);
    },
    out: null,
    anon: 200,
  },

  // grids (core): code template, grids and boundaries, map features, coverage, size norms, staffing, export
  'GET /api/settings/grid-code-template': { build: () => get('/api/settings/grid-code-template'), out: null },
  'PUT /api/settings/grid-code-template': {
    build: () => ({ method: 'PUT', url: '/api/settings/grid-code-template', payload: { template: 'shandong19' } }),
    out: null,
  },
  // Drawn on the community's own boundary as a draft: inside it, overlapping its grids on purpose.
  'POST /api/grids': {
    build: async (f, w, t) => {
      const communityId = t === 'in' ? w.home.community.id : f.out.community.id;
      return {
        method: 'POST',
        url: '/api/grids',
        payload: { communityId, name: `矩阵网格${f.seq()}`, gridType: '01', geometry: await communityArea(f, communityId), draft: true },
      };
    },
    ok: 201,
  },
  'GET /api/grids': { build: (f, w, t) => get(`/api/grids?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/grids/features': { build: () => get('/api/grids/features?bbox=116,36,118,37'), out: null },
  'GET /api/grids/staffing': { build: (f, w, t) => get(`/api/grids/staffing?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/grids/export.xlsx': { build: (f, w, t) => get(`/api/grids/export.xlsx?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/grids/:id': { build: async (f, w, t) => get(`/api/grids/${(await gridIn(f, t === 'in' ? w.home.community.id : f.out.community.id)).id}`) },
  'PATCH /api/grids/:id': {
    build: async (f, w, t) => ({
      method: 'PATCH',
      url: `/api/grids/${(await gridIn(f, t === 'in' ? w.home.community.id : f.out.community.id)).id}`,
      payload: { landmarks: ['矩阵地标'] },
    }),
  },
  'PUT /api/grids/:id/boundary': {
    build: async (f, w, t) => {
      const g = await gridIn(f, t === 'in' ? w.home.community.id : f.out.community.id);
      return { method: 'PUT', url: `/api/grids/${g.id}/boundary`, payload: { geometry: g.geometry, draft: true } };
    },
  },
  'PUT /api/grids/:id/staff': {
    build: async (f, w, t) => ({
      method: 'PUT',
      url: `/api/grids/${(await gridIn(f, t === 'in' ? w.home.community.id : f.out.community.id)).id}/staff`,
      payload: { staff: [] },
    }),
  },
  'GET /api/coverage': { build: (f, w, t) => get(`/api/coverage?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/size-norms/:regionId': { build: (f, w, t) => get(`/api/size-norms/${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'PUT /api/size-norms/:regionId': {
    build: (f, w, t) => ({ method: 'PUT', url: `/api/size-norms/${t === 'in' ? w.home.community.id : f.out.community.id}`, payload: defaultSizeNorm }),
  },
  'PUT /api/regions/:id/boundary': {
    build: async (f, w, t) => {
      const id = t === 'in' ? w.home.community.id : f.out.community.id;
      return { method: 'PUT', url: `/api/regions/${id}/boundary`, payload: { geometry: await communityArea(f, id) } };
    },
  },
  'GET /api/regions/features': { build: () => get('/api/regions/features?bbox=116,36,118,37'), out: null },
};

const demoUserOf: Record<Role, string> = {
  system_admin: 'admin',
  district_center: 'qu_zhongxin',
  street_center: 'jd_liuyin',
  community_station: 'sq_baotuquan',
  grid_leader: 'wgz_baotuquan',
  grid_worker: 'wgy_daminghu',
  dept_handler: 'bm_chengguan',
  resident: 'jumin',
};

function expected(route: RegisteredRoute, c: Case, role: Role | null, target: Target): number {
  const access = route.access;
  if (access === 'public') return role === null ? (c.anon ?? 200) : (c.fixed ?? c.ok ?? 200);
  if (role === null) return c.anon ?? 401;
  if (typeof access === 'object' && !roleCan(role, access.permission)) return 403;
  if (target === 'out') return c.out ?? 404;
  return c.ok ?? 200;
}

describe('permission matrix: every endpoint × role × scope', () => {
  let t: TestApp;
  let fx: Fx;
  const who = new Map<Role, Who>();

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    // A second district nobody in the demo may see.
    const d = await createRegion(db, { level: 'district', code: '370119', name: '外区' });
    const s = await createRegion(db, { parent: d, level: 'street', code: '370119001000', name: '外区街道' });
    const c = await createRegion(db, { parent: s, level: 'community', code: '370119001001', name: '外区社区' });
    const outStation = await createOrgUnit(db, { regionId: c.id, kind: 'station', name: '外区工作站' });
    const outUser = await createUser(db, { username: 'wgy_outside', role: 'grid_worker', scopeRegionIds: [c.id] });
    const homeOf = async (communityCode: string, target: string): Promise<Home> => {
      const community = await regionByCode(db, communityCode);
      const street = await regionByCode(db, `${communityCode.slice(0, 9)}000`);
      const station = await db
        .selectFrom('org_unit')
        .select('id')
        .where('region_id', '=', community.id)
        .where('kind', '=', 'station')
        .executeTakeFirstOrThrow();
      const user = await createUser(db, { username: target, role: 'grid_worker', scopeRegionIds: [community.id] });
      return { community, street, station: station.id, user: user.id };
    };
    const baotuquan = await homeOf('370118001001', 'target_btq');
    const daminghu = await homeOf('370118002002', 'target_dmh');
    let n = 0;
    fx = {
      t,
      out: { community: c, street: s, station: outStation.id, user: outUser.id },
      seq: () => ++n,
      async tokenOf(w) {
        const r = await t.as(w.session, {
          method: 'POST',
          url: '/api/tokens',
          payload: { name: `m${++n}`, permissions: ['region.read'], regionIds: [w.home.community.id] },
        });
        if (r.statusCode !== 201) return '00000000-0000-4000-8000-000000000000';
        return r.json().info.id;
      },
    };
    for (const role of roles) {
      const username = demoUserOf[role];
      const home = username === 'jd_liuyin' || username === 'wgy_daminghu' ? daminghu : baotuquan;
      who.set(role, { role, username, home, session: await t.login(username) });
    }
  });
  afterAll(() => t.close());

  it('has a case for every registered endpoint', () => {
    const missing = t.app.routeRegistry.map((r) => `${r.method} ${r.url}`).filter((k) => !cases[k]);
    expect(missing).toEqual([]);
  });

  it('answers each role in and out of scope, and anonymous callers, as the access rules say', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of t.app.routeRegistry) {
      const key = `${route.method} ${route.url}`;
      const c = cases[key];
      if (!c) continue;
      const { headers: _own, ...anonReq } = await c.build(fx, who.get('system_admin') as Who, 'in');
      const anon = await t.as(null, anonReq);
      checked++;
      if (anon.statusCode !== expected(route, c, null, 'in'))
        failures.push(`${key} anonymous: ${anon.statusCode} ≠ ${expected(route, c, null, 'in')} ${anon.body.slice(0, 160)}`);
      for (const role of roles) {
        const w = who.get(role) as Who;
        for (const target of ['in', 'out'] as const) {
          if (target === 'out' && c.out === null) continue;
          const req = await c.build(fx, w, target);
          const res = await t.as(w.session, req);
          checked++;
          const want = expected(route, c, role, target);
          if (res.statusCode !== want) failures.push(`${key} as ${role} (${target}): ${res.statusCode} ≠ ${want} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(t.app.routeRegistry.length * roles.length);
    // Every module's endpoints × 9 roles × in/out: minutes on a busy 2-core machine, not the default 60 s.
  }, 600_000);

  it('writes an audit row for every permission denial', async () => {
    const denied = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'access.denied').execute();
    expect(denied.length).toBeGreaterThan(0);
  });
});
