import { sql } from 'kysely';
import { insertGrid } from '../../../test/grid-factories.js';
import type { Case, Fx, Req, Target, Who } from '../../../test/permission-matrix.types.js';

/**
 * A current grid for the target: the first grid of the caller's home community (grid workers and
 * leaders serve grid 1 of theirs), or one in the out-of-scope community (made there when it has none).
 */
async function gridFor(f: Fx, w: Who, target: Target): Promise<string> {
  const communityId = target === 'in' ? w.home.community.id : f.out.community.id;
  const db = f.t.database.db;
  const row = await db
    .selectFrom('grid')
    .select('id')
    .where('community_id', '=', communityId)
    .where('valid_to', 'is', null)
    .where('level', '=', 'grid')
    // Grids the matrix draws in the community have no staff, and grid staff serve only staffed grids.
    .orderBy(sql`exists (select 1 from grid_staff s where s.grid_id = grid.id)`, 'desc')
    .orderBy('seq')
    .orderBy('code')
    .executeTakeFirst();
  if (row) return row.id;
  const x = 116.5;
  const y = 36.2;
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + 0.001, y],
        [x + 0.001, y + 0.001],
        [x, y + 0.001],
        [x, y],
      ],
    ],
  };
  return insertGrid(db, { communityId, code: `7${String(next()).padStart(18, '0')}`, name: '矩阵网格', seq: 1, geometry: square });
}

const get = (url: string): Req => ({ method: 'GET', url });
/** Own counter: the matrix's `f.seq()` also numbers region codes, which must stay within three digits. */
let counter = 0;
const next = () => ++counter;
const insertId = async (q: Promise<{ rows: { id: string }[] }>) => ((await q).rows[0] as { id: string }).id;

async function buildingFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  const n = next();
  return insertId(
    sql<{
      id: string;
    }>`INSERT INTO building (grid_id, name, address, address_key) VALUES (${gridId}, ${`矩阵楼${n}`}, ${`矩阵楼${n}`}, ${`matrix-b-${n}`}) RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}
async function houseFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  const n = next();
  return insertId(
    sql<{
      id: string;
    }>`INSERT INTO house (grid_id, address, address_key, use) VALUES (${gridId}, ${`矩阵房${n}`}, ${`matrix-h-${n}`}, 'residential') RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}
async function organisationFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  return insertId(
    sql<{ id: string }>`INSERT INTO organisation (kind, name, grid_id) VALUES ('individual', ${`矩阵商户${next()}`}, ${gridId}) RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}
async function facilityFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  return insertId(
    sql<{ id: string }>`INSERT INTO facility (kind, name, grid_id) VALUES ('street_light', ${`矩阵路灯${next()}`}, ${gridId}) RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}
