import type { Case, Fx, Who } from '../../../test/permission-matrix.types.js';
import { testPii } from '../../../test/test-key.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { createCaseRecord } from './case-create.js';

/**
 * A case the matrix caller reported in their home community ('in': every role sees its own report) or a case in the
 * district nobody in the demo may see ('out'), optionally put straight into `status`.
 */
export async function matrixCase(f: Fx, w: Who, target: 'in' | 'out', status?: 'closed'): Promise<string> {
  const db = f.t.database.db;
  const userId = (await db.selectFrom('app_user').select('id').where('username', '=', w.username).executeTakeFirstOrThrow()).id;
  const community = target === 'in' ? w.home.community : f.out.community;
  const region = await db.selectFrom('region').select(['id', 'path']).where('id', '=', community.id).executeTakeFirstOrThrow();
  const category = await db.selectFrom('event_category').select('id').where('code', '=', '0207').executeTakeFirstOrThrow();
  const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: { append: async () => {} } });
  const reporter = target === 'in' ? userId : f.out.user;
  const created = await db.transaction().execute((trx) =>
    createCaseRecord(
      trx,
      { pii: testPii, calendar },
      {
        channel: 'resident',
        categoryId: category.id,
        title: '矩阵测试案件',
        description: '权限矩阵测试',
        regionId: region.id,
        regionPath: region.path,
        gridId: null,
        noGrid: true,
        point: null,
        reporter: { userId: reporter, name: '矩阵', phone: null },
        createdBy: reporter,
        reportedAt: new Date(Date.now() - 60_000),
      },
    ),
  );
  if (status) await db.updateTable('event_case').set({ status, stage: null, closed_at: new Date() }).where('id', '=', created.case.id).execute();
  return created.case.id;
}

/** Permission-matrix cases of the case endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const casesCases: Record<string, Case> = {
  'GET /api/cases': { build: () => ({ method: 'GET', url: '/api/cases?view=reported' }), out: null },
  // In: the caller's own report (every role sees it); out: a case in a district outside every demo scope (404).
  'GET /api/cases/:id': { build: async (f, w, target) => ({ method: 'GET', url: `/api/cases/${await matrixCase(f, w, target)}` }) },
  // The reporter rates their closed case: the one action every role may take on its own report.
  'POST /api/cases/:id/actions': {
    build: async (f, w, target) => ({
      method: 'POST',
      url: `/api/cases/${await matrixCase(f, w, target, 'closed')}/actions`,
      payload: { action: 'rate', rating: 'satisfied' },
    }),
  },
  // Each id gets its own result (200 for the call); out of scope shows in the result, not the status.
  'POST /api/cases/bulk-actions': {
    build: async (f, w) => ({ method: 'POST', url: '/api/cases/bulk-actions', payload: { ids: [await matrixCase(f, w, 'in')], action: 'accept' } }),
    out: null,
  },
};
