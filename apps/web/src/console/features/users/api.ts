import type { CreateUserRequest, SetScopesRequest, UpdateUserRequest, UserListQuery, UserSummary } from '@gridgov/contracts/users';
import { api } from '../../../common/api/client';

export type UserFilters = Partial<Omit<UserListQuery, 'limit' | 'offset'>> & { limit: number; offset: number };

export const usersApi = {
  list: (q: UserFilters) => api.get<{ items: UserSummary[]; total: number }>('/api/users', q),
  get: (id: string) => api.get<UserSummary>(`/api/users/${id}`),
  create: (body: CreateUserRequest) => api.post<UserSummary>('/api/users', body),
  update: (id: string, body: UpdateUserRequest) => api.patch<UserSummary>(`/api/users/${id}`, body),
  setScopes: (id: string, body: SetScopesRequest) => api.put<UserSummary>(`/api/users/${id}/scopes`, body),
  resetPassword: (id: string, password: string) => api.post<UserSummary>(`/api/users/${id}/password`, { password }),
  unlock: (id: string) => api.post<UserSummary>(`/api/users/${id}/unlock`),
};

export const userKeys = {
  all: ['users'] as const,
  list: (q: UserFilters) => ['users', 'list', q] as const,
};
