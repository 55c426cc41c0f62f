/**
 * API shapes of the basic-information registry (人、地、物、事、组织): buildings and houses, persons and
 * households, organisations, facilities, key places, special-group entries, unmasking and
 * break-the-glass. Identifying numbers never leave the server in clear except through `unmask`.
 */
import { z } from 'zod';
import { checkIdNumber, checkPhone, checkUscc } from './identifiers.js';
import {
  AttentionLevel,
  DocType,
  Education,
  Ethnicity,
  FacilityKind,
  FacilityState,
  HouseRelation,
  HouseUse,
  KeyPlaceKind,
  KeyPremisesType,
  MaritalStatus,
  OrgKind,
  PoliticalStatus,
  PopulationType,
  RelationToHead,
  Sex,
  WarningLevel,
} from './registry-codes.js';
import { Sensitivity, SpecialLevel } from './special-groups.js';

const DateOnly = z.iso.date();
const Lng = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
const ShortText = (max: number) => z.string().trim().min(1).max(max);
const OptText = (max: number) => z.string().trim().max(max).optional();
/** Human names: letters (any script), ·, spaces; no digits or punctuation that would hide an ID in a name field. */
export const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}·• .'-]+$/u, '姓名只能包含文字、间隔号和空格 / letters, · and spaces only');

/** A 身份证号 with the check digit verified; other documents go through `docType`. */
export const IdNumberField = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const r = checkIdNumber(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `${r.zh} / ${r.en}` });
      return z.NEVER;
    }
    return r.value;
  });
export const PhoneField = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const r = checkPhone(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `${r.zh} / ${r.en}` });
      return z.NEVER;
    }
    return r.value;
  });
export const UsccField = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const r = checkUscc(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `${r.zh} / ${r.en}` });
      return z.NEVER;
    }
    return r.value;
  });

/** Every registry record says who checked it last and when (B15, K9 谁采集谁负责). */
export const Freshness = z.object({
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  /** True when never verified or verified longer ago than the jurisdiction's freshness age. */
  stale: z.boolean(),
});

export const GridRef = z.object({ gridId: z.uuid(), gridCode: z.string(), gridName: z.string(), communityId: z.uuid(), communityName: z.string() });

/** Where a record is: a grid chosen outright, or a point (lng/lat WGS84) the grid lookup resolves. */
const Placement = {
  gridId: z.uuid().optional(),
  lng: Lng.optional(),
  lat: Lat.optional(),
};

// ─── Buildings and houses ────────────────────────────────────────────────────────────────────

export const BuildingInput = z.strictObject({
  name: ShortText(64).describe('楼栋名称，如 3号楼'),
  road: OptText(64).describe('路/街巷'),
  number: OptText(32).describe('门牌号'),
  floors: z.number().int().min(1).max(200).optional(),
  units: z.number().int().min(1).max(50).optional(),
  ...Placement,
});
export const Building = z.object({
  id: z.uuid(),
  name: z.string(),
  road: z.string().nullable(),
  number: z.string().nullable(),
  address: z.string(),
  floors: z.number().int().nullable(),
  units: z.number().int().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  houses: z.number().int(),
  occupants: z.number().int(),
  ...GridRef.shape,
});
export type Building = z.infer<typeof Building>;

