import type { CaseActionRequest, CaseDetail, CaseList, CaseListQuery, CaseStatus, SlaLevel } from '@gridgov/contracts/cases';
import type { Catalogue, RoutingResolution } from '@gridgov/contracts/catalogue';
import type { z } from 'zod';
import { api, request } from '../../../common/api/client';

export type TCaseList = z.infer<typeof CaseList>;
export type TCaseSummary = TCaseList['items'][number];
export type TCaseDetail = CaseDetail;
/** A list query as the console holds it: every filter optional, paging explicit. */
export type CaseFilters = Partial<Omit<z.input<typeof CaseListQuery>, 'limit' | 'offset' | 'status' | 'sla'>> & {
  status?: CaseStatus[];
  sla?: SlaLevel[];
  limit: number;
  offset: number;
};

/** The query string of a list: arrays as repeated keys (status=a&status=b), empty values left out. */
export function caseListPath(f: CaseFilters): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) qs.append(k, String(x));
    else qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `/api/cases?${s}` : '/api/cases';
}

/** What one case of a bulk action answered (the server acts on each case in its own transaction). */
export interface BulkResult {
  id: string;
  ok: boolean;
  status: CaseStatus | null;
  code: string | null;
  message: string | null;
}
/** Bulk 受理 / 立案 / 派遣 from the queue (contracts: CaseBulkActionRequest). */
export interface BulkRequest {
  ids: string[];
  action: 'accept' | 'file' | 'dispatch';
  note?: string;
  leadOrgUnitId?: string;
  coOrgUnitIds?: string[];
}

export const casesApi = {
  list: (f: CaseFilters) => request<TCaseList>('GET', caseListPath(f)),
  get: (id: string) => api.get<TCaseDetail>(`/api/cases/${id}`),
  act: (id: string, body: CaseActionRequest) => api.post<TCaseDetail>(`/api/cases/${id}/actions`, body),
  bulk: (body: BulkRequest) => api.post<{ results: BulkResult[] }>('/api/cases/bulk-actions', body),
  /** A photo for a case action (feedback before/after); answers its id. */
  upload: (file: File, purpose: string) => {
    const form = new FormData();
    form.append('purpose', purpose);
    form.append('file', file, file.name);
    return request<{ id: string }>('POST', '/api/attachments', form);
  },
  attachmentUrl: (id: string) => `/api/attachments/${id}`,
  archiveUrl: (id: string) => `/api/cases/${id}/archive.docx`,
  catalogue: () => api.get<Catalogue>('/api/catalogue'),
  resolveRouting: (categoryId: string, regionId: string) => api.get<RoutingResolution>('/api/routing-rules/resolve', { categoryId, regionId }),
};

export const caseKeys = {
  all: ['cases'] as const,
  list: (f: CaseFilters) => ['cases', 'list', f] as const,
  count: (view: string, status: readonly string[]) => ['cases', 'count', view, status] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  catalogue: ['catalogue'] as const,
};
