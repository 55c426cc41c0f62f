import { describe, expect, it } from 'vitest';
import { nextGridCode, templateOf } from './grid-codes.js';

const used = (seqs: number[], codes: string[] = []) => ({ seqs: new Set(seqs), codes: new Set(codes) });

describe('numbering new grids', () => {
  it('takes the next sequence number after the highest used, retired grids included', () => {
    const u = used([1, 2, 7]);
    expect(nextGridCode({ template: 'shandong19', communityCode: '370118001090', areaCode: '00', gridType: '01', used: u })).toEqual({
      code: '3701180010009000801',
      seq: 8,
    });
    expect(nextGridCode({ template: 'shandong19', communityCode: '370118001090', areaCode: '02', gridType: '03', used: u })).toEqual({
      code: '3701180010209000903',
      seq: 9,
    });
    expect([...u.seqs]).toEqual([1, 2, 7, 8, 9]);
  });

  it('follows the deployment template and falls back to the lowest gap when the top is reached', () => {
    expect(nextGridCode({ template: 'beijing15', communityCode: '370118001090', areaCode: '00', gridType: '01', used: used([]) }).code).toBe('370118001090001');
    expect(nextGridCode({ template: 'tpl12', communityCode: '370118001090', areaCode: '00', gridType: '01', used: used([1, 99]) })).toEqual({
      code: '370118019002',
      seq: 2,
    });
    const full = used(Array.from({ length: 999 }, (_, i) => i + 1));
    expect(() => nextGridCode({ template: 'shandong19', communityCode: '370118001090', areaCode: '00', gridType: '01', used: full })).toThrow();
  });

  it('reads the template setting, defaulting to Shandong 19 digits', () => {
    expect(templateOf('beijing15')).toBe('beijing15');
    expect(templateOf(undefined)).toBe('shandong19');
    expect(templateOf('nonsense')).toBe('shandong19');
  });
});
