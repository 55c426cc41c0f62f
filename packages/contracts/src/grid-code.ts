/**
 * Grid codes (requirements A12–A14, domain-reference §2.2), one layout per deployment
 * (app_setting 'grid.code_template'):
 *  - shandong19: county 6 + town 3 + 片区 2 ('00' when none) + community 3 + grid 3 + type 2 (Shandong norm);
 *  - beijing15:  county 6 + town 3 + community 3 + grid 3 (Beijing DB11 unit grids, i.e. NBS code + sequence);
 *  - tpl12:      county 6 + street 2 + community 2 + grid 2 — the last two digits of the NBS town and
 *                village segments, so it only fits towns and villages numbered up to 99.
 *
 * `validateGridCode` returns `{ ok: true }` or the 1-based position of the first offending digit with a
 * reason in Chinese and English, as region-code.ts does. Pure functions: the console checks while the
 * user types, the server again before writing.
 */
import { z } from 'zod';
import { type CodeCheck, type CodeReason, checkCountyCode, checkStatCode } from './region-code.js';

export const GridCodeTemplate = z.enum(['shandong19', 'beijing15', 'tpl12']);
export type GridCodeTemplate = z.infer<typeof GridCodeTemplate>;
export const DEFAULT_GRID_CODE_TEMPLATE: GridCodeTemplate = 'shandong19';

type GridTypeCode = '01' | '02' | '03';
export type GridCodeSegmentKey = 'county' | 'town' | 'area' | 'community' | 'grid' | 'type';

export interface GridCodeSegment {
  key: GridCodeSegmentKey;
  /** 1-based position of the segment's first digit. */
  start: number;
  length: number;
  zh: string;
  en: string;
}

export interface GridCodeLayout {
  length: number;
  zh: string;
  en: string;
  segments: readonly GridCodeSegment[];
}

function layout(zh: string, en: string, parts: [GridCodeSegmentKey, number, string, string][]): GridCodeLayout {
  let start = 1;
  const segments = parts.map(([key, length, szh, sen]) => {
    const s = { key, start, length, zh: szh, en: sen };
    start += length;
    return s;
  });
  return { length: start - 1, zh, en, segments };
}

export const gridCodeLayouts: Record<GridCodeTemplate, GridCodeLayout> = {
  shandong19: layout('山东省 19 位网格编码', 'Shandong 19-digit grid code', [
    ['county', 6, '县级区划代码', 'county code'],
    ['town', 3, '乡镇（街道）代码', 'town/street code'],
    ['area', 2, '片区代码（无片区为 00）', 'area (片区) code, 00 when none'],
    ['community', 3, '社区（村）代码', 'community/village code'],
    ['grid', 3, '网格顺序码', 'grid sequence'],
    ['type', 2, '网格属性（01 城镇 02 农村 03 专属）', 'grid type (01 urban, 02 rural, 03 dedicated)'],
  ]),
  beijing15: layout('北京 15 位单元网格编码', 'Beijing 15-digit unit-grid code', [
    ['county', 6, '区级区划代码', 'district code'],
    ['town', 3, '街道（乡镇）代码', 'street/town code'],
    ['community', 3, '社区（村）代码', 'community/village code'],
    ['grid', 3, '网格顺序码', 'grid sequence'],
  ]),
  tpl12: layout('12 位网格编码', '12-digit grid code', [
    ['county', 6, '区县代码', 'district code'],
    ['town', 2, '街道代码（乡级段后两位）', 'street code (last two digits of the town segment)'],
    ['community', 2, '社区代码（村级段后两位）', 'community code (last two digits of the village segment)'],
    ['grid', 2, '网格顺序码', 'grid sequence'],
  ]),
};

export type GridCodeResult = { ok: true; code: string } | { ok: false; position: number; reason: CodeReason };
type Failure = Extract<CodeCheck, { ok: false }>;

const OK: CodeCheck = { ok: true };
const fail = (position: number, zh: string, en: string): Failure => ({ ok: false, position, reason: { zh, en } });
const num = (s: string) => Number.parseInt(s, 10);
const segmentOf = (template: GridCodeTemplate, key: GridCodeSegmentKey) => gridCodeLayouts[template].segments.find((s) => s.key === key);
const slice = (code: string, s: GridCodeSegment) => code.slice(s.start - 1, s.start - 1 + s.length);
/** Allowed values of a numbered segment: towns 1–599, villages 1–399, sequences 1–999 (two-digit segments 1–99). */
const maxOf = (s: GridCodeSegment) => (s.length === 2 ? 99 : s.key === 'town' ? 599 : s.key === 'community' ? 399 : 999);
const range = (s: GridCodeSegment) => `${'1'.padStart(s.length, '0')}–${maxOf(s)}`;

