import { sql } from 'kysely';
import type { Case, Fx, Req, Who } from '../../../test/permission-matrix.types.js';
import { hotlineAdminCases } from './hotline-admin.permission-cases.js';
import { files, issueToken, pointInGrid, upload } from './intake.fixtures.js';

/** A point in a grid of the caller's home community (in), or in the outside community (out: given a boundary here, no grid). */
async function pointFor(f: Fx, w: Who, target: 'in' | 'out'): Promise<{ lng: number; lat: number }> {
  if (target === 'in') {
    const p = await pointInGrid(f.t.database.db, w.home.community.code);
    return { lng: p.lng, lat: p.lat };
  }
  await sql`UPDATE region SET boundary = ST_GeomFromText('MULTIPOLYGON(((100 30,100.01 30,100.01 30.01,100 30.01,100 30)))', 4326)
            WHERE id = ${f.out.community.id} AND boundary IS NULL`.execute(f.t.database.db);
  return { lng: 100.005, lat: 30.005 };
}

/** A request with the caller's own API token (case.dispatch, their home community) instead of the session. */
async function withToken(f: Fx, w: Who, req: Req): Promise<Req> {
  const token = await issueToken(f.t, w.username, [w.home.community.id], ['case.dispatch']);
  return { ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${token}` } };
}

/**
 * Permission-matrix cases of the intake endpoints (merged by src/http/permission-matrix.int.test.ts).
 * Out of scope: a report located in the outside community is OUT_OF_SCOPE (403). A resident has no territory
 * (they may report anywhere in the jurisdiction); what they may not do is enter a report for someone else, so
 * their "out" call is a staff proxy entry (FORBIDDEN, 403).
 */
export const intakeCases: Record<string, Case> = {
  'POST /api/cases': {
    build: async (f, w, target) => {
      const location = await pointFor(f, w, target);
      const payload: Record<string, unknown> = { description: `权限矩阵：路灯不亮 ${f.seq()}`, location };
      if (target === 'out' && w.role === 'resident') {
        payload.location = await pointFor(f, w, 'in');
        payload.proxy = { channelDetail: 'phone', callerName: '矩阵来电人' };
      }
      return { method: 'POST', url: '/api/cases', payload };
    },
    ok: 201,
    out: 403,
  },
  'POST /api/cases/suggest': {
    build: async (f, w) => ({ method: 'POST', url: '/api/cases/suggest', payload: { text: '路灯不亮', location: await pointFor(f, w, 'in') } }),
    out: null,
  },
  'POST /api/attachments': {
    build: () => {
      const u = upload('matrix.jpg', files.jpeg);
      return { method: 'POST', url: '/api/attachments', payload: u.payload, headers: u.headers };
    },
    ok: 201,
    out: null,
  },
  // In: the caller's own unlinked upload. Out: someone else's unlinked upload (NOT_FOUND).
  'GET /api/attachments/:id': {
    build: async (f, w, target) => {
      if (target === 'in') {
        const u = upload('mine.jpg', files.jpeg);
        const res = await f.t.as(w.session, { method: 'POST', url: '/api/attachments', payload: u.payload, headers: u.headers });
        return { method: 'GET', url: `/api/attachments/${res.json().id}` };
      }
      const row = await f.t.database.db
        .insertInto('event_case_attachment')
        .values({ kind: 'photo', mime: 'image/jpeg', size_bytes: 1, sha256: '0'.repeat(64), storage_key: '2026/12/none', uploaded_by: f.out.user })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { method: 'GET', url: `/api/attachments/${row.id}` };
    },
  },
  'POST /api/integrations/hotline/cases': {
    build: async (f, w, target) =>
      withToken(f, w, {
        method: 'POST',
        url: '/api/integrations/hotline/cases',
        payload: { 工单号: `MATRIX-${f.seq()}`, 诉求内容: '权限矩阵：路灯不亮', 坐标: await pointFor(f, w, target) },
      }),
    ok: 201,
    out: 403,
  },
  'POST /api/integrations/devices/alarms': {
    build: async (f, w, target) =>
      withToken(f, w, {
        method: 'POST',
        url: '/api/integrations/devices/alarms',
        payload: {
          alarmId: `M-${f.seq()}`,
          deviceId: 'CAM-MATRIX',
          alarmType: 'garbage_overflow',
          location: await pointFor(f, w, target),
          occurredAt: new Date().toISOString(),
        },
      }),
    ok: 201,
    out: 403,
  },
  ...hotlineAdminCases,
};
