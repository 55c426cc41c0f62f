import { open } from 'node:fs/promises';
import { type ImportColumn, type ImportKind, importColumns } from '@gridgov/contracts/imports';
import { AppError } from '../../http/app-error.js';
import { type CsvEncoding, detectCsvEncoding, readCsv } from './csv-reader.js';
import { readXlsx } from './xlsx-reader.js';

/** One record of a spreadsheet: its row number as the spreadsheet shows it, and the cell texts (or why it could not be read). */
export interface SheetRow {
  row: number;
  cells: string[];
  /** The row could not be read as the file's encoding: `cells` is a best-effort reading for the rejected-rows file. */
  fault?: string;
}

export interface OpenedTable {
  format: 'xlsx' | 'csv';
  encoding: CsvEncoding | null;
  rows(): AsyncGenerator<SheetRow>;
}

/** xlsx by content (a zip), else by name; CSV otherwise. */
export async function openTable(file: string, fileName: string): Promise<OpenedTable> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(4);
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (zip) return { format: 'xlsx', encoding: null, rows: () => readXlsx(file) };
  if (/\.(xlsx|xlsm)$/i.test(fileName)) throw new AppError('IMPORT_FILE_INVALID', { message: '文件扩展名为 xlsx，但内容不是 xlsx 文件' });
  if (/\.(xls|et|ods|numbers)$/i.test(fileName)) throw new AppError('IMPORT_FORMAT_UNKNOWN');
  const { encoding, bom } = await detectCsvEncoding(file);
  return { format: 'csv', encoding, rows: () => readCsv(file, encoding, bom) };
}

const norm = (s: string) =>
  s
    .replace(/[\s*＊]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();

/** Which file column holds which field: header cells matched against the zh header, its aliases and the English key. */
export interface HeaderMap {
  /** Field key → index of its column in the file. */
  index: Map<string, number>;
  /** The file's own header texts (for the rejected-rows file). */
  headers: string[];
  columns: readonly ImportColumn[];
}

export function mapHeader(kind: ImportKind, cells: string[]): HeaderMap {
  const columns = importColumns[kind];
  const lookup = new Map<string, string>();
  for (const c of columns) for (const name of [c.zh, c.en, c.key, ...(c.aliases ?? [])]) lookup.set(norm(name), c.key);
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    const key = lookup.get(norm(cell ?? ''));
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = columns.filter((c) => c.required && !index.has(c.key)).map((c) => c.zh);
  if (!index.has('gridCode') && !(index.has('lng') && index.has('lat'))) missing.push('网格编码（或 经度、纬度）');
  if (missing.length) {
    throw new AppError('IMPORT_HEADER_MISSING', {
      message: `文件缺少必填列：${missing.join('、')}`,
      details: { missing },
    });
  }
  return { index, headers: cells.map((c) => (c ?? '').trim()), columns };
}

/** The template's hint row (every filled cell equals its column's hint) is not data. */
export function isHintRow(map: HeaderMap, cells: string[]): boolean {
  let filled = 0;
  for (const c of map.columns) {
    const i = map.index.get(c.key);
    const v = i === undefined ? '' : (cells[i] ?? '').trim();
    if (!v) continue;
    if (v !== c.hint) return false;
    filled++;
  }
  return filled > 0;
}
