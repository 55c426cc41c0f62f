/**
 * Identifier checks and masking shared by the server, the importer and the console
 * (domain-reference.md §4.1, §4.2). Each check returns the first fault with its 1-based character
 * position and a reason in zh-CN and en, so a form or an import row can say exactly what is wrong.
 */

export interface IdFault {
  ok: false;
  /** 1-based character position of the fault, when one position is at fault. */
  position?: number;
  zh: string;
  en: string;
}

export interface IdNumberInfo {
  ok: true;
  /** Normalised (upper-case X, trimmed). */
  value: string;
  birthDate: string;
  sex: 'male' | 'female';
  /** 6-digit 地址码 of the registered residence. */
  regionCode: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of a 身份证号 (ISO 7064 MOD 11-2). */
export function idNumberCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECK.charAt(s % 11);
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence (odd male),
 * check character. `today` (YYYY-MM-DD) bounds the birth date; defaults to the current date.
 */
export function checkIdNumber(input: string, today = new Date().toISOString().slice(0, 10)): IdNumberInfo | IdFault {
  const v = input.trim().toUpperCase();
  if (v.length !== 18) {
    return { ok: false, zh: `身份证号应为 18 位，实际 ${v.length} 位`, en: `A 身份证号 has 18 characters, this one has ${v.length}` };
  }
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return { ok: false, position: i + 1, zh: `第 ${i + 1} 位应为数字`, en: `character ${i + 1} must be a digit` };
  }
  const last = v.charAt(17);
  if (!/[0-9X]/.test(last)) return { ok: false, position: 18, zh: '第 18 位（校验码）应为数字或 X', en: 'character 18 (check) must be a digit or X' };
  if (v.charAt(0) === '0') return { ok: false, position: 1, zh: '地址码不能以 0 开头', en: 'the address code cannot start with 0' };
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (y < 1850 || !validDate(y, m, d)) {
    return { ok: false, position: 7, zh: `出生日期 ${v.slice(6, 14)} 不是有效日期`, en: `birth date ${v.slice(6, 14)} is not a real date` };
  }
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (birthDate > today) return { ok: false, position: 7, zh: `出生日期 ${birthDate} 晚于今天`, en: `birth date ${birthDate} is in the future` };
  const expected = idNumberCheckChar(v.slice(0, 17));
  if (expected !== last) {
    return { ok: false, position: 18, zh: `校验码错误：应为 ${expected}，实际为 ${last}`, en: `wrong check character: expected ${expected}, got ${last}` };
  }
  const seq = v.charCodeAt(16) - 48;
  return { ok: true, value: v, birthDate, sex: seq % 2 === 1 ? 'male' : 'female', regionCode: v.slice(0, 6) };
}

export interface UsccInfo {
  ok: true;
  value: string;
  /** Registration authority (first char): 1 机构编制, 5 民政, 9 市场监管, Y 其他; others are valid but unusual. */
  authority: string;
  /** Institution category (first two chars), e.g. 91 企业, 92 个体工商户. */
  category: string;
  regionCode: string;
  /** True when the first character is outside {1, 5, 9, Y}: allowed, but worth a second look. */
  unusualAuthority: boolean;
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += USCC_ALPHABET.indexOf(first17.charAt(i)) * (USCC_WEIGHTS[i] as number);
  const c = 31 - (s % 31);
  return USCC_ALPHABET.charAt(c === 31 ? 0 : c);
}

/** 统一社会信用代码 (GB 32100-2015). */
export function checkUscc(input: string): UsccInfo | IdFault {
  const v = input.trim().toUpperCase();
  if (v.length !== 18) {
    return { ok: false, zh: `统一社会信用代码应为 18 位，实际 ${v.length} 位`, en: `A credit code has 18 characters, this one has ${v.length}` };
  }
  for (let i = 0; i < 18; i++) {
    if (USCC_ALPHABET.indexOf(v.charAt(i)) < 0) {
      return {
        ok: false,
        position: i + 1,
        zh: `第 ${i + 1} 位字符“${v.charAt(i)}”不允许（不含 I、O、S、V、Z）`,
        en: `character ${i + 1} "${v.charAt(i)}" is not allowed (no I, O, S, V, Z)`,
      };
    }
  }
  for (let i = 2; i < 8; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57)
      return { ok: false, position: i + 1, zh: `第 ${i + 1} 位（登记管理机关行政区划码）应为数字`, en: `character ${i + 1} (division code) must be a digit` };
  }
  const expected = usccCheckChar(v.slice(0, 17));
  if (expected !== v.charAt(17)) {
    return {
      ok: false,
      position: 18,
      zh: `校验码错误：应为 ${expected}，实际为 ${v.charAt(17)}`,
      en: `wrong check character: expected ${expected}, got ${v.charAt(17)}`,
    };
  }
  return { ok: true, value: v, authority: v.charAt(0), category: v.slice(0, 2), regionCode: v.slice(2, 8), unusualAuthority: !'159Y'.includes(v.charAt(0)) };
}

/** Mainland mobile (11 digits, 1[3-9]) or a landline with area code (0xx-xxxxxxx[-ext]). Returns the normalised value. */
export function checkPhone(input: string): { ok: true; value: string } | IdFault {
  const v = input
    .trim()
    .replace(/[\s()（）]/g, '')
    .replace(/^\+?86-?/, '');
  if (/^1[3-9]\d{9}$/.test(v)) return { ok: true, value: v };
  if (/^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(v)) return { ok: true, value: v };
  return { ok: false, zh: '电话号码格式不正确（11 位手机号或带区号的固定电话）', en: 'not a phone number (11-digit mobile or landline with area code)' };
}

/** `3701**********123X`: the first 4 and last 4 characters of an 18-character number; other lengths keep 1 + 1. */
export function maskIdNumber(v: string | null | undefined): string | null {
  if (!v) return null;
  if (v.length >= 15) return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
  if (v.length <= 2) return '*'.repeat(v.length);
  return `${v.charAt(0)}${'*'.repeat(v.length - 2)}${v.charAt(v.length - 1)}`;
}

/** `138****5678` for mobiles; landlines keep the area code and the last 2 digits. */
export function maskPhone(v: string | null | undefined): string | null {
  if (!v) return null;
  if (/^1\d{10}$/.test(v)) return `${v.slice(0, 3)}****${v.slice(7)}`;
  const m = /^(0\d{2,3}-?)(\d+)(.*)$/.exec(v);
  if (m) {
    const [, area = '', num = '', ext = ''] = m;
    return `${area}${'*'.repeat(Math.max(0, num.length - 2))}${num.slice(-2)}${ext ? '-**' : ''}`;
  }
  return v.length <= 4 ? '*'.repeat(v.length) : `${v.slice(0, 2)}${'*'.repeat(v.length - 4)}${v.slice(-2)}`;
}

/** Age in whole years on `on` (YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [y = 0, m = 0, d = 0] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