export const HouseInput = z.strictObject({
  buildingId: z.uuid().optional(),
  /** Without a building: a standalone address (bungalow, shop front, village house). */
  address: OptText(200),
  unit: OptText(16).describe('单元'),
  floor: z.number().int().min(-10).max(200).optional(),
  room: OptText(16).describe('室'),
  use: HouseUse,
  areaM2: z.number().positive().max(100000).optional(),
  note: OptText(500),
  ...Placement,
});
export const HouseOccupant = z.object({
  personId: z.uuid(),
  name: z.string(),
  relation: HouseRelation,
  since: z.string().nullable(),
  until: z.string().nullable(),
  populationType: PopulationType,
});
export const House = z.object({
  id: z.uuid(),
  buildingId: z.uuid().nullable(),
  buildingName: z.string().nullable(),
  address: z.string().describe('standard address: community, road, building, unit, room'),
  unit: z.string().nullable(),
  floor: z.number().int().nullable(),
  room: z.string().nullable(),
  use: HouseUse,
  areaM2: z.number().nullable(),
  note: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  occupantCount: z.number().int(),
  ...GridRef.shape,
  ...Freshness.shape,
});
export type House = z.infer<typeof House>;
export const HouseDetail = House.extend({ occupants: z.array(HouseOccupant) });
/** The floor/room layout of a building: one cell per house with its use and occupancy. */
export const BuildingLayout = z.object({
  building: Building,
  cells: z.array(
    z.object({
      houseId: z.uuid(),
      unit: z.string().nullable(),
      floor: z.number().int().nullable(),
      room: z.string().nullable(),
      use: HouseUse,
      occupants: z.number().int(),
    }),
  ),
});

export const BuildingQuery = z.strictObject({
  q: OptText(64).describe('name or address text'),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const BuildingList = z.object({ items: z.array(Building), total: z.number().int() });
/** Fields left out stay as they are; a new point (or grid) re-places the building (its houses keep theirs). */
export const BuildingPatch = BuildingInput.partial();
/** Fields left out stay as they are; `null` clears an optional field. A changed unit/room/address recomposes the standard address. */
export const HousePatch = z.strictObject({
  address: OptText(200),
  unit: z.string().trim().max(16).nullable().optional(),
  floor: z.number().int().min(-10).max(200).nullable().optional(),
  room: z.string().trim().max(16).nullable().optional(),
  use: HouseUse.optional(),
  areaM2: z.number().positive().max(100000).nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
  ...Placement,
});
export const HouseList = z.object({ items: z.array(House), total: z.number().int() });
/** Path parameter of every registry record endpoint. */
export const RecordIdParams = z.strictObject({ id: z.uuid() });

export const HouseQuery = z.strictObject({
  q: OptText(64).describe('address text'),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  use: HouseUse.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

// ─── Persons and households ──────────────────────────────────────────────────────────────────

export const PersonInput = z
  .strictObject({
    name: PersonName,
    docType: DocType.default('id_card'),
    /** 身份证号 when docType is id_card (check digit verified), else the document number. */
    idNumber: z.string().trim().min(1).max(32).optional(),
    sex: Sex.optional().describe('derived from the 身份证号 when omitted'),
    birthDate: DateOnly.optional().describe('derived from the 身份证号 when omitted'),
    ethnicity: Ethnicity.optional(),
    nativePlace: OptText(64).describe('籍贯'),
    hukouPlace: OptText(128).describe('户籍地'),
    hukouAddress: OptText(200).describe('户籍门（楼）详址'),
    currentAddress: OptText(200).describe('现住门（楼）详址 when not in a registered house'),
    phone: PhoneField.optional(),
    marital: MaritalStatus.optional(),
    political: PoliticalStatus.optional(),
    education: Education.optional(),
    religion: OptText(32),
    occupation: OptText(64),
    workplace: OptText(128).describe('服务处所'),
    populationType: PopulationType,
    /** The house the person lives in; its grid becomes the person's grid. */
    houseId: z.uuid().optional(),
    houseRelation: HouseRelation.optional(),
    tags: z.array(z.string().trim().min(1).max(16)).max(20).optional(),
    note: OptText(1000),
    ...Placement,
  })
  .superRefine((v, ctx) => {
    if (v.docType === 'id_card') {
      if (!v.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '请填写身份证号 / the ID number is required' });
      else {
        const r = checkIdNumber(v.idNumber);
        if (!r.ok) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: `${r.zh} / ${r.en}` });
      }
    }
    if (!v.houseId && !v.gridId && (v.lng === undefined || v.lat === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['houseId'], message: '请选择住房、网格或位置 / choose a house, a grid or a location' });
    }
  });
