import { idNumberCheckChar } from '@gridgov/contracts/identifiers';
import { sql } from 'kysely';
import { insertGrid } from '../../../test/grid-factories.js';
import type { Case, Fx, Req, Target, Who } from '../../../test/permission-matrix.types.js';
import { testPii } from '../../../test/test-key.js';

const get = (url: string): Req => ({ method: 'GET', url });
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

/** Own counter: the matrix's `f.seq()` also numbers region codes, which must stay within three digits. */
let counter = 0;

const communityOf = (f: Fx, w: Who, t: Target) => (t === 'in' ? w.home.community.id : f.out.community.id);

/** A current grid of the community, lowest sequence first (grid staff serve 1–8); one is made in the out-of-scope community. */
async function gridOf(f: Fx, communityId: string): Promise<string> {
  const db = f.t.database.db;
  const g = await db
    .selectFrom('grid')
    .select('id')
    .where('community_id', '=', communityId)
    .where('valid_to', 'is', null)
    .where('level', '=', 'grid')
    // Grids the matrix drew in the community as drafts have no staff: grid staff serve only staffed grids.
    .orderBy(sql`exists (select 1 from grid_staff s where s.grid_id = grid.id)`, 'desc')
    .orderBy('seq')
    .orderBy('code')
    .executeTakeFirst();
  if (g) return g.id;
  return insertGrid(db, { communityId, code: `8${String(++counter).padStart(18, '0')}`, name: '矩阵网格', seq: 1, geometry: smallSquare });
}

/** A valid, unique 身份证号 for the matrix (address code 370118, birth year and sequence from the counter). */
function idNumber(): string {
  const n = ++counter;
  const first17 = `370118${1930 + (n % 60)}0101${String(100 + (Math.floor(n / 60) % 900)).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** A person inserted directly (numbers encrypted with the test key) in the target community's first grid. */
async function personIn(f: Fx, w: Who, t: Target): Promise<string> {
  const gridId = await gridOf(f, communityOf(f, w, t));
  const n = `E${String(++counter).padStart(8, '0')}`;
  const row = await f.t.database.db
    .insertInto('person')
    .values({
      name: '矩阵人员',
      doc_type: 'passport',
      id_number_enc: testPii.encrypt(n),
      id_number_bidx: testPii.blindIndex('passport', n),
      id_number_masked: 'E*******0',
      phone_enc: testPii.encrypt('13800001234'),
      phone_bidx: testPii.blindIndex('phone', '13800001234'),
      phone_masked: '138****1234',
      population_type: 'overseas',
      grid_id: gridId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function entryIn(f: Fx, w: Who, t: Target): Promise<string> {
  const personId = await personIn(f, w, t);
  const row = await f.t.database.db
    .insertInto('special_entry')
    .values({ person_id: personId, type_code: 'elderly_alone', sensitivity: 1, level: 'normal', fields: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A pending grant by another user (the home's target user) on a person of the target community. */
async function grantIn(f: Fx, w: Who, t: Target): Promise<string> {
  const db = f.t.database.db;
  const personId = await personIn(f, w, t);
  const path = (
    await db
      .selectFrom('region')
      .select('path')
      .where('id', '=', communityOf(f, w, t))
      .executeTakeFirstOrThrow()
  ).path;
  const row = await db
    .insertInto('break_glass_grant')
    .values({
      user_id: t === 'in' ? w.home.user : f.out.user,
      person_id: personId,
      reason: '矩阵测试紧急授权原因说明',
      expires_at: sql<Date>`now() + interval '1 hour'`,
      region_path: path,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Permission-matrix cases of this module's endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const personsCases: Record<string, Case> = {
  'GET /api/persons': { build: (f, w, t) => get(`/api/persons?regionId=${communityOf(f, w, t)}`) },
  'POST /api/persons': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: '/api/persons',
      payload: { name: '矩阵新人', idNumber: idNumber(), populationType: 'registered', gridId: await gridOf(f, communityOf(f, w, t)) },
    }),
    ok: 201,
  },
  'GET /api/persons/:id': { build: async (f, w, t) => get(`/api/persons/${await personIn(f, w, t)}`) },
  'PATCH /api/persons/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/persons/${await personIn(f, w, t)}`, payload: { occupation: '矩阵职业' } }),
  },
  'POST /api/persons/:id/unmask': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/persons/${await personIn(f, w, t)}/unmask`, payload: { field: 'phone', reason: '矩阵测试核对' } }),
  },
  'POST /api/persons/:id/move': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/persons/${await personIn(f, w, t)}/move`,
      payload: { gridId: await gridOf(f, communityOf(f, w, t)), since: '2026-01-01' },
    }),
  },
  'POST /api/persons/:id/merge': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/persons/${await personIn(f, w, t)}/merge`,
      payload: { duplicateId: await personIn(f, w, t), reason: '矩阵测试合并' },
    }),
  },
  'POST /api/persons/:id/verify': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/persons/${await personIn(f, w, t)}/verify`, payload: {} }),
  },
  'PUT /api/persons/:id/household': {
    build: async (f, w, t) => {
      const id = await personIn(f, w, t);
      return { method: 'PUT', url: `/api/persons/${id}/household`, payload: { members: [{ personId: id, relation: 'head' }] } };
    },
  },
  'GET /api/special-entries': { build: (f, w, t) => get(`/api/special-entries?regionId=${communityOf(f, w, t)}`) },
  'POST /api/persons/:id/special-entries': {
    build: async (f, w, t) => ({
      method: 'POST',
      url: `/api/persons/${await personIn(f, w, t)}/special-entries`,
      payload: { typeCode: 'elderly_alone', level: 'normal', fields: {} },
    }),
    ok: 201,
  },
  'PATCH /api/special-entries/:id': {
    build: async (f, w, t) => ({ method: 'PATCH', url: `/api/special-entries/${await entryIn(f, w, t)}`, payload: { level: 'priority' } }),
  },
  'POST /api/special-entries/:id/end': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/special-entries/${await entryIn(f, w, t)}/end`, payload: {} }),
  },
  // A person with no hidden entries: passing the gate and the scope check ends in BREAKGLASS_NOT_NEEDED (409).
  'POST /api/break-glass': {
    build: async (f, w, t) => ({ method: 'POST', url: '/api/break-glass', payload: { personId: await personIn(f, w, t), reason: '矩阵测试紧急查看原因说明' } }),
    ok: 409,
  },
  'GET /api/break-glass': { build: () => get('/api/break-glass'), out: null },
  'POST /api/break-glass/:id/review': {
    build: async (f, w, t) => ({ method: 'POST', url: `/api/break-glass/${await grantIn(f, w, t)}/review`, payload: { outcome: 'justified' } }),
  },
};
