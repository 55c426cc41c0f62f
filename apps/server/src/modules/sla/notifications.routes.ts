import { OkResponse } from '@gridgov/contracts/common';
import { NotificationIdParams, NotificationList, NotificationListQuery, UnreadCount } from '@gridgov/contracts/notifications';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { NotificationsService } from './notifications.service.js';

export function registerNotificationsRoutes(app: FastifyInstance, deps: { notifications: NotificationsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  const { notifications } = deps;
  r.get(
    '/api/notifications',
    {
      config: { access: 'active' },
      schema: { tags, summary: '我的通知（本人及本单位；未读在前）', querystring: NotificationListQuery, response: { 200: NotificationList } },
    },
    async (req) => notifications.list(req.principal!, req.query),
  );
  r.get(
    '/api/notifications/unread-count',
    { config: { access: 'active' }, schema: { tags, summary: '未读通知数', response: { 200: UnreadCount } } },
    async (req) => notifications.unreadCount(req.principal!),
  );
  r.post(
    '/api/notifications/:id/read',
    { config: { access: 'active' }, schema: { tags, summary: '标记通知已读', params: NotificationIdParams, response: { 200: OkResponse } } },
    async (req) => notifications.markRead(req.principal!, req.params.id),
  );
}
