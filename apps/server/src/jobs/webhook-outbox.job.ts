import type { FastifyBaseLogger } from 'fastify';
import type { OutboxDelivery } from '../modules/intake/outbox.service.js';
import { type Job, startPeriodic } from './periodic.js';

/** Pushes due webhook_outbox rows (hotline status changes) every few seconds; safe with several processes. */
export function startWebhookOutboxJob(deps: { delivery: OutboxDelivery; log: FastifyBaseLogger; intervalMs?: number }): Job {
  return startPeriodic({
    name: 'webhook-outbox',
    intervalMs: deps.intervalMs ?? 5_000,
    log: deps.log,
    task: async () => {
      await deps.delivery.deliverDue();
    },
  });
}
