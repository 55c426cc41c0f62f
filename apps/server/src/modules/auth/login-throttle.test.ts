import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('per-address sign-in throttle', () => {
  it('allows maxFailures failures in the window, then reports when the oldest one expires', () => {
    let clock = 1_000_000;
    const t = createLoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => clock });
    expect(t.recordFailure('10.0.0.1')).toBe(false);
    clock += 10_000;
    expect(t.recordFailure('10.0.0.1')).toBe(false);
    expect(t.retryAfterSeconds('10.0.0.1')).toBe(0);
    clock += 10_000;
    expect(t.recordFailure('10.0.0.1')).toBe(true);
    // The first failure (20 s ago) leaves the 60 s window in 40 s.
    expect(t.retryAfterSeconds('10.0.0.1')).toBe(40);
    expect(t.retryAfterSeconds('10.0.0.2')).toBe(0);
    clock += 40_000;
    expect(t.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('slides: old failures fall out of the window', () => {
    let clock = 0;
    const t = createLoginThrottle({ maxFailures: 2, windowMs: 1_000, now: () => clock });
    t.recordFailure(null);
    clock = 1_500;
    expect(t.recordFailure(null)).toBe(false);
    expect(t.retryAfterSeconds(null)).toBe(0);
  });

  it('keeps at most maxKeys addresses, dropping the longest idle', () => {
    const t = createLoginThrottle({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    t.recordFailure('a');
    t.recordFailure('b');
    t.recordFailure('c');
    expect(t.retryAfterSeconds('a')).toBe(0);
    expect(t.retryAfterSeconds('b')).toBeGreaterThan(0);
    expect(t.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});
