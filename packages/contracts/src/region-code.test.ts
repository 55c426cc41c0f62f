import { describe, expect, it } from 'vitest';
import {
  checkCountyCode,
  checkExtendsParent,
  checkRegionCode,
  checkStatCode,
  childLevelOf,
  describeCodeProblem,
  levelForCode,
  parentCodeOf,
} from './region-code.js';
import type { RegionLevel } from './regions.js';

type Bad = [code: string, position: number, reasonZh: RegExp, reasonEn: RegExp];

describe('GB/T 2260 six-digit codes', () => {
  it.each([
    ['110000'], // 北京市
    ['110100'],
    ['110101'], // 东城区
    ['370000'],
    ['370100'], // 济南市
    ['370118'], // demo 明湖区 (structurally valid)
    ['429004'], // 仙桃市, 省直辖县级 (90)
    ['429000'],
    ['469001'],
    ['152921'], // 阿拉善左旗 (prefecture 29 = 盟)
    ['653130'], // county pair 30
    ['710000'],
    ['810000'],
    ['820000'],
    ['540199'],
  ])('%s is valid', (code) => {
    expect(checkCountyCode(code)).toEqual({ ok: true });
  });

  const bad: Bad[] = [
    ['', 1, /为空/, /empty/],
    ['37011', 6, /只有 5 位/, /5 digits/],
    ['3701181', 7, /超过 6 位/, /longer than 6/],
    ['37O118', 3, /第 3 位不是数字/, /character 3 is not a digit/],
    ['3701 8', 5, /第 5 位不是数字/, /character 5/],
    ['-70118', 1, /第 1 位不是数字/, /character 1/],
    ['37011８', 6, /第 6 位不是数字/, /character 6/], // full-width digit
    ["37'--1", 3, /不是数字/, /not a digit/],
    ['000000', 1, /00 不是省级/, /\(00\) are not a province code/],
    ['100101', 1, /10 不是省级/, /province code/],
    ['160101', 1, /16 不是省级/, /province code/],
    ['240101', 1, /24/, /province code/],
    ['380101', 1, /38/, /province code/],
    ['470101', 1, /47/, /province code/],
    ['550101', 1, /55/, /province code/],
    ['660101', 1, /66/, /province code/],
    ['720000', 1, /72/, /province code/],
    ['830000', 1, /83/, /province code/],
    ['990000', 1, /99/, /province code/],
    ['370018', 3, /00（省级本身）/, /province itself/],
    ['370001', 3, /第 5–6 位也须为 00/, /digits 5–6 must be 00/],
    ['377101', 3, /71 不是地级代码/, /01–70 or 90/],
    ['378918', 3, /89 不是地级代码/, /prefecture code/],
    ['379901', 3, /99/, /prefecture code/],
    ['378000', 3, /80/, /prefecture code/],
  ];
  it.each(bad)('%j is rejected at position %i', (code, position, zh, en) => {
    const r = checkCountyCode(code);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.position).toBe(position);
    expect(r.reason.zh).toMatch(zh);
    expect(r.reason.en).toMatch(en);
  });

  it.each([
    ['370118', 'province', 3, /0000/],
    ['370100', 'province', 3, /0000/],
    ['370118', 'city', 5, /第 5–6 位应为 00/],
    ['370000', 'city', 3, /不能为 00/],
    ['370100', 'district', 5, /00 表示地级本身/],
    ['370000', 'district', 3, /不能为 00/],
  ] as const)('%s is not a %s code (position %i)', (code, level, position, zh) => {
    const r = checkCountyCode(code, level);
    expect(r).toMatchObject({ ok: false, position });
    if (!r.ok) expect(r.reason.zh).toMatch(zh);
  });
});

describe('NBS twelve-digit codes', () => {
  it.each([
    ['370118001000', 'street'],
    ['370118101000', 'street'],
    ['370118599000', 'street'],
    ['370118001001', 'community'],
    ['370118001199', 'community'],
    ['370118003201', 'community'],
    ['220581102200', 'community'], // 春明村: 200 itself is used
    ['320508019044', 'community'], // 养育巷社区
    ['370118101399', 'community'],
    ['370118000000', 'district'],
  ] as const)('%s is a valid %s code', (code, level) => {
    expect(checkStatCode(code)).toEqual({ ok: true });
    expect(checkStatCode(code, level)).toEqual({ ok: true });
    expect(levelForCode(code)).toBe(level);
  });

  const bad: Bad[] = [
    ['37011800100', 12, /只有 11 位/, /11 digits/],
    ['3701180010001', 13, /超过 12 位/, /longer than 12/],
    ['37011800100a', 12, /第 12 位不是数字/, /character 12/],
    ['370118 01000', 7, /第 7 位不是数字/, /character 7/],
    ['37011800100%', 12, /不是数字/, /not a digit/],
    ['990118001000', 1, /不是省级/, /province code/],
    ['379918001000', 3, /不是地级代码/, /prefecture code/],
    ['370100001000', 5, /00 表示地级本身/, /county code cannot be 00/],
    ['370000001000', 3, /县级代码的第 3–4 位不能为 00/, /cannot be 00/],
    ['370118600000', 7, /600 超出 001–599/, /outside 001–599/],
    ['370118999000', 7, /999/, /town segment 999/],
    ['370118000001', 10, /乡级段为 000/, /county itself/],
    ['370118001400', 10, /400 超出 001–399/, /outside 001–399/],
    ['370118001999', 10, /999/, /village segment 999/],
  ];
  it.each(bad)('%j is rejected at position %i', (code, position, zh, en) => {
    const r = checkStatCode(code);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.position).toBe(position);
    expect(r.reason.zh).toMatch(zh);
    expect(r.reason.en).toMatch(en);
  });

  it.each([
    ['370118001001', 'street', 10, /第 10–12 位应为 000/],
    ['370118000000', 'street', 7, /001–599/],
    ['370118001000', 'community', 10, /001–399/],
    ['370118000000', 'community', 7, /001–599/],
    ['370118001000', 'district', 7, /000000/],
  ] as const)('%s is not a %s code (position %i)', (code, level, position, zh) => {
    const r = checkStatCode(code, level);
    expect(r).toMatchObject({ ok: false, position });
    if (!r.ok) expect(r.reason.zh).toMatch(zh);
  });
});

