import { checkIdNumber, checkPhone, checkUscc } from '@gridgov/contracts/identifiers';
import { type ImportKind, importColumns } from '@gridgov/contracts/imports';
import {
  educationLabels,
  facilityKindLabels,
  facilityStateLabels,
  houseUseLabels,
  keyOfLabel,
  keyPremisesLabels,
  maritalLabels,
  normaliseEthnicity,
  orgKindLabels,
  politicalLabels,
  populationTypeLabels,
  sexLabels,
} from '@gridgov/contracts/registry-codes';
import type { GridIndex } from '../gridlookup/grid-index.js';
import type { HeaderMap } from './table-reader.js';

/** A grid as the importer needs it: code → id, its community and region path (scope), retired or not. */
export interface ImportGrid {
  id: string;
  code: string;
  communityId: string;
  regionPath: string;
  retired: boolean;
}

export interface RowFault {
  column: string | null;
  reason: string;
}

export interface PlacedRow {
  row: number;
  gridId: string;
  communityId: string;
  lng: number | null;
  lat: number | null;
  /** The in-file duplicate key (身份证号, 信用代码, address key, facility code), when the kind has one. */
  key: string | null;
}
export interface PersonRow extends PlacedRow {
  name: string;
  idNumber: string;
  idMasked: string;
  sex: 'male' | 'female';
  birthDate: string;
  ethnicity: string | null;
  phone: string | null;
  populationType: string;
  hukouPlace: string | null;
  hukouAddress: string | null;
  currentAddress: string | null;
  occupation: string | null;
  workplace: string | null;
  marital: string | null;
  political: string | null;
  education: string | null;
}
export interface HouseRow extends PlacedRow {
  address: string;
  addressKey: string;
  unit: string | null;
  floor: number | null;
  room: string | null;
  use: string;
  areaM2: number | null;
}
export interface OrganisationRow extends PlacedRow {
  name: string;
  kind: string;
  uscc: string | null;
  legalRepName: string | null;
  phone: string | null;
  address: string | null;
  employees: number | null;
  keyPremisesType: string | null;
}
export interface FacilityRow extends PlacedRow {
  kind: string;
  name: string;
  code: string | null;
  state: string;
  address: string | null;
  owner: string | null;
}
export type AnyRow = PersonRow | HouseRow | OrganisationRow | FacilityRow;

export interface ValidationEnv {
  gridsByCode: Map<string, ImportGrid>;
  gridsById: Map<string, ImportGrid>;
  index: GridIndex;
  /** Grid ids the importer may write to; null = every grid. */
  capturable: ReadonlySet<string> | null;
  today: string;
}

/** Normalised house address key: the community plus the address without spaces (the upsert key of houses). */
export const houseAddressKey = (communityId: string, address: string) => `${communityId}:${address.replace(/\s+/g, '').toUpperCase()}`;

