import { checkIdNumber, idNumberCheckChar } from '@gridgov/contracts/identifiers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { testPii } from '../../../test/test-key.js';

/** A valid 身份证号 from 17 digits (address code, birth date, sequence). */
const idOf = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;

describe('persons: registration, one person one record, masking, scope, households, special groups, break-the-glass', () => {
  let t: TestApp;
  const s: Record<string, TestSession> = {};
  const grid: Record<string, string> = {};
  /** Clear-text numbers of every person this file registers, for the raw-table scan. */
  const plaintext: string[] = [];
  let zhang: { id: string; idNumber: string; phone: string };

  const create = async (who: TestSession, body: Record<string, unknown>) => t.as(who, { method: 'POST', url: '/api/persons', payload: body });
  const detail = (who: TestSession, id: string) => t.as(who, { method: 'GET', url: `/api/persons/${id}` });
  const auditRows = (action: string, targetId: string) =>
    t.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'details', 'region_path'])
      .where('action', '=', action)
      .where('target_id', '=', targetId)
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const gridOf = async (community: string, seq: number) =>
      (
        await db
          .selectFrom('grid as g')
          .innerJoin('region as r', 'r.id', 'g.community_id')
          .select('g.id')
          .where('r.code', '=', community)
          .where('g.seq', '=', seq)
          .where('g.valid_to', 'is', null)
          .executeTakeFirstOrThrow()
      ).id;
    grid.btq1 = await gridOf('370118001001', 1);
    grid.btq2 = await gridOf('370118001001', 2);
    grid.btq9 = await gridOf('370118001001', 9);
    grid.dmh1 = await gridOf('370118002002', 1);
    // Reads 趵突泉 but writes only 大明湖: every read of a 趵突泉 person is "outside the capture scope".
    const dmh = await regionByCode(db, '370118002002');
    const btq = await regionByCode(db, '370118001001');
    const viewer = await createUser(db, { username: 'sq_viewer', role: 'community_station', scopeRegionIds: [dmh.id] });
    await db.insertInto('user_scope').values({ user_id: viewer.id, kind: 'view', region_id: btq.id }).execute();
    for (const u of ['admin', 'qu_zhongxin', 'jd_quancheng', 'sq_baotuquan', 'wgz_baotuquan', 'wgy_baotuquan', 'wgy_daminghu', 'sq_viewer', 'bm_chengguan']) {
      s[u] = await t.login(u);
    }
  });
  afterAll(() => t.close());

  it('registers a person: numbers encrypted and masked, sex and birth date from the 身份证号, residence, change history and audit', async () => {
    const idNumber = idOf('37011819580312501');
    const phone = '13912345678';
    plaintext.push(idNumber, phone);
    const res = await create(s.wgy_baotuquan as TestSession, {
      name: '测试张建国',
      idNumber,
      phone,
      populationType: 'registered',
      gridId: grid.btq1,
      currentAddress: '趵突泉北路 1 号',
      tags: ['党员'],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    zhang = { id: p.id, idNumber, phone };
    expect(p.idNumberMasked).toBe(`3701**********${idNumber.slice(-4)}`);
    expect(p.phoneMasked).toBe('139****5678');
    expect(p.sex).toBe('male');
    expect(p.birthDate).toBe('1958-03-12');
    expect(p.gridId).toBe(grid.btq1);
    expect(p.canEdit).toBe(true);
    expect(p.stale).toBe(true);
    expect(p.residence).toHaveLength(1);
    expect(p.residence[0].until).toBeNull();
    expect(p.changes[0]).toMatchObject({ action: 'created' });
    expect(p.changes[0].fields).toContain('idNumber');
    expect(JSON.stringify(p)).not.toContain(idNumber);
    expect(JSON.stringify(p)).not.toContain(phone);
    const audit = await auditRows('person.created', p.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toBe('wgy_baotuquan');
  });

  it('refuses a sex or birth date that contradicts the 身份证号, and a wrong check digit', async () => {
    const idNumber = idOf('37011819900101002'); // female
    const wrongSex = await create(s.wgy_baotuquan as TestSession, { name: '测试李娜', idNumber, sex: 'male', populationType: 'registered', gridId: grid.btq1 });
    expect(wrongSex.statusCode).toBe(400);
    expect(wrongSex.json().error.fields[0].path).toBe('sex');
    const wrongDate = await create(s.wgy_baotuquan as TestSession, {
      name: '测试李娜',
      idNumber,
      birthDate: '1990-01-02',
      populationType: 'registered',
      gridId: grid.btq1,
    });
    expect(wrongDate.statusCode).toBe(400);
    expect(wrongDate.json().error.fields[0].path).toBe('birthDate');
    const bad = `${idNumber.slice(0, 17)}${idNumber.endsWith('0') ? '1' : '0'}`;
    const badCheck = await create(s.wgy_baotuquan as TestSession, { name: '测试李娜', idNumber: bad, populationType: 'registered', gridId: grid.btq1 });
    expect(badCheck.statusCode).toBe(400);
    expect(await t.database.db.selectFrom('person').select('id').where('name', '=', '测试李娜').execute()).toHaveLength(0);
  });

  it('one person one record: a second registration is refused, naming the record only to those who may read it', async () => {
    const mine = await create(s.wgz_baotuquan as TestSession, {
      name: '测试张建国',
      idNumber: zhang.idNumber,
      populationType: 'registered',
      gridId: grid.btq2,
    });
    expect(mine.statusCode).toBe(409);
    expect(mine.json().error.code).toBe('PERSON_DUPLICATE');
    expect(mine.json().error.details.personId).toBe(zhang.id);
    // Lower-case x and spaces are the same number.
    const other = await create(s.wgy_daminghu as TestSession, {
      name: '测试张建国',
      idNumber: ` ${zhang.idNumber} `,
      populationType: 'registered',
      gridId: grid.dmh1,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.details?.personId).toBeUndefined();
    expect(other.body).not.toContain(zhang.id);
  });

  it('grid staff outside the grids they serve get 404 on read, unmask and edit; grid 9 is not served by wgy_baotuquan', async () => {
    const w = s.wgy_daminghu as TestSession;
    expect((await detail(w, zhang.id)).statusCode).toBe(404);
    expect((await t.as(w, { method: 'POST', url: `/api/persons/${zhang.id}/unmask`, payload: { field: 'idNumber', reason: '核对身份信息' } })).statusCode).toBe(
      404,
    );
    expect((await t.as(w, { method: 'PATCH', url: `/api/persons/${zhang.id}`, payload: { occupation: '退休' } })).statusCode).toBe(404);
    const notServed = await create(s.wgy_baotuquan as TestSession, {
      name: '测试王芳',
      idNumber: idOf('37011819850506002'),
      populationType: 'registered',
      gridId: grid.btq9,
    });
    expect(notServed.statusCode).toBe(404);
    const list = await t.as(w, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('测试张建国')}` });
    expect(list.json().items).toHaveLength(0);
  });

  it('searches by name (exact, prefix, similar), 身份证号 and phone (blind index), address, tag and grid, with masked numbers', async () => {
    const w = s.wgy_baotuquan as TestSession;
    for (const [name, first17, ph] of [
      ['测试张建华', '37011819600101003', '13900000001'],
      ['测试张建国强', '37011819700101005', null],
    ] as const) {
      const idNumber = idOf(first17);
      plaintext.push(idNumber, ...(ph ? [ph] : []));
      const r = await create(w, { name, idNumber, ...(ph ? { phone: ph } : {}), populationType: 'floating', gridId: grid.btq1, tags: ['出租'] });
      expect(r.statusCode).toBe(201);
    }
    const byName = await t.as(w, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('测试张建国')}` });
    expect(byName.statusCode).toBe(200);
    const names = byName.json().items.map((i: { name: string }) => i.name);
    // Exact first, then prefix, then similar.
    expect(names.slice(0, 3)).toEqual(['测试张建国', '测试张建国强', '测试张建华']);
    for (const i of byName.json().items) {
      expect(i.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      if (i.phoneMasked) expect(i.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    expect(byName.body).not.toContain(zhang.idNumber);
    const byId = await t.as(w, { method: 'GET', url: `/api/persons?idNumber=${zhang.idNumber}` });
    expect(byId.json().items.map((i: { id: string }) => i.id)).toEqual([zhang.id]);
    const byPhone = await t.as(w, { method: 'GET', url: `/api/persons?phone=${zhang.phone}` });
    expect(byPhone.json().items.map((i: { id: string }) => i.id)).toEqual([zhang.id]);
    const byAddress = await t.as(w, { method: 'GET', url: `/api/persons?address=${encodeURIComponent('趵突泉北路')}&gridId=${grid.btq1}` });
    expect(byAddress.json().items.map((i: { id: string }) => i.id)).toContain(zhang.id);
    const byTag = await t.as(w, { method: 'GET', url: `/api/persons?tag=${encodeURIComponent('出租')}&populationType=floating&gridId=${grid.btq1}` });
    const tagged = byTag.json().items.map((i: { name: string }) => i.name);
    expect(tagged).toEqual(expect.arrayContaining(['测试张建华', '测试张建国强']));
    expect(tagged).not.toContain('测试张建国');
    // A grid outside the caller's grids is not there for them.
    expect((await t.as(w, { method: 'GET', url: `/api/persons?gridId=${grid.dmh1}` })).statusCode).toBe(404);
    expect((await t.as(w, { method: 'GET', url: `/api/special-entries?gridId=${grid.dmh1}` })).statusCode).toBe(404);
  });

  it('unmasks with a reason for those with pii.unmask; the audit keeps field and reason, never the value', async () => {
    const r = await t.as(s.sq_baotuquan as TestSession, {
      method: 'POST',
      url: `/api/persons/${zhang.id}/unmask`,
      payload: { field: 'idNumber', reason: '办理高龄津贴核对' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ field: 'idNumber', value: zhang.idNumber });
    const noReason = await t.as(s.sq_baotuquan as TestSession, {
      method: 'POST',
      url: `/api/persons/${zhang.id}/unmask`,
      payload: { field: 'phone', reason: '' },
    });
    expect(noReason.statusCode).toBe(400);
    const rows = await auditRows('personal_data.unmasked', zhang.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({ field: 'idNumber', reason: '办理高龄津贴核对' });
    expect(JSON.stringify(rows[0]?.details)).not.toContain(zhang.idNumber);
    // Department handlers hold no registry rights at all.
    expect(
      (await t.as(s.bm_chengguan as TestSession, { method: 'POST', url: `/api/persons/${zhang.id}/unmask`, payload: { field: 'phone', reason: '核对信息' } }))
        .statusCode,
    ).toBe(403);
  });

  it('a read outside the capture scope is audited; editing there is refused', async () => {
    const v = s.sq_viewer as TestSession;
    const r = await detail(v, zhang.id);
    expect(r.statusCode).toBe(200);
    expect(r.json().canEdit).toBe(false);
    expect(await auditRows('person.viewed_outside_scope', zhang.id)).toHaveLength(1);
    expect((await t.as(v, { method: 'PATCH', url: `/api/persons/${zhang.id}`, payload: { occupation: '退休' } })).statusCode).toBe(403);
    // Reads within the capture scope are not.
    await detail(s.wgy_baotuquan as TestSession, zhang.id);
    expect(await auditRows('person.viewed_outside_scope', zhang.id)).toHaveLength(1);
  });

  it('patches: the change history names fields (a new phone only as "phone")', async () => {
    const phone = '13700001111';
    plaintext.push(phone);
    const r = await t.as(s.wgy_baotuquan as TestSession, {
      method: 'PATCH',
      url: `/api/persons/${zhang.id}`,
      payload: { phone, occupation: '退休', tags: ['党员'] },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().phoneMasked).toBe('137****1111');
    expect(r.json().occupation).toBe('退休');
    expect(r.json().changes[0]).toMatchObject({ action: 'updated' });
    expect(r.json().changes[0].fields.sort()).toEqual(['occupation', 'phone']);
    zhang.phone = phone;
    const verify = await t.as(s.wgy_baotuquan as TestSession, { method: 'POST', url: `/api/persons/${zhang.id}/verify`, payload: { note: '入户核实' } });
    expect(verify.statusCode).toBe(200);
    expect(verify.json().stale).toBe(false);
    expect(verify.json().verifiedAt).not.toBeNull();
  });

  it('moves a person to another grid, keeping the residence history', async () => {
    // The person was registered today (CST); a move may not start before the current residence did.
    const day = (plus: number) => new Date(Date.now() + 8 * 3_600_000 + plus * 86_400_000).toISOString().slice(0, 10);
    const moved = day(0);
    const r = await t.as(s.wgz_baotuquan as TestSession, {
      method: 'POST',
      url: `/api/persons/${zhang.id}/move`,
      payload: { gridId: grid.btq9, since: moved },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().gridId).toBe(grid.btq9);
    expect(r.json().residence).toHaveLength(2);
    expect(r.json().residence[0]).toMatchObject({ until: null, since: moved });
    expect(r.json().residence[1].until).toBe(moved);
    // Now outside the grids wgy_baotuquan serves.
    expect((await detail(s.wgy_baotuquan as TestSession, zhang.id)).statusCode).toBe(404);
    const back = await t.as(s.wgz_baotuquan as TestSession, {
      method: 'POST',
      url: `/api/persons/${zhang.id}/move`,
      payload: { gridId: grid.btq1, since: day(2) },
    });
    expect(back.json().residence).toHaveLength(3);
  });

  it('households: one head, members in the capture scope', async () => {
    const w = s.wgy_baotuquan as TestSession;
    const spouseId = idOf('37011819600202002');
    plaintext.push(spouseId);
    const spouse = (await create(w, { name: '测试李秀英', idNumber: spouseId, populationType: 'registered', gridId: grid.btq1 })).json();
    const twoHeads = await t.as(w, {
      method: 'PUT',
      url: `/api/persons/${zhang.id}/household`,
      payload: {
        members: [
          { personId: zhang.id, relation: 'head' },
          { personId: spouse.id, relation: 'head' },
        ],
      },
    });
    expect(twoHeads.statusCode).toBe(400);
    const ok = await t.as(w, {
      method: 'PUT',
      url: `/api/persons/${zhang.id}/household`,
      payload: {
        number: '370118-0001',
        members: [
          { personId: zhang.id, relation: 'head' },
          { personId: spouse.id, relation: 'spouse' },
        ],
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().members.map((m: { relation: string }) => m.relation)).toEqual(['head', 'spouse']);
    expect((await detail(w, spouse.id)).json().household.id).toBe(ok.json().id);
    const stranger = (
      await create(s.wgy_daminghu as TestSession, { name: '测试外人', idNumber: idOf('37011819700303003'), populationType: 'registered', gridId: grid.dmh1 })
    ).json();
    plaintext.push(idOf('37011819700303003'));
    const foreign = await t.as(w, {
      method: 'PUT',
      url: `/api/persons/${zhang.id}/household`,
      payload: {
        members: [
          { personId: zhang.id, relation: 'head' },
          { personId: stranger.id, relation: 'son' },
        ],
      },
    });
    expect(foreign.statusCode).toBe(404);
  });

  describe('special groups and break-the-glass', () => {
    const entry: Record<string, string> = {};
    let grantId: string;

    it('adds entries with fields checked against the register and the sensitivity copied from it', async () => {
      const bad = await t.as(s.wgy_baotuquan as TestSession, {
        method: 'POST',
        url: `/api/persons/${zhang.id}/special-entries`,
        payload: { typeCode: 'elderly_alone', level: 'high', fields: { healthStatus: '很好', shoeSize: 42 } },
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['fields.healthStatus', 'fields.shoeSize', 'level']);
      const add = async (who: string, typeCode: string, level: string, fields: Record<string, unknown>) => {
        const r = await t.as(s[who] as TestSession, { method: 'POST', url: `/api/persons/${zhang.id}/special-entries`, payload: { typeCode, level, fields } });
        expect(r.statusCode).toBe(201);
        entry[typeCode] = r.json().id;
        return r.json();
      };
      expect((await add('wgy_baotuquan', 'elderly_alone', 'priority', { healthStatus: '一般', visitCycleDays: 7 })).sensitivity).toBe(1);
      expect((await add('sq_baotuquan', 'community_correction', 'medium', { startDate: '2026-01-01', correctionType: '缓刑' })).sensitivity).toBe(2);
      expect((await add('jd_quancheng', 'mental_disorder', 'high', { riskGrade: '2级' })).sensitivity).toBe(3);
      // A grid worker cannot file an entry they could not read back.
      const r = await t.as(s.wgy_baotuquan as TestSession, {
        method: 'POST',
        url: `/api/persons/${zhang.id}/special-entries`,
        payload: { typeCode: 'drug_user', level: 'low', fields: {} },
      });
      expect(r.statusCode).toBe(403);
      const twice = await t.as(s.wgy_baotuquan as TestSession, {
        method: 'POST',
        url: `/api/persons/${zhang.id}/special-entries`,
        payload: { typeCode: 'elderly_alone', level: 'normal', fields: {} },
      });
      expect(twice.statusCode).toBe(409);
    });

    it('shows each role only the sensitivity levels it holds, in the person page, lists and counts', async () => {
      const seen = async (who: string) => {
        const d = (await detail(s[who] as TestSession, zhang.id)).json();
        return { types: d.specialEntries.map((e: { typeCode: string }) => e.typeCode).sort(), hidden: d.hiddenEntries, registers: d.registers.sort() };
      };
      expect(await seen('wgy_baotuquan')).toEqual({ types: ['elderly_alone'], hidden: 2, registers: ['elderly_alone'] });
      expect(await seen('sq_baotuquan')).toEqual({
        types: ['community_correction', 'elderly_alone'],
        hidden: 1,
        registers: ['community_correction', 'elderly_alone'],
      });
      expect(await seen('jd_quancheng')).toEqual({
        types: ['community_correction', 'elderly_alone', 'mental_disorder'],
        hidden: 0,
        registers: expect.any(Array),
      });
      // Lists (the demo residents of the grid included): only visible levels, and the totals count only those.
      const list = async (who: string, q = '') =>
        (await t.as(s[who] as TestSession, { method: 'GET', url: `/api/special-entries?gridId=${grid.btq1}&limit=200${q}` })).json();
      const all = await list('jd_quancheng');
      const w = await list('wgy_baotuquan');
      const sq = await list('sq_baotuquan');
      const levels = (l: { items: { sensitivity: number }[] }) => [...new Set(l.items.map((e) => e.sensitivity))].sort();
      expect(levels(all)).toEqual([1, 2, 3]);
      expect(levels(w)).toEqual([1]);
      expect(levels(sq)).toEqual([1, 2]);
      const count = (l: { items: { sensitivity: number }[] }, max: number) => l.items.filter((e) => e.sensitivity <= max).length;
      expect(all.total).toBe(all.items.length);
      expect(w.total).toBe(count(all, 1));
      expect(sq.total).toBe(count(all, 2));
      expect(w.items.filter((e: { personId: string }) => e.personId === zhang.id).map((e: { typeCode: string }) => e.typeCode)).toEqual(['elderly_alone']);
      expect((await list('wgy_baotuquan', '&typeCode=mental_disorder')).total).toBe(0);
      expect((await list('jd_quancheng', '&typeCode=mental_disorder')).total).toBeGreaterThanOrEqual(1);
      // The register filter of the person search respects visibility too.
      const probe = await t.as(s.wgy_baotuquan as TestSession, { method: 'GET', url: '/api/persons?register=mental_disorder' });
      expect(probe.json().total).toBe(0);
      const allowed = await t.as(s.jd_quancheng as TestSession, {
        method: 'GET',
        url: `/api/persons?register=mental_disorder&q=${encodeURIComponent('测试张建国')}`,
      });
      expect(allowed.json().items.map((i: { id: string }) => i.id)).toEqual([zhang.id]);
    });

    it('updates and ends entries the caller may see; hidden entries are 404', async () => {
      const up = await t.as(s.wgy_baotuquan as TestSession, {
        method: 'PATCH',
        url: `/api/special-entries/${entry.elderly_alone}`,
        payload: { level: 'urgent' },
      });
      expect(up.statusCode).toBe(200);
      expect(up.json().level).toBe('urgent');
      const hidden = await t.as(s.wgy_baotuquan as TestSession, {
        method: 'PATCH',
        url: `/api/special-entries/${entry.mental_disorder}`,
        payload: { level: 'low' },
      });
      expect(hidden.statusCode).toBe(404);
      expect(
        (await t.as(s.wgy_baotuquan as TestSession, { method: 'POST', url: `/api/special-entries/${entry.mental_disorder}/end`, payload: {} })).statusCode,
      ).toBe(404);
    });

    it('break-the-glass: reason and time limit, each read audited and counted, then expiry and review', async () => {
      const w = s.wgy_baotuquan as TestSession;
      const short = await t.as(w, { method: 'POST', url: '/api/break-glass', payload: { personId: zhang.id, reason: '紧急' } });
      expect(short.statusCode).toBe(400);
      const tooLong = await t.as(w, {
        method: 'POST',
        url: '/api/break-glass',
        payload: { personId: zhang.id, reason: '夜间报警称该户有人情绪失控需立即上门', minutes: 241 },
      });
      expect(tooLong.statusCode).toBe(400);
      const notNeeded = await t.as(s.jd_quancheng as TestSession, {
        method: 'POST',
        url: '/api/break-glass',
        payload: { personId: zhang.id, reason: '夜间报警称该户有人情绪失控需立即上门' },
      });
      expect(notNeeded.statusCode).toBe(409);
      expect(notNeeded.json().error.code).toBe('BREAKGLASS_NOT_NEEDED');
      const outside = await t.as(s.wgy_daminghu as TestSession, {
        method: 'POST',
        url: '/api/break-glass',
        payload: { personId: zhang.id, reason: '夜间报警称该户有人情绪失控需立即上门' },
      });
      expect(outside.statusCode).toBe(404);

      const g = await t.as(w, {
        method: 'POST',
        url: '/api/break-glass',
        payload: { personId: zhang.id, reason: '夜间报警称该户有人情绪失控需立即上门', minutes: 30 },
      });
      expect(g.statusCode).toBe(201);
      grantId = g.json().id;
      expect(g.json()).toMatchObject({ active: true, entriesSeen: 0, review: null });
      const d = (await detail(w, zhang.id)).json();
      expect(d.hiddenEntries).toBe(0);
      expect(
        d.specialEntries
          .filter((e: { viaBreakGlass: boolean }) => e.viaBreakGlass)
          .map((e: { typeCode: string }) => e.typeCode)
          .sort(),
      ).toEqual(['community_correction', 'mental_disorder']);
      await detail(w, zhang.id);
      const used = await auditRows('breakglass.used', zhang.id);
      expect(used).toHaveLength(2);
      const mine = await t.as(w, { method: 'GET', url: '/api/break-glass' });
      expect(mine.json().items[0]).toMatchObject({ id: grantId, entriesSeen: 4 });

      // Expired: hidden again.
      await t.database.db
        .updateTable('break_glass_grant')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', grantId)
        .execute();
      const after = (await detail(w, zhang.id)).json();
      expect(after.hiddenEntries).toBe(2);
      expect(after.specialEntries.some((e: { viaBreakGlass: boolean }) => e.viaBreakGlass)).toBe(false);

      // Review: not the grantee's role, not the reviewer's own grant, once.
      expect((await t.as(w, { method: 'POST', url: `/api/break-glass/${grantId}/review`, payload: { outcome: 'justified' } })).statusCode).toBe(403);
      const pending = await t.as(s.jd_quancheng as TestSession, { method: 'GET', url: '/api/break-glass?pending=true' });
      expect(pending.json().items.map((i: { id: string }) => i.id)).toContain(grantId);
      const outOfScope = await t.as(await t.login('jd_liuyin'), {
        method: 'POST',
        url: `/api/break-glass/${grantId}/review`,
        payload: { outcome: 'unjustified' },
      });
      expect(outOfScope.statusCode).toBe(404);
      const rev = await t.as(s.jd_quancheng as TestSession, {
        method: 'POST',
        url: `/api/break-glass/${grantId}/review`,
        payload: { outcome: 'justified', note: '确有警情' },
      });
      expect(rev.statusCode).toBe(200);
      expect(rev.json()).toMatchObject({ active: false, review: { outcome: 'justified', note: '确有警情', reviewerName: '李调度' } });
      const again = await t.as(s.qu_zhongxin as TestSession, {
        method: 'POST',
        url: `/api/break-glass/${grantId}/review`,
        payload: { outcome: 'unjustified' },
      });
      expect(again.statusCode).toBe(409);
      expect(await auditRows('breakglass.reviewed', grantId)).toHaveLength(1);
      expect(await auditRows('breakglass.opened', grantId)).toHaveLength(1);
    });

    it('a reviewer cannot review their own grant', async () => {
      const db = t.database.db;
      const me = await db.selectFrom('app_user').select('id').where('username', '=', 'jd_quancheng').executeTakeFirstOrThrow();
      const path = (await db.selectFrom('region').select('path').where('code', '=', '370118001001').executeTakeFirstOrThrow()).path;
      const own = await db
        .insertInto('break_glass_grant')
        .values({ user_id: me.id, person_id: zhang.id, reason: '自己给自己开的授权用于测试', expires_at: new Date(Date.now() + 60_000), region_path: path })
        .returning('id')
        .executeTakeFirstOrThrow();
      const r = await t.as(s.jd_quancheng as TestSession, { method: 'POST', url: `/api/break-glass/${own.id}/review`, payload: { outcome: 'justified' } });
      expect(r.statusCode).toBe(403);
    });
  });

  it('merges a duplicate into the survivor: empty fields filled, entries and residence moved, the duplicate a pointer', async () => {
    const w = s.wgy_baotuquan as TestSession;
    // The same man entered again under his passport, with a workplace the first record lacks.
    const dup = await create(w, {
      name: '测试张建国',
      docType: 'passport',
      idNumber: 'E12345678',
      sex: 'male',
      populationType: 'registered',
      gridId: grid.btq1,
      workplace: '济南某厂',
    });
    expect(dup.statusCode).toBe(201);
    plaintext.push('E12345678');
    const dupId = dup.json().id;
    await t.as(w, {
      method: 'POST',
      url: `/api/persons/${dupId}/special-entries`,
      payload: { typeCode: 'elderly_80', level: 'normal', fields: { allowance: true } },
    });
    const noReason = await t.as(w, { method: 'POST', url: `/api/persons/${zhang.id}/merge`, payload: { duplicateId: dupId, reason: '' } });
    expect(noReason.statusCode).toBe(400);
    const m = await t.as(w, { method: 'POST', url: `/api/persons/${zhang.id}/merge`, payload: { duplicateId: dupId, reason: '同一人重复登记' } });
    expect(m.statusCode).toBe(200);
    expect(m.json().workplace).toBe('济南某厂');
    expect(m.json().specialEntries.map((e: { typeCode: string }) => e.typeCode)).toContain('elderly_80');
    expect(m.json().changes[0]).toMatchObject({ action: 'merged', note: '同一人重复登记' });
    const row = await t.database.db.selectFrom('person').select(['status', 'merged_into']).where('id', '=', dupId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'merged', merged_into: zhang.id });
    expect((await detail(w, dupId)).statusCode).toBe(404);
    expect(await auditRows('person.merged', zhang.id)).toHaveLength(1);
    const search = await t.as(w, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('测试张建国')}&gridId=${grid.btq1}` });
    expect(search.json().items.filter((i: { name: string }) => i.name === '测试张建国')).toHaveLength(1);
    const self = await t.as(w, { method: 'POST', url: `/api/persons/${zhang.id}/merge`, payload: { duplicateId: zhang.id, reason: '同一人重复登记' } });
    expect(self.statusCode).toBe(400);
  });

  it('the demo residents: ~1,500 valid records in households with one head, every sensitivity level, the stable people', async () => {
    const db = t.database.db;
    const people = await db
      .selectFrom('person')
      .select(['id', 'name', 'doc_type', 'id_number_enc', 'birth_date', 'sex', 'grid_id'])
      .where('created_by', 'is not', null)
      .execute();
    const demo = people.filter((p) => !p.name.startsWith('测试'));
    expect(demo.length).toBeGreaterThanOrEqual(1400);
    expect(demo.length).toBeLessThanOrEqual(1700);
    for (const p of demo.filter((x) => x.doc_type === 'id_card').slice(0, 300)) {
      const v = testPii.decrypt(p.id_number_enc as Uint8Array);
      const r = checkIdNumber(v);
      expect(r.ok, v.slice(0, 6)).toBe(true);
      if (r.ok) expect({ birth: r.birthDate, sex: r.sex }).toEqual({ birth: p.birth_date, sex: p.sex });
    }
    expect(demo.some((p) => p.doc_type === 'passport')).toBe(true);
    const heads = await sql<{ n: number }>`select count(*)::int as n from household h
      where (select count(*) from household_member m where m.household_id = h.id and m.relation = 'head') <> 1`.execute(db);
    expect(heads.rows[0]?.n).toBe(0);
    const levels = await sql<{ sensitivity: number }>`select distinct sensitivity from special_entry order by 1`.execute(db);
    expect(levels.rows.map((r) => Number(r.sensitivity))).toEqual([1, 2, 3]);
    const w = s.wgy_baotuquan as TestSession;
    const zj = (await t.as(w, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('张建国')}` })).json().items[0];
    expect(zj).toMatchObject({
      name: '张建国',
      sex: 'male',
      birthDate: '1958-03-12',
      idNumberMasked: '3701**********701X',
      phoneMasked: '139****7788',
      registers: ['elderly_alone'],
    });
    expect(zj.gridId).toBe(grid.btq1);
    expect((await t.as(w, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('李秀兰')}` })).json().items).toHaveLength(0);
    const li = (await t.as(s.wgz_baotuquan as TestSession, { method: 'GET', url: `/api/persons?q=${encodeURIComponent('李秀兰')}` })).json().items;
    expect(li).toHaveLength(1);
    expect(li[0].gridId).toBe(grid.btq9);
  });

  it('keeps no clear-text 身份证号 or phone anywhere in the registry tables, the change history or the audit log', async () => {
    const db = t.database.db;
    const tables = await sql<{ table_name: string }>`
      select distinct table_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'bytea', 'jsonb', 'json', 'ARRAY', 'character varying')
        and table_name in ('person', 'residence', 'household', 'household_member', 'special_entry', 'break_glass_grant', 'record_change', 'audit_log',
          'import_rejection', 'import_job', 'house', 'building', 'organisation', 'facility', 'key_place')`.execute(db);
    expect(tables.rows.length).toBeGreaterThanOrEqual(10);
    expect(plaintext.length).toBeGreaterThanOrEqual(8);
    const hex = (v: string) => Buffer.from(v, 'utf8').toString('hex');
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} t`.execute(db);
      const dump = rows.rows.map((r) => r.t).join('\n');
      for (const v of plaintext) {
        expect(dump.includes(v), `${table_name} holds ${v.slice(0, 4)}…`).toBe(false);
        expect(dump.includes(hex(v)), `${table_name} holds ${v.slice(0, 4)}… as bytes`).toBe(false);
      }
    }
  });
});
