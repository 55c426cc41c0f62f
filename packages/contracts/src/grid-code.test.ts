import { describe, expect, it } from 'vitest';
import { type GridCodeTemplate, generateGridCode, gridCodeLayouts, maxGridSeq, parseGridCode, validateGridCode } from './grid-code.js';

const BTQ = '370118001001'; // 趵突泉社区
type Ctx = { communityCode12?: string; gridType?: '01' | '02' | '03' };

describe('grid code layouts', () => {
  it('have the documented lengths and contiguous segments', () => {
    expect(gridCodeLayouts.shandong19.length).toBe(19);
    expect(gridCodeLayouts.beijing15.length).toBe(15);
    expect(gridCodeLayouts.tpl12.length).toBe(12);
    for (const lay of Object.values(gridCodeLayouts)) {
      let next = 1;
      for (const s of lay.segments) {
        expect(s.start).toBe(next);
        next += s.length;
      }
      expect(next - 1).toBe(lay.length);
    }
    expect(gridCodeLayouts.shandong19.segments.map((s) => [s.key, s.start])).toEqual([
      ['county', 1],
      ['town', 7],
      ['area', 10],
      ['community', 12],
      ['grid', 15],
      ['type', 18],
    ]);
    expect([maxGridSeq('shandong19'), maxGridSeq('beijing15'), maxGridSeq('tpl12')]).toEqual([999, 999, 99]);
  });
});

