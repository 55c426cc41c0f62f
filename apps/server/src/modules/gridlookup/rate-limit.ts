/**
 * Requests per client address in a sliding window, kept in process memory (as the login throttle):
 * the public lookup needs no account, so the address is what is limited. With several server
 * processes each keeps its own count, which still bounds the rate per process.
 */
export interface RateLimiter {
  /** Counts a request; 0 when it may proceed, else the seconds until the address may try again. */
  take(key: string | null): number;
}

export function createRateLimiter(opts: { limit: number; windowMs: number; maxKeys?: number; now?: () => number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const hits = new Map<string, number[]>();
  return {
    take(key) {
      const k = key ?? 'unknown';
      const at = now();
      const cutoff = at - opts.windowMs;
      const list = hits.get(k) ?? [];
      let drop = 0;
      while (drop < list.length && (list[drop] as number) <= cutoff) drop++;
      if (drop) list.splice(0, drop);
      if (list.length >= opts.limit) {
        // The slot frees when the oldest request in the window leaves it.
        return Math.max(1, Math.ceil(((list[0] as number) + opts.windowMs - at) / 1000));
      }
      list.push(at);
      // Most recently used last, so the least recently used address is dropped first when full.
      hits.delete(k);
      hits.set(k, list);
      while (hits.size > maxKeys) hits.delete(hits.keys().next().value as string);
      return 0;
    },
  };
}
