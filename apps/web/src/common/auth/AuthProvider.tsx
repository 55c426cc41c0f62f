import type { Me } from '@gridgov/contracts/auth';
import type { Permission } from '@gridgov/contracts/roles';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ApiError, onAuthError, setCsrfToken } from '../api/client';
import { type Locale, useI18n } from '../i18n/I18nProvider';
import { authApi, type SessionState } from './api';

type Status = 'loading' | 'anonymous' | 'signedIn';

interface Auth {
  status: Status;
  me: Me | null;
  /** Set when the session ended by itself (expired, revoked elsewhere) so the login screen can say so. */
  lostReason: string | null;
  /** Fatal error while probing the session (server down). */
  probeError: ApiError | null;
  login(login: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Re-reads the session (after a password change, a role change …). */
  refresh(): Promise<void>;
  can(p: Permission): boolean;
  /** Switches the UI language and, when signed in, the account's language on the server. */
  changeLocale(locale: Locale): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { locale, setLocale, chosenHere } = useI18n();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [lostReason, setLostReason] = useState<string | null>(null);
  const [probeError, setProbeError] = useState<ApiError | null>(null);

  const signIn = useCallback((s: SessionState) => {
    setCsrfToken(s.csrfToken);
    setMe(s.me);
    setStatus('signedIn');
    setLostReason(null);
  }, []);

  const signOutLocally = useCallback(
    (reason: string | null) => {
      setCsrfToken(null);
      setMe(null);
      setStatus('anonymous');
      setLostReason(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    try {
      const s = await authApi.session();
      if (s) signIn(s);
      else signOutLocally(null);
    } catch (e) {
      setProbeError(e as ApiError);
      setStatus('anonymous');
    }
  }, [signIn, signOutLocally]);

  // First load: is there a session cookie already? The account's language wins over the device's.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once on mount
  useEffect(() => {
    void (async () => {
      try {
        const s = await authApi.session();
        if (s) {
          if (s.me.locale !== locale) setLocale(s.me.locale, { remember: false });
          signIn(s);
        } else setStatus('anonymous');
      } catch (e) {
        setProbeError(e as ApiError);
        setStatus('anonymous');
      }
    })();
  }, []);

  useEffect(() => {
    onAuthError((e) => {
      if (e.code === 'AUTH_PASSWORD_CHANGE_REQUIRED') setMe((m) => (m ? { ...m, mustChangePassword: true } : m));
      else signOutLocally(e.message);
    });
    return () => onAuthError(null);
  }, [signOutLocally]);

  const value = useMemo<Auth>(
    () => ({
      status,
      me,
      lostReason,
      probeError,
      async login(login, password) {
        const s = await authApi.login({ login, password });
        queryClient.clear();
        if (s.me.locale !== locale) {
          if (chosenHere()) {
            // A language picked on this device (e.g. on the sign-in screen) is what the person wants now.
            try {
              await authApi.setLocale(locale);
              s.me = { ...s.me, locale };
            } catch {
              // e.g. a password change is due first; the account keeps its language until the next choice
            }
          } else setLocale(s.me.locale, { remember: false });
        }
        signIn(s);
      },
      async logout() {
        try {
          await authApi.logout();
        } finally {
          signOutLocally(null);
        }
      },
      refresh,
      can: (p) => !!me?.permissions.includes(p),
      async changeLocale(next) {
        setLocale(next);
        if (status === 'signedIn') {
          await authApi.setLocale(next);
          setMe((m) => (m ? { ...m, locale: next } : m));
        }
      },
    }),
    [status, me, lostReason, probeError, locale, setLocale, chosenHere, signIn, signOutLocally, refresh, queryClient],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** For screens that only render when signed in. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