async function keyPlaceFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  return insertId(
    sql<{
      id: string;
    }>`INSERT INTO key_place (kind, name, warning_level, grid_id) VALUES ('crowded', ${`矩阵场所${next()}`}, 'blue', ${gridId}) RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}
async function triggerFor(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridFor(f, w, t);
  const details = JSON.stringify({ keyPlaceId: crypto.randomUUID(), keyPlaceName: '矩阵场所' });
  return insertId(
    sql<{ id: string }>`INSERT INTO adjustment_trigger (grid_id, kind, details) VALUES (${gridId}, 'new_key_place', ${details}::jsonb) RETURNING id`.execute(
      f.t.database.db,
    ),
  );
}

const regionOf = (f: Fx, w: Who, t: Target) => (t === 'in' ? w.home.community.id : f.out.community.id);

/** Permission-matrix cases of this module's endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const placesCases: Record<string, Case> = {
  // A list narrowed to a region or grid outside the caller's view is 404.
  'GET /api/buildings': { build: (f, w, t) => get(`/api/buildings?regionId=${regionOf(f, w, t)}`) },
  'POST /api/buildings': {
    build: async (f, w, t) => ({ method: 'POST', url: '/api/buildings', payload: { name: `矩阵新楼${next()}`, gridId: await gridFor(f, w, t) } }),
    ok: 201,
  },
  'GET /api/buildings/:id': { build: async (f, w, t) => get(`/api/buildings/${await buildingFor(f, w, t)}`) },
  'PATCH /api/buildings/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/buildings/${await buildingFor(f, w, t)}`, payload: { floors: 6 } }),
  },
  'GET /api/buildings/:id/layout': { build: async (f, w, t) => get(`/api/buildings/${await buildingFor(f, w, t)}/layout`) },

  'GET /api/houses': { build: (f, w, t) => get(`/api/houses?regionId=${regionOf(f, w, t)}`) },
  'POST /api/houses': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: '/api/houses',
      payload: { address: `矩阵路${next()}号`, use: 'rental', gridId: await gridFor(f, w, t) },
    }),
    ok: 201,
  },
  'GET /api/houses/:id': { build: async (f, w, t) => get(`/api/houses/${await houseFor(f, w, t)}`) },
  'PATCH /api/houses/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/houses/${await houseFor(f, w, t)}`, payload: { use: 'vacant' } }),
  },
  'POST /api/houses/:id/verify': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/houses/${await houseFor(f, w, t)}/verify`, payload: {} }),
  },

  'GET /api/organisations': { build: (f, w, t) => get(`/api/organisations?regionId=${regionOf(f, w, t)}`) },
  'POST /api/organisations': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'individual', name: `矩阵新商户${next()}`, gridId: await gridFor(f, w, t) },
    }),
    ok: 201,
  },
  'GET /api/organisations/:id': { build: async (f, w, t) => get(`/api/organisations/${await organisationFor(f, w, t)}`) },
  'PATCH /api/organisations/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/organisations/${await organisationFor(f, w, t)}`, payload: { employees: 3 } }),
  },
  'POST /api/organisations/:id/verify': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/organisations/${await organisationFor(f, w, t)}/verify`, payload: {} }),
  },
  'POST /api/organisations/:id/unmask': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/organisations/${await organisationFor(f, w, t)}/unmask`,
      payload: { field: 'phone', reason: '矩阵测试核对电话' },
    }),
  },

  'GET /api/facilities': { build: (f, w, t) => get(`/api/facilities?regionId=${regionOf(f, w, t)}`) },
  'POST /api/facilities': {
    build: async (f, w, t) => ({ method: 'POST', url: '/api/facilities', payload: { kind: 'manhole', name: '井盖', gridId: await gridFor(f, w, t) } }),
    ok: 201,
  },
  'GET /api/facilities/:id': { build: async (f, w, t) => get(`/api/facilities/${await facilityFor(f, w, t)}`) },
  'PATCH /api/facilities/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/facilities/${await facilityFor(f, w, t)}`, payload: { state: 'damaged' } }),
  },
  'POST /api/facilities/:id/verify': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/facilities/${await facilityFor(f, w, t)}/verify`, payload: {} }),
  },

  'GET /api/key-places': { build: (f, w, t) => get(`/api/key-places?regionId=${regionOf(f, w, t)}`) },
  'POST /api/key-places': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: '/api/key-places',
      payload: { kind: 'crowded', name: `矩阵广场${next()}`, warningLevel: 'yellow', gridId: await gridFor(f, w, t) },
    }),
    ok: 201,
  },
  'GET /api/key-places/:id': { build: async (f, w, t) => get(`/api/key-places/${await keyPlaceFor(f, w, t)}`) },
  'PATCH /api/key-places/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/key-places/${await keyPlaceFor(f, w, t)}`, payload: { warningLevel: 'orange' } }),
  },
  'POST /api/key-places/:id/verify': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/key-places/${await keyPlaceFor(f, w, t)}/verify`, payload: {} }),
  },

  'GET /api/registry/verification-tasks': { build: async (f, w, t) => get(`/api/registry/verification-tasks?gridId=${await gridFor(f, w, t)}`) },
  'GET /api/registry/freshness': { build: (f, w, t) => get(`/api/registry/freshness?regionId=${regionOf(f, w, t)}`) },

  'GET /api/adjustment-triggers': { build: (f, w, t) => get(`/api/adjustment-triggers?regionId=${regionOf(f, w, t)}`) },
  'POST /api/adjustment-triggers/:id/dismiss': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/adjustment-triggers/${await triggerFor(f, w, t)}/dismiss` }),
  },
  'POST /api/adjustment-triggers/scan': { build: () => ({ method: 'POST', url: '/api/adjustment-triggers/scan' }), out: null },
};
