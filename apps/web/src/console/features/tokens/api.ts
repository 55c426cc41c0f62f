import type { ApiTokenInfo, CreateApiTokenRequest, CreatedApiToken } from '@gridgov/contracts/auth';
import { api, itemsOf } from '../../../common/api/client';

export const tokensApi = {
  list: async () => itemsOf(await api.get<ApiTokenInfo[] | { items: ApiTokenInfo[] }>('/api/tokens')),
  create: (body: CreateApiTokenRequest) => api.post<CreatedApiToken>('/api/tokens', body),
  revoke: (id: string) => api.delete<ApiTokenInfo>(`/api/tokens/${id}`),
};

export const tokenKeys = { list: ['tokens'] as const };