/** Cell text by field key ('' when the column is absent or empty). */
export type Cells = (key: string) => string;
export function cellsOf(map: HeaderMap, cells: string[]): Cells {
  return (key) => {
    const i = map.index.get(key);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
}

/** Excel stores dates as day numbers since 1899-12-30 (1900 leap-year bug included). */
function excelSerialToDate(n: number): string {
  const ms = Math.round((n - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/** YYYY-MM-DD from 2001-02-03, 2001/2/3, 2001.2.3, 20010203, 2001年2月3日 or an Excel day number; null if impossible. */
export function parseDate(v: string): string | null | 'invalid' {
  if (!v) return null;
  if (/^\d{5}(\.\d+)?$/.test(v)) return excelSerialToDate(Number(v));
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return 'invalid';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return 'invalid';
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const zh = (kind: ImportKind, key: string) => importColumns[kind].find((c) => c.key === key)?.zh ?? key;

function place(kind: ImportKind, c: Cells, env: ValidationEnv, faults: RowFault[]): { grid: ImportGrid; lng: number | null; lat: number | null } | null {
  const code = c('gridCode');
  const lngText = c('lng');
  const latText = c('lat');
  let grid: ImportGrid | undefined;
  let lng: number | null = null;
  let lat: number | null = null;
  if (code) {
    grid = env.gridsByCode.get(code);
    if (!grid) {
      faults.push({ column: zh(kind, 'gridCode'), reason: `网格编码 ${code} 不存在` });
      return null;
    }
  }
  if (lngText || latText) {
    lng = Number(lngText);
    lat = Number(latText);
    if (!lngText || !latText || !Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
      faults.push({ column: zh(kind, lngText ? 'lat' : 'lng'), reason: '经纬度不完整或不是有效数字' });
      return null;
    }
    const found = env.index.lookup(lng, lat);
    const g = found ? env.gridsById.get(found) : undefined;
    if (!g) {
      faults.push({ column: zh(kind, 'lng'), reason: '该位置不在任何网格内' });
      return null;
    }
    if (grid && grid.id !== g.id) {
      faults.push({ column: zh(kind, 'gridCode'), reason: `经纬度位于网格 ${g.code}，与网格编码 ${grid.code} 不一致` });
      return null;
    }
    grid = g;
  }
  if (!grid) {
    faults.push({ column: zh(kind, 'gridCode'), reason: '请填写网格编码或经纬度' });
    return null;
  }
  if (grid.retired) {
    faults.push({ column: zh(kind, 'gridCode'), reason: `网格 ${grid.code} 已撤销` });
    return null;
  }
  if (env.capturable && !env.capturable.has(grid.id)) {
    faults.push({ column: zh(kind, 'gridCode'), reason: `网格 ${grid.code} 不在您的采集范围内` });
    return null;
  }
  return { grid, lng, lat };
}

function code<K extends string>(
  kind: ImportKind,
  key: string,
  labels: Record<K, { zh: string; en: string }>,
  v: string,
  faults: RowFault[],
  extra: Record<string, K> = {},
): K | null {
  if (!v) return null;
  const k = extra[v] ?? keyOfLabel(labels, v);
  if (!k)
    faults.push({
      column: zh(kind, key),
      reason: `“${v}”不是有效的${zh(kind, key)}（可填：${Object.values<{ zh: string }>(labels)
        .map((l) => l.zh)
        .join('/')}）`,
    });
  return k;
}

function required(kind: ImportKind, key: string, v: string, faults: RowFault[]): boolean {
  if (v) return true;
  faults.push({ column: zh(kind, key), reason: `${zh(kind, key)}不能为空` });
  return false;
}

function text(kind: ImportKind, key: string, v: string, max: number, faults: RowFault[]): string | null {
  if (!v) return null;
  if (v.length > max) faults.push({ column: zh(kind, key), reason: `${zh(kind, key)}不能超过 ${max} 个字` });
  return v;
}

function num(kind: ImportKind, key: string, v: string, faults: RowFault[], integer = false): number | null {
  if (!v) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    faults.push({ column: zh(kind, key), reason: `${zh(kind, key)}应为${integer ? '非负整数' : '非负数'}` });
    return null;
  }
  return n;
}

function phoneOf(kind: ImportKind, v: string, faults: RowFault[]): string | null {
  if (!v) return null;
  const r = checkPhone(v);
  if (!r.ok) {
    faults.push({ column: zh(kind, 'phone'), reason: r.zh });
    return null;
  }
  return r.value;
}

const POPULATION_SHORT: Record<string, 'registered' | 'floating' | 'overseas'> = { 户籍: 'registered', 流动: 'floating', 境外: 'overseas' };

export function validatePerson(row: number, c: Cells, env: ValidationEnv): { ok: PersonRow } | { faults: RowFault[] } {
  const k: ImportKind = 'persons';
  const faults: RowFault[] = [];
  const name = c('name');
  required(k, 'name', name, faults);
  text(k, 'name', name, 64, faults);
  const idText = c('idNumber');
  let id: ReturnType<typeof checkIdNumber> | null = null;
  if (required(k, 'idNumber', idText, faults)) {
    if (/^\d(\.\d+)?E\+\d+$/i.test(idText))
      faults.push({ column: zh(k, 'idNumber'), reason: '身份证号被存成了数字，末几位已丢失；请把该列设为文本后重新填写' });
    else {
      id = checkIdNumber(idText, env.today);
      if (!id.ok) faults.push({ column: zh(k, 'idNumber'), reason: id.zh });
    }
  }
  const idOk = id?.ok ? id : null;
  const sexText = c('sex');
  const sex = code(k, 'sex', sexLabels, sexText, faults);
  if (idOk && sex && sex !== idOk.sex) faults.push({ column: zh(k, 'sex'), reason: `性别“${sexText}”与身份证号不一致` });
  const birth = parseDate(c('birthDate'));
  if (birth === 'invalid') faults.push({ column: zh(k, 'birthDate'), reason: `出生日期“${c('birthDate')}”不是有效日期` });
  else if (birth && idOk && birth !== idOk.birthDate)
    faults.push({ column: zh(k, 'birthDate'), reason: `出生日期 ${birth} 与身份证号（${idOk.birthDate}）不一致` });
  const ethText = c('ethnicity');
  const ethnicity = ethText ? normaliseEthnicity(ethText) : null;
  if (ethText && !ethnicity) faults.push({ column: zh(k, 'ethnicity'), reason: `“${ethText}”不是有效的民族` });
  const phone = phoneOf(k, c('phone'), faults);
  const pt = c('populationType');
  const populationType = required(k, 'populationType', pt, faults) ? code(k, 'populationType', populationTypeLabels, pt, faults, POPULATION_SHORT) : null;
  const marital = code(k, 'marital', maritalLabels, c('marital'), faults);
  const political = code(k, 'political', politicalLabels, c('political'), faults);
  const education = code(k, 'education', educationLabels, c('education'), faults);
  const more = {
    hukouPlace: text(k, 'hukouPlace', c('hukouPlace'), 200, faults),
    hukouAddress: text(k, 'hukouAddress', c('hukouAddress'), 200, faults),
    currentAddress: text(k, 'currentAddress', c('currentAddress'), 200, faults),
    occupation: text(k, 'occupation', c('occupation'), 64, faults),
    workplace: text(k, 'workplace', c('workplace'), 128, faults),
  };
  const p = faults.length ? null : place(k, c, env, faults);
  if (faults.length || !p || !idOk || !populationType) return { faults };
  return {
    ok: {
      row,
      gridId: p.grid.id,
      communityId: p.grid.communityId,
      lng: p.lng,
      lat: p.lat,
      key: idOk.value,
      name,
      idNumber: idOk.value,
      idMasked: '',
      sex: idOk.sex,
      birthDate: idOk.birthDate,
      ethnicity,
      phone,
      populationType,
      ...more,
      marital,
      political,
      education,
    },
  };
}

export function validateHouse(row: number, c: Cells, env: ValidationEnv): { ok: HouseRow } | { faults: RowFault[] } {
  const k: ImportKind = 'houses';
  const faults: RowFault[] = [];
  const useText = c('use');
  const use = required(k, 'use', useText, faults) ? code(k, 'use', houseUseLabels, useText, faults) : null;
  const unit = c('unit');
  const room = c('room');
  const parts = [c('road'), c('number'), c('building'), unit ? `${unit.replace(/单元$/, '')}单元` : '', room ? `${room.replace(/室$/, '')}室` : ''];
  const address = c('address') || parts.join('');
  if (!address) faults.push({ column: zh(k, 'address'), reason: '请填写地址，或街路巷、门牌号、楼栋、单元、室号' });
  const floor = num(k, 'floor', c('floor'), faults, true);
  const areaM2 = num(k, 'areaM2', c('areaM2'), faults);
  text(k, 'address', address, 200, faults);
  const p = faults.length ? null : place(k, c, env, faults);
  if (faults.length || !p || !use) return { faults };
  const addressKey = houseAddressKey(p.grid.communityId, address);
  return {
    ok: {
      row,
      gridId: p.grid.id,
      communityId: p.grid.communityId,
      lng: p.lng,
      lat: p.lat,
      key: addressKey,
      address,
      addressKey,
      unit: unit || null,
      floor,
      room: room || null,
      use,
      areaM2,
    },
  };
}

export function validateOrganisation(row: number, c: Cells, env: ValidationEnv): { ok: OrganisationRow } | { faults: RowFault[] } {
  const k: ImportKind = 'organisations';
  const faults: RowFault[] = [];
  const name = c('name');
  required(k, 'name', name, faults);
  text(k, 'name', name, 128, faults);
  const kindText = c('kind');
  const kind = required(k, 'kind', kindText, faults) ? code(k, 'kind', orgKindLabels, kindText, faults) : null;
  const usccText = c('uscc');
  let uscc: string | null = null;
  if (usccText) {
    const u = checkUscc(usccText);
    if (u.ok) uscc = u.value;
    else faults.push({ column: zh(k, 'uscc'), reason: u.zh });
  }
  const phone = phoneOf(k, c('phone'), faults);
  const employees = num(k, 'employees', c('employees'), faults, true);
  const keyPremisesType = code(k, 'keyPremisesType', keyPremisesLabels, c('keyPremisesType'), faults);
  const p = faults.length ? null : place(k, c, env, faults);
  if (faults.length || !p || !kind) return { faults };
  return {
    ok: {
      row,
      gridId: p.grid.id,
      communityId: p.grid.communityId,
      lng: p.lng,
      lat: p.lat,
      key: uscc,
      name,
      kind,
      uscc,
      legalRepName: c('legalRepName') || null,
      phone,
      address: c('address') || null,
      employees,
      keyPremisesType,
    },
  };
}

export function validateFacility(row: number, c: Cells, env: ValidationEnv): { ok: FacilityRow } | { faults: RowFault[] } {
  const k: ImportKind = 'facilities';
  const faults: RowFault[] = [];
  const kindText = c('kind');
  const kind = required(k, 'kind', kindText, faults) ? code(k, 'kind', facilityKindLabels, kindText, faults) : null;
  const name = c('name');
  required(k, 'name', name, faults);
  const state = code(k, 'state', facilityStateLabels, c('state'), faults) ?? 'intact';
  const fcode = text(k, 'code', c('code'), 64, faults);
  const p = faults.length ? null : place(k, c, env, faults);
  if (faults.length || !p || !kind) return { faults };
  return {
    ok: {
      row,
      gridId: p.grid.id,
      communityId: p.grid.communityId,
      lng: p.lng,
      lat: p.lat,
      key: fcode,
      kind,
      name,
      code: fcode,
      state,
      address: c('address') || null,
      owner: c('owner') || null,
    },
  };
}

export const validators = { persons: validatePerson, houses: validateHouse, organisations: validateOrganisation, facilities: validateFacility } as const;

/** The column a duplicate is reported on. */
export const duplicateColumn: Record<ImportKind, string> = {
  persons: '公民身份号码',
  houses: '地址',
  organisations: '统一社会信用代码',
  facilities: '部件编码',
};
