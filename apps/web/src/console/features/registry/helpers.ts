import type { FacilityState, HouseUse, WarningLevel } from '@gridgov/contracts/registry-codes';
import { ApiError } from '../../../common/api/client';

/** The server writes field messages as “中文 / English”: the side for `locale`. */
export function localText(text: string, locale: string): string {
  const i = text.indexOf(' / ');
  if (i < 0) return text;
  return locale === 'en' ? text.slice(i + 3) : text.slice(0, i);
}

export type FieldName = string | (string | number)[];

/**
 * Sorts a server refusal into errors for form items (dotted paths such as `fields.startDate` become
 * `['fields', 'startDate']` when the form has that item) and the rest, for an alert above the form.
 */
export function splitServerErrors(
  err: unknown,
  formFields: readonly string[],
  locale: string,
  codeField: Record<string, string> = {},
): { byField: { name: FieldName; errors: string[] }[]; rest: string | null } {
  if (!(err instanceof ApiError)) return { byField: [], rest: err instanceof Error ? err.message : String(err) };
  const by = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const f of err.fields) {
    const msg = localText(f.message, locale);
    const parts = f.path.split('.').filter(Boolean);
    // The longest dotted prefix that names a form item wins: `fields.startDate` before `fields`.
    let hit: string | null = null;
    for (let n = parts.length; n > 0 && !hit; n--) {
      const key = parts.slice(0, n).join('.');
      if (formFields.includes(key)) hit = key;
    }
    if (hit) by.set(hit, [...(by.get(hit) ?? []), msg]);
    else unmatched.push(f.path ? `${f.path}: ${msg}` : msg);
  }
  if (err.fields.length === 0) {
    const field = codeField[err.code];
    if (field && formFields.includes(field)) by.set(field, [err.message]);
    else unmatched.push(err.message);
  }
  const byField = [...by].map(([k, errors]) => ({ name: k.includes('.') ? k.split('.') : k, errors }));
  const rest = unmatched.length === 0 ? null : err.fields.length > 0 ? `${err.message}（${unmatched.join('；')}）` : unmatched.join('；');
  return { byField, rest };
}

/** Drops empty strings and undefined so optional fields are left out rather than sent blank. */
export function compact<T extends Record<string, unknown>>(v: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === null) continue;
    if (typeof x === 'string' && x.trim() === '') continue;
    out[k] = typeof x === 'string' ? x.trim() : x;
  }
  return out as Partial<T>;
}

/** Fields whose value differs from the record's (for PATCH bodies): empty text clears to null where allowed. */
export function changed<T extends Record<string, unknown>>(next: T, prev: Record<string, unknown>, nullable: readonly string[] = []): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(next)) {
    const x = typeof raw === 'string' ? raw.trim() : raw;
    const before = prev[k] ?? null;
    const empty = x === undefined || x === null || x === '';
    if (empty) {
      if (before !== null && before !== '' && nullable.includes(k)) out[k] = null;
      continue;
    }
    if (Array.isArray(x) ? JSON.stringify(x) !== JSON.stringify(before ?? []) : x !== before) out[k] = x;
  }
  return out as Partial<T>;
}

export const houseUseColor: Record<HouseUse, string> = {
  residential: '#52c41a',
  rental: '#fa8c16',
  commercial: '#1677ff',
  mixed: '#722ed1',
  vacant: '#bfbfbf',
  other: '#8c8c8c',
};

export const warningColor: Record<WarningLevel, string> = { blue: 'blue', yellow: 'gold', orange: 'orange', red: 'red' };
export const facilityStateColor: Record<FacilityState, string> = { intact: 'green', damaged: 'orange', lost: 'red', occupied: 'purple' };

export interface LayoutCell {
  houseId: string;
  unit: string | null;
  floor: number | null;
  room: string | null;
  use: HouseUse;
  occupants: number;
}

/**
 * The building as a wall of rooms: floors top to bottom, and per unit its rooms left to right, so a
 * grid worker reads it like the building's front. Cells without a floor go to a row `null` at the end.
 */
export function layoutMatrix(cells: readonly LayoutCell[]): {
  units: { unit: string | null; rooms: string[] }[];
  floors: (number | null)[];
  at(floor: number | null, unit: string | null, room: string): LayoutCell | undefined;
} {
  const byNum = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true });
  const unitMap = new Map<string | null, Set<string>>();
  const floorSet = new Set<number | null>();
  const index = new Map<string, LayoutCell>();
  // A room number 302 on floor 3 and 402 on floor 4 are the same column "02": use the room's tail
  // after the floor prefix when it has one.
  const column = (c: LayoutCell) => {
    const r = c.room ?? '';
    const f = c.floor === null ? '' : String(Math.abs(c.floor));
    return f && r.startsWith(f) && r.length > f.length ? r.slice(f.length) : r || '—';
  };
  for (const c of cells) {
    const col = column(c);
    if (!unitMap.has(c.unit)) unitMap.set(c.unit, new Set());
    unitMap.get(c.unit)?.add(col);
    floorSet.add(c.floor);
    index.set(`${c.floor}|${c.unit}|${col}`, c);
  }
  const units = [...unitMap]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : byNum(a, b)))
    .map(([unit, rooms]) => ({ unit, rooms: [...rooms].sort(byNum) }));
  const floors = [...floorSet].sort((a, b) => (a === null ? 1 : b === null ? -1 : b - a));
  return { units, floors, at: (floor, unit, room) => index.get(`${floor}|${unit}|${room}`) };
}

/** Freshness share as a percentage text, and whether it meets the goal (0–1). */
export function shareText(share: number | null): string {
  return share === null ? '—' : `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}
