import type { ErrorBody, ErrorCode, FieldIssue } from '@gridgov/contracts/errors';

/** An error answered by the server (or a network failure, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (e: ApiError) => void;

/**
 * Session state the client needs on every request: the CSRF token (memory only — never in storage)
 * and the locale header for the server's messages when nobody is signed in yet.
 */
const state: { csrf: string | null; locale: string; onAuthError: Listener | null } = { csrf: null, locale: 'zh-CN', onAuthError: null };

export function setCsrfToken(token: string | null) {
  state.csrf = token;
}
export function setRequestLocale(locale: string) {
  state.locale = locale;
}
/** Called when the server says the session is gone or a password change is due. */
export function onAuthError(fn: Listener | null) {
  state.onAuthError = fn;
}

const AUTH_CODES = new Set<string>(['AUTH_REQUIRED', 'AUTH_SESSION_EXPIRED', 'AUTH_PASSWORD_CHANGE_REQUIRED']);

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: { silentAuth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-gridgov-locale': state.locale };
  // A FormData body (a file upload) goes as multipart; the browser sets its content type and boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  // A Blob/File body (a raw file upload) goes as the bytes themselves.
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined && !form) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && state.csrf) headers['x-csrf-token'] = state.csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form || raw ? (body as BodyInit) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', state.locale === 'en' ? 'Cannot reach the server; check the network' : '无法连接服务器，请检查网络');
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json as ErrorBody | null)?.error;
    const e = err
      ? new ApiError(res.status, err.code, err.message, err.fields ?? [], err.details ?? {}, err.requestId)
      : new ApiError(res.status, res.status === 404 ? 'ROUTE_NOT_FOUND' : 'INTERNAL', `HTTP ${res.status}`);
    if (!opts.silentAuth && AUTH_CODES.has(e.code)) state.onAuthError?.(e);
    throw e;
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** List endpoints answer either a bare array or a page ({items, total}); accept both. */
export function itemsOf<T>(x: T[] | { items: T[] } | null | undefined): T[] {
  if (!x) return [];
  return Array.isArray(x) ? x : x.items;
}
