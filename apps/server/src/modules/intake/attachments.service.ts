import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AttachmentInfo, AttachmentKind, AttachmentPurpose } from '@gridgov/contracts/intake';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { SNIFF_BYTES, sniffAttachment } from './attachment-type.js';
import type { AttachmentRow, AttachmentsRepository } from './attachments.repository.js';
import { BlobNotFoundError, blobKey } from './blob-store.js';
import type { BlobStores } from './blob-stores.js';

export interface AttachmentsServiceDeps {
  repo: AttachmentsRepository;
  /** Where the bytes go (ATTACHMENT_STORAGE) and where each row's bytes are read from. */
  stores: BlobStores;
  /** DATA_DIR: an upload is received into DATA_DIR/uploads/tmp before it is checked and stored. */
  dataDir: string;
  maxBytes: { photo: number; audio: number; video: number };
  /** The workflow's one access rule for a case (scope, grid staff, departments, reporters of merged reports): NOT_FOUND when hidden. */
  visibleCase: (p: Principal, caseId: string) => Promise<unknown>;
  now?: () => Date;
}

/** The upload's largest possible size (the multipart parser stops reading past it). */
export const uploadCeiling = (maxBytes: AttachmentsServiceDeps['maxBytes']) => Math.max(maxBytes.photo, maxBytes.audio, maxBytes.video);

const kindZh = { photo: '照片', audio: '音频', video: '视频' } as const;
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
export const say = (p: Pick<Principal, 'locale'>, zh: string, en: string) => (p.locale === 'en' ? en : zh);

const CASE_PERMISSIONS = ['case.report', 'case.read', 'case.handle', 'case.dispatch'] as const;

export const toAttachmentInfo = (r: AttachmentRow): AttachmentInfo => ({
  id: r.id,
  kind: r.kind,
  mime: r.mime,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  originalName: r.original_name,
  caseId: r.case_id,
  createdAt: r.created_at.toISOString(),
});

/** An incoming file: its bytes, the name it came with, and whether the reader stopped at the size ceiling. */
export interface IncomingFile {
  stream: Readable;
  filename: string | undefined;
  truncated: () => boolean;
  purpose?: AttachmentPurpose;
}

/**
 * Photos, audio and video of reports and actions. A file is received into a temp file under DATA_DIR/uploads/tmp
 * while its hash and first bytes are taken; the type comes from those bytes and the size limit is the type's.
 * Only an accepted file goes to the blob store (disk or S3: blob-stores.ts), then the row is written; a failed
 * insert deletes the blob again. The row is the index, with case_id null until a report or action of the
 * uploader links it; the cleanup job deletes uploads left unlinked (attachments-cleanup.ts).
 */
export function createAttachmentsService({ repo, stores, dataDir, maxBytes, visibleCase, now = () => new Date() }: AttachmentsServiceDeps) {
  const tmpDir = path.join(dataDir, 'uploads', 'tmp');

  /** Receive, check, store, index. `kinds` narrows what is taken (Open311 media_url: photos only). */
  async function ingest(
    p: Pick<Principal, 'userId' | 'locale'>,
    file: IncomingFile,
    kinds: readonly AttachmentKind[] = ['photo', 'audio', 'video'],
  ): Promise<AttachmentRow> {
    const id = randomUUID();
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, id);
    const hash = createHash('sha256');
    let size = 0;
    const head: Buffer[] = [];
    let headLen = 0;
    const out = createWriteStream(tmp);
    try {
      for await (const chunk of file.stream) {
        const b = chunk as Buffer;
        size += b.length;
        hash.update(b);
        if (headLen < SNIFF_BYTES) {
          head.push(b);
          headLen += b.length;
        }
        if (!out.write(b)) await new Promise((res) => out.once('drain', res));
      }
      await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
      const type = sniffAttachment(Buffer.concat(head).subarray(0, SNIFF_BYTES));
      if (!type || size === 0 || !kinds.includes(type.kind)) throw new AppError('ATTACHMENT_TYPE', { details: { size } });
      const limit = maxBytes[type.kind];
      if (file.truncated() || size > limit) {
        throw new AppError('ATTACHMENT_TOO_LARGE', {
          details: { kind: type.kind, limitBytes: limit },
          message: say(p, `${kindZh[type.kind]}超过大小限制（最大 ${mb(limit)} MB）`, `The ${type.kind} is larger than ${mb(limit)} MB`),
        });
      }
      const store = stores.write;
      const key = blobKey(id, now());
      await store.putFile(key, tmp, { contentType: type.mime, size });
      try {
        return await repo.insert({
          id,
          kind: type.kind,
          mime: type.mime,
          size_bytes: size,
          sha256: hash.digest('hex'),
          storage: store.backend,
          storage_key: key,
          original_name: file.filename ? file.filename.slice(0, 200) : null,
          uploaded_by: p.userId,
          purpose: file.purpose ?? 'report',
        });
      } catch (err) {
        await store.delete(key);
        throw err;
      }
    } finally {
      out.destroy();
      await rm(tmp, { force: true });
    }
  }

  return {
    async upload(p: Principal, file: IncomingFile): Promise<AttachmentInfo> {
      if (!CASE_PERMISSIONS.some((perm) => p.permissions.has(perm))) throw new AppError('FORBIDDEN');
      return toAttachmentInfo(await ingest(p, file));
    },

    /** A photo from elsewhere (Open311 media_url), unlinked, uploaded by `userId`: the same checks as an upload. */
    async ingestPhoto(userId: string, file: IncomingFile): Promise<AttachmentRow> {
      return ingest({ userId, locale: 'zh-CN' }, file, ['photo']);
    },

    /** The file, for whoever may view its case (or its uploader while it is unlinked); others get NOT_FOUND. */
    async open(p: Principal, id: string): Promise<{ info: AttachmentInfo; stream: Readable }> {
      const row = await repo.byId(id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.uploaded_by !== p.userId) {
        if (!row.case_id) throw new AppError('NOT_FOUND');
        // Throws NOT_FOUND for whoever may not see the case.
        await visibleCase(p, row.case_id);
      }
      try {
        return { info: toAttachmentInfo(row), stream: await stores.of(row.storage).get(row.storage_key) };
      } catch (err) {
        if (err instanceof BlobNotFoundError) throw new AppError('NOT_FOUND');
        throw err;
      }
    },
  };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;
