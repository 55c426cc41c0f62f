import type { Notification, NotificationListQuery } from '@gridgov/contracts/notifications';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { toCstIso } from '../calendar/working-time.js';
import type { NotificationsRepository } from './notifications.repository.js';

/** The caller's notifications: their own and their org unit's (scope = who they are; nobody reads another's). */
export function createNotificationsService(deps: { repo: NotificationsRepository }) {
  const { repo } = deps;
  return {
    async list(p: Principal, q: NotificationListQuery): Promise<{ items: Notification[]; total: number }> {
      const r = await repo.list({ userId: p.userId, orgUnitId: p.orgUnitId, unreadOnly: q.unread === 'true', limit: q.limit, offset: q.offset });
      return {
        total: r.total,
        items: r.rows.map((n) => ({
          id: Number(n.id),
          kind: n.kind,
          title: n.title,
          body: n.body,
          caseId: n.case_id,
          caseNo: n.case_no,
          personal: n.user_id === p.userId,
          orgUnitName: n.org_unit_name,
          createdAt: toCstIso(new Date(n.created_at).getTime()),
          readAt: n.read_at ? toCstIso(new Date(n.read_at).getTime()) : null,
        })),
      };
    },
    async unreadCount(p: Principal) {
      return { unread: await repo.unreadCount(p.userId, p.orgUnitId) };
    },
    async markRead(p: Principal, id: number) {
      if (!(await repo.markRead(id, p.userId, p.orgUnitId))) throw new AppError('NOT_FOUND');
      return { ok: true as const };
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
