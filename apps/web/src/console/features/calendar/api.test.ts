import { describe, expect, it } from 'vitest';
import { fromHolidayCn } from './api';

describe('holiday-cn import', () => {
  it('splits days off and make-up working days', () => {
    const r = fromHolidayCn({
      year: 2027,
      papers: [],
      days: [
        { name: '元旦', date: '2027-01-01', isOffDay: true },
        { name: '春节', date: '2027-02-06', isOffDay: false },
      ],
    });
    expect(r).toEqual({ year: 2027, offDays: ['2027-01-01'], workDays: ['2027-02-06'], names: ['元旦', '春节'] });
  });
  it('refuses another shape', () => {
    expect(() => fromHolidayCn({ days: [] })).toThrow(/holiday-cn/);
    expect(() => fromHolidayCn({ year: 2027, days: [{ date: '1/1/2027', isOffDay: true }] })).toThrow(/bad day/);
  });
});
