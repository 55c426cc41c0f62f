import type { Case, Fx } from '../../../test/permission-matrix.types.js';
import type { TestApp } from '../../../test/test-app.js';

const get = (url: string) => ({ method: 'GET', url });
/** 趵突泉第一网格's service station (demo data): a point inside the demo district. */
const IN_GRID = { lat: 36.65816, long: 117.00136 };

const keys = new WeakMap<TestApp, Promise<string>>();
/** One Open311 api_key per test app: an administrator's API token with case.report over the demo district. */
function apiKey(f: Fx): Promise<string> {
  let k = keys.get(f.t);
  if (!k) {
    k = (async () => {
      const admin = await f.t.login('admin');
      const district = await f.t.database.db.selectFrom('region').select('id').where('code', '=', '370118').executeTakeFirstOrThrow();
      const r = await f.t.as(admin, {
        method: 'POST',
        url: '/api/tokens',
        payload: { name: 'open311 matrix', permissions: ['case.report'], regionIds: [district.id] },
      });
      if (r.statusCode !== 201) throw new Error(`open311 matrix token: ${r.statusCode} ${r.body}`);
      return r.json().token as string;
    })();
    keys.set(f.t, k);
  }
  return k;
}

const submission = async (f: Fx) => ({ api_key: await apiKey(f), service_code: '0207', ...IN_GRID, description: '权限矩阵：路灯不亮' });

/**
 * Permission-matrix cases of the Open311 endpoints (merged by src/http/permission-matrix.int.test.ts). All are
 * `public` at the gate: reads answer everyone alike (a session changes nothing); a submission is authorised by its
 * api_key alone, so the same request succeeds with or without a session.
 */
export const open311Cases: Record<string, Case> = {
  'GET /open311/v2/services.:format': { build: () => get('/open311/v2/services.json'), out: null, anon: 200 },
  'GET /open311/v2/services/:code.:format': { build: () => get('/open311/v2/services/0207.xml'), out: null, anon: 200 },
  'POST /open311/v2/requests.:format': {
    build: async (f) => ({ method: 'POST', url: '/open311/v2/requests.json', payload: await submission(f) }),
    ok: 201,
    out: null,
    anon: 201,
  },
  'GET /open311/v2/requests.:format': { build: () => get('/open311/v2/requests.xml?status=open'), out: null, anon: 200 },
  'GET /open311/v2/requests/:id.:format': {
    build: async (f) => {
      const r = await f.t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: await submission(f) });
      if (r.statusCode !== 201) throw new Error(`open311 matrix submission: ${r.statusCode} ${r.body}`);
      return get(`/open311/v2/requests/${r.json()[0].service_request_id}.json`);
    },
    out: null,
    anon: 200,
  },
};
