import type {
  Catalogue,
  CatalogueClass,
  CatalogueItem,
  CatalogueVersions,
  CreateClassRequest,
  CreateItemRequest,
  CreateRoutingRuleRequest,
  ReorderClassesRequest,
  RoutingResolution,
  RoutingRule,
  UpdateClassRequest,
  UpdateItemRequest,
} from '@gridgov/contracts/catalogue';
import { api } from '../../../common/api/client';

export const catalogueApi = {
  tree: (includeInactive = false) => api.get<Catalogue>('/api/catalogue', includeInactive ? { includeInactive: 'true' } : undefined),
  versions: (id: string) => api.get<CatalogueVersions>(`/api/catalogue/items/${id}/versions`),
  createClass: (body: CreateClassRequest) => api.post<CatalogueClass>('/api/catalogue/classes', body),
  updateClass: (id: string, body: UpdateClassRequest) => api.put<CatalogueClass>(`/api/catalogue/classes/${id}`, body),
  reorderClasses: (body: ReorderClassesRequest) => api.post<Catalogue>('/api/catalogue/classes/reorder', body),
  setClassActive: (id: string, active: boolean) => api.post<CatalogueClass>(`/api/catalogue/classes/${id}/${active ? 'activate' : 'deactivate'}`),
  createItem: (body: CreateItemRequest) => api.post<CatalogueItem>('/api/catalogue/items', body),
  updateItem: (id: string, body: UpdateItemRequest) => api.put<CatalogueItem>(`/api/catalogue/items/${id}`, body),
  setActive: (id: string, active: boolean) => api.post<CatalogueItem>(`/api/catalogue/items/${id}/${active ? 'activate' : 'deactivate'}`),

  rules: (includeInactive = false) => api.get<{ items: RoutingRule[] }>('/api/routing-rules', includeInactive ? { includeInactive: 'true' } : undefined),
  createRule: (body: CreateRoutingRuleRequest) => api.post<RoutingRule>('/api/routing-rules', body),
  deactivateRule: (id: string) => api.delete<RoutingRule>(`/api/routing-rules/${id}`),
  resolve: (categoryId: string, regionId: string) => api.get<RoutingResolution>('/api/routing-rules/resolve', { categoryId, regionId }),
};

export const catalogueKeys = {
  all: ['catalogue'] as const,
  tree: (includeInactive: boolean) => ['catalogue', 'tree', includeInactive] as const,
  versions: (id: string) => ['catalogue', 'versions', id] as const,
  rules: (includeInactive: boolean) => ['routing-rules', includeInactive] as const,
};
