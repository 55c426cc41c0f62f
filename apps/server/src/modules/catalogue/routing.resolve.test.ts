import { describe, expect, it } from 'vitest';
import { pickRule } from './routing.resolve.js';

const at = (iso: string) => new Date(iso);
const rule = (id: string, category: string | null, path: string, priority = 0, created = '2026-12-01T00:00:00Z') => ({
  id,
  category_id: category,
  region_path: path,
  priority,
  created_at: at(created),
});

describe('pickRule: the most specific routing rule', () => {
  const district = '/d/';
  const street = '/d/s/';
  const community = '/d/s/c/';

  it('an exact category beats "any", even at a shallower region', () => {
    expect(pickRule([rule('any-community', null, community), rule('exact-district', 'cat', district)])?.id).toBe('exact-district');
  });

  it('then the deeper region, then the higher priority, then the newer rule', () => {
    expect(pickRule([rule('street', 'cat', street, 9), rule('community', 'cat', community, 0)])?.id).toBe('community');
    expect(pickRule([rule('low', 'cat', street, 1), rule('high', 'cat', street, 5)])?.id).toBe('high');
    expect(pickRule([rule('old', null, street, 0, '2026-01-01T00:00:00Z'), rule('new', null, street, 0, '2026-06-01T00:00:00Z')])?.id).toBe('new');
  });

  it('no rules: none', () => {
    expect(pickRule([])).toBeUndefined();
  });
});
