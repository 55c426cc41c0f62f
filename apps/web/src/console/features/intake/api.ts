import type { Catalogue } from '@gridgov/contracts/catalogue';
import type { AttachmentInfo, AttachmentPurpose, CaseReportRequest, CaseReportResult, CaseSuggestRequest, CaseSuggestResult } from '@gridgov/contracts/intake';
import { request } from '../../../common/api/client';

/** The report form's calls: attachments, suggestions, the report itself (with its idempotency key in the body). */
export const intakeApi = {
  /** `purpose` goes before the file part (the server reads fields sent ahead of the file). */
  upload(file: File, purpose?: AttachmentPurpose): Promise<AttachmentInfo> {
    const form = new FormData();
    if (purpose) form.append('purpose', purpose);
    form.append('file', file, file.name);
    return request('POST', '/api/attachments', form);
  },
  suggest(body: CaseSuggestRequest): Promise<CaseSuggestResult> {
    return request('POST', '/api/cases/suggest', body);
  },
  report(body: CaseReportRequest): Promise<CaseReportResult> {
    return request('POST', '/api/cases', body);
  },
  catalogue(): Promise<Catalogue> {
    return request('GET', '/api/catalogue');
  },
};

/**
 * One idempotency key per filled-in form: a retried tap (or a retry after a network error) sends the same key,
 * so the server returns the case the first attempt made. crypto.randomUUID needs a secure context; the
 * fallback uses getRandomValues, which every browser has.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return `web-${crypto.randomUUID()}`;
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}
