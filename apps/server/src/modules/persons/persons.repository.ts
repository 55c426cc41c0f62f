import type { PopulationType } from '@gridgov/contracts/registry-codes';
import type { Insertable } from 'kysely';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB, PersonTable } from '../../db/schema.js';
import { inSubtrees, likeLiteral } from '../regions/subtree.js';
import type { GridFilter } from '../registry-common/record-scope.js';

/** Search counts stop here: past it the total is a lower bound (no unbounded count over a district). */
/** Counts stop here ("2000+"): nobody pages further, and counting a whole surname costs a heap visit per row. */
export const SEARCH_COUNT_CAP = 2_001;

/** What a person search may return and what the caller asked for (already scope-checked by the service). */
export interface PersonSearchFilter {
  /** Grids the caller may read (`scope.gridFilter`); null = every grid. */
  grids: GridFilter;
  /** Name text: exact and prefix matches first, then pg_trgm similarity (`%`). */
  q?: string;
  /** Blind index of an exact 身份证号 / document number (any of these). */
  idNumberBidx?: Buffer[];
  /** Blind index of an exact phone. */
  phoneBidx?: Buffer;
  /** Address text (current address or house address, ILIKE). */
  address?: string;
  tag?: string;
  populationType?: PopulationType;
  /** Only persons with an open entry in this register (the service checks the caller may see it). */
  register?: string;
  /** Sensitivities whose register codes are listed in `registers` of each row. */
  visibleSensitivities: readonly number[];
  limit: number;
  offset: number;
}

export interface PersonSearchRow {
  id: string;
  name: string;
  sex: 'male' | 'female' | 'unknown';
  birth_date: string | null;
  doc_type: string;
  id_number_masked: string | null;
  phone_masked: string | null;
  population_type: PopulationType;
  address: string | null;
  house_id: string | null;
  tags: string[];
  registers: string[];
  grid_id: string;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
  verified_at: Date | null;
  score: number | null;
}

export interface PersonSearchResult {
  rows: PersonSearchRow[];
  total: number;
  totalIsLowerBound: boolean;
}

/** A person with its grid, community and region path (for scope checks) and its point. */
export interface PersonRow {
  id: string;
  name: string;
  doc_type: 'id_card' | 'passport' | 'hk_macao' | 'taiwan' | 'foreign_pr' | 'other';
  id_number_enc: Uint8Array | null;
  id_number_masked: string | null;
  sex: 'male' | 'female' | 'unknown';
  birth_date: string | null;
  ethnicity: string | null;
  native_place: string | null;
  hukou_place: string | null;
  hukou_address: string | null;
  current_address: string | null;
  phone_enc: Uint8Array | null;
  phone_bidx: Uint8Array | null;
  phone_masked: string | null;
  marital: string | null;
  political: string | null;
  education: string | null;
  religion: string | null;
  occupation: string | null;
  workplace: string | null;
  population_type: PopulationType;
  grid_id: string;
  house_id: string | null;
  house_address: string | null;
  tags: string[];
  note: string | null;
  status: 'active' | 'moved_out' | 'deceased' | 'merged';
  merged_into: string | null;
  verified_at: Date | null;
  verified_by_name: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
  region_path: string;
}