/** The highest grid sequence number a template can hold (999, or 99 for tpl12). */
export const maxGridSeq = (template: GridCodeTemplate) => 10 ** (segmentOf(template, 'grid')?.length ?? 3) - 1;

/** The segments of a structurally valid code (see validateGridCode), or null. */
export function parseGridCode(
  template: GridCodeTemplate,
  code: string,
): { county: string; town: string; area: string | null; community: string; seq: number; gridType: GridTypeCode | null } | null {
  if (!validateGridCode(template, code).ok) return null;
  const get = (k: GridCodeSegmentKey) => {
    const s = segmentOf(template, k);
    return s ? slice(code, s) : null;
  };
  return {
    county: get('county') as string,
    town: get('town') as string,
    area: get('area'),
    community: get('community') as string,
    seq: num(get('grid') as string),
    gridType: get('type') as GridTypeCode | null,
  };
}

function checkShape(code: string, length: number): CodeCheck {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return fail(i + 1, `第 ${i + 1} 位不是数字`, `character ${i + 1} is not a digit`);
  }
  if (code.length === length) return OK;
  if (code.length === 0) return fail(1, `编码为空，应为 ${length} 位数字`, `the code is empty; ${length} digits expected`);
  if (code.length > length)
    return fail(length + 1, `编码超过 ${length} 位（共 ${code.length} 位）`, `the code is longer than ${length} digits (${code.length})`);
  return fail(code.length + 1, `编码只有 ${code.length} 位，应为 ${length} 位`, `the code has ${code.length} digits; ${length} expected`);
}

/** Intrinsic checks of one segment: ranges that hold whatever the community is. */
function checkSegment(s: GridCodeSegment, v: string): CodeCheck {
  const n = num(v);
  const where = `第 ${s.start}–${s.start + s.length - 1} 位`;
  const whereEn = `digits ${s.start}–${s.start + s.length - 1}`;
  switch (s.key) {
    case 'county':
      return checkCountyCode(v, 'district');
    case 'town': {
      const max = maxOf(s);
      if (n === 0)
        return fail(
          s.start,
          `${where}（${s.zh}）不能为 ${v}：网格只能归属社区/村`,
          `${whereEn} (${s.en}) cannot be ${v}: a grid belongs to a community/village`,
        );
      if (n > max) return fail(s.start, `${where}（${s.zh}）${v} 超出 ${range(s)}`, `${whereEn} (${s.en} ${v}) are outside ${range(s)}`);
      return OK;
    }
    case 'community': {
      const max = maxOf(s);
      if (n === 0) return fail(s.start, `${where}（${s.zh}）不能为 ${v}`, `${whereEn} (${s.en}) cannot be ${v}`);
      if (n > max) return fail(s.start, `${where}（${s.zh}）${v} 超出 ${range(s)}`, `${whereEn} (${s.en} ${v}) are outside ${range(s)}`);
      return OK;
    }
    case 'area':
      return OK;
    case 'grid':
      if (n === 0) return fail(s.start, `${where}（${s.zh}）不能为 ${v}，应从 ${range(s)}`, `${whereEn} (${s.en}) cannot be ${v}; ${range(s)} expected`);
      return OK;
    case 'type':
      if (v !== '01' && v !== '02' && v !== '03')
        return fail(s.start, `${where}（网格属性）${v} 不是 01、02 或 03`, `${whereEn} (grid type ${v}) are not 01, 02 or 03`);
      return OK;
  }
}

/** What the template's county/town/community segments must read for a community with this 12-digit code. */
function expectedPrefixDigits(template: GridCodeTemplate, communityCode12: string): Failure | Map<number, string> {
  const out = new Map<number, string>();
  const town = communityCode12.slice(6, 9);
  const village = communityCode12.slice(9, 12);
  for (const s of gridCodeLayouts[template].segments) {
    let want: string | null = null;
    if (s.key === 'county') want = communityCode12.slice(0, 6);
    if (s.key === 'town') {
      if (s.length === 2 && num(town) > 99)
        return fail(
          s.start,
          `所属社区的乡级段 ${town} 超过 99，无法写成 2 位街道代码（12 位编码不适用）`,
          `the community's town segment ${town} exceeds 99 and does not fit the 2-digit street code (the 12-digit layout does not apply)`,
        );
      want = town.slice(3 - s.length);
    }
    if (s.key === 'community') {
      if (s.length === 2 && num(village) > 99)
        return fail(
          s.start,
          `所属社区的村级段 ${village} 超过 99，无法写成 2 位社区代码（12 位编码不适用）`,
          `the community's village segment ${village} exceeds 99 and does not fit the 2-digit community code (the 12-digit layout does not apply)`,
        );
      want = village.slice(3 - s.length);
    }
    if (want !== null) for (let i = 0; i < want.length; i++) out.set(s.start + i, want[i] as string);
  }
  return out;
}

