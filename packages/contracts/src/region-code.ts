/**
 * Division codes (domain-reference §4.3):
 *  - GB/T 2260 six-digit codes: province (2) + prefecture (2) + county (2);
 *  - NBS twelve-digit statistical codes: county (6) + town (3, GB/T 10114) + village (3).
 *
 * Every check returns `{ ok: true }` or the 1-based `position` of the first offending digit with a
 * reason in Chinese and English, so a form can point at the digit. Pure functions: the console uses
 * them while the user types and the server again before writing.
 */
import type { RegionLevel } from './regions.js';

export interface CodeReason {
  zh: string;
  en: string;
}
export type CodeCheck = { ok: true } | { ok: false; position: number; reason: CodeReason };

const OK: CodeCheck = { ok: true };
const fail = (position: number, zh: string, en: string): CodeCheck => ({ ok: false, position, reason: { zh, en } });

/** GB/T 2260 province-level codes (first two digits). */
export const provinceCodes: readonly string[] = '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
  ' ',
);
const PROVINCES = new Set(provinceCodes);

/** Which digits the code of a level may use and how long it is. */
export const codeLengthOf: Record<RegionLevel, 6 | 12> = { province: 6, city: 6, district: 6, street: 12, community: 12 };

/** How many leading digits a child's code shares with its parent of this level. */
const PREFIX: Record<RegionLevel, number> = { province: 2, city: 4, district: 6, street: 9, community: 12 };
const NEXT: Record<RegionLevel, RegionLevel | null> = { province: 'city', city: 'district', district: 'street', street: 'community', community: null };

const LEVEL_ZH: Record<RegionLevel, string> = { province: '省级', city: '地级', district: '县级', street: '乡级（街道/乡镇）', community: '村级（社区/村）' };
const LEVEL_EN: Record<RegionLevel, string> = {
  province: 'province',
  city: 'prefecture',
  district: 'county',
  street: 'town/street',
  community: 'village/community',
};

function checkDigits(code: string, length: 6 | 12 | readonly (6 | 12)[]): CodeCheck {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return fail(i + 1, `第 ${i + 1} 位不是数字`, `character ${i + 1} is not a digit`);
  }
  const lengths = typeof length === 'number' ? [length] : length;
  if (lengths.includes(code.length as 6 | 12)) return OK;
  const want = lengths.join(' 或 ');
  const wantEn = lengths.join(' or ');
  if (code.length === 0) return fail(1, `代码为空，应为 ${want} 位数字`, `the code is empty; ${wantEn} digits expected`);
  const max = Math.max(...lengths);
  if (code.length > max) return fail(max + 1, `代码超过 ${max} 位（共 ${code.length} 位）`, `the code is longer than ${max} digits (${code.length})`);
  return fail(code.length + 1, `代码只有 ${code.length} 位，应为 ${want} 位`, `the code has ${code.length} digits; ${wantEn} expected`);
}

const num = (s: string) => Number.parseInt(s, 10);

/**
 * A GB/T 2260 six-digit code. Without `level` any of province (xx0000), prefecture (xxyy00) or
 * county (xxyyzz) is accepted; with it the code must be of that level.
 */
export function checkCountyCode(code: string, level?: 'province' | 'city' | 'district'): CodeCheck {
  const d = checkDigits(code, 6);
  if (!d.ok) return d;
  const prov = code.slice(0, 2);
  const pref = code.slice(2, 4);
  const county = code.slice(4, 6);
  if (!PROVINCES.has(prov)) return fail(1, `第 1–2 位 ${prov} 不是省级行政区划代码`, `digits 1–2 (${prov}) are not a province code`);
  if (pref === '00') {
    if (county !== '00')
      return fail(3, '第 3–4 位为 00（省级本身）时第 5–6 位也须为 00', 'digits 3–4 are 00 (the province itself), so digits 5–6 must be 00 too');
  } else {
    const p = num(pref);
    if (!((p >= 1 && p <= 70) || p === 90))
      return fail(3, `第 3–4 位 ${pref} 不是地级代码（01–70 或 90）`, `digits 3–4 (${pref}) are not a prefecture code (01–70 or 90)`);
  }
  const actual = levelOfSix(code);
  if (level && level !== actual) {
    if (level === 'province') return fail(pref !== '00' ? 3 : 5, '省级代码的第 3–6 位应为 0000', 'a province code ends in 0000');
    if (level === 'city') {
      return pref === '00'
        ? fail(3, '地级代码的第 3–4 位不能为 00', 'digits 3–4 of a prefecture code cannot be 00')
        : fail(5, '地级代码的第 5–6 位应为 00', 'digits 5–6 of a prefecture code must be 00');
    }
    return pref === '00'
      ? fail(3, '县级代码的第 3–4 位不能为 00', 'digits 3–4 of a county code cannot be 00')
      : fail(5, '县级代码的第 5–6 位不能为 00（00 表示地级本身）', 'digits 5–6 of a county code cannot be 00 (00 is the prefecture itself)');
  }
  return OK;
}

function levelOfSix(code: string): 'province' | 'city' | 'district' {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'district';
}

