import type { CaseStatus } from '@gridgov/contracts/cases';
import {
  type IntegrationCaseList,
  type IntegrationCaseQuery,
  type IntegrationChannel,
  integrationChannels,
  type OutboxDelivery,
  type OutboxList,
  type OutboxQuery,
  type OutboxState,
} from '@gridgov/contracts/integrations';
import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { viewRoots } from '../regions/subtree.js';
import type { HotlineAdminRepository, OutboxListRow } from './hotline-admin.repository.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toDelivery(r: OutboxListRow): OutboxDelivery {
  const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { 工单号?: string; status?: string } | null;
  return {
    id: r.id,
    caseId: r.case_id,
    caseNo: r.case_no,
    externalId: payload?.工单号 ?? null,
    target: r.target,
    kind: r.kind,
    status: payload?.status ?? null,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAt: r.state === 'pending' ? iso(r.next_at) : null,
    deliveredAt: iso(r.delivered_at),
    failedAt: iso(r.failed_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * The integrations console: what the hotline and devices sent in, and the status pushes back to the hotline.
 * Everything is limited to cases under the caller's view roots; a delivery of a case outside them is NOT_FOUND.
 */
export function createHotlineAdminService(deps: {
  repo: HotlineAdminRepository;
  audit: Pick<AuditRepository, 'append'>;
  /** Whether the hotline's push URL and secret are configured (HOTLINE_WEBHOOK_URL / _SECRET). */
  hotlineConfigured: boolean;
}) {
  const { repo, audit } = deps;
  const paths = (p: Principal) => viewRoots(p).map((r) => r.path);

  return {
    async cases(p: Principal, q: IntegrationCaseQuery): Promise<IntegrationCaseList> {
      const channels: IntegrationChannel[] = q.channel ? [q.channel] : [...integrationChannels];
      const { rows, total } = await repo.cases({ paths: paths(p), channels, q: q.q, limit: q.limit, offset: q.offset });
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          caseNo: r.case_no,
          channel: r.channel as IntegrationChannel,
          externalId: r.external_id,
          title: r.title,
          status: r.status as CaseStatus,
          categoryName: r.category_name,
          regionName: r.region_name,
          reportedAt: new Date(r.reported_at).toISOString(),
          lastPush: r.push_state && r.push_at ? { state: r.push_state as OutboxState, at: new Date(r.push_at).toISOString() } : null,
        })),
      };
    },

    async outbox(p: Principal, q: OutboxQuery): Promise<OutboxList> {
      const roots = paths(p);
      const [{ rows, total }, counts] = await Promise.all([
        repo.outbox({ paths: roots, state: q.state, limit: q.limit, offset: q.offset }),
        repo.outboxCounts(roots),
      ]);
      return { items: rows.map(toDelivery), total, counts, hotlineConfigured: deps.hotlineConfigured };
    },

    /**
     * 重试: a delivery given up after its last attempt goes back to the queue, due now; the outbox job sends it
     * within a minute. Only failed deliveries (a pending one is retried anyway, a delivered one is done).
     */
    async retry(p: Principal, id: number, meta: RequestMeta): Promise<OutboxDelivery> {
      const found = await repo.findDelivery(id);
      if (!found || !canView(p, found.region_path)) throw new AppError('NOT_FOUND');
      await repo.db.transaction().execute(async (trx) => {
        if (!(await repo.requeue(id, trx))) throw new AppError('OUTBOX_NOT_FAILED');
        await audit.append(
          {
            ...auditContext(p, meta),
            action: 'integration.outbox_retried',
            outcome: 'ok',
            targetType: 'webhook_outbox',
            targetId: String(id),
            details: { caseId: found.case_id, attempts: found.attempts },
          },
          trx,
        );
      });
      const { rows } = await repo.outbox({ paths: paths(p), id, limit: 1, offset: 0 });
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND');
      return toDelivery(row);
    },
  };
}
export type HotlineAdminService = ReturnType<typeof createHotlineAdminService>;
