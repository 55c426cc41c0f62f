import type { Case } from '../../../test/permission-matrix.types.js';

/** Permission-matrix cases of the notifications API (merged by src/http/permission-matrix.int.test.ts). */
export const slaCases: Record<string, Case> = {
  'GET /api/notifications': { build: () => ({ method: 'GET', url: '/api/notifications' }), out: null },
  'GET /api/notifications/unread-count': { build: () => ({ method: 'GET', url: '/api/notifications/unread-count' }), out: null },
  // In: a notification addressed to the caller; out: one addressed to a user outside every demo scope (404).
  'POST /api/notifications/:id/read': {
    build: async (f, w, target) => {
      const db = f.t.database.db;
      const userId =
        target === 'in' ? (await db.selectFrom('app_user').select('id').where('username', '=', w.username).executeTakeFirstOrThrow()).id : f.out.user;
      const n = await db.insertInto('notification').values({ user_id: userId, kind: 'other', title: '矩阵测试通知' }).returning('id').executeTakeFirstOrThrow();
      return { method: 'POST', url: `/api/notifications/${n.id}/read` };
    },
  },
};
