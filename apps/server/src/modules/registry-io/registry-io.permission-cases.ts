import { sql } from 'kysely';
import type { Case, Fx, Target, Who } from '../../../test/permission-matrix.types.js';
import { get } from '../../../test/permission-matrix.types.js';

const CSV = Buffer.from('姓名,公民身份号码,人口类型,网格编码\n');
const raw = (url: string) => ({ method: 'POST', url, payload: CSV, headers: { 'content-type': 'application/octet-stream' } });

/** A finished import job: started by the caller (in), or by another user (out: jobs are private to who started them). */
async function jobOf(f: Fx, w: Who, t: Target): Promise<string> {
  const db = f.t.database.db;
  const username = t === 'in' ? w.username : w.username === 'jumin' ? 'admin' : 'jumin';
  const r = await sql<{ id: string }>`
    INSERT INTO import_job (kind, mode, file_name, status, started_by, finished_at)
    SELECT 'persons', 'keep_valid', 'matrix.csv', 'succeeded', id, now() FROM app_user WHERE username = ${username} RETURNING id`.execute(db);
  return (r.rows[0] as { id: string }).id;
}
const region = (f: Fx, w: Who, t: Target) => (t === 'in' ? w.home.community.id : f.out.community.id);

/** Permission-matrix cases of this module's endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const registryIoCases: Record<string, Case> = {
  'GET /api/imports/templates/:kind': { build: () => get('/api/imports/templates/persons'), out: null },
  'GET /api/imports': { build: () => get('/api/imports'), out: null },
  'GET /api/imports/:id': { build: async (f, w, t) => get(`/api/imports/${await jobOf(f, w, t)}`) },
  'GET /api/imports/:id/rejections': { build: async (f, w, t) => get(`/api/imports/${await jobOf(f, w, t)}/rejections`) },
  'GET /api/imports/:id/rejections.xlsx': { build: async (f, w, t) => get(`/api/imports/${await jobOf(f, w, t)}/rejections.xlsx`) },
  // Rows aimed outside the capture scope are row errors of the job, not a refusal of the upload.
  'POST /api/imports/:kind': { build: () => raw('/api/imports/persons?mode=keep_valid&fileName=m.csv'), ok: 202, out: null },
  'GET /api/exports/:kind': { build: (f, w, t) => get(`/api/exports/facilities?regionId=${region(f, w, t)}`) },
  'POST /api/crosscheck/persons': { build: (f, w, t) => raw(`/api/crosscheck/persons?source=matrix&fileName=m.csv&regionId=${region(f, w, t)}`) },
};