export type PersonInput = z.infer<typeof PersonInput>;
export const PersonPatch = z.strictObject({
  name: PersonName.optional(),
  ethnicity: Ethnicity.optional(),
  nativePlace: OptText(64),
  hukouPlace: OptText(128),
  hukouAddress: OptText(200),
  currentAddress: OptText(200),
  phone: PhoneField.nullable().optional(),
  marital: MaritalStatus.optional(),
  political: PoliticalStatus.optional(),
  education: Education.optional(),
  religion: OptText(32),
  occupation: OptText(64),
  workplace: OptText(128),
  populationType: PopulationType.optional(),
  tags: z.array(z.string().trim().min(1).max(16)).max(20).optional(),
  note: OptText(1000),
});

export const PersonSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  sex: Sex,
  birthDate: z.string().nullable(),
  age: z.number().int().nullable(),
  docType: DocType,
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  populationType: PopulationType,
  address: z.string().nullable(),
  houseId: z.uuid().nullable(),
  tags: z.array(z.string()),
  /** Register codes of this person the caller may see. */
  registers: z.array(z.string()),
  ...GridRef.shape,
  verifiedAt: z.string().nullable(),
  stale: z.boolean(),
  /** Name-search relevance when searching by name. */
  score: z.number().optional(),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const PersonQuery = z.strictObject({
  q: OptText(32).describe('name (fuzzy, pg_trgm)'),
  idNumber: OptText(32).describe('exact 身份证号 (blind index)'),
  phone: OptText(20).describe('exact phone (blind index)'),
  address: OptText(64),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  tag: OptText(16),
  populationType: PopulationType.optional(),
  register: z.string().max(32).optional().describe('special-group register code'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const HouseholdMember = z.object({ personId: z.uuid(), name: z.string(), relation: RelationToHead, sex: Sex, age: z.number().int().nullable() });
export const Household = z.object({
  id: z.uuid(),
  number: z.string().nullable().describe('户号'),
  houseId: z.uuid().nullable(),
  address: z.string().nullable(),
  members: z.array(HouseholdMember),
});
export const HouseholdInput = z.strictObject({
  number: OptText(32),
  houseId: z.uuid().optional(),
  members: z
    .array(z.strictObject({ personId: z.uuid(), relation: RelationToHead }))
    .min(1)
    .max(50),
});

export const ResidenceEntry = z.object({
  houseId: z.uuid().nullable(),
  address: z.string().nullable(),
  gridName: z.string().nullable(),
  relation: HouseRelation,
  since: z.string().nullable(),
  until: z.string().nullable(),
});
export const ChangeEntry = z.object({
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  /** Changed field names; identifying numbers appear only as "changed", never with values. */
  fields: z.array(z.string()),
  note: z.string().nullable(),
});

export const SpecialEntry = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  personName: z.string(),
  typeCode: z.string(),
  sensitivity: Sensitivity,
  level: SpecialLevel,
  fields: z.record(z.string(), z.unknown()),
  since: z.string().nullable(),
  until: z.string().nullable(),
  note: z.string().nullable(),
  ...GridRef.shape,
  /** Set when the caller sees this entry through a break-the-glass grant. */
  viaBreakGlass: z.boolean(),
});
export type SpecialEntry = z.infer<typeof SpecialEntry>;
export const SpecialEntryInput = z.strictObject({
  typeCode: z.string().max(32),
  level: SpecialLevel,
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  since: DateOnly.optional(),
  until: DateOnly.optional(),
  note: OptText(1000),
});
export const SpecialEntryQuery = z.strictObject({
  typeCode: z.string().max(32).optional(),
  level: SpecialLevel.optional(),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const PersonDetail = PersonSummary.extend({
  nativePlace: z.string().nullable(),
  ethnicity: z.string().nullable(),
  hukouPlace: z.string().nullable(),
  hukouAddress: z.string().nullable(),
  currentAddress: z.string().nullable(),
  marital: MaritalStatus.nullable(),
  political: PoliticalStatus.nullable(),
  education: Education.nullable(),
  religion: z.string().nullable(),
  occupation: z.string().nullable(),
  workplace: z.string().nullable(),
  note: z.string().nullable(),
  household: Household.nullable(),
  residence: z.array(ResidenceEntry),
  specialEntries: z.array(SpecialEntry),
  /** Sensitive registers the person is on that the caller cannot see: count only, so break-the-glass is discoverable. */
  hiddenEntries: z.number().int(),
  changes: z.array(ChangeEntry),
  canEdit: z.boolean(),
  canUnmask: z.boolean(),
  ...Freshness.shape,
});
export type PersonDetail = z.infer<typeof PersonDetail>;

export const UnmaskRequest = z.strictObject({
  field: z.enum(['idNumber', 'phone']),
  reason: z.string().trim().min(4, '请说明查看原因（至少 4 个字）/ give a reason (4+ characters)').max(200),
});
export const UnmaskResponse = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string().nullable() });

/** Merge a duplicate person into another (audit trail kept; the duplicate becomes a pointer). */
export const PersonMergeRequest = z.strictObject({ duplicateId: z.uuid(), reason: z.string().trim().min(4).max(200) });
export const MoveRequest = z.strictObject({
  houseId: z.uuid().optional(),
  gridId: z.uuid().optional(),
  relation: HouseRelation.default('resident'),
  since: DateOnly,
  note: OptText(200),
});

// ─── Organisations, facilities, key places ───────────────────────────────────────────────────

export const OrganisationInput = z.strictObject({
  kind: OrgKind,
  name: ShortText(128),
  /** Required except for party organisations and units without one; unique. */
  uscc: UsccField.optional(),
  legalRepName: z.string().trim().max(64).optional(),
  phone: PhoneField.optional(),
  address: OptText(200),
  houseId: z.uuid().optional(),
  employees: z.number().int().min(0).max(1_000_000).optional(),
  keyPremises: z.boolean().default(false),
  keyPremisesType: KeyPremisesType.optional(),
  attention: AttentionLevel.optional(),
  hasPartyOrg: z.boolean().optional(),
  note: OptText(1000),
  ...Placement,
});
export const Organisation = z.object({
  id: z.uuid(),
  kind: OrgKind,
  name: z.string(),
  uscc: z.string().nullable().describe('统一社会信用代码 is public information, shown in full'),
  legalRepName: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  address: z.string().nullable(),
  houseId: z.uuid().nullable(),
  employees: z.number().int().nullable(),
  keyPremises: z.boolean(),
  keyPremisesType: KeyPremisesType.nullable(),
  attention: AttentionLevel.nullable(),
  hasPartyOrg: z.boolean().nullable(),
  note: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  ...GridRef.shape,
  ...Freshness.shape,
});
export type Organisation = z.infer<typeof Organisation>;
export const OrganisationQuery = z.strictObject({
  q: OptText(64),
  uscc: OptText(18),
  kind: OrgKind.optional(),
  keyPremises: z.enum(['true', 'false']).optional(),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Fields left out stay as they are; `phone: null` removes the number. */
export const OrganisationPatch = OrganisationInput.partial().extend({ keyPremises: z.boolean().optional(), phone: PhoneField.nullable().optional() });
export const OrganisationList = z.object({ items: z.array(Organisation), total: z.number().int() });

export const FacilityInput = z.strictObject({
  kind: FacilityKind,
  name: ShortText(64),
  code: OptText(32).describe('部件编码 (own numbering)'),
  state: FacilityState.default('intact'),
  address: OptText(200),
  owner: OptText(64).describe('权属/养护单位'),
  note: OptText(500),
  ...Placement,
});
export const Facility = z.object({
  id: z.uuid(),
  kind: FacilityKind,
  name: z.string(),
  code: z.string().nullable(),
  state: FacilityState,
  address: z.string().nullable(),
  owner: z.string().nullable(),
  note: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  ...GridRef.shape,
  ...Freshness.shape,
});
export const FacilityQuery = z.strictObject({
  q: OptText(64),
  kind: FacilityKind.optional(),
  state: FacilityState.optional(),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const FacilityPatch = FacilityInput.partial().extend({ state: FacilityState.optional() });
export const FacilityList = z.object({ items: z.array(Facility), total: z.number().int() });

export const KeyPlaceInput = z.strictObject({
  kind: KeyPlaceKind,
  name: ShortText(64),
  warningLevel: WarningLevel,
  address: OptText(200),
  description: OptText(1000),
  responsible: OptText(64),
  organisationId: z.uuid().optional(),
  ...Placement,
});
export const KeyPlace = z.object({
  id: z.uuid(),
  kind: KeyPlaceKind,
  name: z.string(),
  warningLevel: WarningLevel,
  address: z.string().nullable(),
  description: z.string().nullable(),
  responsible: z.string().nullable(),
  organisationId: z.uuid().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  ...GridRef.shape,
  ...Freshness.shape,
});
export const KeyPlaceQuery = z.strictObject({
  q: OptText(64),
  kind: KeyPlaceKind.optional(),
  warningLevel: WarningLevel.optional(),
  gridId: z.uuid().optional(),
  regionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const KeyPlacePatch = KeyPlaceInput.partial();
export const KeyPlaceList = z.object({ items: z.array(KeyPlace), total: z.number().int() });

// ─── Break-the-glass (B7/B8 sensitive registers) ─────────────────────────────────────────────

export const BreakGlassRequest = z.strictObject({
  personId: z.uuid(),
  reason: z.string().trim().min(10, '紧急查看须写明原因（至少 10 个字）/ give a reason (10+ characters)').max(500),
  minutes: z.number().int().min(5).max(240).default(60),
});
export const BreakGlassGrant = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  userName: z.string(),
  personId: z.uuid(),
  personName: z.string(),
  reason: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  active: z.boolean(),
  /** What was opened under the grant (entry ids), for the reviewer. */
  entriesSeen: z.number().int(),
  review: z.object({ outcome: z.enum(['justified', 'unjustified']), note: z.string().nullable(), reviewerName: z.string(), reviewedAt: z.string() }).nullable(),
});
export const BreakGlassReview = z.strictObject({ outcome: z.enum(['justified', 'unjustified']), note: OptText(500) });
export const BreakGlassQuery = z.strictObject({
  pending: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

// ─── Freshness (B15) ─────────────────────────────────────────────────────────────────────────

export const RecordKind = z.enum(['person', 'house', 'organisation', 'facility', 'key_place']);
export type RecordKind = z.infer<typeof RecordKind>;
export const VerifyRequest = z.strictObject({ note: OptText(200) });
export const VerificationTask = z.object({
  kind: RecordKind,
  id: z.uuid(),
  label: z.string(),
  address: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  ...GridRef.shape,
});
export const VerificationTaskQuery = z.strictObject({
  kind: RecordKind.optional(),
  gridId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const FreshnessRow = z.object({
  gridId: z.uuid(),
  gridCode: z.string(),
  gridName: z.string(),
  records: z.number().int(),
  verified: z.number().int(),
  /** verified / records, 0–1; null when the grid has no records. */
  share: z.number().nullable(),
});
export const VerificationTaskList = z.object({ items: z.array(VerificationTask), total: z.number().int() });
export const FreshnessQuery = z.strictObject({ regionId: z.uuid().optional() });
export const FreshnessReport = z.object({ maxAgeDays: z.number().int(), goal: z.number(), rows: z.array(FreshnessRow) });

// ─── List and patch shapes of the persons endpoints ──────────────────────────────────────────

export const PersonList = z.object({ items: z.array(PersonSummary), total: z.number().int(), totalIsLowerBound: z.boolean().optional() });
export const SpecialEntryList = z.object({ items: z.array(SpecialEntry), total: z.number().int() });
export const BreakGlassList = z.object({ items: z.array(BreakGlassGrant), total: z.number().int() });
/** SpecialEntryInput with every field optional and no defaults: what is left out stays. */
export const SpecialEntryPatch = z.strictObject({
  typeCode: z.string().max(32).optional(),
  level: SpecialLevel.optional(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  since: DateOnly.optional(),
  until: DateOnly.optional(),
  note: z.string().trim().max(1000).optional(),
});
export const SpecialEntryEnd = z.strictObject({ until: DateOnly.optional(), note: z.string().trim().max(1000).optional() });
