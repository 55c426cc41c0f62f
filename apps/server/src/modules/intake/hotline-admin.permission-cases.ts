import type { Case, Fx, Who } from '../../../test/permission-matrix.types.js';
import { matrixCase } from '../cases/cases.permission-cases.js';

/** A failed status push of a case in the caller's home community (in) or the outside one (out). */
async function failedPush(f: Fx, w: Who, target: 'in' | 'out'): Promise<number> {
  const caseId = await matrixCase(f, w, target);
  const row = await f.t.database.db
    .insertInto('webhook_outbox')
    .values({
      case_id: caseId,
      target: 'hotline',
      kind: 'hotline.status',
      payload: JSON.stringify({ 工单号: `M-${f.seq()}` }),
      attempts: 10,
      last_error: 'HTTP 500',
      failed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Permission-matrix cases of the integrations console (merged through intake.permission-cases.ts). */
export const hotlineAdminCases: Record<string, Case> = {
  'GET /api/integrations/cases': { build: () => ({ method: 'GET', url: '/api/integrations/cases?channel=hotline' }), out: null },
  'GET /api/integrations/outbox': { build: () => ({ method: 'GET', url: '/api/integrations/outbox?state=failed' }), out: null },
  // Out: a delivery of a case outside the caller's view is NOT_FOUND.
  'POST /api/integrations/outbox/:id/retry': {
    build: async (f, w, target) => ({ method: 'POST', url: `/api/integrations/outbox/${await failedPush(f, w, target)}/retry` }),
    out: 404,
  },
};
