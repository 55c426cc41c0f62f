/**
 * Failed sign-ins per client IP in a sliding window, kept in process memory. It complements the
 * per-account lockout: one address guessing across many accounts is stopped here. With several
 * server processes each keeps its own count, which still bounds the rate per process.
 */
export interface LoginThrottleOptions {
  /** Failures allowed from one address within the window; the next attempt is refused. */
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at most; the longest-idle ones are dropped first. */
  maxKeys?: number;
  now?: () => number;
}

export interface LoginThrottle {
  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(ip: string | null): number;
  /** Records a failure; true when this failure used up the address's allowance. */
  recordFailure(ip: string | null): boolean;
}

export function createLoginThrottle(opts: LoginThrottleOptions): LoginThrottle {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const failures = new Map<string, number[]>();
  const keyOf = (ip: string | null) => ip ?? 'unknown';

  function recent(key: string, at: number): number[] {
    const list = failures.get(key);
    if (!list) return [];
    const cutoff = at - opts.windowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= cutoff) drop++;
    if (drop) list.splice(0, drop);
    if (!list.length) failures.delete(key);
    return list;
  }

  return {
    retryAfterSeconds(ip) {
      const at = now();
      const list = recent(keyOf(ip), at);
      if (list.length < opts.maxFailures) return 0;
      // The attempt that frees a slot is the oldest one still in the window (index length - max).
      const freeing = list[list.length - opts.maxFailures] as number;
      return Math.max(1, Math.ceil((freeing + opts.windowMs - at) / 1000));
    },

    recordFailure(ip) {
      const key = keyOf(ip);
      const at = now();
      const list = recent(key, at);
      list.push(at);
      // Only the newest maxFailures timestamps matter for the decision.
      if (list.length > opts.maxFailures) list.splice(0, list.length - opts.maxFailures);
      // Re-insert so Map order is least-recently-failed first, then evict from the front when full.
      failures.delete(key);
      failures.set(key, list);
      while (failures.size > maxKeys) {
        const oldest = failures.keys().next().value as string;
        failures.delete(oldest);
      }
      return list.length === opts.maxFailures;
    },
  };
}
