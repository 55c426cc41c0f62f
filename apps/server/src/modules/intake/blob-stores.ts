import type { Config } from '../../config.js';
import { createDiskBlobStore } from './blob-store.disk.js';
import type { BlobStore } from './blob-store.js';
import { createS3BlobStore } from './blob-store.s3.js';

/** The store new uploads go to, and every configured store by backend (a row is read where it was written). */
export interface BlobStores {
  write: BlobStore;
  of(backend: string): BlobStore;
}

/**
 * The attachment stores of this installation, made once at start: disk always (files written before a switch to
 * S3 stay readable), S3 when configured; `write` is ATTACHMENT_STORAGE's.
 */
export function createBlobStores(config: Pick<Config, 'dataDir' | 'storage'>): BlobStores {
  const disk = createDiskBlobStore(config.dataDir);
  const s3 = config.storage.s3 ? createS3BlobStore(config.storage.s3) : null;
  const write = config.storage.backend === 's3' ? s3 : disk;
  // loadConfig refuses ATTACHMENT_STORAGE=s3 without the S3 settings; this guards a hand-made Config.
  if (!write) throw new Error('ATTACHMENT_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  return {
    write,
    of(backend) {
      if (backend === 'disk') return disk;
      if (backend === 's3' && s3) return s3;
      throw new Error(`attachment storage "${backend}" is not configured (a file stored there cannot be read: set the S3_* settings)`);
    },
  };
}