function searchConditions(f: PersonSearchFilter): RawBuilder<SqlBool>[] {
  const c: RawBuilder<SqlBool>[] = [sql<SqlBool>`p.status = 'active'`];
  if (f.grids !== null) c.push(sql<SqlBool>`p.grid_id = any(${sql.val(f.grids)}::uuid[])`);
  if (f.idNumberBidx) {
    c.push(f.idNumberBidx.length ? sql<SqlBool>`p.id_number_bidx in (${sql.join(f.idNumberBidx.map((b) => sql.val(b)))})` : sql<SqlBool>`false`);
  }
  if (f.phoneBidx) c.push(sql<SqlBool>`p.phone_bidx = ${f.phoneBidx}`);
  if (f.address) {
    const pat = `%${likeLiteral(f.address)}%`;
    // The matching houses once (trigram index on house.address), not a subquery per person row.
    c.push(sql<SqlBool>`(p.current_address ilike ${pat} or p.house_id = any(array(select h.id from house h where h.address ilike ${pat})))`);
  }
  // cardinality(tags) > 0 matches the partial index (migrations/20261124120000).
  if (f.tag) c.push(sql<SqlBool>`cardinality(p.tags) > 0 and p.tags @> array[${f.tag}]::text[]`);
  if (f.populationType) c.push(sql<SqlBool>`p.population_type = ${f.populationType}`);
  if (f.register) {
    c.push(sql<SqlBool>`exists (select 1 from special_entry e where e.person_id = p.id and e.type_code = ${f.register} and e.ended_at is null)`);
  }
  return c;
}

const and = (c: RawBuilder<SqlBool>[]) => sql<SqlBool>`${sql.join(c, sql` and `)}`;

/** A WGS84 point as the SQL the person's `geom` column takes, or null. */
export const pointSql = (pt: [number, number] | null) => (pt ? sql<string>`ST_SetSRID(ST_MakePoint(${pt[0]}, ${pt[1]}), 4326)` : null);

