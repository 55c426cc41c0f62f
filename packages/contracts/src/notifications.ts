/**
 * In-app notifications (issue 4 §4–5): SLA warnings from the overdue scanner (yellow at 80 %, red at 100 % of a
 * stage's time limit), 催办 and 督办, progress to reporters. A notification goes to one user or to an org unit
 * (every member sees it; the first member who reads it marks it read for the unit).
 */
import { z } from 'zod';
import { IsoDateTime, PageQuery, pageOf, Uuid } from './common.js';

export const notificationKinds = ['sla_yellow', 'sla_red', 'urge', 'supervise', 'progress', 'other'] as const;
export const notificationKindLabels: Record<(typeof notificationKinds)[number], { zh: string; en: string }> = {
  sla_yellow: { zh: '即将超时预警', en: 'Due soon' },
  sla_red: { zh: '超时告警', en: 'Overdue' },
  urge: { zh: '催办', en: 'Urged' },
  supervise: { zh: '督办', en: 'Supervised' },
  progress: { zh: '办理进展', en: 'Progress' },
  other: { zh: '通知', en: 'Notice' },
};

export const Notification = z.object({
  id: z.number().int(),
  /** One of notificationKinds; other modules may add their own. */
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  caseId: Uuid.nullable(),
  caseNo: z.string().nullable(),
  /** Addressed to me personally (false: to my org unit). */
  personal: z.boolean(),
  orgUnitName: z.string().nullable(),
  createdAt: IsoDateTime,
  readAt: IsoDateTime.nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationListQuery = PageQuery.extend({
  /** true: only unread ones. */
  unread: z.enum(['true', 'false']).optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
/** Unread first, newest first within each. */
export const NotificationList = pageOf(Notification);
export const NotificationIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const UnreadCount = z.object({ unread: z.number().int() });
