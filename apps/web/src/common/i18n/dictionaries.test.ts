import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console dictionaries', () => {
  it('en has exactly the zh-CN keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('every translation keeps the same {placeholders}', () => {
    for (const [key, zh] of Object.entries(zhCN)) {
      expect(placeholders(en[key as keyof typeof zhCN]), key).toEqual(placeholders(zh));
    }
  });

  it('no entry is empty', () => {
    for (const [key, v] of [...Object.entries(zhCN), ...Object.entries(en)]) expect(v.trim(), key).not.toBe('');
  });
});
