import type { SessionInfo } from '@gridgov/contracts/auth';
import { api, itemsOf } from '../../../common/api/client';

export const sessionsApi = {
  list: async () => itemsOf(await api.get<SessionInfo[] | { items: SessionInfo[] }>('/api/auth/sessions')),
  revoke: (id: string) => api.delete<unknown>(`/api/auth/sessions/${id}`),
};

export const sessionKeys = { list: ['my-sessions'] as const };
