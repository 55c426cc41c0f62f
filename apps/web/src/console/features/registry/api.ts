import type { AdjustmentTriggerList, AdjustmentTriggerScanResult } from '@gridgov/contracts/adjustments';
import type { CrossCheckQuery, CrossCheckReport, ExportQuery, ImportJob, ImportKind, ImportMode, ImportRejectionPage } from '@gridgov/contracts/imports';
import type {
  BreakGlassGrant,
  BreakGlassQuery,
  BreakGlassRequest,
  BreakGlassReview,
  Building,
  BuildingInput,
  BuildingLayout,
  Facility,
  FacilityInput,
  FacilityQuery,
  FreshnessReport,
  House,
  HouseDetail,
  Household,
  HouseholdInput,
  HouseInput,
  HouseQuery,
  KeyPlace,
  KeyPlaceInput,
  KeyPlaceQuery,
  MoveRequest,
  Organisation,
  OrganisationInput,
  OrganisationQuery,
  PersonDetail,
  PersonInput,
  PersonMergeRequest,
  PersonPatch,
  PersonQuery,
  PersonSummary,
  RecordKind,
  SpecialEntry,
  SpecialEntryInput,
  SpecialEntryQuery,
  UnmaskRequest,
  UnmaskResponse,
  VerificationTask,
  VerificationTaskQuery,
} from '@gridgov/contracts/registry';
import type { z } from 'zod';
import { api, request, withQuery } from '../../../common/api/client';

type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.infer<T>;
export type Page<T> = { items: T[]; total: number; totalIsLowerBound?: boolean };
/** A list query as the console holds it: every filter optional, paging explicit. */
export type Filters<Q extends z.ZodType> = Partial<Omit<In<Q>, 'limit' | 'offset'>> & { limit: number; offset: number };

export type PersonFilters = Filters<typeof PersonQuery>;
export type HouseFilters = Filters<typeof HouseQuery>;
export type OrganisationFilters = Filters<typeof OrganisationQuery>;
export type FacilityFilters = Filters<typeof FacilityQuery>;
export type KeyPlaceFilters = Filters<typeof KeyPlaceQuery>;
export type SpecialFilters = Filters<typeof SpecialEntryQuery>;
export type BuildingFilters = { q?: string; gridId?: string; regionId?: string; limit: number; offset: number };

export type TPerson = Out<typeof PersonSummary>;
export type TPersonDetail = Out<typeof PersonDetail>;
export type THouse = Out<typeof House>;
export type THouseDetail = Out<typeof HouseDetail>;
export type TBuilding = Out<typeof Building>;
export type TLayout = Out<typeof BuildingLayout>;
export type TOrganisation = Out<typeof Organisation>;
export type TFacility = Out<typeof Facility>;
export type TKeyPlace = Out<typeof KeyPlace>;
export type TSpecialEntry = Out<typeof SpecialEntry>;
export type TGrant = Out<typeof BreakGlassGrant>;
export type TTask = Out<typeof VerificationTask>;
export type TFreshness = Out<typeof FreshnessReport>;
export type TImportJob = Out<typeof ImportJob>;
export type TRejections = Out<typeof ImportRejectionPage>;
export type TCrossCheck = Out<typeof CrossCheckReport>;
export type TRecordKind = Out<typeof RecordKind>;

const enc = encodeURIComponent;

export const personsApi = {
  list: (q: PersonFilters) => api.get<Page<TPerson>>('/api/persons', q),
  get: (id: string) => api.get<TPersonDetail>(`/api/persons/${enc(id)}`),
  create: (body: In<typeof PersonInput>) => api.post<TPersonDetail>('/api/persons', body),
  update: (id: string, body: In<typeof PersonPatch>) => api.patch<TPersonDetail>(`/api/persons/${enc(id)}`, body),
  unmask: (id: string, body: In<typeof UnmaskRequest>) => api.post<Out<typeof UnmaskResponse>>(`/api/persons/${enc(id)}/unmask`, body),
  move: (id: string, body: In<typeof MoveRequest>) => api.post<TPersonDetail>(`/api/persons/${enc(id)}/move`, body),
  merge: (id: string, body: In<typeof PersonMergeRequest>) => api.post<TPersonDetail>(`/api/persons/${enc(id)}/merge`, body),
  verify: (id: string, note?: string) => api.post<TPersonDetail>(`/api/persons/${enc(id)}/verify`, note ? { note } : {}),
  setHousehold: (id: string, body: In<typeof HouseholdInput>) => api.put<Out<typeof Household>>(`/api/persons/${enc(id)}/household`, body),
  addSpecial: (id: string, body: In<typeof SpecialEntryInput>) => api.post<TSpecialEntry>(`/api/persons/${enc(id)}/special-entries`, body),
};

export const specialApi = {
  list: (q: SpecialFilters) => api.get<Page<TSpecialEntry>>('/api/special-entries', q),
  update: (id: string, body: Partial<In<typeof SpecialEntryInput>>) => api.patch<TSpecialEntry>(`/api/special-entries/${enc(id)}`, body),
  end: (id: string, body: { until?: string; note?: string }) => api.post<TSpecialEntry>(`/api/special-entries/${enc(id)}/end`, body),
};

export const breakGlassApi = {
  open: (body: In<typeof BreakGlassRequest>) => api.post<TGrant>('/api/break-glass', body),
  list: (q: Filters<typeof BreakGlassQuery>) => api.get<Page<TGrant>>('/api/break-glass', q),
  review: (id: string, body: In<typeof BreakGlassReview>) => api.post<TGrant>(`/api/break-glass/${enc(id)}/review`, body),
};

