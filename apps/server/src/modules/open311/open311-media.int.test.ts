import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { files } from '../intake/intake.fixtures.js';

const IN_GRID = { lat: 36.65816, long: 117.00136 }; // 趵突泉第一网格's service station
const HTML = Buffer.from('<!doctype html><html><body>not a photo</body></html>');

/** Open311 media_url: fetched from a local HTTP server and stored as the case's photo; a failure keeps the report. */
describe('Open311 media_url', () => {
  let t: TestApp;
  let admin: TestSession;
  let key: string;
  let http: Server;
  let base: string;
  const stalls: (() => void)[] = [];

  beforeAll(async () => {
    http = createServer((req, res) => {
      if (req.url === '/photo.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(files.jpeg);
      if (req.url === '/moved') return res.writeHead(302, { location: '/photo.jpg' }).end();
      if (req.url === '/page.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
      // Declared as a picture, 20 KB with no length header (chunked): the limit is found while reading.
      if (req.url === '/big.jpg') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(files.jpeg.subarray(0, 4));
        return res.end(Buffer.alloc(20 * 1024, 1));
      }
      // Starts a picture and never finishes it.
      if (req.url === '/stalls.jpg') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(files.jpeg.subarray(0, 10));
        stalls.push(() => res.destroy());
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    t = await createTestApp({
      // The test's server is on loopback, which production refuses by default.
      OPEN311_MEDIA_PRIVATE_HOSTS: 'true',
      OPEN311_MEDIA_FETCH_TIMEOUT_S: '1',
      ATTACHMENT_PHOTO_MAX_MB: String(10 / 1024),
    });
    admin = await t.login('admin');
    const regionId = (await regionByCode(t.database.db, '370118')).id;
    const r = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'open311 media', permissions: ['case.report'], regionIds: [regionId] },
    });
    expect(r.statusCode).toBe(201);
    key = r.json().token as string;
  });
  afterAll(async () => {
    for (const s of stalls) s();
    await t?.close();
    await new Promise((r) => http.close(r));
  });

  const submit = async (mediaUrl: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: { api_key: key, service_code: '0301', ...IN_GRID, description: '垃圾桶满溢', media_url: mediaUrl },
    });
    expect(r.statusCode, r.body).toBe(201);
    const [created] = r.json() as { service_request_id: string; service_notice: string }[];
    const db = t.database.db;
    const c = await db
      .selectFrom('event_case')
      .select(['id', 'case_no'])
      .where('case_no', '=', created?.service_request_id as string)
      .executeTakeFirstOrThrow();
    const photos = await db
      .selectFrom('event_case_attachment')
      .select(['id', 'kind', 'mime', 'sha256', 'size_bytes', 'purpose'])
      .where('case_id', '=', c.id)
      .execute();
    const extra = await db.selectFrom('open311_request').select(['media_url', 'media_error']).where('case_id', '=', c.id).executeTakeFirstOrThrow();
    const notes = await db
      .selectFrom('event_case_action')
      .select(['action', 'actor_role', 'note'])
      .where('case_id', '=', c.id)
      .where('action', '=', 'note')
      .execute();
    const pub = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${c.case_no}.json` });
    const [req] = pub.json() as { media_url: string; extended_attributes: { media_error: string | null; lifecycle: { action: string }[] } }[];
    if (!req) throw new Error('the request is not readable back');
    return { notice: created?.service_notice as string, caseId: c.id, photos, extra, notes, pub: req };
  };

  it('stores the picture as the case photo (redirects followed): the same bytes, typed by its content', async () => {
    for (const url of [`${base}/photo.jpg`, `${base}/moved`]) {
      const r = await submit(url);
      expect(r.photos).toEqual([
        {
          id: expect.any(String),
          kind: 'photo',
          mime: 'image/jpeg',
          sha256: createHash('sha256').update(files.jpeg).digest('hex'),
          size_bytes: files.jpeg.length,
          purpose: 'report',
        },
      ]);
      expect(r.extra).toEqual({ media_url: url, media_error: null });
      expect(r.notes).toEqual([]);
      expect(r.notice).not.toContain('未能获取');
      expect(r.pub.media_url).toBe(url);
      expect(r.pub.extended_attributes.media_error).toBeNull();
      const got = await t.as(admin, { method: 'GET', url: `/api/attachments/${r.photos[0]?.id}` });
      expect(got.rawPayload.equals(files.jpeg)).toBe(true);
    }
  });

  it('keeps the report when the picture cannot be had (404, HTML, too large, too slow), noting why', async () => {
    const cases = [
      ['/missing.jpg', 'HTTP 404'],
      ['/page.html', '不是 JPEG、PNG 或 WebP 图片'],
      ['/big.jpg', '图片超过大小限制'],
      ['/stalls.jpg', '获取超时'],
    ] as const;
    for (const [p, why] of cases) {
      const r = await submit(`${base}${p}`);
      expect(r.photos, p).toEqual([]);
      expect(r.extra.media_error, p).toContain(why);
      expect(r.notice, p).toMatch(new RegExp(`附件图片未能获取（[^）]*${why}`));
      // For the staff: a system note on the timeline; the public lifecycle leaves notes out.
      expect(r.notes, p).toEqual([{ action: 'note', actor_role: 'system', note: expect.stringContaining(why) }]);
      expect(r.pub.extended_attributes.media_error, p).toContain(why);
      expect(r.pub.extended_attributes.lifecycle.map((s) => s.action)).toEqual(['report']);
    }
    // Nothing was kept of the refused downloads.
    const unlinked = await t.database.db.selectFrom('event_case_attachment').select('id').where('case_id', 'is', null).execute();
    expect(unlinked).toEqual([]);
  });
});
