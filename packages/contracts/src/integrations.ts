/**
 * The integrations console (issue 4): cases that came in through the 12345 hotline and device APIs, and the
 * webhook outbox that pushes status changes back to the hotline. Read by district center administrators
 * (case.configure); the intake endpoints themselves are in intake.ts.
 */
import { z } from 'zod';
import { CaseStatus } from './cases.js';
import { IsoDateTime, PageQuery, pageOf, Uuid } from './common.js';

/** The channels an integration feeds (API tokens, not people). */
export const integrationChannels = ['hotline', 'device'] as const;
export const IntegrationChannel = z.enum(integrationChannels);
export type IntegrationChannel = z.infer<typeof IntegrationChannel>;

export const IntegrationCaseQuery = PageQuery.extend({
  /** Both channels when absent. */
  channel: IntegrationChannel.optional(),
  /** Part of a 工单号 / device alarm id, or a whole case number. */
  q: z.string().trim().max(64).optional(),
});
export type IntegrationCaseQuery = z.infer<typeof IntegrationCaseQuery>;

/** A delivery's state: pending (due or waiting to retry), failed (given up), delivered. */
export const outboxStates = ['pending', 'failed', 'delivered'] as const;
export const OutboxState = z.enum(outboxStates);
export type OutboxState = z.infer<typeof OutboxState>;
export const outboxStateLabels: Record<OutboxState, { zh: string; en: string }> = {
  pending: { zh: '待推送', en: 'Pending' },
  failed: { zh: '推送失败', en: 'Failed' },
  delivered: { zh: '已送达', en: 'Delivered' },
};

export const IntegrationCase = z.object({
  id: Uuid,
  caseNo: z.string(),
  channel: IntegrationChannel,
  /** 工单号 of the hotline; `<deviceId>:<alarmId>` of a device. */
  externalId: z.string().nullable(),
  title: z.string(),
  status: CaseStatus,
  categoryName: z.string(),
  regionName: z.string(),
  reportedAt: IsoDateTime,
  /** The newest status push of the case (hotline cases only). */
  lastPush: z.object({ state: OutboxState, at: IsoDateTime }).nullable(),
});
export type IntegrationCase = z.infer<typeof IntegrationCase>;
export const IntegrationCaseList = pageOf(IntegrationCase);
export type IntegrationCaseList = z.infer<typeof IntegrationCaseList>;

export const OutboxQuery = PageQuery.extend({ state: OutboxState.optional() });
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const OutboxDelivery = z.object({
  id: z.number().int(),
  caseId: Uuid,
  caseNo: z.string(),
  /** 工单号 the push is about. */
  externalId: z.string().nullable(),
  target: z.string(),
  kind: z.string(),
  /** The case status the push reports. */
  status: z.string().nullable(),
  state: OutboxState,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When the next attempt is due (pending only). */
  nextAt: IsoDateTime.nullable(),
  deliveredAt: IsoDateTime.nullable(),
  failedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type OutboxDelivery = z.infer<typeof OutboxDelivery>;
export const OutboxList = pageOf(OutboxDelivery).extend({
  /** Per state, over the caller's scope (the tabs' counts). */
  counts: z.object({ pending: z.number().int(), failed: z.number().int(), delivered: z.number().int() }),
  /** Whether HOTLINE_WEBHOOK_URL is set: without it every push fails with "no URL configured". */
  hotlineConfigured: z.boolean(),
});
export type OutboxList = z.infer<typeof OutboxList>;
export const OutboxIdParams = z.strictObject({ id: z.coerce.number().int().min(1) });
