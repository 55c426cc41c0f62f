import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { loadConfig } from '../../config.js';
import { type CaseFixtures, caseFixtures, newCase } from '../cases/cases.fixtures.js';
import { createAttachmentsRepository } from './attachments.repository.js';
import { createUnlinkedCleanup } from './attachments-cleanup.js';
import { createBlobStores } from './blob-stores.js';
import { upload } from './intake.fixtures.js';

// A 1×1 PNG (embeddable in the archive).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const BUCKET = 'gridgov-test';

/**
 * ATTACHMENT_STORAGE=s3 against a real S3-compatible server on loopback: s3rver, started here on a free port
 * (a pure-JS S3 implementation: no service to install, nothing leaves the machine).
 */
describe('attachments in an S3-compatible bucket', () => {
  let s3dir: string;
  let server: S3rver;
  let s3: S3Client;
  let t: TestApp;
  let fx: CaseFixtures;
  let worker: TestSession;
  let center: TestSession;
  let env: Record<string, string>;
  /** The server's stores, made the way app.ts makes them (for the cleanup and for removing an object behind its back). */
  const stores = () => createBlobStores(loadConfig({ GRIDGOV_PROFILE: 'test', DATA_DIR: t.dataDir, ...env }));

  beforeAll(async () => {
    s3dir = mkdtempSync(path.join(tmpdir(), 'gridgov-s3-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    env = {
      ATTACHMENT_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      // Photos above 10 KB are refused here.
      ATTACHMENT_PHOTO_MAX_MB: String(10 / 1024),
    };
    t = await createTestApp(env);
    fx = await caseFixtures(t.database.db);
    worker = await t.login('wgy_baotuquan');
    center = await t.login('jd_quancheng');
  });
  afterAll(async () => {
    await t?.close();
    s3?.destroy();
    await server?.close();
    rmSync(s3dir, { recursive: true, force: true });
  });

  const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key as string).sort();
  const put = (name: string, data: Uint8Array) => {
    const u = upload(name, data);
    return t.as(worker, { method: 'POST', url: '/api/attachments', payload: u.payload, headers: u.headers });
  };
  /** Files the server left under DATA_DIR/uploads (temp files included): none with S3 storage. */
  const localFiles = () => {
    const out: string[] = [];
    const walk = (d: string) => {
      let entries: import('node:fs').Dirent[] = [];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) e.isDirectory() ? walk(path.join(d, e.name)) : out.push(path.join(d, e.name));
    };
    walk(path.join(t.dataDir, 'uploads'));
    return out;
  };

  it('stores the upload in the bucket, serves the same bytes back and embeds the photo in the archive', async () => {
    const res = await put('site.png', PNG);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;

    const row = await t.database.db.selectFrom('event_case_attachment').select(['storage', 'storage_key']).where('id', '=', id).executeTakeFirstOrThrow();
    const now = new Date();
    expect(row).toEqual({ storage: 's3', storage_key: `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}` });
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: row.storage_key }));
    expect(obj.ContentType).toBe('image/png');
    expect(Buffer.from(await (obj.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(PNG)).toBe(true);
    expect(localFiles()).toEqual([]);

    const got = await t.as(worker, { method: 'GET', url: `/api/attachments/${id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG)).toBe(true);

    const created = await newCase(fx, { category: '0207', reporter: 'wgy_baotuquan', over: { attachmentIds: [id] } });
    const doc = await t.as(center, { method: 'GET', url: `/api/cases/${created.case.id}/archive.docx` });
    expect(doc.statusCode, doc.body.slice(0, 200)).toBe(200);
    const files = unzipSync(new Uint8Array(doc.rawPayload));
    const media = Object.keys(files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(Buffer.from(files[media[0] as string] as Uint8Array).equals(PNG)).toBe(true);
    // The case's staff read it too (through the case's access rule).
    expect((await t.as(center, { method: 'GET', url: `/api/attachments/${id}` })).rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses a file of another type or over the limit, leaving nothing in the bucket or on disk', async () => {
    const before = await keys();
    const exe = await put('photo.jpg', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('ATTACHMENT_TYPE');
    const big = await put('big.png', Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(20 * 1024, 1)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(await keys()).toEqual(before);
    expect(localFiles()).toEqual([]);
  });

  it('a missing object is NOT_FOUND, not a broken stream', async () => {
    const res = await put('gone.png', PNG);
    const id = res.json().id as string;
    const row = await t.database.db.selectFrom('event_case_attachment').select(['storage_key']).where('id', '=', id).executeTakeFirstOrThrow();
    await stores().write.delete(row.storage_key);
    const got = await t.as(worker, { method: 'GET', url: `/api/attachments/${id}` });
    expect(got.statusCode).toBe(404);
  });

  it('the cleanup deletes uploads left unlinked past the age, row and object; linked and recent ones stay', async () => {
    const db = t.database.db;
    const old = (await put('old.png', PNG)).json().id as string;
    const recent = (await put('recent.png', PNG)).json().id as string;
    const linked = (await put('linked.png', PNG)).json().id as string;
    await newCase(fx, { category: '0207', reporter: 'wgy_baotuquan', over: { attachmentIds: [linked] } });
    await sql`UPDATE event_case_attachment SET created_at = now() - interval '25 hours' WHERE id IN (${old}, ${linked})`.execute(db);
    const keyOf = async (id: string) =>
      (await db.selectFrom('event_case_attachment').select('storage_key').where('id', '=', id).executeTakeFirst())?.storage_key;
    const oldKey = (await keyOf(old)) as string;
    expect(await keys()).toContain(oldKey);

    const cleanup = createUnlinkedCleanup({ repo: createAttachmentsRepository(db), stores: stores(), dataDir: t.dataDir });
    const r = await cleanup.run(24 * 3_600_000);
    expect(r.orphans).toEqual([]);
    expect(r.removed).toBeGreaterThanOrEqual(1);
    expect(await keyOf(old)).toBeUndefined();
    expect(await keys()).not.toContain(oldKey);
    expect(await keyOf(recent)).toBeDefined();
    expect(await keyOf(linked)).toBeDefined();
    expect(await keys()).toContain(await keyOf(linked));
  });

  it('/api/health says the bucket answers; a store with a missing bucket or wrong keys says why it cannot store', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json().storage).toEqual({ backend: 's3', ok: true });

    const wrongBucket = createBlobStores(loadConfig({ GRIDGOV_PROFILE: 'test', DATA_DIR: t.dataDir, ...env, S3_BUCKET: 'no-such-bucket' }));
    const a = await wrongBucket.writeStatus();
    expect(a).toMatchObject({ backend: 's3', ok: false });
    expect(a.error).toMatch(/404|NotFound|NoSuchBucket/);

    const unreachable = createBlobStores(loadConfig({ GRIDGOV_PROFILE: 'test', DATA_DIR: t.dataDir, ...env, S3_ENDPOINT: 'http://127.0.0.1:9' }));
    const b = await unreachable.writeStatus();
    expect(b).toMatchObject({ backend: 's3', ok: false });
    expect(b.error).toBeTruthy();
    // Checked at most every 30 s: the same answer again without asking the server.
    expect(await unreachable.writeStatus()).toBe(b);
  });
});
