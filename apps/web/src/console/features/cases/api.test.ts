import { describe, expect, it } from 'vitest';
import { caseListPath } from './api';

describe('caseListPath', () => {
  it('sends several statuses and SLA levels as repeated keys (the server reads arrays), and leaves empty filters out', () => {
    const path = caseListPath({ view: 'queue', status: ['dispatched', 'handling'], sla: ['red'], q: '', regionId: undefined, limit: 20, offset: 40 });
    const qs = new URLSearchParams(path.split('?')[1]);
    expect(path.startsWith('/api/cases?')).toBe(true);
    expect(qs.getAll('status')).toEqual(['dispatched', 'handling']);
    expect(qs.getAll('sla')).toEqual(['red']);
    expect(qs.get('view')).toBe('queue');
    expect(qs.get('limit')).toBe('20');
    expect(qs.get('offset')).toBe('40');
    expect(qs.has('q')).toBe(false);
    expect(qs.has('regionId')).toBe(false);
  });

  it('is the bare path without filters', () => {
    expect(caseListPath({ limit: 50, offset: 0 })).toBe('/api/cases?limit=50&offset=0');
  });
});
