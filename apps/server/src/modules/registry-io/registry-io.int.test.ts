import { readFileSync } from 'node:fs';
import type { ImportJob } from '@gridgov/contracts/imports';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { testPii } from '../../../test/test-key.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** The faults both fixture files carry (the GBK file adds the UTF-8 row 9). */
const COMMON_FAULTS = [
  { row: 4, column: '公民身份号码', reason: expect.stringMatching(/^校验码错误：应为 \w，实际为 \w$/) },
  { row: 5, column: '出生日期', reason: '出生日期“2001-02-30”不是有效日期' },
  { row: 6, column: '网格编码', reason: '网格编码 3701180010000199901 不存在' },
  { row: 7, column: '公民身份号码', reason: '与第 2 行重复' },
];
const ENCODING_FAULT = { row: 9, column: null, reason: '该行是 UTF-8 编码，与文件的 GBK 编码不一致' };
const IDS = ['370102198001010015', '370102198505050029', '370102199209090063', '370102198808080073', '37010219950606008X'];

describe('registry import / export / cross-check', () => {
  let t: TestApp;
  let station: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    station = await t.login('sq_baotuquan');
  }, 120_000);
  afterAll(async () => t?.close());

  async function upload(session: TestSession, kind: string, file: Buffer, fileName: string, mode: string): Promise<ImportJob> {
    const res = await t.as(session, {
      method: 'POST',
      url: `/api/imports/${kind}?mode=${mode}&fileName=${encodeURIComponent(fileName)}`,
      payload: file,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json() as ImportJob;
    for (let i = 0; i < 400; i++) {
      const r = await t.as(session, { method: 'GET', url: `/api/imports/${job.id}` });
      const j = r.json() as ImportJob;
      if (j.status !== 'running' && j.status !== 'queued') return j;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('import did not finish');
  }

  async function rejections(id: string) {
    const r = await t.as(station, { method: 'GET', url: `/api/imports/${id}/rejections?limit=100` });
    expect(r.statusCode).toBe(200);
    return (r.json() as { items: { row: number; column: string | null; reason: string; values: Record<string, string> }[] }).items;
  }

  const personCount = async () => {
    const bidx = IDS.map((v) => testPii.blindIndex('id_card', v).toString('hex'));
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM person WHERE encode(id_number_bidx, 'hex') = ANY(${bidx}::text[])`.execute(t.database.db);
    return r.rows[0]?.n ?? 0;
  };

  it('all_or_nothing: a GBK CSV with faults stores nothing and reports exactly the faulty rows', async () => {
    const job = await upload(station, 'persons', fixture('persons-faults.gbk.csv'), '人口.csv', 'all_or_nothing');
    expect(job).toMatchObject({ status: 'rejected', format: 'csv', encoding: 'GB18030', rowsRead: 9, rejected: 5, inserted: 0, updated: 0 });
    const rs = await rejections(job.id);
    expect(rs.map(({ row, column, reason }) => ({ row, column, reason }))).toEqual(
      [...COMMON_FAULTS, ENCODING_FAULT].sort((a, b) => a.row - b.row).map((f) => expect.objectContaining(f)),
    );
    // The original cells come back (decrypted) for the rejected-rows file; the stored copy is ciphertext.
    expect(rs.find((r) => r.row === 6)?.values).toMatchObject({ 姓名: '刘洋', 网格编码: '3701180010000199901' });
    const raw = await sql<{ v: Buffer }>`SELECT values_enc AS v FROM import_rejection WHERE job_id = ${job.id}`.execute(t.database.db);
    for (const r of raw.rows) expect(Buffer.from(r.v).toString('latin1')).not.toContain('370102');
    expect(await personCount()).toBe(0);
  });

  it('keep_valid: a LibreOffice xlsx stores the valid rows, rejects exactly the faulty ones, and a re-import changes nothing', async () => {
    const file = fixture('persons-faults.libreoffice.xlsx');
    const job = await upload(station, 'persons', file, 'persons.xlsx', 'keep_valid');
    expect(job).toMatchObject({ status: 'succeeded', format: 'xlsx', rowsRead: 9, rejected: 4, inserted: 5, updated: 0, unchanged: 0 });
    const rs = await rejections(job.id);
    expect(rs.map(({ row, column, reason }) => ({ row, column, reason }))).toEqual(COMMON_FAULTS.map((f) => expect.objectContaining(f)));
    expect(await personCount()).toBe(5);

    // Rows as the persons module writes them: encrypted number, blind index, masks, sex/birth from the number, grid, point.
    const bidx = testPii.blindIndex('id_card', '370102199209090063');
    const p = await sql<Record<string, unknown>>`
      SELECT p.*, g.code AS grid_code, ST_X(p.geom) AS lng FROM person p JOIN grid g ON g.id = p.grid_id WHERE p.id_number_bidx = ${bidx}`.execute(
      t.database.db,
    );
    const row = p.rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      name: '陈静',
      sex: 'female',
      id_number_masked: '3701**********0063',
      phone_masked: '139****1111',
      population_type: 'floating',
    });
    expect(testPii.decrypt(row.id_number_enc as Buffer)).toBe('370102199209090063');
    expect(testPii.decrypt(row.phone_enc as Buffer)).toBe('13900001111');
    expect(Buffer.compare(row.phone_bidx as Buffer, testPii.blindIndex('phone', '13900001111'))).toBe(0);
    expect(row.lng).toBeCloseTo(117.003444, 6);
    expect(String(row.grid_code)).toMatch(/^370118001000010/);
    expect(row.created_by).not.toBeNull();

    const again = await upload(station, 'persons', file, 'persons.xlsx', 'keep_valid');
    expect(again).toMatchObject({ status: 'succeeded', rejected: 4, inserted: 0, updated: 0, unchanged: 5 });
    // The same people in the GBK file (one row unreadable, dates as text): still nothing changes.
    const gbk = await upload(station, 'persons', fixture('persons-faults.gbk.csv'), '人口.csv', 'keep_valid');
    expect(gbk).toMatchObject({ status: 'succeeded', rejected: 5, inserted: 0, updated: 0, unchanged: 4 });
    expect(await personCount()).toBe(5);

    const xlsx = await t.as(station, { method: 'GET', url: `/api/imports/${job.id}/rejections.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const audit = await sql<{ action: string; n: number }>`
      SELECT action, count(*)::int AS n FROM audit_log WHERE target_id = ${job.id} GROUP BY action ORDER BY action`.execute(t.database.db);
    expect(audit.rows).toEqual([
      { action: 'import.finished', n: 1 },
      { action: 'import.started', n: 1 },
    ]);
  });

  it('an import refreshes the planner statistics of the tables it wrote (PGlite has no autovacuum)', async () => {
    // As if never analyzed (the owner may write the catalog); the import's refresh analyzes such tables.
    const tables = ['person', 'record_change'];
    await t.database.ownerQuery(`UPDATE pg_class SET reltuples = -1 WHERE relname IN ('person', 'record_change') AND relnamespace = 'public'::regnamespace`);
    const stats = async () => {
      // A fresh look at the cumulative statistics (they are cached per transaction otherwise).
      await sql`SELECT pg_stat_clear_snapshot()`.execute(t.database.db);
      return (
        await sql<{ relname: string; reltuples: number; analyzed: number }>`SELECT c.relname, c.reltuples, s.analyze_count::int AS analyzed
          FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
          WHERE c.relname = ANY(${tables}::text[]) AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname`.execute(t.database.db)
      ).rows;
    };
    const before = await stats();
    expect(before.map((x) => Number(x.reltuples))).toEqual([-1, -1]);
    // upload() polls until the job is no longer running: the job shows running until its finishing steps are done
    // (CI at cbb97a8 read the statistics while the refresh still ran, the job already showing succeeded).
    const job = await upload(station, 'persons', fixture('persons-faults.libreoffice.xlsx'), 'persons.xlsx', 'keep_valid');
    expect(job.status).toBe('succeeded');
    const after = await stats();
    expect(after.map((x) => x.relname)).toEqual(tables);
    // Both were analyzed by the import (ANALYZE counts in analyze_count; autovacuum's in autoanalyze_count).
    expect(after.map((x) => x.analyzed)).toEqual(before.map((x) => x.analyzed + 1));
    for (const row of after) expect(Number(row.reltuples), row.relname).toBeGreaterThanOrEqual(0);
  });

  it('a missing required column fails the job naming the column', async () => {
    const csv = Buffer.from('姓名,性别,网格编码\n张三,男,3701180010000100201\n');
    const job = await upload(station, 'persons', csv, 'x.csv', 'keep_valid');
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: 'IMPORT_HEADER_MISSING', message: '文件缺少必填列：公民身份号码、人口类型' });
  });

  it('a grid outside the importer capture scope is a row error', async () => {
    const other = await t.login('jd_liuyin');
    const job = await upload(other, 'persons', fixture('persons-faults.gbk.csv'), 'p.csv', 'keep_valid');
    expect(job.inserted).toBe(0);
    expect(job.rejected).toBe(9);
  });

  it('a person already registered in a grid the importer may not write to is refused in both modes, and stays where it was', async () => {
    const other = await t.login('jd_liuyin');
    const g = await sql<{ code: string }>`
      SELECT g.code FROM grid g JOIN region r ON r.id = g.community_id WHERE r.code = '370118002002' AND g.valid_to IS NULL ORDER BY g.code LIMIT 1`.execute(
      t.database.db,
    );
    const code = g.rows[0]?.code as string;
    // 张建国 (demo) lives in 趵突泉社区, outside 柳荫街道; the second row is a new person in the importer's own grid.
    const csv = Buffer.from(
      `\ufeff姓名,公民身份号码,人口类型,网格编码\n张建国,37011819580312701X,户籍人口,${code}\n赵新,37010219900101001X,户籍人口,${code}\n`,
    );
    for (const mode of ['keep_valid', 'all_or_nothing']) {
      const job = await upload(other, 'persons', csv, `moved-${mode}.csv`, mode);
      expect(job.rejected).toBe(1);
      const r = await t.as(other, { method: 'GET', url: `/api/imports/${job.id}/rejections?limit=10` });
      expect(r.json().items).toEqual([expect.objectContaining({ row: 2, column: '公民身份号码', reason: '该记录已登记在您无权采集的网格，不能通过导入修改' })]);
      expect(job.inserted).toBe(mode === 'keep_valid' ? 1 : 0);
    }
    const still = await sql<{ code: string }>`
      SELECT g.code FROM person p JOIN grid g ON g.id = p.grid_id WHERE p.id_number_bidx = ${testPii.blindIndex('id_card', '37011819580312701X')}`.execute(
      t.database.db,
    );
    expect(still.rows[0]?.code).not.toBe(code);
  });

  it('leaves no imported 身份证号 in clear in the person rows, the change history, the rejected rows or the audit log', async () => {
    // Runs after the imports above: the valid persons of both fixtures are stored, the faulty rows rejected.
    expect(await personCount()).toBeGreaterThan(0);
    const hex = (v: string) => Buffer.from(v, 'utf8').toString('hex');
    for (const table of ['person', 'record_change', 'import_rejection', 'import_job', 'audit_log']) {
      const rows = await sql<{ t: string }>`SELECT t::text AS t FROM ${sql.table(table)} t`.execute(t.database.db);
      const dump = rows.rows.map((r) => r.t).join('\n');
      for (const v of IDS) {
        expect(dump.includes(v), `${table} holds ${v.slice(0, 6)}…`).toBe(false);
        expect(dump.includes(hex(v)), `${table} holds ${v.slice(0, 6)}… as bytes`).toBe(false);
      }
    }
  });

  it('templates carry the Chinese headers', async () => {
    const r = await t.as(station, { method: 'GET', url: '/api/imports/templates/houses' });
    expect(r.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const header = wb.worksheets[0]?.getRow(1).values as string[];
    expect(header.slice(1, 4)).toEqual(['楼栋', '街路巷', '门牌号']);
  });

  it('houses, organisations and facilities import from UTF-8 CSV and re-import unchanged', async () => {
    const houses = Buffer.from(
      '\ufeff街路巷,门牌号,楼栋,单元,楼层,室号,房屋用途,建筑面积（㎡）,网格编码\n' +
        '趵突泉南路,1号,1号楼,1,1,101,出租屋,88.5,3701180010000100201\n' +
        '趵突泉南路,1号,1号楼,1,1,101,自住,88.5,3701180010000100201\n' +
        '趵突泉南路,1号,1号楼,1,1,102,宿舍,70,3701180010000100201\n',
    );
    const h = await upload(station, 'houses', houses, 'h.csv', 'keep_valid');
    expect(h).toMatchObject({ status: 'succeeded', encoding: 'UTF-8', inserted: 1, rejected: 2 });
    const hr = await rejections(h.id);
    expect(hr.map((r) => [r.row, r.column, r.reason])).toEqual([
      [3, '地址', '与第 2 行重复'],
      [4, '房屋用途', expect.stringContaining('“宿舍”不是有效的房屋用途')],
    ]);
    expect((await upload(station, 'houses', houses, 'h.csv', 'keep_valid')).unchanged).toBe(1);

    const orgs = Buffer.from(
      '单位名称,单位类型,统一社会信用代码,联系电话,网格编码\n泉城书店,企业,91370102MA3C4XYZ1A,0531-88886666,3701180010000100201\n好运面馆,个体工商户,,,3701180010000100301\n',
    );
    const o = await upload(station, 'organisations', orgs, 'o.csv', 'keep_valid');
    expect(o.rejected).toBe(1);
    expect((await rejections(o.id))[0]).toMatchObject({ row: 2, column: '统一社会信用代码' });
    expect(o.inserted).toBe(1);
    expect((await upload(station, 'organisations', orgs, 'o.csv', 'keep_valid')).unchanged).toBe(1);

    const fac = Buffer.from(
      '部件类型,名称,部件编码,状态,网格编码\n消防栓,趵突泉南路消防栓,XF-001,完好,3701180010000100201\n井盖,井盖1,JG-001,坏了,3701180010000100201\n',
    );
    const f = await upload(station, 'facilities', fac, 'f.csv', 'keep_valid');
    expect(f).toMatchObject({ inserted: 1, rejected: 1 });
    const f2 = await upload(station, 'facilities', Buffer.from(fac.toString().replace('完好', '破损')), 'f.csv', 'keep_valid');
    expect(f2).toMatchObject({ updated: 1, inserted: 0 });
  });

  it('exports are masked by default, unmasked only with the permission and a reason, and audited', async () => {
    const r = await t.as(station, { method: 'GET', url: '/api/exports/persons' });
    expect(r.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const cells = wb.worksheets[0]?.getSheetValues().flat().map(String) ?? [];
    expect(cells).toContain('3701**********0063');
    expect(cells.join()).not.toContain('370102199209090063');
    expect((await t.as(station, { method: 'GET', url: '/api/exports/persons?unmasked=true&reason=x' })).statusCode).toBe(403);

    const district = await t.login('qu_zhongxin');
    const noReason = await t.as(district, { method: 'GET', url: '/api/exports/persons?unmasked=true' });
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');
    const clear = await t.as(district, { method: 'GET', url: `/api/exports/persons?unmasked=true&reason=${encodeURIComponent('公安核查')}` });
    expect(clear.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(clear.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]?.getSheetValues().flat().map(String)).toContain('370102199209090063');
    const a = await sql<{ details: { unmasked: boolean; reason?: string; rows: number } }>`
      SELECT details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1`.execute(t.database.db);
    expect(a.rows[0]?.details).toMatchObject({ unmasked: true, reason: '公安核查' });
    expect(a.rows[0]?.details.rows).toBeGreaterThanOrEqual(5);
  });

  it('cross-check reports matched, missing on either side and differing fields, masked', async () => {
    const list = Buffer.from(
      '身份证号,姓名,联系电话\n370102198001010015,张伟,13812345678\n370102198505050029,李丽,\n110101199001010015,外来人,\n370102199209090063,陈静,13700000000\n',
    );
    const r = await t.as(station, {
      method: 'POST',
      url: `/api/crosscheck/persons?source=${encodeURIComponent('公安人口库')}&fileName=list.csv`,
      payload: list,
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json();
    expect(rep).toMatchObject({
      source: '公安人口库',
      rowsRead: 4,
      matched: 3,
      missingHere: [{ row: 4, name: '外来人', idNumberMasked: '1101**********0015' }],
    });
    expect(rep.differing).toEqual([
      expect.objectContaining({ row: 3, diffs: [{ field: '姓名', here: '李娜', there: '李丽' }] }),
      expect.objectContaining({ row: 5, diffs: [{ field: '联系方式', here: '139****1111', there: '137****0000' }] }),
    ]);
    const there = rep.missingThere.map((x: { idNumberMasked: string }) => x.idNumberMasked);
    expect(there).toEqual(expect.arrayContaining(['3701**********0073', '3701**********008X']));
    expect(JSON.stringify(rep)).not.toContain('370102198808080073');
  });
});
