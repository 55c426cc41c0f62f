import { describe, expect, it } from 'vitest';
import { FirstRowByKey } from './first-row-by-key.js';

describe('FirstRowByKey (the import’s in-file duplicate memory)', () => {
  it('keeps the first row of each key, for packed 身份证号 and for any other key', () => {
    const m = new FirstRowByKey();
    m.set('11010519491231002X', 2);
    m.set('110105194912310021', 3);
    m.set('11010519491231002X', 9);
    m.set('E12345678', 4);
    m.set('E12345678', 5);
    m.set('1101051949123100２X', 6); // a full-width digit: not packable, still exact
    expect(m.get('11010519491231002X')).toBe(2);
    expect(m.get('110105194912310021')).toBe(3);
    expect(m.get('110105194912310022')).toBeUndefined();
    expect(m.get('E12345678')).toBe(4);
    expect(m.get('1101051949123100２X')).toBe(6);
    expect(m.size).toBe(4);
  });

  it('stays exact across growth with 300,000 keys that differ in single digits', () => {
    const m = new FirstRowByKey();
    const key = (i: number) =>
      `3701${String(19800000 + i).padStart(8, '0')}${String(i % 1000).padStart(3, '0')}${i % 11 === 10 ? 'X' : i % 11}`.slice(0, 18).padEnd(18, '0');
    const first = new Map<string, number>();
    for (let i = 0; i < 300_000; i++) {
      const k = key(i);
      if (!first.has(k)) first.set(k, i);
      m.set(k, i);
    }
    expect(m.size).toBe(first.size);
    let wrong = 0;
    for (const [k, row] of first) if (m.get(k) !== row) wrong++;
    expect(wrong).toBe(0);
    expect(m.get('370100000000000000')).toBeUndefined();
  });
});
