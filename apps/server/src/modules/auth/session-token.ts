import { createHash, createHmac, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'gridgov_sid';

export const newToken = () => randomBytes(32).toString('base64url');

/**
 * Only a keyed hash of a session token is stored: a copy of the database does not let anyone
 * act as a signed-in user, and without the server secret the hashes cannot be matched either.
 */
export function tokenHash(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url');
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
