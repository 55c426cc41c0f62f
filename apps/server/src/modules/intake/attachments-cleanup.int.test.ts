import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startAttachmentCleanupJob } from '../../jobs/attachment-cleanup.job.js';
import { type CaseFixtures, caseFixtures, newCase } from '../cases/cases.fixtures.js';
import { createAttachmentsRepository } from './attachments.repository.js';
import { createUnlinkedCleanup } from './attachments-cleanup.js';
import { createBlobStores } from './blob-stores.js';
import { files, upload } from './intake.fixtures.js';

const DAY = 24 * 3_600_000;

describe('cleanup of unlinked uploads (disk storage)', () => {
  let t: TestApp;
  let fx: CaseFixtures;
  let worker: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await caseFixtures(t.database.db);
    worker = await t.login('wgy_baotuquan');
  });
  afterAll(() => t.close());

  const put = async () => {
    const u = upload('x.jpg', files.jpeg);
    const r = await t.as(worker, { method: 'POST', url: '/api/attachments', payload: u.payload, headers: u.headers });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const rowOf = (id: string) => t.database.db.selectFrom('event_case_attachment').select(['storage', 'storage_key']).where('id', '=', id).executeTakeFirst();
  const fileOf = (key: string) => path.join(t.dataDir, 'uploads', ...key.split('/'));
  const age = (ids: string[], hours: number) =>
    sql`UPDATE event_case_attachment SET created_at = now() - make_interval(hours => ${hours}) WHERE id = ANY(${ids}::uuid[])`.execute(t.database.db);
  const cleanup = () =>
    createUnlinkedCleanup({
      repo: createAttachmentsRepository(t.database.db),
      stores: createBlobStores({ dataDir: t.dataDir, storage: { backend: 'disk', s3: null, unlinkedMaxAgeMs: DAY } }),
      dataDir: t.dataDir,
    });

  it('two processes cleaning at once delete each stale upload once (row and file); linked and recent uploads stay', async () => {
    const stale = [await put(), await put(), await put(), await put(), await put()];
    const recent = await put();
    const linked = await put();
    await newCase(fx, { category: '0207', reporter: 'wgy_baotuquan', over: { attachmentIds: [linked] } });
    await age([...stale, linked], 25);
    await age([recent], 23);
    const staleFiles = await Promise.all(stale.map(async (id) => fileOf((await rowOf(id))?.storage_key as string)));
    for (const f of staleFiles) expect(existsSync(f)).toBe(true);

    // Two cleaners (as two server processes would), small batches so they meet on the same rows.
    const [a, b] = await Promise.all([cleanup().run(DAY, 2), cleanup().run(DAY, 2)]);
    expect((a?.removed ?? 0) + (b?.removed ?? 0)).toBe(stale.length);
    expect([...(a?.orphans ?? []), ...(b?.orphans ?? [])]).toEqual([]);
    for (const id of stale) expect(await rowOf(id)).toBeUndefined();
    for (const f of staleFiles) expect(existsSync(f)).toBe(false);
    for (const id of [recent, linked]) expect(existsSync(fileOf((await rowOf(id))?.storage_key as string))).toBe(true);

    // Gone for its uploader too.
    const gone = await t.as(worker, { method: 'GET', url: `/api/attachments/${stale[0]}` });
    expect(gone.statusCode).toBe(404);
  });

  it('the job removes temp files of uploads interrupted that long ago, and a run with nothing to do is quiet', async () => {
    const tmp = path.join(t.dataDir, 'uploads', 'tmp');
    mkdirSync(tmp, { recursive: true });
    const old = path.join(tmp, 'interrupted-old');
    const fresh = path.join(tmp, 'in-progress');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'x');
    const then = new Date(Date.now() - 2 * DAY);
    utimesSync(old, then, then);
    const logged: unknown[] = [];
    const log = { info: (o: unknown) => logged.push(o), warn: (o: unknown) => logged.push(o), error: (o: unknown) => logged.push(o) };
    const job = startAttachmentCleanupJob({ cleanup: cleanup(), maxAgeMs: DAY, log: log as never, intervalMs: 3_600_000 });
    await job.run();
    await job.stop();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(logged).toEqual([{ removed: 0, tmpRemoved: 1 }]);
  });
});
