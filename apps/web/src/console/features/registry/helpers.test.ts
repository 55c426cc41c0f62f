import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../common/api/client';
import { changed, compact, layoutMatrix, localText, shareText, splitServerErrors } from './helpers';

describe('splitServerErrors', () => {
  const err = new ApiError(400, 'VALIDATION_FAILED', '请求参数不正确', [
    { path: 'idNumber', code: 'custom', message: '校验码错误：应为 X，实际为 1 / wrong check character: expected X, got 1' },
    { path: 'fields.startDate', code: 'custom', message: '请填写矫正开始日期 / Start is required' },
    { path: 'houseId', code: 'custom', message: '请选择住房 / choose a house' },
  ]);

  it('puts each message on the deepest form item it names, in the UI language', () => {
    const r = splitServerErrors(err, ['idNumber', 'fields.startDate', 'name'], 'zh-CN');
    expect(r.byField).toEqual([
      { name: 'idNumber', errors: ['校验码错误：应为 X，实际为 1'] },
      { name: ['fields', 'startDate'], errors: ['请填写矫正开始日期'] },
    ]);
    expect(r.rest).toBe('请求参数不正确（houseId: 请选择住房）');
  });

  it('uses the English side for en and a code → field map when no fields come back', () => {
    expect(splitServerErrors(err, ['houseId'], 'en').byField).toEqual([{ name: 'houseId', errors: ['choose a house'] }]);
    const dup = new ApiError(409, 'ORGANISATION_DUPLICATE', '该统一社会信用代码已登记');
    expect(splitServerErrors(dup, ['uscc'], 'zh-CN', { ORGANISATION_DUPLICATE: 'uscc' })).toEqual({
      byField: [{ name: 'uscc', errors: ['该统一社会信用代码已登记'] }],
      rest: null,
    });
  });
});

describe('form value helpers', () => {
  it('compact drops blanks and trims', () => {
    expect(compact({ a: ' x ', b: '', c: undefined, d: 0, e: null })).toEqual({ a: 'x', d: 0 });
  });
  it('changed sends only differences and clears nullable fields', () => {
    expect(changed({ name: '张三', phone: '', note: 'n', tags: ['a'] }, { name: '张三', phone: '138****0000', note: null, tags: [] }, ['phone'])).toEqual({
      phone: null,
      note: 'n',
      tags: ['a'],
    });
  });
  it('localText picks a side', () => {
    expect(localText('甲 / A', 'en')).toBe('A');
    expect(localText('甲', 'en')).toBe('甲');
  });
});

describe('layoutMatrix', () => {
  const cell = (floor: number | null, unit: string | null, room: string | null) => ({
    houseId: `${floor}-${unit}-${room}`,
    floor,
    unit,
    room,
    use: 'residential' as const,
    occupants: 1,
  });

  it('lines rooms up by their number after the floor prefix, top floor first, units in natural order', () => {
    const m = layoutMatrix([cell(1, '1', '101'), cell(1, '1', '102'), cell(2, '1', '201'), cell(2, '10', '202'), cell(1, '2', '101')]);
    expect(m.floors).toEqual([2, 1]);
    expect(m.units).toEqual([
      { unit: '1', rooms: ['01', '02'] },
      { unit: '2', rooms: ['01'] },
      { unit: '10', rooms: ['02'] },
    ]);
    expect(m.at(2, '1', '01')?.houseId).toBe('2-1-201');
    expect(m.at(2, '1', '02')).toBeUndefined();
  });

  it('keeps houses without floor or room', () => {
    const m = layoutMatrix([cell(null, null, null), cell(3, null, 'A')]);
    expect(m.floors).toEqual([3, null]);
    expect(m.at(null, null, '—')?.houseId).toBe('null-null-null');
    expect(m.at(3, null, 'A')).toBeDefined();
  });
});

describe('shareText', () => {
  it('rounds down so 97.96 % never reads as the 98 % goal', () => {
    expect(shareText(0.97969)).toBe('97.9%');
    expect(shareText(1)).toBe('100.0%');
    expect(shareText(null)).toBe('—');
  });
});
