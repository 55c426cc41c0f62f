import { randomBytes } from 'node:crypto';

/**
 * API tokens read `ggt_<prefix>_<secret>`: the `ggt_` marker lets secret scanners recognise a leaked
 * token, the 8 hex-digit prefix identifies it in lists and logs, the secret is 32 random bytes.
 */
const TOKEN_RE = /^ggt_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): { token: string; prefix: string } {
  const prefix = randomBytes(4).toString('hex');
  return { token: `ggt_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** The prefix of a well-formed token, or null for anything else (checked before any lookup). */
export function apiTokenPrefix(token: string): string | null {
  return TOKEN_RE.exec(token)?.[1] ?? null;
}
