import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A catalogue item offered as an Open311 service, with its current rules. */
export interface ServiceRow {
  id: string;
  code: string;
  name: string;
  class_name: string;
  level: string;
  limits: unknown;
  closure: string;
  keywords: unknown;
}

/** The public fields of a case (never the reporter's). */
export interface RequestRow {
  id: string;
  case_no: string;
  status: string;
  stage: string | null;
  stage_due_at: Date | null;
  handle_due_at: Date | null;
  reported_at: Date;
  updated_at: Date;
  description: string;
  address: string | null;
  channel: string;
  category_code: string;
  category_name: string;
  lead_name: string | null;
  region_name: string;
  lng: number | null;
  lat: number | null;
  media_url: string | null;
  media_error: string | null;
  address_id: string | null;
}

export interface TimelineRow {
  case_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  /** Only for the actions whose note is public (null otherwise). */
  note: string | null;
  created_at: Date;
}

export interface RequestFilter {
  caseNos?: readonly string[];
  serviceCodes?: readonly string[];
  from?: Date;
  to?: Date;
  statuses?: readonly string[];
  excludeCodes: readonly string[];
  limit: number;
}

export function createOpen311Repository(db: Kysely<DB>) {
  const services = (trx: Kysely<DB>) =>
    trx
      .selectFrom('event_category as i')
      .innerJoin('event_category as c', 'c.id', 'i.parent_id')
      .innerJoin('event_category_version as v', (j) => j.onRef('v.category_id', '=', 'i.id').onRef('v.version', '=', 'i.current_version'))
      .select(['i.id', 'i.code', 'i.name', 'c.name as class_name', 'v.level', 'v.limits', 'v.closure', 'v.keywords'])
      .where('i.kind', '=', 'item')
      .where('i.active', '=', true)
      .where('c.active', '=', true);

  const requests = (trx: Kysely<DB>) =>
    trx
      .selectFrom('event_case as e')
      .innerJoin('event_category as cat', 'cat.id', 'e.category_id')
      .innerJoin('region as r', 'r.id', 'e.region_id')
      .leftJoin('org_unit as o', 'o.id', 'e.lead_org_unit_id')
      .leftJoin('open311_request as q', 'q.case_id', 'e.id')
      .select([
        'e.id',
        'e.case_no',
        'e.status',
        'e.stage',
        'e.stage_due_at',
        'e.handle_due_at',
        'e.reported_at',
        'e.updated_at',
        'e.description',
        'e.address',
        'e.channel',
        'cat.code as category_code',
        'cat.name as category_name',
        'o.name as lead_name',
        'r.name as region_name',
        sql<number | null>`ST_X(e.geom)`.as('lng'),
        sql<number | null>`ST_Y(e.geom)`.as('lat'),
        'q.media_url',
        'q.media_error',
        'q.address_id',
      ]);

  return {
    /** Active items of active classes, in catalogue order. */
    async listServices(): Promise<ServiceRow[]> {
      return services(db).orderBy('c.sort_order').orderBy('i.sort_order').orderBy('i.code').execute();
    },

    async serviceByCode(code: string, trx: Kysely<DB> = db): Promise<ServiceRow | undefined> {
      return services(trx).where('i.code', '=', code).executeTakeFirst();
    },

    /** Cases by the spec's filters, newest first. */
    async listRequests(f: RequestFilter): Promise<RequestRow[]> {
      let q = requests(db);
      if (f.caseNos?.length) q = q.where('e.case_no', 'in', [...f.caseNos]);
      if (f.serviceCodes?.length) q = q.where('cat.code', 'in', [...f.serviceCodes]);
      if (f.excludeCodes.length) q = q.where('cat.code', 'not in', [...f.excludeCodes]);
      if (f.from) q = q.where('e.reported_at', '>=', f.from);
      if (f.to) q = q.where('e.reported_at', '<', f.to);
      if (f.statuses?.length) q = q.where('e.status', 'in', [...f.statuses]);
      return (await q.orderBy('e.reported_at', 'desc').orderBy('e.id', 'desc').limit(f.limit).execute()) as RequestRow[];
    },

    async requestByCaseNo(caseNo: string): Promise<RequestRow | undefined> {
      return (await requests(db).where('e.case_no', '=', caseNo).executeTakeFirst()) as RequestRow | undefined;
    },

    /** The timeline entries of the cases, minus `hidden` actions; notes only of `publicNotes` actions. */
    async timelines(caseIds: readonly string[], hidden: readonly string[], publicNotes: readonly string[]): Promise<TimelineRow[]> {
      if (!caseIds.length) return [];
      return db
        .selectFrom('event_case_action')
        .select([
          'case_id',
          'seq',
          'action',
          'from_status',
          'to_status',
          sql<string | null>`CASE WHEN action = ANY(${sql.val([...publicNotes])}::text[]) THEN note END`.as('note'),
          'created_at',
        ])
        .where('case_id', 'in', [...caseIds])
        .where('action', 'not in', [...hidden])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
    },

    /** Every region whose boundary holds the point, deepest first. */
    async regionsAt(lng: number, lat: number): Promise<{ id: string; name: string; level: string; path: string }[]> {
      const r = await sql<{ id: string; name: string; level: string; path: string }>`
        SELECT id, name, level, path FROM region
        WHERE boundary IS NOT NULL AND ST_Intersects(boundary, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
        ORDER BY length(path) DESC`.execute(db);
      return r.rows;
    },

    async communityOfGrid(gridId: string): Promise<{ id: string; name: string; path: string } | undefined> {
      return db
        .selectFrom('grid as g')
        .innerJoin('region as r', 'r.id', 'g.community_id')
        .select(['r.id', 'r.name', 'r.path'])
        .where('g.id', '=', gridId)
        .executeTakeFirst();
    },

    async insertRequest(
      row: {
        caseId: string;
        tokenId: string;
        jurisdictionId: string | null;
        deviceId: string | null;
        accountId: string | null;
        addressId: string | null;
        emailEnc: Buffer | null;
        emailMasked: string | null;
        mediaUrl: string | null;
        mediaError: string | null;
      },
      trx: Kysely<DB>,
    ) {
      await trx
        .insertInto('open311_request')
        .values({
          case_id: row.caseId,
          token_id: row.tokenId,
          jurisdiction_id: row.jurisdictionId,
          device_id: row.deviceId,
          account_id: row.accountId,
          address_id: row.addressId,
          email_enc: row.emailEnc,
          email_masked: row.emailMasked,
          media_url: row.mediaUrl,
          media_error: row.mediaError,
        })
        .execute();
    },
  };
}
export type Open311Repository = ReturnType<typeof createOpen311Repository>;
