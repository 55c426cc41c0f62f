import { type CaseStatus, caseStatusLabels } from '@gridgov/contracts/cases';
import type { HotlineStatusPush } from '@gridgov/contracts/intake';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createIntakeRepository } from './intake.repository.js';

/** The outbox target name of the 12345 hotline; the URL is read at delivery (HOTLINE_WEBHOOK_URL). */
export const HOTLINE_TARGET = 'hotline';

/** The fields of a case the push needs (a row of event_case after the action). */
export interface PushableCase {
  id: string;
  channel: string;
  external_id: string | null;
  case_no: string;
  status: string;
  version: number;
}

/**
 * Call inside the transaction that changed a case's status: for a hotline case (channel 'hotline' with its
 * 工单号 in external_id) it queues one status push in webhook_outbox, delivered by the outbox job with
 * retries. Other cases: nothing. Committed with the action or not at all.
 */
export async function enqueueStatusPush(trx: Kysely<DB>, c: PushableCase, at: Date = new Date()): Promise<boolean> {
  if (c.channel !== 'hotline' || !c.external_id) return false;
  const status = c.status as CaseStatus;
  const payload: HotlineStatusPush = {
    工单号: c.external_id,
    caseId: c.id,
    caseNo: c.case_no,
    status,
    statusName: caseStatusLabels[status]?.zh ?? c.status,
    version: c.version,
    at: at.toISOString(),
  };
  await createIntakeRepository(trx).enqueue(trx, { caseId: c.id, target: HOTLINE_TARGET, kind: 'hotline.status', payload });
  return true;
}
