import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('lets `limit` requests through per window and says when the next one may come', () => {
    let clock = 0;
    const rl = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => clock });
    for (const at of [0, 10_000, 20_000]) {
      clock = at;
      expect(rl.take('a')).toBe(0);
    }
    clock = 30_000;
    expect(rl.take('a')).toBe(30);
    // Other addresses are counted apart.
    expect(rl.take('b')).toBe(0);
    // A refused request does not count: once the first one leaves the window, one more fits.
    clock = 60_001;
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBe(10);
  });

  it('forgets the least recently used addresses beyond maxKeys', () => {
    const rl = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    expect(rl.take('a')).toBe(0);
    expect(rl.take('b')).toBe(0);
    expect(rl.take('c')).toBe(0);
    // 'a' was dropped to make room, so it starts afresh; 'c' is still limited.
    expect(rl.take('a')).toBe(0);
    expect(rl.take('c')).toBeGreaterThan(0);
  });
});