describe('checkRegionCode by level', () => {
  it.each([
    ['370118', 'district'],
    ['370100', 'city'],
    ['370000', 'province'],
    ['370118001000', 'street'],
    ['370118001001', 'community'],
  ] as const)('%s fits %s', (code, level) => {
    expect(checkRegionCode(code, level)).toEqual({ ok: true });
  });

  it.each([
    ['370118001000', 'district', 7, /超过 6 位/],
    ['370118', 'street', 7, /只有 6 位，应为 12 位/],
    ['370118001', 'community', 10, /只有 9 位/],
    ['370118', 'community', 7, /只有 6 位/],
    ['', 'street', 1, /为空/],
  ] as const)('%j does not fit %s (position %i)', (code, level: RegionLevel, position, zh) => {
    const r = checkRegionCode(code, level);
    expect(r).toMatchObject({ ok: false, position });
    if (!r.ok) expect(r.reason.zh).toMatch(zh);
  });

  it('without a level accepts either length and names both in the reason', () => {
    expect(checkRegionCode('370118')).toEqual({ ok: true });
    expect(checkRegionCode('370118001001')).toEqual({ ok: true });
    const r = checkRegionCode('37011800');
    expect(r).toMatchObject({ ok: false, position: 9 });
    if (!r.ok) expect(r.reason.zh).toContain('6 或 12');
  });
});

describe('levels and parents', () => {
  it.each([
    ['370000', 'province', null],
    ['370100', 'city', '370000'],
    ['370118', 'district', '370100'],
    ['429004', 'district', '429000'],
    ['370118000000', 'district', '370100'],
    ['370118001000', 'street', '370118'],
    ['370118001001', 'community', '370118001000'],
    ['370118101203', 'community', '370118101000'],
  ] as const)('%s is a %s whose parent is %s', (code, level, parent) => {
    expect(levelForCode(code)).toBe(level);
    expect(parentCodeOf(code)).toBe(parent);
  });

  it.each(['', '37011', '990000', '370118600000', 'abcdef'])('%j has no level and no parent', (code) => {
    expect(levelForCode(code)).toBeNull();
    expect(parentCodeOf(code)).toBeNull();
  });

  it('child levels follow the tree', () => {
    expect(childLevelOf('province')).toBe('city');
    expect(childLevelOf('district')).toBe('street');
    expect(childLevelOf('street')).toBe('community');
    expect(childLevelOf('community')).toBeNull();
  });
});

describe('a child code extends its parent', () => {
  it.each([
    ['370000', '370100'],
    ['370100', '370118'],
    ['370118', '370118001000'],
    ['370118', '370118101000'],
    ['370118001000', '370118001004'],
    ['370118101000', '370118101204'],
  ])('%s → %s', (parent, child) => {
    expect(checkExtendsParent(parent, child)).toEqual({ ok: true });
  });

  it.each([
    ['370000', '380100', 2, /370000|37 开头/],
    ['370100', '370218', 4, /3701/],
    ['370100', '360118', 2, /3701/],
    ['370118', '370119001000', 6, /370118/],
    ['370118', '320118001000', 2, /370118/],
    ['370118001000', '370118002001', 9, /370118001/],
    ['370118001000', '370119001001', 6, /370118001/],
    ['370118101000', '370118001201', 7, /370118101/],
  ])('%s → %s differs at position %i', (parent, child, position, zh) => {
    const r = checkExtendsParent(parent, child);
    expect(r).toMatchObject({ ok: false, position });
    if (!r.ok) expect(r.reason.zh).toMatch(zh);
  });

  it('a community cannot have children and an invalid parent is reported', () => {
    expect(checkExtendsParent('370118001001', '370118001001')).toMatchObject({ ok: false, position: 1 });
    const r = checkExtendsParent('99', '370118');
    expect(r).toMatchObject({ ok: false, position: 1 });
  });

  it('describes a problem with its position in both languages', () => {
    expect(describeCodeProblem({ ok: true })).toBeNull();
    const d = describeCodeProblem(checkStatCode('370118001400'));
    expect(d).toEqual({ zh: expect.stringMatching(/^第 10 位：/), en: expect.stringMatching(/^position 10: /) });
  });
});
