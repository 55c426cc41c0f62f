import type { Locale } from '@gridgov/contracts/errors';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { setRequestLocale } from '../api/client';
import { en } from './en';
import { type MessageKey, zhCN } from './zh-CN';

export type { Locale };
export type Label = { zh: string; en: string };
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

const STORAGE_KEY = 'gridgov.locale';

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage may be blocked; fall through to the default
  }
  return null;
}

interface I18n {
  locale: Locale;
  /**
   * Changes the UI language; `remember` (default) keeps it on this device as the person's own choice.
   * The server is told separately when signed in.
   */
  setLocale(locale: Locale, opts?: { remember?: boolean }): void;
  /** Whether the language was picked on this device (rather than the default or the account's). */
  chosenHere(): boolean;
  t: TFunction;
  /** Picks the side of a contracts label ({zh, en}) for the current locale. */
  label(l: Label | undefined, fallback?: string): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const chosen = useRef(savedLocale() !== null);
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = savedLocale() ?? 'zh-CN';
    setRequestLocale(l);
    return l;
  });
  const chosenHere = useCallback(() => chosen.current, []);
  const setLocale = useCallback((l: Locale, opts: { remember?: boolean } = {}) => {
    setRequestLocale(l);
    if (opts.remember !== false) {
      chosen.current = true;
      try {
        localStorage.setItem(STORAGE_KEY, l);
      } catch {
        // not fatal
      }
    }
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict: Record<MessageKey, string> = locale === 'en' ? en : zhCN;
    const t: TFunction = (key, vars) => {
      let s = dict[key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    };
    const label = (l: Label | undefined, fallback = '') => (l ? (locale === 'en' ? l.en : l.zh) : fallback);
    return { locale, setLocale, chosenHere, t, label };
  }, [locale, setLocale, chosenHere]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