export function createPersonsRepository(db: Kysely<DB>) {
  /**
   * Person search. With a name, three ranked tiers — exact name, name prefix (btree), pg_trgm similarity
   * (GIN `%`). The exact and prefix tiers run first, limited to offset+limit rows, with their own count; the
   * similarity tier runs only when they do not fill the page. Short CJK names share their leading trigram
   * ('  王') with every namesake, so a `%` scan costs a pass over a whole surname: it is paid only when the
   * user has paged past every prefix match. The total then counts the similarity matches too; before that
   * it counts prefix matches and says it is a lower bound. Counts stop at SEARCH_COUNT_CAP.
   */
  async function search(f: PersonSearchFilter, trx: Kysely<DB> = db): Promise<PersonSearchResult> {
    const base = searchConditions(f);
    const need = f.offset + f.limit;
    type Hit = { id: string; tier: number; score: number | null; name: string };
    let ids: Hit[];
    let total: number;
    let totalIsLowerBound: boolean;
    const capped = (where: RawBuilder<SqlBool>) =>
      sql<{ n: number }>`select count(*)::int as n from (select 1 from person p where ${and(base)} and ${where} limit ${SEARCH_COUNT_CAP}) c`;
    if (f.q) {
      const q = f.q;
      const prefix = `${likeLiteral(q)}%`;
      // One character is a surname: prefix matches say everything.
      const fuzzy = [...q].length >= 2;
      const prefixQuery = sql<Hit>`
        select id, tier, score, name from (
          (select p.id, 0 as tier, 1::real as score, p.name from person p where ${and(base)} and p.name = ${q} order by p.id limit ${need})
          union all
          (select p.id, 1 as tier, similarity(p.name, ${q}) as score, p.name from person p
            where ${and(base)} and p.name collate "C" like ${prefix} and p.name <> ${q} order by p.name collate "C", p.id limit ${need})
        ) t order by tier, score desc, name, id limit ${need}`;
      // Page and count are independent: on PostgreSQL they run on two pooled connections at once (PGlite serialises them).
      const [head, headCount] = await Promise.all([prefixQuery.execute(trx), capped(sql<SqlBool>`p.name collate "C" like ${prefix}`).execute(trx)]);
      const nPrefix = headCount.rows[0]?.n ?? 0;
      let hits = head.rows;
      total = nPrefix;
      totalIsLowerBound = nPrefix >= SEARCH_COUNT_CAP || (fuzzy && hits.length >= need);
      if (fuzzy && hits.length < need) {
        const similar = sql<SqlBool>`p.name % ${q} and p.name collate "C" not like ${prefix}`;
        const [tail, tailCount] = await Promise.all([
          sql<Hit>`select p.id, 2 as tier, similarity(p.name, ${q}) as score, p.name from person p
            where ${and(base)} and ${similar} order by similarity(p.name, ${q}) desc, p.id limit ${need - hits.length}`.execute(trx),
          capped(similar).execute(trx),
        ]);
        hits = [...hits, ...tail.rows];
        const nSimilar = tailCount.rows[0]?.n ?? 0;
        total = nPrefix + nSimilar;
        totalIsLowerBound = nPrefix + nSimilar >= SEARCH_COUNT_CAP;
      }
      ids = hits.slice(f.offset, need);
    } else {
      // Without any narrowing, sorting a whole district by name costs a full sort: list in record order instead.
      const narrowed = base.length > 1;
      const order = narrowed ? sql`p.name, p.id` : sql`p.id`;
      const [page, counted] = await Promise.all([
        sql<Hit>`select p.id, 0 as tier, null::real as score, p.name from person p where ${and(base)} order by ${order} offset ${f.offset} limit ${f.limit}`.execute(
          trx,
        ),
        capped(sql<SqlBool>`true`).execute(trx),
      ]);
      ids = page.rows;
      total = counted.rows[0]?.n ?? 0;
      totalIsLowerBound = total >= SEARCH_COUNT_CAP;
    }
    total = Math.max(total, ids.length ? f.offset + ids.length : 0);
    if (ids.length === 0) return { rows: [], total, totalIsLowerBound };
    const rows = await summaries(
      ids.map((r) => r.id),
      f.visibleSensitivities,
      trx,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: PersonSearchRow[] = [];
    for (const r of ids) {
      const row = byId.get(r.id);
      if (row) out.push({ ...row, score: r.score === null ? null : Number(r.score) });
    }
    return { rows: out, total, totalIsLowerBound };
  }

  /** Summary rows (masked numbers, grid, visible register codes) of the given persons, any order. */
  async function summaries(ids: readonly string[], visible: readonly number[], trx: Kysely<DB> = db): Promise<Omit<PersonSearchRow, 'score'>[]> {
    if (ids.length === 0) return [];
    const r = await sql<Omit<PersonSearchRow, 'score'>>`
      select p.id, p.name, p.sex, p.birth_date::text as birth_date, p.doc_type, p.id_number_masked, p.phone_masked, p.population_type,
        coalesce(h.address, p.current_address) as address, p.house_id, p.tags,
        array(select e.type_code from special_entry e where e.person_id = p.id and e.ended_at is null
              and e.sensitivity = any(${sql.val(visible)}::smallint[]) order by e.type_code) as registers,
        p.grid_id, g.code as grid_code, g.name as grid_name, c.id as community_id, c.name as community_name, p.verified_at
      from person p
      join grid g on g.id = p.grid_id
      join region c on c.id = g.community_id
      left join house h on h.id = p.house_id
      where p.id = any(${sql.val(ids)}::uuid[])`.execute(trx);
    return r.rows;
  }

  return {
    search,
    summaries,

    // ─── writes (called inside the service's transaction) ──────────────────────────────────────

    /** `geom` is an SQL point expression (ST_MakePoint …) or null. */
    async insertPerson(values: Omit<Insertable<PersonTable>, 'geom'> & { geom: RawBuilder<unknown> | null }, trx: Kysely<DB>): Promise<string> {
      return (
        await trx
          .insertInto('person')
          .values(values as Insertable<PersonTable>)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },

    async updatePerson(id: string, set: Record<string, unknown>, trx: Kysely<DB>) {
      await trx
        .updateTable('person')
        .set({ ...set, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute();
    },

    async setVerified(id: string, userId: string, at: Date, trx: Kysely<DB>) {
      await trx.updateTable('person').set({ verified_at: at, verified_by: userId }).where('id', '=', id).execute();
    },

    async openResidence(
      r: { personId: string; houseId: string | null; gridId: string; relation: 'owner' | 'tenant' | 'resident'; since: string },
      trx: Kysely<DB>,
    ) {
      await trx
        .insertInto('residence')
        .values({ person_id: r.personId, house_id: r.houseId, grid_id: r.gridId, relation: r.relation, since: r.since })
        .execute();
    },

    currentResidences(personId: string, trx: Kysely<DB>) {
      return trx.selectFrom('residence').select(['id', 'since']).where('person_id', '=', personId).where('until', 'is', null).execute();
    },

    async closeResidences(personId: string, until: string, trx: Kysely<DB>) {
      await trx.updateTable('residence').set({ until }).where('person_id', '=', personId).where('until', 'is', null).execute();
    },

    indexesOf(id: string, trx: Kysely<DB>) {
      return trx.selectFrom('person').select(['id_number_bidx', 'phone_bidx']).where('id', '=', id).executeTakeFirstOrThrow();
    },

    /** The duplicate becomes a pointer to the survivor; its blind index is released first (it is unique). */
    async markMerged(dupId: string, survivorId: string, trx: Kysely<DB>) {
      await trx
        .updateTable('person')
        .set({ status: 'merged', merged_into: survivorId, id_number_bidx: null, updated_at: sql`now()` })
        .where('id', '=', dupId)
        .execute();
    },

    /**
     * What hangs on a merged duplicate moves to the survivor: residence history, register entries (one open
     * entry per register: the survivor's wins, the duplicate's is ended), and household membership unless the
     * survivor has a household already.
     */
    async moveDependents(dupId: string, survivorId: string, trx: Kysely<DB>) {
      await trx.updateTable('residence').set({ person_id: survivorId }).where('person_id', '=', dupId).execute();
      await sql`update special_entry d set ended_at = now(), note = coalesce(d.note || ' ', '') || '（重复人员合并）'
        where d.person_id = ${dupId} and d.ended_at is null
          and exists (select 1 from special_entry s where s.person_id = ${survivorId} and s.type_code = d.type_code and s.ended_at is null)`.execute(trx);
      await trx.updateTable('special_entry').set({ person_id: survivorId }).where('person_id', '=', dupId).execute();
      const hasHousehold = await trx.selectFrom('household_member').select('household_id').where('person_id', '=', survivorId).executeTakeFirst();
      if (hasHousehold) await trx.deleteFrom('household_member').where('person_id', '=', dupId).execute();
      else await trx.updateTable('household_member').set({ person_id: survivorId }).where('person_id', '=', dupId).execute();
    },

    /**
     * Sets the household of `personId` (creating it when the person has none) to exactly `members`; each
     * member leaves any other household first (one household at a time). Returns the household id.
     */
    async saveHousehold(
      personId: string,
      h: { number: string | null; houseId: string | null; defaultHouseId: string | null; members: { personId: string; relation: string }[] },
      trx: Kysely<DB>,
    ): Promise<string> {
      const current = await trx.selectFrom('household_member').select('household_id').where('person_id', '=', personId).executeTakeFirst();
      let hid: string;
      if (current) {
        hid = current.household_id;
        await trx.updateTable('household').set({ number: h.number, house_id: h.houseId, updated_at: sql`now()` }).where('id', '=', hid).execute();
        await trx.deleteFrom('household_member').where('household_id', '=', hid).execute();
      } else {
        hid = (
          await trx
            .insertInto('household')
            .values({ number: h.number, house_id: h.houseId ?? h.defaultHouseId })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      await trx
        .deleteFrom('household_member')
        .where(
          'person_id',
          'in',
          h.members.map((m) => m.personId),
        )
        .execute();
      await trx
        .insertInto('household_member')
        .values(h.members.map((m) => ({ household_id: hid, person_id: m.personId, relation: m.relation })))
        .execute();
      return hid;
    },

    // ─── register entries and break-the-glass grants ───────────────────────────────────────────

    async insertEntry(
      e: {
        personId: string;
        typeCode: string;
        sensitivity: number;
        level: string;
        fields: Record<string, unknown>;
        since: string | null;
        until: string | null;
        note: string | null;
        createdBy: string;
      },
      trx: Kysely<DB>,
    ): Promise<string> {
      const row = await trx
        .insertInto('special_entry')
        .values({
          person_id: e.personId,
          type_code: e.typeCode,
          sensitivity: e.sensitivity,
          level: e.level,
          fields: JSON.stringify(e.fields),
          since: e.since,
          until: e.until,
          note: e.note,
          created_by: e.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async updateEntry(id: string, patch: { level?: string; fields?: Record<string, unknown>; since?: string; until?: string; note?: string }, trx: Kysely<DB>) {
      await trx
        .updateTable('special_entry')
        .set({
          ...(patch.level !== undefined ? { level: patch.level } : {}),
          ...(patch.fields !== undefined ? { fields: JSON.stringify(patch.fields) } : {}),
          ...(patch.since !== undefined ? { since: patch.since } : {}),
          ...(patch.until !== undefined ? { until: patch.until } : {}),
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Ends an entry; without a date it ends today. */
    async endEntry(id: string, e: { at: Date; until: string | null; note: string | null }, trx: Kysely<DB>) {
      await trx
        .updateTable('special_entry')
        .set({ ended_at: e.at, until: e.until ?? sql`current_date`, note: e.note, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute();
    },

    /** The caller's unexpired grant on a person, if any. */
    openGrantOf(userId: string, personId: string, at: Date, trx: Kysely<DB> = db) {
      return trx
        .selectFrom('break_glass_grant')
        .select(['id'])
        .where('user_id', '=', userId)
        .where('person_id', '=', personId)
        .where('expires_at', '>', at)
        .orderBy('expires_at', 'desc')
        .executeTakeFirst();
    },

    async countGrantReads(grantId: string, entries: number, trx: Kysely<DB>) {
      await trx
        .updateTable('break_glass_grant')
        .set({ entries_seen: sql`entries_seen + ${entries}` })
        .where('id', '=', grantId)
        .execute();
    },

    async insertGrant(g: { userId: string; personId: string; reason: string; at: Date; expires: Date; regionPath: string }, trx: Kysely<DB>): Promise<string> {
      const row = await trx
        .insertInto('break_glass_grant')
        .values({ user_id: g.userId, person_id: g.personId, reason: g.reason, granted_at: g.at, expires_at: g.expires, region_path: g.regionPath })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** A grant with the names of its holder, its person and its reviewer. */
    async grantRow(id: string, trx: Kysely<DB> = db) {
      const r = await sql<{
        id: string;
        user_id: string;
        user_name: string;
        person_id: string;
        person_name: string;
        reason: string;
        granted_at: Date;
        expires_at: Date;
        entries_seen: number;
        review_outcome: 'justified' | 'unjustified' | null;
        review_note: string | null;
        reviewer_name: string | null;
        reviewed_at: Date | null;
      }>`select b.id, b.user_id, u.display_name as user_name, b.person_id, p.name as person_name, b.reason, b.granted_at, b.expires_at, b.entries_seen,
            b.review_outcome, b.review_note, ru.display_name as reviewer_name, b.reviewed_at
          from break_glass_grant b join app_user u on u.id = b.user_id join person p on p.id = b.person_id left join app_user ru on ru.id = b.reviewed_by
          where b.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    grantById(id: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('break_glass_grant').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Grant ids, newest first: those of the region subtrees (`regionPaths`) or, without them, of one user. */
    async grantIds(f: { regionPaths: string[] | null; userId: string; pending?: boolean; limit: number; offset: number }, trx: Kysely<DB> = db) {
      let query = trx.selectFrom('break_glass_grant as b');
      query = f.regionPaths ? query.where(inSubtrees('b.region_path', f.regionPaths)) : query.where('b.user_id', '=', f.userId);
      if (f.pending === true) query = query.where('b.reviewed_at', 'is', null);
      if (f.pending === false) query = query.where('b.reviewed_at', 'is not', null);
      const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
      const rows = await query.select('b.id').orderBy('b.granted_at', 'desc').orderBy('b.id').limit(f.limit).offset(f.offset).execute();
      return { ids: rows.map((r) => r.id), total };
    },

    /** Records the review unless someone reviewed first; false when they did. */
    async reviewGrant(id: string, r: { outcome: 'justified' | 'unjustified'; note: string | null; by: string; at: Date }, trx: Kysely<DB>): Promise<boolean> {
      const updated = await trx
        .updateTable('break_glass_grant')
        .set({ review_outcome: r.outcome, review_note: r.note, reviewed_by: r.by, reviewed_at: r.at })
        .where('id', '=', id)
        .where('reviewed_at', 'is', null)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async byId(id: string, trx: Kysely<DB> = db): Promise<PersonRow | undefined> {
      const r = await sql<PersonRow>`
        select p.id, p.name, p.doc_type, p.id_number_enc, p.id_number_masked, p.sex, p.birth_date::text as birth_date, p.ethnicity,
          p.native_place, p.hukou_place, p.hukou_address, p.current_address, p.phone_enc, p.phone_bidx, p.phone_masked, p.marital, p.political,
          p.education, p.religion, p.occupation, p.workplace, p.population_type, p.grid_id, p.house_id, h.address as house_address, p.tags,
          p.note, p.status, p.merged_into, p.verified_at, vu.display_name as verified_by_name, cu.display_name as created_by_name,
          p.created_at, p.updated_at, g.code as grid_code, g.name as grid_name, c.id as community_id, c.name as community_name, c.path as region_path
        from person p
        join grid g on g.id = p.grid_id
        join region c on c.id = g.community_id
        left join house h on h.id = p.house_id
        left join app_user vu on vu.id = p.verified_by
        left join app_user cu on cu.id = p.created_by
        where p.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    /** The person holding a blind index (any status but merged). */
    async byIdNumberBidx(bidx: Buffer, trx: Kysely<DB> = db) {
      return trx
        .selectFrom('person as p')
        .innerJoin('grid as g', 'g.id', 'p.grid_id')
        .innerJoin('region as c', 'c.id', 'g.community_id')
        .select(['p.id', 'p.grid_id', 'c.path as region_path'])
        .where('p.id_number_bidx', '=', bidx)
        .executeTakeFirst();
    },

    /** A house's grid and point, for placing a person by house. */
    async housePlace(houseId: string, trx: Kysely<DB> = db) {
      const r = await sql<{ id: string; grid_id: string; address: string; lng: number | null; lat: number | null }>`
        select id, grid_id, address, ST_X(geom) as lng, ST_Y(geom) as lat from house where id = ${houseId}`.execute(trx);
      return r.rows[0];
    },

    async regionPath(regionId: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      return (await trx.selectFrom('region').select('path').where('id', '=', regionId).executeTakeFirst())?.path;
    },

    async freshnessDays(trx: Kysely<DB> = db): Promise<number> {
      const r = await trx.selectFrom('app_setting').select('value').where('key', '=', 'registry.freshness_days').executeTakeFirst();
      const v = r ? Number(typeof r.value === 'string' ? r.value : r.value) : Number.NaN;
      return Number.isFinite(v) && v > 0 ? v : 180;
    },

    async residence(personId: string, trx: Kysely<DB> = db) {
      const r = await sql<{
        house_id: string | null;
        address: string | null;
        grid_name: string | null;
        relation: 'owner' | 'tenant' | 'resident';
        since: string | null;
        until: string | null;
      }>`
        select r.house_id, h.address, g.name as grid_name, r.relation, r.since::text as since, r.until::text as until
        from residence r left join house h on h.id = r.house_id left join grid g on g.id = r.grid_id
        where r.person_id = ${personId} order by r.until is null desc, r.since desc nulls last, r.id desc`.execute(trx);
      return r.rows;
    },

    async changes(personId: string, trx: Kysely<DB> = db) {
      return (
        trx
          .selectFrom('record_change')
          .select(['at', 'actor_name', 'action', 'fields', 'note'])
          // The person's own rows, and the row an import batch shares among the persons it created.
          .where((eb) =>
            eb.or([
              eb.and([eb('entity', '=', 'person'), eb('entity_id', '=', personId)]),
              eb('id', '=', eb.selectFrom('person').select('created_change').where('id', '=', personId)),
            ]),
          )
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(100)
          .execute()
      );
    },

    async householdOf(personId: string, trx: Kysely<DB> = db) {
      const hh = await sql<{ id: string; number: string | null; house_id: string | null; address: string | null }>`
        select hh.id, hh.number, hh.house_id, h.address from household_member m join household hh on hh.id = m.household_id
        left join house h on h.id = hh.house_id where m.person_id = ${personId}`.execute(trx);
      const row = hh.rows[0];
      if (!row) return null;
      const members = await sql<{ person_id: string; name: string; relation: string; sex: 'male' | 'female' | 'unknown'; birth_date: string | null }>`
        select m.person_id, p.name, m.relation, p.sex, p.birth_date::text as birth_date from household_member m join person p on p.id = m.person_id
        where m.household_id = ${row.id} order by m.relation <> 'head', p.birth_date nulls last, p.name`.execute(trx);
      return { ...row, members: members.rows };
    },

    /** Open special entries of a person with their grid (through the person). */
    async entriesOf(personId: string, trx: Kysely<DB> = db) {
      return entryRows(sql<SqlBool>`e.person_id = ${personId} and e.ended_at is null`, trx);
    },

    async entryById(id: string, trx: Kysely<DB> = db) {
      return (await entryRows(sql<SqlBool>`e.id = ${id}`, trx))[0];
    },

    async listEntries(
      f: { grids: GridFilter; visible: readonly number[]; typeCode?: string; level?: string; limit: number; offset: number },
      trx: Kysely<DB> = db,
    ) {
      const c: RawBuilder<SqlBool>[] = [
        sql<SqlBool>`e.ended_at is null`,
        sql<SqlBool>`p.status = 'active'`,
        sql<SqlBool>`e.sensitivity = any(${sql.val(f.visible)}::smallint[])`,
      ];
      if (f.grids !== null) c.push(sql<SqlBool>`p.grid_id = any(${sql.val(f.grids)}::uuid[])`);
      if (f.typeCode) c.push(sql<SqlBool>`e.type_code = ${f.typeCode}`);
      if (f.level) c.push(sql<SqlBool>`e.level = ${f.level}`);
      const where = and(c);
      const count = await sql<{ n: number }>`select count(*)::int as n from special_entry e join person p on p.id = e.person_id where ${where}`.execute(trx);
      const rows = await entryRows(where, trx, sql`order by e.created_at desc, e.id limit ${f.limit} offset ${f.offset}`);
      return { rows, total: count.rows[0]?.n ?? 0 };
    },
  };
}

export interface EntryRow {
  id: string;
  person_id: string;
  person_name: string;
  type_code: string;
  sensitivity: number;
  level: string;
  fields: Record<string, unknown>;
  since: string | null;
  until: string | null;
  note: string | null;
  ended_at: Date | null;
  grid_id: string;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
  region_path: string;
}

async function entryRows(where: RawBuilder<SqlBool>, trx: Kysely<DB>, tail: RawBuilder<unknown> = sql`order by e.type_code`): Promise<EntryRow[]> {
  const r = await sql<EntryRow>`
    select e.id, e.person_id, p.name as person_name, e.type_code, e.sensitivity, e.level, e.fields, e.since::text as since, e.until::text as until,
      e.note, e.ended_at, p.grid_id, g.code as grid_code, g.name as grid_name, c.id as community_id, c.name as community_name, c.path as region_path
    from special_entry e join person p on p.id = e.person_id join grid g on g.id = p.grid_id join region c on c.id = g.community_id
    where ${where} ${tail}`.execute(trx);
  return r.rows.map((row) => ({ ...row, sensitivity: Number(row.sensitivity), fields: fromJson<Record<string, unknown>>(row.fields) }));
}

export type PersonsRepository = ReturnType<typeof createPersonsRepository>;