export const placesApi = {
  buildings: (q: BuildingFilters) => api.get<Page<TBuilding>>('/api/buildings', q),
  building: (id: string) => api.get<TBuilding>(`/api/buildings/${enc(id)}`),
  createBuilding: (body: In<typeof BuildingInput>) => api.post<TBuilding>('/api/buildings', body),
  updateBuilding: (id: string, body: Partial<In<typeof BuildingInput>>) => api.patch<TBuilding>(`/api/buildings/${enc(id)}`, body),
  layout: (id: string) => api.get<TLayout>(`/api/buildings/${enc(id)}/layout`),
  houses: (q: HouseFilters) => api.get<Page<THouse>>('/api/houses', q),
  house: (id: string) => api.get<THouseDetail>(`/api/houses/${enc(id)}`),
  createHouse: (body: In<typeof HouseInput>) => api.post<THouseDetail>('/api/houses', body),
  updateHouse: (id: string, body: Partial<In<typeof HouseInput>>) => api.patch<THouseDetail>(`/api/houses/${enc(id)}`, body),
  organisations: (q: OrganisationFilters) => api.get<Page<TOrganisation>>('/api/organisations', q),
  createOrganisation: (body: In<typeof OrganisationInput>) => api.post<TOrganisation>('/api/organisations', body),
  updateOrganisation: (id: string, body: Partial<In<typeof OrganisationInput>>) => api.patch<TOrganisation>(`/api/organisations/${enc(id)}`, body),
  unmaskOrganisation: (id: string, reason: string) => api.post<Out<typeof UnmaskResponse>>(`/api/organisations/${enc(id)}/unmask`, { field: 'phone', reason }),
  facilities: (q: FacilityFilters) => api.get<Page<TFacility>>('/api/facilities', q),
  createFacility: (body: In<typeof FacilityInput>) => api.post<TFacility>('/api/facilities', body),
  updateFacility: (id: string, body: Partial<In<typeof FacilityInput>>) => api.patch<TFacility>(`/api/facilities/${enc(id)}`, body),
  keyPlaces: (q: KeyPlaceFilters) => api.get<Page<TKeyPlace>>('/api/key-places', q),
  createKeyPlace: (body: In<typeof KeyPlaceInput>) => api.post<TKeyPlace>('/api/key-places', body),
  updateKeyPlace: (id: string, body: Partial<In<typeof KeyPlaceInput>>) => api.patch<TKeyPlace>(`/api/key-places/${enc(id)}`, body),
  /** POST /api/<kind>/:id/verify for any record kind. */
  verify: (kind: TRecordKind, id: string) => api.post<unknown>(`${recordBase[kind]}/${enc(id)}/verify`, {}),
  tasks: (q: Filters<typeof VerificationTaskQuery>) => api.get<Page<TTask>>('/api/registry/verification-tasks', q),
  freshness: (regionId?: string) => api.get<TFreshness>('/api/registry/freshness', { regionId }),
  triggers: (regionId?: string) => api.get<Out<typeof AdjustmentTriggerList>>('/api/adjustment-triggers', { regionId }),
  dismissTrigger: (id: string) => api.post<unknown>(`/api/adjustment-triggers/${enc(id)}/dismiss`, {}),
  scanTriggers: () => api.post<Out<typeof AdjustmentTriggerScanResult>>('/api/adjustment-triggers/scan', {}),
};

export const recordBase: Record<TRecordKind, string> = {
  person: '/api/persons',
  house: '/api/houses',
  organisation: '/api/organisations',
  facility: '/api/facilities',
  key_place: '/api/key-places',
};

export const ioApi = {
  templateUrl: (kind: ImportKind) => `/api/imports/templates/${kind}`,
  start: (kind: ImportKind, file: File, mode: ImportMode) =>
    request<TImportJob>('POST', withQuery(`/api/imports/${kind}`, { fileName: file.name, mode }), file),
  jobs: (q: { limit: number; offset: number }) => api.get<Page<TImportJob>>('/api/imports', q),
  job: (id: string) => api.get<TImportJob>(`/api/imports/${enc(id)}`),
  rejections: (id: string, q: { limit: number; offset: number }) => api.get<TRejections>(`/api/imports/${enc(id)}/rejections`, q),
  rejectionsUrl: (id: string) => `/api/imports/${enc(id)}/rejections.xlsx`,
  exportUrl: (kind: ImportKind, q: In<typeof ExportQuery>) => withQuery(`/api/exports/${kind}`, q),
  crossCheck: (q: In<typeof CrossCheckQuery>, file: File) => request<TCrossCheck>('POST', withQuery('/api/crosscheck/persons', q), file),
};

export const regKeys = {
  persons: (q: PersonFilters) => ['persons', 'list', q] as const,
  person: (id: string) => ['persons', 'one', id] as const,
  houses: (q: HouseFilters) => ['houses', 'list', q] as const,
  house: (id: string) => ['houses', 'one', id] as const,
  buildings: (q: BuildingFilters) => ['buildings', 'list', q] as const,
  layout: (id: string) => ['buildings', 'layout', id] as const,
  organisations: (q: OrganisationFilters) => ['organisations', q] as const,
  facilities: (q: FacilityFilters) => ['facilities', q] as const,
  keyPlaces: (q: KeyPlaceFilters) => ['keyPlaces', q] as const,
  special: (q: SpecialFilters) => ['special', q] as const,
  grants: (q: object) => ['breakGlass', q] as const,
  tasks: (q: object) => ['tasks', q] as const,
  freshness: (regionId?: string) => ['freshness', regionId ?? null] as const,
  jobs: (q: object) => ['imports', q] as const,
  job: (id: string) => ['imports', 'one', id] as const,
  rejections: (id: string, q: object) => ['imports', 'rejections', id, q] as const,
};

/** Starts a file download through a link (the session cookie goes along; the server names the file). */
export function download(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
