import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import type { Principal } from '../../http/principal.js';
import type { AttachmentsRepository } from './attachments.repository.js';
import { createAttachmentsService } from './attachments.service.js';
import type { BlobStore } from './blob-store.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]);
const p = { userId: 'u1', locale: 'zh-CN', permissions: new Set(['case.report']) } as unknown as Principal;

/** A store that records what it was asked to do. */
function recordingStore(failPut = false) {
  const calls: string[] = [];
  const store: BlobStore = {
    backend: 's3',
    async putFile(key) {
      calls.push(`put ${key}`);
      if (failPut) throw new Error('bucket unreachable');
    },
    async get() {
      throw new Error('not used');
    },
    async delete(key) {
      calls.push(`delete ${key}`);
    },
    async head() {
      return null;
    },
    async check() {},
  };
  return { store, calls };
}

describe('attachments service: nothing half-written', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const setup = (opts: { failInsert?: boolean; failPut?: boolean }) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gridgov-att-'));
    dirs.push(dataDir);
    const { store, calls } = recordingStore(opts.failPut);
    const inserted: string[] = [];
    const repo = {
      async insert(a: { id: string }) {
        if (opts.failInsert) throw new Error('insert failed');
        inserted.push(a.id);
        return { ...a, case_id: null, created_at: new Date() };
      },
    } as unknown as AttachmentsRepository;
    const svc = createAttachmentsService({
      repo,
      stores: { write: store, of: () => store, writeStatus: async () => ({ backend: 's3', ok: true }) },
      dataDir,
      maxBytes: { photo: 1000, audio: 1000, video: 1000 },
      visibleCase: async () => undefined,
    });
    const file = (data: Buffer) => ({ stream: Readable.from([data]), filename: 'x.jpg', truncated: () => false });
    const tmpFiles = () => readdirSync(path.join(dataDir, 'uploads', 'tmp'));
    return { svc, calls, inserted, file, tmpFiles };
  };

  it('deletes the blob again when the row cannot be written', async () => {
    const s = setup({ failInsert: true });
    await expect(s.svc.upload(p, s.file(JPEG))).rejects.toThrow('insert failed');
    expect(s.calls).toHaveLength(2);
    expect(s.calls[0]?.replace(/^put /, 'delete ')).toBe(s.calls[1]);
    expect(s.tmpFiles()).toEqual([]);
  });

  it('writes no row when the store fails, and leaves no temp file', async () => {
    const s = setup({ failPut: true });
    await expect(s.svc.upload(p, s.file(JPEG))).rejects.toThrow('bucket unreachable');
    expect(s.inserted).toEqual([]);
    expect(s.tmpFiles()).toEqual([]);
  });

  it('never hands a refused file to the store', async () => {
    const s = setup({});
    await expect(s.svc.upload(p, s.file(Buffer.from('not a picture at all')))).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE' });
    await expect(s.svc.upload(p, s.file(Buffer.concat([JPEG, Buffer.alloc(2000)])))).rejects.toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    // Open311's media_url takes photos only.
    const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(50)]);
    await expect(s.svc.ingestPhoto('u1', s.file(mp3))).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE' });
    expect(s.calls).toEqual([]);
    expect(s.tmpFiles()).toEqual([]);
    await s.svc.upload(p, s.file(JPEG));
    expect(s.calls).toEqual([expect.stringMatching(/^put \d{4}\/\d{2}\/[0-9a-f-]{36}$/)]);
  });
});

describe('attachment storage settings', () => {
  it('defaults to disk and a 24 h unlinked age', () => {
    const c = loadConfig({ GRIDGOV_PROFILE: 'test' });
    expect(c.storage).toEqual({ backend: 'disk', s3: null, unlinkedMaxAgeMs: 24 * 3_600_000 });
  });

  it('refuses ATTACHMENT_STORAGE=s3 without bucket and keys, and without a region for AWS itself', () => {
    expect(() => loadConfig({ ATTACHMENT_STORAGE: 's3' })).toThrow(ConfigError);
    let message = '';
    try {
      loadConfig({ ATTACHMENT_STORAGE: 's3', S3_BUCKET: 'gridgov-files' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/S3_ACCESS_KEY_ID: required with ATTACHMENT_STORAGE=s3/);
    expect(message).toMatch(/S3_SECRET_ACCESS_KEY/);
    expect(message).toMatch(/S3_REGION: required with ATTACHMENT_STORAGE=s3 when S3_ENDPOINT is not set/);
    const keys = { ATTACHMENT_STORAGE: 's3', S3_BUCKET: 'gridgov-files', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    expect(() => loadConfig(keys)).toThrow(/S3_REGION/);
    expect(loadConfig({ ...keys, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' }).storage.s3).toEqual({
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'gridgov-files',
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: true,
    });
    expect(loadConfig({ ...keys, S3_REGION: 'cn-north-1' }).storage).toMatchObject({ backend: 's3', s3: { endpoint: undefined, region: 'cn-north-1' } });
  });
});
