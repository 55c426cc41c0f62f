import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeLiteral } from '../regions/subtree.js';
import type { GridFilter } from '../registry-common/record-scope.js';
import { freshnessColumns, gridCondition, type LocatedRow, locatedColumns, locatedJoins, pointSql, verifiedJoin } from './common.js';

export interface OrganisationRow extends LocatedRow {
  id: string;
  kind: 'enterprise' | 'individual' | 'social' | 'party' | 'institution';
  name: string;
  uscc: string | null;
  legal_rep_name: string | null;
  phone_masked: string | null;
  address: string | null;
  house_id: string | null;
  employees: number | null;
  key_premises: boolean;
  key_premises_type: string | null;
  attention: 'normal' | 'medium' | 'serious' | null;
  has_party_org: boolean | null;
  note: string | null;
}

export interface OrganisationValues {
  kind: OrganisationRow['kind'];
  name: string;
  uscc: string | null;
  legalRepName: string | null;
  phone: { enc: Buffer; bidx: Buffer; masked: string } | null;
  address: string | null;
  houseId: string | null;
  employees: number | null;
  keyPremises: boolean;
  keyPremisesType: string | null;
  attention: OrganisationRow['attention'];
  hasPartyOrg: boolean | null;
  note: string | null;
  gridId: string;
  point: [number, number] | null;
}

const select = (days: number) => sql`SELECT x.id, x.kind, x.name, x.uscc, x.legal_rep_name, x.phone_masked, x.address, x.house_id, x.employees,
    x.key_premises, x.key_premises_type, x.attention, x.has_party_org, x.note, ${locatedColumns}, ${freshnessColumns(days)}
  FROM organisation x ${locatedJoins} ${verifiedJoin}`;

export function createOrganisationsRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async get(id: string, days: number, trx: Kysely<DB> = db): Promise<OrganisationRow | undefined> {
      const r = await sql<OrganisationRow>`${select(days)} WHERE x.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    async list(
      f: { filter: GridFilter; q?: string; uscc?: string; kind?: string; keyPremises?: boolean; gridId?: string; limit: number; offset: number; days: number },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: OrganisationRow[]; total: number }> {
      const where = sql`WHERE true ${gridCondition(f.filter)} ${f.gridId ? sql`AND x.grid_id = ${f.gridId}` : sql``}
        ${f.q ? sql`AND (x.name ILIKE ${`%${likeLiteral(f.q)}%`} OR x.address ILIKE ${`%${likeLiteral(f.q)}%`})` : sql``}
        ${f.uscc ? sql`AND x.uscc = ${f.uscc.toUpperCase()}` : sql``} ${f.kind ? sql`AND x.kind = ${f.kind}` : sql``}
        ${f.keyPremises === undefined ? sql`` : sql`AND x.key_premises = ${f.keyPremises}`}`;
      const rows = await sql<OrganisationRow>`${select(f.days)} ${where} ORDER BY x.name, x.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organisation x ${where}`.execute(trx);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async idByUscc(uscc: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const r = await trx.selectFrom('organisation').select('id').where('uscc', '=', uscc).executeTakeFirst();
      return r?.id;
    },

    async phoneEnc(id: string, trx: Kysely<DB> = db): Promise<Buffer | null> {
      const r = await trx.selectFrom('organisation').select('phone_enc').where('id', '=', id).executeTakeFirst();
      return (r?.phone_enc as Buffer | null | undefined) ?? null;
    },

    /** The grid and point of a house (an organisation placed in a registered house takes them). */
    async housePlace(houseId: string, trx: Kysely<DB> = db): Promise<{ grid_id: string; lng: number | null; lat: number | null; address: string } | undefined> {
      const r = await sql<{ grid_id: string; lng: number | null; lat: number | null; address: string }>`
        SELECT grid_id, ST_X(geom) AS lng, ST_Y(geom) AS lat, address FROM house WHERE id = ${houseId}`.execute(trx);
      return r.rows[0];
    },

    async insert(v: OrganisationValues, createdBy: string, trx: Kysely<DB>): Promise<string> {
      const r = await sql<{ id: string }>`INSERT INTO organisation (kind, name, uscc, legal_rep_name, phone_enc, phone_bidx, phone_masked, address, house_id,
          employees, key_premises, key_premises_type, attention, has_party_org, note, grid_id, geom, created_by)
        VALUES (${v.kind}, ${v.name}, ${v.uscc}, ${v.legalRepName}, ${v.phone?.enc ?? null}, ${v.phone?.bidx ?? null}, ${v.phone?.masked ?? null},
          ${v.address}, ${v.houseId}, ${v.employees}, ${v.keyPremises}, ${v.keyPremisesType}, ${v.attention}, ${v.hasPartyOrg}, ${v.note},
          ${v.gridId}, ${pointSql(v.point)}, ${createdBy})
        RETURNING id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    /** `phone: undefined` leaves the stored number alone. */
    async update(id: string, v: Omit<OrganisationValues, 'phone'> & { phone?: OrganisationValues['phone'] }, trx: Kysely<DB>): Promise<void> {
      const phone =
        v.phone === undefined
          ? sql``
          : sql`phone_enc = ${v.phone?.enc ?? null}, phone_bidx = ${v.phone?.bidx ?? null}, phone_masked = ${v.phone?.masked ?? null},`;
      await sql`UPDATE organisation SET kind = ${v.kind}, name = ${v.name}, uscc = ${v.uscc}, legal_rep_name = ${v.legalRepName}, ${phone}
          address = ${v.address}, house_id = ${v.houseId}, employees = ${v.employees}, key_premises = ${v.keyPremises},
          key_premises_type = ${v.keyPremisesType}, attention = ${v.attention}, has_party_org = ${v.hasPartyOrg}, note = ${v.note},
          grid_id = ${v.gridId}, geom = ${pointSql(v.point)}, updated_at = now()
        WHERE id = ${id}`.execute(trx);
    },

    async verify(id: string, userId: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('organisation').set({ verified_at: sql`now()`, verified_by: userId }).where('id', '=', id).execute();
    },
  };
}
export type OrganisationsRepository = ReturnType<typeof createOrganisationsRepository>;
