import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { testPii } from '../../test/test-key.js';
import { CliError, runCommand } from './commands.js';
import { ExportArgs, ImportArgs } from './registry-commands.js';

describe('gridgov import / export', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gridgov-cli-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a GBK CSV as a user, prints progress and a summary, and writes the rejected rows next to the file', async () => {
    const file = path.join(dir, '人口.csv');
    copyFileSync(new URL('../modules/registry-io/fixtures/persons-faults.gbk.csv', import.meta.url), file);
    const progress: string[] = [];
    const out = await runCommand(
      t.database,
      { command: 'import', args: ImportArgs.parse({ kind: 'persons', file, as: 'sq_baotuquan' }) },
      { profile: 'demo', pii: testPii, progress: (l) => progress.push(l) },
    );
    expect(out).toContain('新增 4，更新 0，未变 0，拒绝 5');
    expect(out).toContain('GB18030');
    expect(out).toMatch(/行\/秒/);
    expect(progress.at(-1)).toMatch(/^已读 9 行，拒绝 5 行，\d+ 行\/秒/);
    const rejected = `${file}.rejected.xlsx`;
    expect(existsSync(rejected)).toBe(true);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(rejected) as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows[0]).toEqual(['行号', '列', '原因']);
    expect(rows.slice(1).map((r) => r[0])).toEqual([4, 5, 6, 7, 9]);

    const again = await runCommand(
      t.database,
      { command: 'import', args: ImportArgs.parse({ kind: 'persons', file, as: 'sq_baotuquan' }) },
      { profile: 'demo', pii: testPii },
    );
    expect(again).toContain('新增 0，更新 0，未变 4，拒绝 5');
  });

  it('a user without the import permission is refused', async () => {
    const file = path.join(dir, 'x.csv');
    copyFileSync(new URL('../modules/registry-io/fixtures/persons-faults.gbk.csv', import.meta.url), file);
    await expect(
      runCommand(t.database, { command: 'import', args: ImportArgs.parse({ kind: 'persons', file, as: 'wgy_baotuquan' }) }, { profile: 'demo', pii: testPii }),
    ).rejects.toThrow(CliError);
  });

  it('exports a region masked to the given file', async () => {
    const out = path.join(dir, 'persons.xlsx');
    const msg = await runCommand(
      t.database,
      { command: 'export', args: ExportArgs.parse({ kind: 'persons', region: '370118001001', out }) },
      { profile: 'demo', pii: testPii },
    );
    expect(msg).toMatch(/已导出 \d+ 行（脱敏）/);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const cells = (wb.worksheets[0]?.getSheetValues() ?? []).flat().map(String);
    expect(cells).toContain('3701**********0063');
    expect(cells.join()).not.toContain('370102199209090063');
  });
});
