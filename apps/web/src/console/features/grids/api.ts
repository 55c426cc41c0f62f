import type { AdjustmentDetail, AdjustmentList, ApplyDueResult, CreateAdjustmentBody, ReviewAdjustmentBody } from '@gridgov/contracts/adjustments';
import type { AreaGeometry, CoordSystem } from '@gridgov/contracts/geojson';
import type { ImportGridsRequest, ImportReport } from '@gridgov/contracts/gridio';
import type { GridLocateResult } from '@gridgov/contracts/gridlookup';
import type {
  CoverageReport,
  CreateGridRequest,
  GridCodeTemplateInfo,
  GridDetail,
  GridList,
  GridListQuery,
  SetStaffRequest,
  SizeNorm,
  SizeNormValues,
  StaffingReport,
  UpdateGridRequest,
} from '@gridgov/contracts/grids';
import type { z } from 'zod';
import { api, request, withQuery } from '../../../common/api/client';

export type GridFilters = Partial<Omit<z.input<typeof GridListQuery>, 'limit' | 'offset'>> & { limit: number; offset: number };
export type Coverage = z.infer<typeof CoverageReport>;
export type AdjustmentPage = z.infer<typeof AdjustmentList>;
export type ApplyDue = z.infer<typeof ApplyDueResult>;

/** A feature of GET /api/grids/features or /api/regions/features (properties as the server sends them). */
export interface AreaFeature<P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  geometry: AreaGeometry;
  properties: P;
}
export interface AreaFeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: AreaFeature<P>[];
  truncated?: boolean;
}

export const gridsApi = {
  list: (q: GridFilters) => api.get<z.infer<typeof GridList>>('/api/grids', q),
  get: (id: string) => api.get<GridDetail>(`/api/grids/${id}`),
  create: (body: z.input<typeof CreateGridRequest>) => api.post<GridDetail>('/api/grids', body),
  update: (id: string, body: z.input<typeof UpdateGridRequest>) => api.patch<GridDetail>(`/api/grids/${id}`, body),
  setBoundary: (id: string, body: { geometry: AreaGeometry; coordSystem?: CoordSystem; draft?: boolean }) =>
    api.put<GridDetail>(`/api/grids/${id}/boundary`, body),
  features: (bbox: string, on?: string | null, signal?: AbortSignal) =>
    getJson<AreaFeatureCollection>(withQuery('/api/grids/features', { bbox, limit: 2000, on }), signal),
  regionFeatures: (bbox: string, signal?: AbortSignal) => getJson<AreaFeatureCollection>(withQuery('/api/regions/features', { bbox }), signal),
  coverage: (regionId: string) => api.get<Coverage>('/api/coverage', { regionId }),
  staffing: (regionId: string) => api.get<z.infer<typeof StaffingReport>>('/api/grids/staffing', { regionId }),
  importGrids: (body: z.input<typeof ImportGridsRequest>) => api.post<ImportReport>('/api/grids/import', body),
  /** A zipped shapefile (shp + shx + dbf + prj), as multipart. */
  importShapefile: (fields: { communityId: string; mode: 'validate' | 'commit'; coordSystem?: CoordSystem }, zip: File) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', zip, zip.name);
    return request<ImportReport>('POST', '/api/grids/import/shapefile', form);
  },
  setStaff: (id: string, body: z.input<typeof SetStaffRequest>) => api.put<GridDetail>(`/api/grids/${id}/staff`, body),
  /** Which grid a point lay in, today or on a past date (boundary history). */
  locate: (q: { lng: number; lat: number; coordSystem?: CoordSystem; on?: string }) => api.get<GridLocateResult>('/api/grids/lookup', q),
  sizeNorm: (regionId: string) => api.get<z.infer<typeof SizeNorm>>(`/api/size-norms/${regionId}`),
  setSizeNorm: (regionId: string, body: SizeNormValues) => api.put<z.infer<typeof SizeNorm>>(`/api/size-norms/${regionId}`, body),
  codeTemplate: () => api.get<z.infer<typeof GridCodeTemplateInfo>>('/api/settings/grid-code-template'),
  setCodeTemplate: (template: z.infer<typeof GridCodeTemplateInfo>['template']) =>
    api.put<z.infer<typeof GridCodeTemplateInfo>>('/api/settings/grid-code-template', { template }),
  exportXlsxUrl: (regionId: string) => withQuery('/api/grids/export.xlsx', { regionId }),
  exportGeoJsonUrl: (regionId: string) => withQuery('/api/grids/export.geojson', { regionId }),
};

export type AdjustmentFilters = { regionId?: string; status?: string; limit: number; offset: number };

export const adjustmentsApi = {
  list: (q: AdjustmentFilters) => api.get<AdjustmentPage>('/api/grid-adjustments', q),
  get: (id: string) => api.get<AdjustmentDetail>(`/api/grid-adjustments/${id}`),
  create: (body: z.input<typeof CreateAdjustmentBody>) => api.post<AdjustmentDetail>('/api/grid-adjustments', body),
  submit: (id: string) => api.post<AdjustmentDetail>(`/api/grid-adjustments/${id}/submit`),
  withdraw: (id: string) => api.post<AdjustmentDetail>(`/api/grid-adjustments/${id}/withdraw`),
  review: (id: string, body: z.input<typeof ReviewAdjustmentBody>) => api.post<AdjustmentDetail>(`/api/grid-adjustments/${id}/review`, body),
  applyDue: () => api.post<ApplyDue>('/api/grid-adjustments/apply-due'),
};

/** GET through the shared client's error handling, cancellable (map refetches on every move). */
async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  if (!signal) return api.get<T>(path);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    api.get<T>(path).then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(e);
      },
    );
  });
}

export const gridKeys = {
  all: ['grids'] as const,
  list: (q: GridFilters) => ['grids', 'list', q] as const,
  detail: (id: string) => ['grids', 'detail', id] as const,
  search: (q: string) => ['grids', 'search', q] as const,
  coverage: (regionId: string) => ['grids', 'coverage', regionId] as const,
  adjustments: ['grid-adjustments'] as const,
  adjustmentList: (q: AdjustmentFilters) => ['grid-adjustments', 'list', q] as const,
  adjustment: (id: string) => ['grid-adjustments', 'detail', id] as const,
};