describe('validateGridCode', () => {
  const valid: [GridCodeTemplate, string, Ctx][] = [
    ['shandong19', '3701180010000100101', { communityCode12: BTQ, gridType: '01' }],
    ['shandong19', '3701180010500100101', { communityCode12: BTQ, gridType: '01' }],
    ['shandong19', '3701180039920199903', { communityCode12: '370118003201', gridType: '03' }],
    ['shandong19', '3701180010000100102', {}],
    ['beijing15', '370118001001001', { communityCode12: BTQ, gridType: '02' }],
    ['beijing15', '370118599399999', {}],
    ['tpl12', '370118010101', { communityCode12: BTQ }],
    ['tpl12', '370118999999', {}],
  ];
  it.each(valid)('%s accepts %s', (tpl, code, ctx) => {
    expect(validateGridCode(tpl, code, ctx)).toEqual({ ok: true });
  });

  // template, code, context, expected position, reason (Chinese) pattern, reason (English) pattern
  const malformed: [GridCodeTemplate, string, Ctx, number, RegExp, RegExp][] = [
    ['shandong19', '', {}, 1, /编码为空，应为 19 位/, /empty; 19 digits/],
    ['shandong19', '370118001000010010', {}, 19, /只有 18 位，应为 19 位/, /has 18 digits; 19 expected/],
    ['shandong19', '37011800100001001011', {}, 20, /超过 19 位（共 20 位）/, /longer than 19 digits \(20\)/],
    ['shandong19', '370118001000010010A', {}, 19, /第 19 位不是数字/, /character 19 is not a digit/],
    ['shandong19', '３701180010000100101', {}, 1, /第 1 位不是数字/, /character 1/],
    ['shandong19', "370118001' OR 1=1--", {}, 10, /第 10 位不是数字/, /character 10/],
    ['shandong19', '37011800100 0100101', {}, 12, /第 12 位不是数字/, /character 12/],
    ['shandong19', '-3701180010000100101', {}, 1, /第 1 位不是数字/, /not a digit/],
    ['shandong19', '9901180010000100101', {}, 1, /99 不是省级行政区划代码/, /not a province code/],
    ['shandong19', '3799180010000100101', {}, 3, /99 不是地级代码/, /not a prefecture code/],
    ['shandong19', '3701000010000100101', {}, 5, /县级代码的第 5–6 位不能为 00/, /cannot be 00/],
    ['shandong19', '3700000010000100101', {}, 3, /县级代码的第 3–4 位不能为 00/, /cannot be 00/],
    ['shandong19', '3701180000000100101', {}, 7, /第 7–9 位（乡镇（街道）代码）不能为 000：网格只能归属社区\/村/, /a grid belongs to a community/],
    ['shandong19', '3701186000000100101', {}, 7, /600 超出 001–599/, /outside 001–599/],
    ['shandong19', '3701180010000000101', {}, 12, /第 12–14 位（社区（村）代码）不能为 000/, /cannot be 000/],
    ['shandong19', '3701180010040000101', {}, 12, /400 超出 001–399/, /outside 001–399/],
    ['shandong19', '3701180010000100001', {}, 15, /第 15–17 位（网格顺序码）不能为 000，应从 001–999/, /cannot be 000; 001–999/],
    ['shandong19', '3701180010000100104', {}, 18, /网格属性）04 不是 01、02 或 03/, /grid type 04\) are not 01, 02 or 03/],
    ['shandong19', '3701180010000100100', {}, 18, /00 不是 01、02 或 03/, /not 01, 02 or 03/],
    [
      'shandong19',
      '3701190010000100101',
      { communityCode12: BTQ },
      6,
      /县级区划代码应为 370118（与所属社区代码 370118001001 一致），实为 370119/,
      /county code must be 370118/,
    ],
    ['shandong19', '3701180020000100101', { communityCode12: BTQ }, 9, /乡镇（街道）代码应为 001.*实为 002/, /town\/street code must be 001/],
    ['shandong19', '3701180010000200101', { communityCode12: BTQ }, 14, /社区（村）代码应为 001.*实为 002/, /community\/village code must be 001/],
    [
      'shandong19',
      '3701180010000100101',
      { communityCode12: BTQ, gridType: '02' },
      18,
      /网格属性段应为 02（与网格类型一致），实为 01/,
      /must be 02 to match the grid type/,
    ],
    [
      'shandong19',
      '3701180010000100101',
      { communityCode12: '370118001000' },
      1,
      /所属社区代码 370118001000 不合法/,
      /community code 370118001000 is not valid/,
    ],
    ['beijing15', '37011800100100', {}, 15, /只有 14 位，应为 15 位/, /has 14 digits/],
    ['beijing15', '370118001001000', {}, 13, /第 13–15 位（网格顺序码）不能为 000/, /cannot be 000/],
    ['beijing15', '370118001400001', {}, 10, /400 超出 001–399/, /outside 001–399/],
    ['beijing15', '370118001001001', { communityCode12: '370118002003' }, 9, /应为 002.*实为 001/, /must be 002/],
    ['beijing15', '370118001001001', { communityCode12: '370118001003' }, 12, /社区（村）代码应为 003/, /must be 003/],
    ['beijing15', '37011800100100x', {}, 15, /第 15 位不是数字/, /character 15/],
    ['tpl12', '3701180101011', {}, 13, /超过 12 位/, /longer than 12/],
    ['tpl12', '370118010100', {}, 11, /第 11–12 位（网格顺序码）不能为 00，应从 01–99/, /cannot be 00; 01–99/],
    ['tpl12', '370118000101', {}, 7, /第 7–8 位（街道代码（乡级段后两位））不能为 00/, /a grid belongs to a community/],
    ['tpl12', '370118010001', {}, 9, /第 9–10 位.*不能为 00/, /cannot be 00/],
    ['tpl12', '370118010101', { communityCode12: '370118101201' }, 7, /乡级段 101 超过 99/, /town segment 101 exceeds 99/],
    ['tpl12', '370118010101', { communityCode12: '370118001201' }, 9, /村级段 201 超过 99/, /village segment 201 exceeds 99/],
    ['tpl12', '370118020101', { communityCode12: BTQ }, 8, /街道代码（乡级段后两位）应为 01/, /street code .* must be 01/],
    ['tpl12', '370118010201', { communityCode12: BTQ }, 10, /社区代码（村级段后两位）应为 01/, /must be 01/],
  ];
  it.each(malformed)('%s refuses %j (%j) at position %i', (tpl, code, ctx, position, zh, en) => {
    const r = validateGridCode(tpl, code, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.position).toBe(position);
    expect(r.reason.zh).toMatch(zh);
    expect(r.reason.en).toMatch(en);
  });

  it('parses the segments of a valid code and nothing of an invalid one', () => {
    expect(parseGridCode('shandong19', '3701180010500700103')).toEqual({
      county: '370118',
      town: '001',
      area: '05',
      community: '007',
      seq: 1,
      gridType: '03',
    });
    expect(parseGridCode('beijing15', '370118002003042')).toEqual({ county: '370118', town: '002', area: null, community: '003', seq: 42, gridType: null });
    expect(parseGridCode('tpl12', '370118010199')).toMatchObject({ town: '01', community: '01', seq: 99 });
    expect(parseGridCode('tpl12', '370118010100')).toBeNull();
  });
});

