import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { multipart } from '../gridio/shapefile.fixtures.js';
import { actionZh, imageSize } from './archive.service.js';
import { type CaseFixtures, caseFixtures, newCase } from './cases.fixtures.js';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('case electronic archive (.docx)', () => {
  let t: TestApp;
  let fx: CaseFixtures;
  const s: Record<string, TestSession> = {};

  beforeAll(async () => {
    t = await createTestApp();
    fx = await caseFixtures(t.database.db);
    for (const u of ['sq_baotuquan', 'jd_quancheng', 'bm_chengguan', 'wgy_baotuquan', 'jd_liuyin', 'jumin']) s[u] = await t.login(u);
  });
  afterAll(() => t.close());

  const act = async (who: string, id: string, body: Record<string, unknown>) => {
    const r = await t.as(s[who] as TestSession, { method: 'POST', url: `/api/cases/${id}/actions`, payload: body });
    expect(r.statusCode, `${who} ${body.action}: ${r.body}`).toBe(200);
  };
  const archive = (who: string | null, id: string) => t.as(who ? (s[who] as TestSession) : null, { method: 'GET', url: `/api/cases/${id}/archive.docx` });
  const unzip = (body: Buffer) => unzipSync(new Uint8Array(body));

  it('exports the whole record: particulars, every timeline step, the photo embedded, ratings and indicator flags', async () => {
    const up = multipart({}, { name: 'photo.png', data: PNG });
    const u = await t.as(s.wgy_baotuquan as TestSession, { method: 'POST', url: '/api/attachments', payload: up.payload, headers: up.headers });
    expect(u.statusCode, u.body).toBe(201);
    const created = await newCase(fx, { category: '0207', reporter: 'wgy_baotuquan', over: { attachmentIds: [u.json().id] } });
    const id = created.case.id;
    await act('sq_baotuquan', id, { action: 'accept' });
    await act('sq_baotuquan', id, { action: 'file' });
    await act('jd_quancheng', id, { action: 'dispatch' });
    await act('bm_chengguan', id, { action: 'claim' });
    await act('bm_chengguan', id, { action: 'feedback', note: '已更换灯泡' });
    await act('wgy_baotuquan', id, { action: 'verify_fail', note: '现场仍不亮' });
    await act('bm_chengguan', id, { action: 'feedback', note: '已更换线路' });
    await act('wgy_baotuquan', id, { action: 'verify_pass' });
    await act('sq_baotuquan', id, { action: 'close' });
    await act('wgy_baotuquan', id, { action: 'rate', rating: 'satisfied' });

    const r = await archive('jd_quancheng', id);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.headers['content-disposition']).toContain(encodeURIComponent(`案件电子档案-${created.case.case_no}.docx`));
    const files = unzip(r.rawPayload);
    const xml = strFromU8(files['word/document.xml'] as Uint8Array);
    expect(xml).toContain(created.case.case_no);
    const detail = (await t.as(s.jd_quancheng as TestSession, { method: 'GET', url: `/api/cases/${id}` })).json() as {
      timeline: { action: string; note: string | null }[];
      reporterPhone: string;
    };
    expect(detail.timeline.length).toBeGreaterThanOrEqual(11);
    for (const e of detail.timeline) expect(xml, e.action).toContain(actionZh(e.action));
    for (const label of ['上报', '受理', '立案', '派遣', '签收', '处置反馈', '核查不通过（返工）', '核查通过', '结案', '评价']) expect(xml).toContain(label);
    for (const note of ['已更换灯泡', '现场仍不亮', '已更换线路']) expect(xml).toContain(note);
    // Header particulars; the reporter's phone masked, never in clear.
    for (const s of ['路灯损坏', '已结案', '区城市管理局', '139****5678', '返工次数', '按期处置', '满意']) expect(xml).toContain(s);
    expect(xml).not.toContain('13912345678');
    // The photo is embedded.
    const media = Object.keys(files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(Buffer.from(files[media[0] as string] as Uint8Array).equals(PNG)).toBe(true);
    expect(strFromU8(files['word/_rels/document.xml.rels'] as Uint8Array)).toContain('media/');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'actor_name'])
      .where('action', '=', 'export')
      .where('target_id', '=', id)
      .execute();
    expect(audit).toEqual([{ action: 'export', target_id: id, actor_name: 'jd_quancheng' }]);
  });

  it('exports a case without photos (no media), and refuses whoever may not view the case', async () => {
    const { case: c } = await newCase(fx, { category: '0207' });
    const r = await archive('sq_baotuquan', c.id);
    expect(r.statusCode).toBe(200);
    const files = unzip(r.rawPayload);
    expect(Object.keys(files).some((f) => f.startsWith('word/media/'))).toBe(false);
    const xml = strFromU8(files['word/document.xml'] as Uint8Array);
    expect(xml).toContain(c.case_no);
    expect(xml).toContain('本案无照片');
    // The reporter may; another street's center may not (404, no existence leak); nobody without a session.
    expect((await archive('jumin', c.id)).statusCode).toBe(200);
    expect((await archive('jd_liuyin', c.id)).statusCode).toBe(404);
    expect((await archive(null, c.id)).statusCode).toBe(401);
    expect((await archive('sq_baotuquan', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('reads the size of PNG, JPEG and GIF images', () => {
    expect(imageSize(PNG)).toEqual({ type: 'png', width: 1, height: 1 });
    const gif = Buffer.from('R0lGODlhAwACAIAAAP///wAAACwAAAAAAwACAAACAoRRADs=', 'base64');
    expect(imageSize(gif)).toEqual({ type: 'gif', width: 3, height: 2 });
    // SOI, APP0 (length 16), SOF0 with height 5 and width 7.
    const jpg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.alloc(14),
      Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x05, 0x00, 0x07, 0x03]),
      Buffer.alloc(12),
    ]);
    expect(imageSize(jpg)).toEqual({ type: 'jpg', width: 7, height: 5 });
    expect(imageSize(Buffer.from('RIFF0000WEBPVP8 '))).toBeNull();
  });
});
