import type { ChangePasswordRequest } from '@gridgov/contracts/auth';
import { api } from '../../../common/api/client';

export const passwordApi = {
  change: (body: ChangePasswordRequest) => api.post<unknown>('/api/auth/password', body),
};