describe('generateGridCode', () => {
  const generated: [GridCodeTemplate, Parameters<typeof generateGridCode>[1], string][] = [
    ['shandong19', { communityCode12: BTQ, seq: 1, gridType: '01' }, '3701180010000100101'],
    ['shandong19', { communityCode12: '370118003201', areaCode: '03', seq: 12, gridType: '02' }, '3701180030320101202'],
    ['shandong19', { communityCode12: '370118101203', seq: 999, gridType: '03' }, '3701181010020399903'],
    ['beijing15', { communityCode12: '370118003201', seq: 12, gridType: '02' }, '370118003201012'],
    ['tpl12', { communityCode12: '370118002003', seq: 7, gridType: '01' }, '370118020307'],
    ['tpl12', { communityCode12: '370118099099', seq: 99, gridType: '01' }, '370118999999'],
  ];
  it.each(generated)('%s builds %j as %s, which validates', (tpl, input, code) => {
    expect(generateGridCode(tpl, input)).toEqual({ ok: true, code });
    expect(validateGridCode(tpl, code, { communityCode12: input.communityCode12, gridType: input.gridType })).toEqual({ ok: true });
  });

  const refused: [GridCodeTemplate, Parameters<typeof generateGridCode>[1], number, RegExp][] = [
    ['tpl12', { communityCode12: '370118101001', seq: 1, gridType: '01' }, 7, /乡级段 101 超过 99/],
    ['tpl12', { communityCode12: '370118003201', seq: 1, gridType: '02' }, 9, /村级段 201 超过 99/],
    ['tpl12', { communityCode12: BTQ, seq: 100, gridType: '01' }, 11, /网格顺序号 100 超出 1–99/],
    ['shandong19', { communityCode12: BTQ, seq: 1000, gridType: '01' }, 15, /超出 1–999/],
    ['shandong19', { communityCode12: BTQ, seq: 0, gridType: '01' }, 15, /网格顺序号 0 超出/],
    ['beijing15', { communityCode12: BTQ, seq: 1.5, gridType: '01' }, 13, /1.5 超出/],
    ['shandong19', { communityCode12: BTQ, areaCode: 'A1', seq: 1, gridType: '01' }, 10, /片区代码 A1 应为 2 位数字/],
    ['shandong19', { communityCode12: BTQ, seq: 1, gridType: '04' as '01' }, 18, /网格属性 04 不是/],
    ['shandong19', { communityCode12: '370118001000', seq: 1, gridType: '01' }, 1, /所属社区代码 370118001000 不合法/],
    ['beijing15', { communityCode12: '3701180010', seq: 1, gridType: '01' }, 1, /不合法/],
  ];
  it.each(refused)('%s refuses %j at position %i', (tpl, input, position, zh) => {
    const r = generateGridCode(tpl, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.position).toBe(position);
    expect(r.reason.zh).toMatch(zh);
    expect(r.reason.en.length).toBeGreaterThan(10);
  });
});
