import { createReadStream } from 'node:fs';
import { Unzip, UnzipInflate } from 'fflate';
import type { SheetRow } from './table-reader.js';

/**
 * Streaming reader of the first worksheet of an .xlsx file (as written by Excel, WPS, LibreOffice, exceljs):
 * fflate unzips the entries chunk by chunk and a small regex scan reads rows out of the sheet XML. Two
 * passes over the zip: the first keeps only the workbook, its relationships and the shared-string table
 * (every text cell points into it, and writers put it after the sheets); the second streams the sheet.
 * The shared strings are kept as one UTF-8 buffer plus offsets, a fraction of the size of JS strings.
 */

class StringTable {
  private buf = Buffer.alloc(1 << 20);
  private len = 0;
  private offsets = new Uint32Array(1 << 16);
  count = 0;

  push(s: string) {
    const need = Buffer.byteLength(s);
    if (this.len + need > this.buf.length) {
      const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + need));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    if (this.count + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.len += this.buf.write(s, this.len);
    this.count++;
    this.offsets[this.count] = this.len;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    return this.buf.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML entities, then the `_xHHHH_` escapes Excel uses for control characters. */
export function unescapeXml(s: string): string {
  let t = s.includes('&') ? s.replace(ENTITY, (_, n, d, h) => (n ? (NAMED[n] as string) : String.fromCodePoint(d ? Number(d) : Number.parseInt(h, 16)))) : s;
  if (t.includes('_x')) t = t.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  return t;
}

const T_RE = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
const RPH_RE = /<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g;
/** Text of an `<si>`/`<is>` body: every `<t>` run, leaving out phonetic runs. */
function richText(body: string): string {
  const b = body.includes('rPh') ? body.replace(RPH_RE, '') : body;
  let out = '';
  T_RE.lastIndex = 0;
  for (let m = T_RE.exec(b); m; m = T_RE.exec(b)) out += m[1];
  return unescapeXml(out);
}

/** Index just past the last closing tag `</name>` or `</x:name>` in `s`, or -1. */
function lastClose(s: string, name: string): number {
  const needle = `${name}>`;
  for (let i = s.lastIndexOf(needle); i >= 0; i = s.lastIndexOf(needle, i - 1)) {
    let j = i - 1;
    if (s[j] === ':') {
      j--;
      while (j >= 0 && /\w/.test(s[j] as string)) j--;
    }
    if (s[j] === '/' && s[j - 1] === '<') return i + needle.length;
  }
  return -1;
}

/** Feeds a zip file through fflate chunk by chunk, calling `onText` with the text of the entries `want` picks; yields after each chunk. */
async function* feedZip(file: string, want: (name: string) => boolean, onText: (name: string, text: string, final: boolean) => void, seen = new Set<string>()) {
  let failure: Error | null = null;
  const unzip = new Unzip((f) => {
    seen.add(f.name);
    if (!want(f.name)) return;
    const dec = new TextDecoder('utf-8');
    f.ondata = (err, data, final) => {
      if (err) {
        failure = err;
        return;
      }
      try {
        onText(f.name, dec.decode(data, { stream: !final }), final);
      } catch (e) {
        failure = e as Error;
      }
    };
    f.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    unzip.push(chunk);
    if (failure) throw new XlsxFormatError(`无法解压 xlsx 文件：${(failure as Error).message}`);
    yield;
  }
  unzip.push(new Uint8Array(0), true);
  if (failure) throw new XlsxFormatError(`无法解压 xlsx 文件：${(failure as Error).message}`);
  yield;
}

async function scanZip(file: string, want: (name: string) => boolean, onText: (name: string, text: string, final: boolean) => void): Promise<Set<string>> {
  const seen = new Set<string>();
  for await (const _ of feedZip(file, want, onText, seen)) {
    /* drive */
  }
  return seen;
}

export class XlsxFormatError extends Error {}

/** Column letters → 0-based index. */
function colIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

const ROW_RE = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
const CELL_RE = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const V_RE = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/;
const IS_RE = /<(?:\w+:)?is>([\s\S]*?)<\/(?:\w+:)?is>/;
const ATTR_R = /\br="([A-Z]+)?(\d+)?"/;
const ATTR_T = /\bt="(\w+)"/;
const ROW_NUM = /\br="(\d+)"/;

export async function* readXlsx(file: string): AsyncGenerator<SheetRow> {
  // Pass 1: workbook, relationships, shared strings.
  const sst = new StringTable();
  let workbook = '';
  let rels = '';
  let sstPending = '';
  const seen = await scanZip(
    file,
    (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels' || /^xl\/sharedStrings\.xml$/i.test(n),
    (name, text, final) => {
      if (name === 'xl/workbook.xml') workbook += text;
      else if (name === 'xl/_rels/workbook.xml.rels') rels += text;
      else {
        sstPending += text;
        const end = final ? sstPending.length : lastClose(sstPending, 'si');
        if (end < 0) return;
        const part = sstPending.slice(0, end);
        sstPending = sstPending.slice(end);
        const re = /<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g;
        for (let m = re.exec(part); m; m = re.exec(part)) sst.push(m[1] ? richText(m[1]) : '');
      }
    },
  );
  if (!workbook) throw new XlsxFormatError('xlsx 文件中没有工作簿（xl/workbook.xml）');
  const sheetName = firstSheetPath(workbook, rels, seen);
  if (!sheetName) throw new XlsxFormatError('xlsx 文件中没有工作表');

  // Pass 2: the sheet, row by row.
  let pending = '';
  let queue: SheetRow[] = [];
  let lastRow = 0;
  const parseRows = (xml: string) => {
    ROW_RE.lastIndex = 0;
    for (let m = ROW_RE.exec(xml); m; m = ROW_RE.exec(xml)) {
      const rn = ROW_NUM.exec(m[1] as string);
      const row = rn ? Number(rn[1]) : lastRow + 1;
      lastRow = row;
      const body = m[2];
      if (!body) continue;
      const cells: string[] = [];
      let col = -1;
      let any = false;
      CELL_RE.lastIndex = 0;
      for (let c = CELL_RE.exec(body); c; c = CELL_RE.exec(body)) {
        const attrs = c[1] as string;
        const ref = ATTR_R.exec(attrs);
        col = ref?.[1] ? colIndex(ref[1]) : col + 1;
        const inner = c[2];
        if (!inner) continue;
        const type = ATTR_T.exec(attrs)?.[1];
        let value: string;
        if (type === 'inlineStr') {
          const is = IS_RE.exec(inner);
          value = is ? richText(is[1] as string) : '';
        } else {
          const v = V_RE.exec(inner);
          if (!v) continue;
          const raw = v[1] as string;
          if (type === 's') value = sst.get(Number(raw));
          else if (type === 'b') value = raw === '1' ? 'TRUE' : 'FALSE';
          else value = unescapeXml(raw);
        }
        while (cells.length < col) cells.push('');
        cells[col] = value;
        if (value.trim() !== '') any = true;
      }
      if (any) queue.push({ row, cells });
    }
  };
  // Pull-driven: a compressed chunk is read only when the rows of the previous one were taken.
  for await (const _ of feedZip(
    file,
    (n) => n === sheetName,
    (_n, text, final) => {
      pending += text;
      const end = final ? pending.length : lastClose(pending, 'row');
      if (end < 0) return;
      const part = pending.slice(0, end);
      pending = pending.slice(end);
      parseRows(part);
    },
  )) {
    if (queue.length) {
      const out = queue;
      queue = [];
      yield* out;
    }
  }
  yield* queue;
}

/** The zip path of the workbook's first sheet (workbook order → relationship → target). */
function firstSheetPath(workbook: string, rels: string, seen: Set<string>): string | null {
  const sheet = /<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id="([^"]+)"/.exec(workbook);
  if (sheet && rels) {
    const relRe = /<Relationship\b([^>]*)\/?>/g;
    for (let m = relRe.exec(rels); m; m = relRe.exec(rels)) {
      const attrs = m[1] as string;
      if (/\bId="([^"]+)"/.exec(attrs)?.[1] !== sheet[1]) continue;
      const target = /\bTarget="([^"]+)"/.exec(attrs)?.[1];
      if (!target) break;
      const p = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      return p.replace(/\/[^/]+\/\.\.\//g, '/');
    }
  }
  const sheets = [...seen].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort();
  return sheets[0] ?? null;
}
