import { constants } from 'node:fs';
import { access, copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStore } from './blob-store.js';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Attachments as files under DATA_DIR/uploads/<key> (the default). */
export function createDiskBlobStore(dataDir: string): BlobStore {
  const root = path.join(dataDir, 'uploads');
  const fileOf = (key: string) => {
    // Keys are made by the server (<yyyy>/<mm>/<uuid>); refuse anything that could leave the root all the same.
    if (!/^[\w-]+(\/[\w-]+)*$/.test(key)) throw new Error(`invalid blob key: ${key}`);
    return path.join(root, ...key.split('/'));
  };

  return {
    backend: 'disk',
    async putFile(key, file) {
      const target = fileOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        // The upload's temp file sits under the same root: a rename, no copy.
        await rename(file, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        await copyFile(file, target);
      }
    },
    async get(key) {
      // Opened before the stream is handed out, so a missing file is an error here, not after headers went out.
      const fh = await open(fileOf(key), 'r').catch((err) => {
        throw isMissing(err) ? new BlobNotFoundError(key) : err;
      });
      return fh.createReadStream() as unknown as Readable;
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    async check() {
      await mkdir(root, { recursive: true });
      await access(root, constants.W_OK);
    },
    async head(key) {
      try {
        return { size: (await stat(fileOf(key))).size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
  };
}
