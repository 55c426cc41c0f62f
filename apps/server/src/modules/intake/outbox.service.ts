import { createHmac } from 'node:crypto';
import { HOTLINE_TARGET } from './hotline-push.js';
import type { IntakeRepository, OutboxRow } from './intake.repository.js';

/** Retries: 30 s, 1 min, 2 min … doubling up to an hour; given up after this many attempts. */
export const OUTBOX_MAX_ATTEMPTS = 10;
export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600);
/** A claimed push is retried by any process after this long if its deliverer died. */
const LEASE_SECONDS = 120;
const TIMEOUT_MS = 10_000;

/** The signature header: hex HMAC-SHA256 over `<timestamp>.<body>` with the shared secret. */
export function signPush(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface OutboxDeliveryDeps {
  repo: Pick<IntakeRepository, 'claimDue' | 'markDelivered' | 'markFailed'>;
  /** Target name → URL and signing secret (HOTLINE_WEBHOOK_URL / HOTLINE_WEBHOOK_SECRET for 'hotline'). */
  targets: Record<string, { url: string; secret: string } | undefined>;
  fetch?: typeof fetch;
  log?: { warn(obj: object, msg: string): void };
}

/**
 * Delivers due webhook_outbox rows: POST JSON with X-Gridgov-Timestamp, X-Gridgov-Signature and
 * X-Gridgov-Delivery (the row id: a receiver drops repeats). A 2xx answer delivers; anything else is retried
 * with backoff until OUTBOX_MAX_ATTEMPTS. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * processes deliver each row once (a process dying mid-delivery leaves its rows to the next after the lease).
 */
export function createOutboxDelivery({ repo, targets, fetch: doFetch = fetch, log }: OutboxDeliveryDeps) {
  async function deliverOne(row: OutboxRow): Promise<void> {
    const target = targets[row.target];
    if (!target) {
      await repo.markFailed(row.id, `no URL configured for target ${row.target}`, backoffSeconds(row.attempts + 1));
      return;
    }
    const body = JSON.stringify(row.payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    let error: string;
    try {
      const res = await doFetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-gridgov-timestamp': timestamp,
          'x-gridgov-signature': signPush(target.secret, timestamp, body),
          'x-gridgov-delivery': String(row.id),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        await repo.markDelivered(row.id);
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message || String(err);
    }
    const attempts = row.attempts + 1;
    log?.warn({ outboxId: row.id, attempts, error }, 'webhook push failed');
    await repo.markFailed(row.id, error.slice(0, 500), attempts >= OUTBOX_MAX_ATTEMPTS ? null : backoffSeconds(attempts));
  }

  return {
    /** Delivers what is due now (up to `batch` rows per round, rounds until none is due); returns how many were tried. */
    async deliverDue(batch = 20): Promise<number> {
      let tried = 0;
      for (let round = 0; round < 50; round++) {
        const rows = await repo.claimDue(batch, LEASE_SECONDS);
        if (!rows.length) break;
        for (const row of rows) await deliverOne(row);
        tried += rows.length;
      }
      return tried;
    },
  };
}

export type OutboxDelivery = ReturnType<typeof createOutboxDelivery>;

/** The outbox targets from the configuration (only the hotline so far). */
export function outboxTargets(c: { hotlineWebhookUrl?: string; hotlineWebhookSecret?: string }): OutboxDeliveryDeps['targets'] {
  return { [HOTLINE_TARGET]: c.hotlineWebhookUrl && c.hotlineWebhookSecret ? { url: c.hotlineWebhookUrl, secret: c.hotlineWebhookSecret } : undefined };
}
