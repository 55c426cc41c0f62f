import { defaultStageLimits } from '@gridgov/contracts/catalogue';
import type { Kysely } from 'kysely';
import type { Case, Fx, Home } from '../../../test/permission-matrix.types.js';
import type { DB } from '../../db/schema.js';

const get = (url: string) => ({ method: 'GET', url });
const categoryId = async (db: Kysely<DB>, code: string) =>
  (await db.selectFrom('event_category').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

const rules = (handleDays: number) => ({
  deptCode: 'cg',
  level: 'street',
  limits: { ...defaultStageLimits, handle: { amount: handleDays, unit: 'working_days' } },
  selfDispose: false,
  admitted: true,
  feedback: '反馈处置前后照片',
  closure: '问题已解决',
  keywords: ['矩阵'],
});

/** A rule in the home (or the outside) community, led by that community's station. */
async function ruleIn(f: Fx, home: Home): Promise<string> {
  const r = await f.t.database.db
    .insertInto('routing_rule')
    .values({ category_id: null, region_id: home.community.id, lead_org_unit_id: home.station, priority: f.seq() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A fresh class without items (so deactivating it is allowed). */
async function emptyClass(f: Fx, active = true): Promise<string> {
  const r = await f.t.database.db
    .insertInto('event_category')
    .values({ code: `K${f.seq()}`, name: '矩阵空大类', kind: 'class', active })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Permission-matrix cases of the catalogue and routing-rule endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const catalogueCases: Record<string, Case> = {
  'GET /api/catalogue': { build: () => get('/api/catalogue'), out: null },
  'GET /api/catalogue/items/:id/versions': {
    build: async (f) => get(`/api/catalogue/items/${await categoryId(f.t.database.db, '0101')}/versions`),
    out: null,
  },
  'POST /api/catalogue/classes': {
    build: (f) => ({ method: 'POST', url: '/api/catalogue/classes', payload: { code: `M${f.seq()}`, name: '矩阵大类' } }),
    ok: 201,
    out: null,
  },
  'POST /api/catalogue/items': {
    build: async (f) => ({
      method: 'POST',
      url: '/api/catalogue/items',
      payload: { classId: await categoryId(f.t.database.db, '03'), code: `03M${f.seq()}`, name: '矩阵小类', rules: rules(3) },
    }),
    ok: 201,
    out: null,
  },
  'PUT /api/catalogue/items/:id': {
    build: async (f) => ({
      method: 'PUT',
      url: `/api/catalogue/items/${await categoryId(f.t.database.db, '0320')}`,
      payload: { name: '其他公共管理', rules: rules(1 + (f.seq() % 20)) },
    }),
    out: null,
  },
  'POST /api/catalogue/items/:id/deactivate': {
    build: async (f) => ({ method: 'POST', url: `/api/catalogue/items/${await categoryId(f.t.database.db, '0319')}/deactivate` }),
    out: null,
  },
  'POST /api/catalogue/items/:id/activate': {
    build: async (f) => ({ method: 'POST', url: `/api/catalogue/items/${await categoryId(f.t.database.db, '0319')}/activate` }),
    out: null,
  },
  'PUT /api/catalogue/classes/:id': {
    build: async (f) => ({ method: 'PUT', url: `/api/catalogue/classes/${await emptyClass(f)}`, payload: { name: `矩阵改名 ${f.seq()}` } }),
    out: null,
  },
  'POST /api/catalogue/classes/reorder': {
    build: async (f) => {
      const ids = await f.t.database.db.selectFrom('event_category').select('id').where('kind', '=', 'class').orderBy('sort_order').orderBy('code').execute();
      return { method: 'POST', url: '/api/catalogue/classes/reorder', payload: { classIds: ids.map((r) => r.id) } };
    },
    out: null,
  },
  'POST /api/catalogue/classes/:id/deactivate': {
    build: async (f) => ({ method: 'POST', url: `/api/catalogue/classes/${await emptyClass(f)}/deactivate` }),
    out: null,
  },
  'POST /api/catalogue/classes/:id/activate': {
    build: async (f) => ({ method: 'POST', url: `/api/catalogue/classes/${await emptyClass(f, false)}/activate` }),
    out: null,
  },
  'GET /api/routing-rules': { build: () => get('/api/routing-rules?includeInactive=true'), out: null },
  'GET /api/routing-rules/resolve': {
    build: async (f, w, target) =>
      get(
        `/api/routing-rules/resolve?categoryId=${await categoryId(f.t.database.db, '0118')}&regionId=${target === 'in' ? w.home.community.id : f.out.community.id}`,
      ),
  },
  'POST /api/routing-rules': {
    build: async (f, w, target) => {
      const home = target === 'in' ? w.home : f.out;
      return {
        method: 'POST',
        url: '/api/routing-rules',
        payload: { categoryId: await categoryId(f.t.database.db, '0118'), regionId: home.community.id, leadOrgUnitId: home.station, priority: f.seq() },
      };
    },
    ok: 201,
  },
  'DELETE /api/routing-rules/:id': {
    build: async (f, w, target) => ({ method: 'DELETE', url: `/api/routing-rules/${await ruleIn(f, target === 'in' ? w.home : f.out)}` }),
  },
};
