import type { LoginRequest, LoginResponse, Me } from '@gridgov/contracts/auth';
import type { Locale } from '@gridgov/contracts/errors';
import { api, request } from '../api/client';

export type SessionState = { me: Me; csrfToken: string };

export const authApi = {
  /** Who is signed in; resolves null when nobody is (no global auth-error handling for this probe). */
  async session(): Promise<SessionState | null> {
    try {
      return await request<SessionState>('GET', '/api/auth/session', undefined, { silentAuth: true });
    } catch (e) {
      if (e instanceof Error && 'status' in e && (e as { status: number }).status === 401) return null;
      throw e;
    }
  },
  login: (body: LoginRequest) => request<LoginResponse>('POST', '/api/auth/login', body, { silentAuth: true }),
  logout: () => api.post<{ ok: true }>('/api/auth/logout'),
  setLocale: (locale: Locale) => request<unknown>('PUT', '/api/auth/locale', { locale }, { silentAuth: true }),
};
