import type { Case, Fx, Who } from '../../../test/permission-matrix.types.js';
import { testPii } from '../../../test/test-key.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { createCaseRecord } from './case-create.js';

/** A case the caller reported in their home community ('in': every role may view its own report), or one in the district outside every demo scope ('out'). */
async function reportedBy(f: Fx, w: Who, target: 'in' | 'out'): Promise<string> {
  const db = f.t.database.db;
  const me = (await db.selectFrom('app_user').select('id').where('username', '=', w.username).executeTakeFirstOrThrow()).id;
  const community = target === 'in' ? w.home.community : f.out.community;
  const region = await db.selectFrom('region').select(['id', 'path']).where('id', '=', community.id).executeTakeFirstOrThrow();
  const category = await db.selectFrom('event_category').select('id').where('code', '=', '0207').executeTakeFirstOrThrow();
  const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: { append: async () => {} } });
  const reporter = target === 'in' ? me : f.out.user;
  const created = await db.transaction().execute((trx) =>
    createCaseRecord(
      trx,
      { pii: testPii, calendar },
      {
        channel: 'resident',
        categoryId: category.id,
        title: '矩阵测试：电子档案',
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
  return created.case.id;
}

/** Permission-matrix case of the archive export (merged by src/http/permission-matrix.int.test.ts): whoever may view the case. */
export const archiveCases: Record<string, Case> = {
  'GET /api/cases/:id/archive.docx': { build: async (f, w, target) => ({ method: 'GET', url: `/api/cases/${await reportedBy(f, w, target)}/archive.docx` }) },
};
