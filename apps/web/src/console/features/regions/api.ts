import type {
  CreateOrgUnitRequest,
  CreateRegionRequest,
  OrgUnit,
  OrgUnitKind,
  RegionDetail,
  RegionLevelInfo,
  RegionNode,
  RegionSearchHit,
  UpdateOrgUnitRequest,
  UpdateRegionLevelRequest,
  UpdateRegionRequest,
} from '@gridgov/contracts/regions';
import { api, itemsOf } from '../../../common/api/client';

type List<T> = T[] | { items: T[] };

/** Region and org-unit endpoints; other features (user scopes, audit filters) use the same calls. */
export const regionsApi = {
  levels: async () => itemsOf(await api.get<List<RegionLevelInfo>>('/api/region-levels')),
  renameLevel: (key: RegionLevelInfo['key'], body: UpdateRegionLevelRequest) => api.put<RegionLevelInfo>(`/api/region-levels/${key}`, body),
  /** Children of `parentId`, or the caller's view-scope roots. */
  children: async (parentId?: string) => itemsOf(await api.get<List<RegionNode>>('/api/regions', { parentId })),
  detail: (id: string) => api.get<RegionDetail>(`/api/regions/${id}`),
  search: async (q: string) => itemsOf(await api.get<List<RegionSearchHit>>('/api/regions/search', { q })),
  create: (body: CreateRegionRequest) => api.post<RegionNode>('/api/regions', body),
  update: (id: string, body: UpdateRegionRequest) => api.patch<RegionNode>(`/api/regions/${id}`, body),
  remove: (id: string) => api.delete<unknown>(`/api/regions/${id}`),
  orgUnits: async (q: { regionId?: string; kind?: OrgUnitKind } = {}) => itemsOf(await api.get<List<OrgUnit>>('/api/org-units', { ...q, limit: 500 })),
  createOrgUnit: (body: CreateOrgUnitRequest) => api.post<OrgUnit>('/api/org-units', body),
  updateOrgUnit: (id: string, body: UpdateOrgUnitRequest) => api.patch<OrgUnit>(`/api/org-units/${id}`, body),
};

export const regionKeys = {
  levels: ['region-levels'] as const,
  children: (parentId: string | null) => ['regions', 'children', parentId] as const,
  detail: (id: string) => ['regions', 'detail', id] as const,
  search: (q: string) => ['regions', 'search', q] as const,
  orgUnits: (regionId: string | null) => ['org-units', regionId] as const,
};
