import type { AuditEntry as AuditEntrySchema, AuditOutcome as AuditOutcomeSchema, AuditPage } from '@gridgov/contracts/audit';
import type { z } from 'zod';
import { api } from '../../../common/api/client';

export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

export interface AuditFilters {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  regionId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export const auditApi = {
  list: (q: AuditFilters) => api.get<z.infer<typeof AuditPage>>('/api/audit', { ...q }),
};

export const auditKeys = {
  list: (q: AuditFilters) => ['audit', q] as const,
};
