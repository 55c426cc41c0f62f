import type { Config } from '../../config.js';
import { createDiskBlobStore } from './blob-store.disk.js';
import type { BlobStore } from './blob-store.js';
import { createS3BlobStore } from './blob-store.s3.js';

/** The store new uploads go to, and every configured store by backend (a row is read where it was written). */
export interface BlobStores {
  write: BlobStore;
  of(backend: string): BlobStore;
  /** Whether new uploads can be stored now, checked at most every 30 s (for /api/health and the start-up log). */
  writeStatus(): Promise<StorageStatus>;
}

export interface StorageStatus {
  backend: BlobStore['backend'];
  ok: boolean;
  /** Why not (not shown on the public health answer: it may name hosts and buckets). */
  error?: string;
}

const STATUS_TTL_MS = 30_000;
const CHECK_TIMEOUT_MS = 5_000;

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
  let status: { at: number; value: Promise<StorageStatus> } | null = null;
  const probe = async (store: BlobStore): Promise<StorageStatus> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
        }),
      ]);
      return { backend: store.backend, ok: true };
    } catch (err) {
      const e = err as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
      const http = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
      return { backend: store.backend, ok: false, error: `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message || 'unknown error'}${http}` };
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    write,
    writeStatus() {
      const now = Date.now();
      if (!status || now - status.at > STATUS_TTL_MS) status = { at: now, value: probe(write) };
      return status.value;
    },
    of(backend) {
      if (backend === 'disk') return disk;
      if (backend === 's3' && s3) return s3;
      throw new Error(`attachment storage "${backend}" is not configured (a file stored there cannot be read: set the S3_* settings)`);
    },
  };
}
