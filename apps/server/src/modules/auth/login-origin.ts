import type { FastifyRequest } from 'fastify';

/**
 * Login CSRF: a page on another site must not be able to sign a victim's browser into an account
 * of the attacker's choosing. Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`);
 * when they say "another site" the sign-in is refused. Clients that send neither (the CLI, the
 * 12345 hotline bridge, curl) are not browsers and pass.
 */
export function isCrossSiteRequest(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) and garbage: never our own console.
    return true;
  }
  const host = req.host;
  if (!host) return true;
  let hostUrl: URL;
  try {
    // Same scheme as the origin so default ports (80/443) normalise away on both sides.
    hostUrl = new URL(`${originUrl.protocol}//${host}`);
  } catch {
    return true;
  }
  return hostUrl.host.toLowerCase() !== originUrl.host.toLowerCase();
}