function checkCommunityCode(communityCode12: string): CodeCheck {
  const c = checkStatCode(communityCode12, 'community');
  if (c.ok) return c;
  return fail(1, `所属社区代码 ${communityCode12} 不合法（${c.reason.zh}）`, `the community code ${communityCode12} is not valid (${c.reason.en})`);
}

/**
 * Checks a grid code against a template: length and digits, the county code (GB/T 2260), the town and
 * village ranges, the sequence (never 0), the type segment; then, when given, consistency with the
 * community's 12-digit code and with the grid's type.
 */
export function validateGridCode(template: GridCodeTemplate, code: string, ctx: { communityCode12?: string; gridType?: GridTypeCode } = {}): CodeCheck {
  const lay = gridCodeLayouts[template];
  const shape = checkShape(code, lay.length);
  if (!shape.ok) return shape;
  for (const s of lay.segments) {
    const c = checkSegment(s, slice(code, s));
    if (!c.ok) return c;
  }
  if (ctx.communityCode12 !== undefined) {
    const cc = checkCommunityCode(ctx.communityCode12);
    if (!cc.ok) return cc;
    const want = expectedPrefixDigits(template, ctx.communityCode12);
    if (!(want instanceof Map)) return want;
    for (const [pos, digit] of [...want].sort((a, b) => a[0] - b[0])) {
      if (code[pos - 1] !== digit) {
        const s = lay.segments.find((x) => pos >= x.start && pos < x.start + x.length) as GridCodeSegment;
        const expected = [...want]
          .filter(([p]) => p >= s.start && p < s.start + s.length)
          .map(([, d]) => d)
          .join('');
        return fail(
          pos,
          `${s.zh}应为 ${expected}（与所属社区代码 ${ctx.communityCode12} 一致），实为 ${slice(code, s)}`,
          `the ${s.en} must be ${expected} to match the community code ${ctx.communityCode12}, not ${slice(code, s)}`,
        );
      }
    }
  }
  const type = segmentOf(template, 'type');
  if (type && ctx.gridType !== undefined && slice(code, type) !== ctx.gridType) {
    return fail(
      type.start,
      `网格属性段应为 ${ctx.gridType}（与网格类型一致），实为 ${slice(code, type)}`,
      `the type segment must be ${ctx.gridType} to match the grid type, not ${slice(code, type)}`,
    );
  }
  return OK;
}

/**
 * Builds the code of grid number `seq` in a community. Refused (with the position the offending
 * segment would take) when the community code is not a valid 12-digit community code, the sequence
 * does not fit, or — for tpl12 — the town or village segment exceeds 99.
 */
export function generateGridCode(
  template: GridCodeTemplate,
  input: { communityCode12: string; areaCode?: string; seq: number; gridType: GridTypeCode },
): GridCodeResult {
  const cc = checkCommunityCode(input.communityCode12);
  if (!cc.ok) return cc;
  const want = expectedPrefixDigits(template, input.communityCode12);
  if (!(want instanceof Map)) return want;
  const lay = gridCodeLayouts[template];
  let code = '';
  for (const s of lay.segments) {
    switch (s.key) {
      case 'county':
      case 'town':
      case 'community':
        for (let i = 0; i < s.length; i++) code += want.get(s.start + i);
        break;
      case 'area': {
        const a = input.areaCode ?? '00';
        if (!/^\d{2}$/.test(a)) return fail(s.start, `片区代码 ${a} 应为 2 位数字（无片区为 00）`, `the area code ${a} must be 2 digits (00 when none)`);
        code += a;
        break;
      }
      case 'grid': {
        const max = 10 ** s.length - 1;
        if (!Number.isInteger(input.seq) || input.seq < 1 || input.seq > max)
          return fail(s.start, `网格顺序号 ${input.seq} 超出 1–${max}`, `the grid sequence ${input.seq} is outside 1–${max}`);
        code += String(input.seq).padStart(s.length, '0');
        break;
      }
      case 'type':
        if (!['01', '02', '03'].includes(input.gridType))
          return fail(s.start, `网格属性 ${input.gridType} 不是 01、02 或 03`, `the grid type ${input.gridType} is not 01, 02 or 03`);
        code += input.gridType;
        break;
    }
  }
  const check = validateGridCode(template, code, { communityCode12: input.communityCode12, gridType: input.gridType });
  return check.ok ? { ok: true, code } : check;
}

/** Where the sequence segment starts, to point at it when a given code and seq disagree. */
export const gridSeqPosition = (template: GridCodeTemplate) => segmentOf(template, 'grid')?.start ?? 1;
