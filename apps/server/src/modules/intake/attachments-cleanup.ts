import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AttachmentsRepository } from './attachments.repository.js';
import type { BlobStores } from './blob-stores.js';

export interface UnlinkedCleanupResult {
  removed: number;
  /** `<backend>:<key>` of blobs whose delete failed (their rows are gone: nothing points at them any more). */
  orphans: string[];
  /** Temp files of uploads interrupted (a crash mid-upload) at least as long ago. */
  tmpRemoved: number;
}

/**
 * Uploads that no report or action linked within `maxAgeMs` (a report abandoned after its photos went up) are
 * deleted, row and blob. Rows go first, in one DELETE … RETURNING per batch, so with several server processes
 * each row is deleted, and its blob removed, by exactly one of them; a row is never left pointing at a deleted blob.
 */
export function createUnlinkedCleanup(deps: {
  repo: Pick<AttachmentsRepository, 'deleteUnlinkedBefore'>;
  stores: BlobStores;
  dataDir: string;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const tmpDir = path.join(deps.dataDir, 'uploads', 'tmp');

  return {
    async run(maxAgeMs: number, batch = 500): Promise<UnlinkedCleanupResult> {
      const before = new Date(now().getTime() - maxAgeMs);
      const result: UnlinkedCleanupResult = { removed: 0, orphans: [], tmpRemoved: 0 };
      for (;;) {
        const rows = await deps.repo.deleteUnlinkedBefore(before, batch);
        result.removed += rows.length;
        for (const r of rows) {
          try {
            await deps.stores.of(r.storage).delete(r.storage_key);
          } catch {
            result.orphans.push(`${r.storage}:${r.storage_key}`);
          }
        }
        if (rows.length < batch) break;
      }
      for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
        const f = path.join(tmpDir, name);
        const st = await stat(f).catch(() => null);
        if (st?.isFile() && st.mtime < before) {
          await rm(f, { force: true });
          result.tmpRemoved++;
        }
      }
      return result;
    },
  };
}

export type UnlinkedCleanup = ReturnType<typeof createUnlinkedCleanup>;
