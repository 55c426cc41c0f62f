import type { IntegrationCaseList, IntegrationChannel, OutboxDelivery, OutboxList, OutboxState } from '@gridgov/contracts/integrations';
import { api } from '../../../common/api/client';

/** The integrations console's calls (district center: case.configure). */
export const integrationsApi = {
  cases: (q: { channel?: IntegrationChannel; q?: string; limit: number; offset: number }) =>
    api.get<IntegrationCaseList>('/api/integrations/cases', {
      channel: q.channel,
      q: q.q || undefined,
      limit: q.limit,
      offset: q.offset,
    }),
  outbox: (q: { state?: OutboxState; limit: number; offset: number }) =>
    api.get<OutboxList>('/api/integrations/outbox', { state: q.state, limit: q.limit, offset: String(q.offset) }),
  retry: (id: number) => api.post<OutboxDelivery>(`/api/integrations/outbox/${id}/retry`),
};

export const integrationKeys = {
  all: ['integrations'] as const,
  cases: (q: object) => ['integrations', 'cases', q] as const,
  outbox: (q: object) => ['integrations', 'outbox', q] as const,
};
