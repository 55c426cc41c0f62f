import type { Readable } from 'node:stream';

/** Where an attachment's bytes are kept; the attachment row records it (`storage`) beside `storage_key`. */
export type BlobBackend = 'disk' | 's3';

/** Thrown by `get` for a key the store does not hold. */
export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob not found: ${key}`);
  }
}

/**
 * The bytes of attachments, by key (`<yyyy>/<mm>/<uuid>`). Callers check type and size before `putFile`, so a
 * store only ever receives a finished, accepted file; nothing is written under the key until then.
 */
export interface BlobStore {
  readonly backend: BlobBackend;
  /**
   * Stores the local file `file` under `key`. The store may move the file away (the disk store renames it);
   * the caller removes whatever is left at `file` afterwards.
   */
  putFile(key: string, file: string, meta: { contentType: string; size: number }): Promise<void>;
  /** The stored bytes; BlobNotFoundError when the key is unknown (checked before the stream is handed out). */
  get(key: string): Promise<Readable>;
  /** Removes the key; a key already gone is not an error. */
  delete(key: string): Promise<void>;
  /** The stored size, or null when the key is unknown. */
  head(key: string): Promise<{ size: number } | null>;
  /** Resolves when the store can take files now (the disk directory is writable, the bucket answers); else throws why. */
  check(): Promise<void>;
}

/** `<yyyy>/<mm>/<id>` in UTC: a month's files stay together (listing, backups, lifecycle rules). */
export const blobKey = (id: string, at: Date) => `${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
