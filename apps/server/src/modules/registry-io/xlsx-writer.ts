import { type ImportKind, importColumns, importKindLabels } from '@gridgov/contracts/imports';

// exceljs is loaded on first use: importing it costs ~235 ms that start-up should not pay.
const excel = async () => (await import('exceljs')).default;

/** A cell that a spreadsheet would run as a formula is written as text (CSV/xlsx injection). */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v);

/** The import template of a kind: the Chinese headers (required ones in red) and a hint row under them. */
export async function templateWorkbook(kind: ImportKind): Promise<Buffer> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(importKindLabels[kind].zh);
  const cols = importColumns[kind];
  ws.columns = cols.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, c.zh.length * 2 + 4), style: { numFmt: '@' } }));
  ws.addRow(Object.fromEntries(cols.map((c) => [c.key, c.hint ?? ''])));
  cols.forEach((c, i) => {
    const h = ws.getRow(1).getCell(i + 1);
    h.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } };
    ws.getRow(2).getCell(i + 1).font = { italic: true, color: { argb: 'FF808080' } };
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Rejected rows: row number, column and reason, then the row's original cells under the file's own headers. */
export async function rejectionsWorkbook(items: { row: number; column: string | null; reason: string; values: Record<string, string> }[]): Promise<Buffer> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('未导入的行');
  const headers: string[] = [];
  for (const it of items) for (const k of Object.keys(it.values)) if (!headers.includes(k)) headers.push(k);
  ws.addRow(['行号', '列', '原因', ...headers]).font = { bold: true };
  for (const it of items) ws.addRow([it.row, it.column ?? '', it.reason, ...headers.map((h) => safe(it.values[h] ?? ''))]);
  ws.getColumn(3).width = 40;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Streams an export to `file`: the kind's import headers, then rows as they come (re-importable when unmasked). */
export async function writeExport(file: string, kind: ImportKind, rows: AsyncIterable<Record<string, string | number | null>>): Promise<number> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet(importKindLabels[kind].zh);
  const cols = importColumns[kind];
  ws.columns = cols.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, c.zh.length * 2 + 4) }));
  let n = 0;
  for await (const r of rows) {
    const out: Record<string, string | number | null> = {};
    for (const c of cols) {
      const v = r[c.key];
      out[c.key] = typeof v === 'string' ? safe(v) : (v ?? null);
    }
    ws.addRow(out).commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}
