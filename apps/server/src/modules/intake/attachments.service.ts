import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AttachmentInfo, AttachmentPurpose } from '@gridgov/contracts/intake';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { SNIFF_BYTES, sniffAttachment } from './attachment-type.js';
import type { AttachmentRow, IntakeRepository } from './intake.repository.js';

export interface AttachmentsServiceDeps {
  repo: IntakeRepository;
  /** DATA_DIR: files go to DATA_DIR/uploads/<yyyy>/<mm>/<uuid>. */
  dataDir: string;
  maxBytes: { photo: number; audio: number; video: number };
  /** The workflow's one access rule for a case (scope, grid staff, departments, reporters of merged reports): NOT_FOUND when hidden. */
  visibleCase: (p: Principal, caseId: string) => Promise<unknown>;
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

/**
 * Photos, audio and video of reports and actions. The type comes from the first bytes; the size limit is
 * the type's. Files sit under DATA_DIR/uploads (S3-compatible storage is not implemented); the row is the
 * index, with case_id null until a report or action of the uploader links it.
 */
export function createAttachmentsService({ repo, dataDir, maxBytes, visibleCase }: AttachmentsServiceDeps) {
  const root = path.join(dataDir, 'uploads');
  const fileOf = (key: string) => path.join(root, ...key.split('/'));

  return {
    async upload(
      p: Principal,
      file: { stream: Readable; filename: string | undefined; truncated: () => boolean; purpose?: AttachmentPurpose },
    ): Promise<AttachmentInfo> {
      if (!CASE_PERMISSIONS.some((perm) => p.permissions.has(perm))) throw new AppError('FORBIDDEN');
      const id = randomUUID();
      const tmpDir = path.join(root, 'tmp');
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
        if (!type || size === 0) throw new AppError('ATTACHMENT_TYPE', { details: { size } });
        const limit = maxBytes[type.kind];
        if (file.truncated() || size > limit) {
          throw new AppError('ATTACHMENT_TOO_LARGE', {
            details: { kind: type.kind, limitBytes: limit },
            message: say(p, `${kindZh[type.kind]}超过大小限制（最大 ${mb(limit)} MB）`, `The ${type.kind} is larger than ${mb(limit)} MB`),
          });
        }
        const now = new Date();
        const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
        await mkdir(path.dirname(fileOf(key)), { recursive: true });
        await rename(tmp, fileOf(key));
        try {
          const row = await repo.insertAttachment({
            id,
            kind: type.kind,
            mime: type.mime,
            size_bytes: size,
            sha256: hash.digest('hex'),
            storage_key: key,
            original_name: file.filename ? file.filename.slice(0, 200) : null,
            uploaded_by: p.userId,
            purpose: file.purpose ?? 'report',
          });
          return toAttachmentInfo(row);
        } catch (err) {
          await rm(fileOf(key), { force: true });
          throw err;
        }
      } finally {
        out.destroy();
        await rm(tmp, { force: true });
      }
    },

    /** The file, for whoever may view its case (or its uploader while it is unlinked); others get NOT_FOUND. */
    async open(p: Principal, id: string): Promise<{ info: AttachmentInfo; stream: Readable }> {
      const row = await repo.attachment(id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.uploaded_by !== p.userId) {
        if (!row.case_id) throw new AppError('NOT_FOUND');
        // Throws NOT_FOUND for whoever may not see the case.
        await visibleCase(p, row.case_id);
      }
      return { info: toAttachmentInfo(row), stream: createReadStream(fileOf(row.storage_key)) };
    },
  };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;