/**
 * An NBS twelve-digit statistical code. The first six digits are a county code; the town segment
 * (7–9) is 001–599 for a street/town and 000 only for the county itself; the village segment
 * (10–12) is 000 for the town itself and 001–399 for a community/village (001–199 居委会,
 * 200–399 村委会 by the first-rank rule — the range is validated, urban/rural is not inferred from it).
 * With `level` the code must be of that level (district = the county's own 12-digit form).
 */
export function checkStatCode(code: string, level?: 'district' | 'street' | 'community'): CodeCheck {
  const d = checkDigits(code, 12);
  if (!d.ok) return d;
  const county = checkCountyCode(code.slice(0, 6), 'district');
  if (!county.ok) return county;
  const town = num(code.slice(6, 9));
  const village = num(code.slice(9, 12));
  if (town > 599) return fail(7, `第 7–9 位（乡级段）${code.slice(6, 9)} 超出 001–599`, `digits 7–9 (town segment ${code.slice(6, 9)}) are outside 001–599`);
  if (town === 0 && village !== 0)
    return fail(10, '乡级段为 000（县级本身）时第 10–12 位须为 000', 'the town segment is 000 (the county itself), so digits 10–12 must be 000');
  if (village > 399)
    return fail(10, `第 10–12 位（村级段）${code.slice(9, 12)} 超出 001–399`, `digits 10–12 (village segment ${code.slice(9, 12)}) are outside 001–399`);
  const actual = town === 0 ? 'district' : village === 0 ? 'street' : 'community';
  if (level && level !== actual) {
    if (level === 'district') return fail(7, '县级的 12 位代码第 7–12 位应为 000000', 'the 12-digit form of a county code ends in 000000');
    if (level === 'street') {
      return town === 0
        ? fail(7, '街道/乡镇代码的第 7–9 位应在 001–599', 'digits 7–9 of a street/town code must be 001–599')
        : fail(10, '街道/乡镇代码的第 10–12 位应为 000', 'digits 10–12 of a street/town code must be 000');
    }
    return town === 0
      ? fail(7, '社区/村代码的第 7–9 位应在 001–599', 'digits 7–9 of a community/village code must be 001–599')
      : fail(10, '社区/村代码的第 10–12 位应在 001–399', 'digits 10–12 of a community/village code must be 001–399');
  }
  return OK;
}

/** A code for a region of `level`: six digits for province/city/district, twelve below. */
export function checkRegionCode(code: string, level?: RegionLevel): CodeCheck {
  if (!level) {
    const d = checkDigits(code, [6, 12]);
    if (!d.ok) return d;
    return code.length === 6 ? checkCountyCode(code) : checkStatCode(code);
  }
  const len = codeLengthOf[level];
  const d = checkDigits(code, len);
  if (!d.ok) return d;
  if (len === 6) return checkCountyCode(code, level as 'province' | 'city' | 'district');
  return checkStatCode(code, level as 'street' | 'community');
}

/** The level a valid code denotes (a 12-digit code ending in 000000 is the county), or null. */
export function levelForCode(code: string): RegionLevel | null {
  if (!checkRegionCode(code).ok) return null;
  if (code.length === 6) return levelOfSix(code);
  if (code.slice(6, 9) === '000') return 'district';
  return code.slice(9) === '000' ? 'street' : 'community';
}

/** The code of the parent division in the form the region table stores it, or null (province or invalid). */
export function parentCodeOf(code: string): string | null {
  const level = levelForCode(code);
  switch (level) {
    case null:
    case 'province':
      return null;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    case 'district':
      return `${code.slice(0, 4)}00`;
    case 'street':
      return code.slice(0, 6);
    case 'community':
      return `${code.slice(0, 9)}000`;
  }
}

/** The level directly below `level`, or null at the deepest level. */
export const childLevelOf = (level: RegionLevel): RegionLevel | null => NEXT[level];

/**
 * Whether `child` continues `parent`'s code: a prefecture shares the province's first 2 digits, a
 * county the prefecture's first 4, a street is county + town + '000', a community is the street's
 * first 9 + village. Both codes are assumed to be of adjacent levels and individually valid.
 */
export function checkExtendsParent(parentCode: string, childCode: string): CodeCheck {
  const parentLevel = levelForCode(parentCode);
  if (!parentLevel) return fail(1, `上级代码 ${parentCode} 不合法`, `the parent code ${parentCode} is not valid`);
  if (!NEXT[parentLevel]) return fail(1, `${LEVEL_ZH[parentLevel]}区划下不能再设下级`, `a ${LEVEL_EN[parentLevel]} division has no children`);
  const n = PREFIX[parentLevel];
  for (let i = 0; i < n; i++) {
    if (parentCode[i] !== childCode[i]) {
      return fail(i + 1, `须以上级代码的前 ${n} 位 ${parentCode.slice(0, n)} 开头`, `must begin with the parent's first ${n} digits ${parentCode.slice(0, n)}`);
    }
  }
  return OK;
}

/** One line for a form or an error message: "第 3 位：…" / "position 3: …". */
export function describeCodeProblem(check: CodeCheck): { zh: string; en: string } | null {
  if (check.ok) return null;
  return { zh: `第 ${check.position} 位：${check.reason.zh}`, en: `position ${check.position}: ${check.reason.en}` };
}
