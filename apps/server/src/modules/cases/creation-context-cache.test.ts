import { describe, expect, it, vi } from 'vitest';
import type { CreationContext } from './cases.repository.js';
import { createCreationContextCache } from './creation-context-cache.js';

const ctx = { category: { id: 'c1', version: 1 }, district: '370118', dept_id: null, center_id: 'o1' } as unknown as CreationContext;

describe('creation context cache', () => {
  it('reads a category × region once within its lifetime, again after drop or expiry', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const cache = createCreationContextCache(10_000);
      const load = vi.fn(async () => ctx);
      expect(await cache.get('c1', '/r/', load)).toBe(ctx);
      await cache.get('c1', '/r/', load);
      expect(load).toHaveBeenCalledTimes(1);
      await cache.get('c1', '/other/', load);
      expect(load).toHaveBeenCalledTimes(2);
      cache.drop('c1', '/r/');
      await cache.get('c1', '/r/', load);
      expect(load).toHaveBeenCalledTimes(3);
      vi.advanceTimersByTime(10_001);
      await cache.get('c1', '/r/', load);
      expect(load).toHaveBeenCalledTimes(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps neither an unknown category nor a failed read', async () => {
    const cache = createCreationContextCache();
    const none = vi.fn(async () => undefined);
    await cache.get('c1', '/r/', none);
    await cache.get('c1', '/r/', none);
    expect(none).toHaveBeenCalledTimes(2);
    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    await expect(cache.get('c2', '/r/', failing)).rejects.toThrow('down');
    await expect(cache.get('c2', '/r/', failing)).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(2);
  });
});
