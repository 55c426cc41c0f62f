import { idNumberCheckChar, maskIdNumber, maskPhone } from '@gridgov/contracts/identifiers';
import { type Kysely, sql } from 'kysely';
import { fromJson } from '../db/json.js';
import type { DB } from '../db/schema.js';
import type { PiiCipher } from '../lib/pii-crypto.js';

/**
 * Demo residents: about 1,500 active persons across the demo grids, in households with relation to the
 * head, living in the houses seed/demo-places.ts made (or, without houses, at their grid's service
 * station), with special-group entries of every sensitivity level. All 身份证号 are valid in form
 * (real address codes, plausible birth dates, correct check character) and fictional; sequence codes
 * 700–999 keep them apart from the numbers tests make. Deterministic: a seeded PRNG, no clock.
 *
 * People the console e2e test relies on (stable):
 * - 张建国, male, born 1958-03-12, 身份证号 37011819580312701X → shown 3701**********701X, phone 13953107788 (139****7788),
 *   lives alone in 趵突泉社区 grid seq 1 (served by wgy_baotuquan and wgz_baotuquan), on the 独居老人 register (sensitivity 1).
 * - 李秀兰, female, born 1944-11-20, 身份证号 370118194411207024, phone 13853109966, in 趵突泉社区 grid seq 9
 *   (not served by wgy_baotuquan; wgz_baotuquan leads it), on the 80 岁以上老人 register.
 */

/** mulberry32: small, fast, good enough for demo data, identical on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const MALE = [
  '伟',
  '强',
  '磊',
  '军',
  '勇',
  '杰',
  '涛',
  '斌',
  '超',
  '明',
  '刚',
  '平',
  '辉',
  '鹏',
  '华',
  '飞',
  '建国',
  '建华',
  '国强',
  '志强',
  '志明',
  '海涛',
  '晓东',
  '文博',
  '子轩',
  '浩然',
  '宇航',
  '俊杰',
  '德明',
  '福海',
  '长林',
  '玉山',
  '振华',
  '立新',
  '洪涛',
];
const FEMALE = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '燕',
  '玲',
  '桂英',
  '秀英',
  '秀兰',
  '玉兰',
  '淑珍',
  '凤英',
  '丽华',
  '春梅',
  '海燕',
  '晓燕',
  '雪梅',
  '欣怡',
  '梓涵',
  '诗涵',
  '雨桐',
  '思琪',
  '佳怡',
  '婷婷',
  '慧敏',
  '丹丹',
];
const FLOATING_CODES = ['370181', '371302', '371502', '371402', '410102', '340104', '130102', '320102', '220102'];
const FOREIGN = [
  { name: 'Kim Minjun', sex: 'male' as const },
  { name: 'Sato Yui', sex: 'female' as const },
  { name: 'John Miller', sex: 'male' as const },
  { name: 'Anna Petrova', sex: 'female' as const },
  { name: 'Nguyen Van An', sex: 'male' as const },
];
const OCCUPATIONS = ['退休', '教师', '医生', '工人', '个体经营', '公司职员', '司机', '厨师', '快递员', '护士', '公务员', '学生', '无业', '保安', '销售'];
const ETHNIC = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '满族', '蒙古族'];
const TAGS = ['党员', '退役军人', '志愿者', '楼长', '出租户'];

interface Seeded {
  id: string;
  name: string;
  doc_type: 'id_card' | 'passport';
  id_number_enc: Buffer;
  id_number_bidx: Buffer;
  id_number_masked: string | null;
  sex: 'male' | 'female';
  birth_date: string;
  ethnicity: string | null;
  native_place: string | null;
  hukou_place: string | null;
  current_address: string | null;
  phone_enc: Buffer | null;
  phone_bidx: Buffer | null;
  phone_masked: string | null;
  marital: string | null;
  political: string | null;
  education: string | null;
  occupation: string | null;
  population_type: 'registered' | 'floating' | 'overseas';
  grid_id: string;
  house_id: string | null;
  geom: string | null;
  tags: string[];
  created_by: string | null;
  verified_at: Date | null;
  verified_by: string | null;
}

const REF_YEAR = 2026;
const STABLE_NAMES = new Set(['张建国', '李秀兰']);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export async function seedDemoPersons(
  trx: Kysely<DB>,
  pii: PiiCipher,
  _byCode: Map<string, { id: string; path: string }>,
  userIds: Map<string, string>,
): Promise<void> {
  const rnd = prng(20261124);
  const grids = (
    await sql<{ id: string; code: string; seq: number; grid_type: string; community_code: string; community_name: string; station: unknown }>`
      select g.id, g.code, g.seq, g.grid_type, c.code as community_code, c.name as community_name, g.station
      from grid g join region c on c.id = g.community_id where g.valid_to is null and g.level = 'grid' order by g.code`.execute(trx)
  ).rows;
  if (grids.length === 0) return;
  const houses = (
    await sql<{ id: string; grid_id: string; address: string; lng: number | null; lat: number | null }>`
      select id, grid_id, address, ST_X(geom) as lng, ST_Y(geom) as lat from house
      where use in ('residential', 'rental', 'mixed') order by grid_id, address`.execute(trx)
  ).rows;
  const housesByGrid = new Map<string, typeof houses>();
  for (const h of houses) housesByGrid.set(h.grid_id, [...(housesByGrid.get(h.grid_id) ?? []), h]);
  const worker = userIds.get('wgy_baotuquan') ?? null;

  const usedIds = new Set<string>();
  const persons: Seeded[] = [];
  const residences: { person_id: string; house_id: string | null; grid_id: string; relation: 'owner' | 'tenant' | 'resident'; since: string }[] = [];
  const households: { id: string; number: string; house_id: string | null }[] = [];
  const members: { household_id: string; person_id: string; relation: string }[] = [];
  const entries: { person_id: string; type_code: string; sensitivity: number; level: string; fields: string; since: string | null; note: string | null }[] = [];

  function idCard(code: string, birth: string, sex: 'male' | 'female', fixedSeq?: number): string {
    for (;;) {
      let seq = fixedSeq ?? rnd.int(700, 999);
      if ((seq % 2 === 1) !== (sex === 'male')) seq = seq === 999 ? 998 : seq + 1;
      const first17 = `${code}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
      const v = `${first17}${idNumberCheckChar(first17)}`;
      if (!usedIds.has(v)) {
        usedIds.add(v);
        return v;
      }
      if (fixedSeq !== undefined) throw new Error(`demo: duplicate fixed 身份证号 ${v}`);
    }
  }
  const mobile = () => `1${rnd.pick(['38', '39', '58', '59', '37', '35', '86', '88', '53'])}${pad(rnd.int(0, 99_999_999), 8)}`;
  const birthOf = (age: number) => {
    const y = REF_YEAR - age - (rnd.chance(0.5) ? 1 : 0);
    const m = rnd.int(1, 12);
    const d = rnd.int(1, 28);
    return `${y}-${pad(m)}-${pad(d)}`;
  };
  const ageOf = (birth: string) => REF_YEAR - Number(birth.slice(0, 4));
  const isoPoint = (lng: number, lat: number) => `SRID=4326;POINT(${lng} ${lat})`;

  let hhNo = 0;
  function person(
    g: (typeof grids)[number],
    home: { houseId: string | null; address: string | null; point: string | null },
    o: { name?: string; sex: 'male' | 'female'; birth: string; type: 'registered' | 'floating' | 'overseas'; phone?: string | null; fixedSeq?: number },
  ): Seeded {
    const id = crypto.randomUUID();
    const age = ageOf(o.birth);
    let name = o.name;
    let docType: 'id_card' | 'passport' = 'id_card';
    let number: string;
    if (o.type === 'overseas') {
      const f = rnd.pick(FOREIGN);
      name = name ?? f.name;
      docType = 'passport';
      do number = `${rnd.pick(['E', 'G', 'P', 'M'])}${pad(rnd.int(0, 99_999_999), 8)}`;
      while (usedIds.has(number));
      usedIds.add(number);
    } else {
      // The stable people's names stay unique, so a search for them finds one record.
      while (!name || (!o.name && STABLE_NAMES.has(name))) name = `${rnd.pick(SURNAMES)}${rnd.pick(o.sex === 'male' ? MALE : FEMALE)}`;
      number = idCard(o.type === 'registered' ? '370118' : rnd.pick(FLOATING_CODES), o.birth, o.sex, o.fixedSeq);
    }
    const phone = o.phone === undefined ? (age >= 16 && rnd.chance(0.85) ? mobile() : null) : o.phone;
    const p: Seeded = {
      id,
      name,
      doc_type: docType,
      id_number_enc: pii.encrypt(number),
      id_number_bidx: pii.blindIndex(docType, number),
      id_number_masked: maskIdNumber(number),
      sex: o.sex,
      birth_date: o.birth,
      ethnicity: o.type === 'overseas' ? null : rnd.pick(ETHNIC),
      native_place:
        o.type === 'overseas' ? null : o.type === 'registered' ? '山东济南' : rnd.pick(['山东临沂', '山东德州', '河南郑州', '安徽合肥', '河北石家庄']),
      hukou_place: o.type === 'registered' ? `济南市${g.community_name}` : null,
      current_address: home.houseId ? null : home.address,
      phone_enc: phone ? pii.encrypt(phone) : null,
      phone_bidx: phone ? pii.blindIndex('phone', phone) : null,
      phone_masked: maskPhone(phone),
      marital: age < 22 ? 'unmarried' : rnd.pick(['married', 'married', 'married', 'widowed', 'divorced', 'unmarried']),
      political: age < 14 ? null : rnd.chance(0.12) ? 'cpc_member' : age < 28 && rnd.chance(0.4) ? 'cyl_member' : 'masses',
      education: age < 7 ? null : rnd.pick(['bachelor', 'college', 'high_school', 'middle_school', 'primary']),
      occupation: age < 18 ? (age >= 6 ? '学生' : null) : age >= 62 ? '退休' : rnd.pick(OCCUPATIONS),
      population_type: o.type,
      grid_id: g.id,
      house_id: home.houseId,
      geom: home.point,
      tags: rnd.chance(0.12) ? [rnd.pick(TAGS)] : [],
      created_by: worker,
      // Most records were checked recently; some never, so the freshness screens have work.
      verified_at: rnd.chance(0.8) ? new Date(Date.UTC(2026, rnd.int(6, 10), rnd.int(1, 28))) : null,
      verified_by: worker,
    };
    persons.push(p);
    residences.push({
      person_id: id,
      house_id: home.houseId,
      grid_id: g.id,
      relation: o.type === 'floating' ? 'tenant' : 'owner',
      since: `${Math.max(Number(o.birth.slice(0, 4)), rnd.int(1995, 2025))}-${pad(rnd.int(1, 12))}-01`,
    });
    return p;
  }

  function homeIn(g: (typeof grids)[number], k: number) {
    const hs = housesByGrid.get(g.id) ?? [];
    const st = fromJson<{ lng?: number; lat?: number } | null>(g.station);
    if (hs.length) {
      const h = hs[k % hs.length] as (typeof hs)[number];
      const point = h.lng !== null && h.lat !== null ? isoPoint(h.lng, h.lat) : st?.lng ? isoPoint(st.lng, st.lat as number) : null;
      return { houseId: h.id, address: h.address, point };
    }
    return {
      houseId: null,
      address: `${g.community_name}${g.seq}号院${1 + (k % 6)}号楼${1 + (k % 3)}单元${1 + (k % 6)}0${1 + (k % 2)}室`,
      point: st?.lng !== undefined && st.lat !== undefined ? isoPoint(st.lng, st.lat) : null,
    };
  }

  function household(rel: [Seeded, string][], houseId: string | null, g: (typeof grids)[number]) {
    const id = crypto.randomUUID();
    hhNo++;
    households.push({ id, number: `${g.community_code.slice(0, 6)}${pad(hhNo, 6)}`, house_id: houseId });
    for (const [p, r] of rel) members.push({ household_id: id, person_id: p.id, relation: r });
  }

  const kin = (surname: string, sex: 'male' | 'female') => {
    let n: string;
    do n = `${surname}${rnd.pick(sex === 'male' ? MALE : FEMALE)}`;
    while (STABLE_NAMES.has(n));
    return n;
  };

  const entry = (p: Seeded, type_code: string, sensitivity: number, level: string, fields: Record<string, unknown>, since: string | null = null) =>
    entries.push({ person_id: p.id, type_code, sensitivity, level, fields: JSON.stringify(fields), since, note: null });

  // The stable people first (fixed numbers and phones).
  const btq = grids.filter((g) => g.community_code === '370118001001');
  const btq1 = btq.find((g) => g.seq === 1);
  const btq9 = btq.find((g) => g.seq === 9);
  if (btq1) {
    const home = homeIn(btq1, 0);
    const zhang = person(btq1, home, { name: '张建国', sex: 'male', birth: '1958-03-12', type: 'registered', phone: '13953107788', fixedSeq: 701 });
    zhang.tags = ['党员'];
    household([[zhang, 'head']], home.houseId, btq1);
    entry(zhang, 'elderly_alone', 1, 'priority', { contactName: '张丽', healthStatus: '一般', visitCycleDays: 7 }, '2024-05-01');
  }
  if (btq9) {
    const home = homeIn(btq9, 0);
    const li = person(btq9, home, { name: '李秀兰', sex: 'female', birth: '1944-11-20', type: 'registered', phone: '13853109966', fixedSeq: 702 });
    household([[li, 'head']], home.houseId, btq9);
    entry(li, 'elderly_80', 1, 'priority', { allowance: true, healthStatus: '较差' }, '2024-11-20');
  }

  // Then families, about 15 persons per residential grid (fewer in dedicated grids).
  for (const g of grids) {
    const target = g.grid_type === '03' ? 4 : rnd.int(13, 17);
    let placed = persons.filter((p) => p.grid_id === g.id).length;
    let k = 1;
    while (placed < target) {
      const home = homeIn(g, k++);
      const roll = rnd.next();
      const type = roll < 0.85 ? 'registered' : roll < 0.97 ? 'floating' : 'overseas';
      if (type === 'overseas') {
        const f = rnd.pick(FOREIGN);
        const p = person(g, home, { name: f.name, sex: f.sex, birth: birthOf(rnd.int(22, 50)), type });
        household([[p, 'head']], home.houseId, g);
        placed++;
        continue;
      }
      const size = rnd.pick([1, 2, 2, 3, 3, 3, 4, 4, 5]);
      const headAge = size === 1 ? rnd.int(22, 88) : rnd.int(28, 78);
      const headSex = rnd.chance(0.7) ? 'male' : 'female';
      const head = person(g, home, { sex: headSex, birth: birthOf(headAge), type });
      const fam: [Seeded, string][] = [[head, 'head']];
      const surname = head.name.charAt(0);
      if (size >= 2) {
        const sex = headSex === 'male' ? 'female' : 'male';
        fam.push([person(g, home, { sex, birth: birthOf(Math.max(22, headAge + rnd.int(-4, 3))), type }), 'spouse']);
      }
      for (let c = 2; c < Math.min(size, 4); c++) {
        const sex = rnd.chance(0.5) ? 'male' : 'female';
        const childAge = Math.max(0, headAge - rnd.int(24, 32));
        const child = person(g, home, { name: kin(surname, sex), sex, birth: birthOf(childAge), type });
        fam.push([child, sex === 'male' ? 'son' : 'daughter']);
      }
      if (size === 5 && headAge < 60) {
        const sex = rnd.chance(0.5) ? 'male' : 'female';
        fam.push([person(g, home, { name: kin(surname, sex), sex, birth: birthOf(headAge + rnd.int(25, 30)), type }), 'parent']);
      }
      household(fam, home.houseId, g);
      placed += fam.length;

      // Registers: care registers from age and household; control registers, rarer, of every sensitivity.
      for (const [p] of fam) {
        const age = ageOf(p.birth_date);
        if (age >= 80) entry(p, 'elderly_80', 1, rnd.pick(['normal', 'priority']), { allowance: true, healthStatus: rnd.pick(['健康', '一般', '较差']) });
        else if (age >= 70 && fam.length === 1)
          entry(p, 'elderly_alone', 1, 'priority', { healthStatus: rnd.pick(['健康', '一般', '较差']), visitCycleDays: 7 });
        if (rnd.chance(0.02)) entry(p, 'disabled', 1, 'priority', { category: rnd.pick(['视力', '听力', '肢体']), grade: rnd.pick(['二级', '三级', '四级']) });
        if (rnd.chance(0.015)) entry(p, 'dibao', 1, 'urgent', { monthlyAmount: rnd.int(600, 1100), familySize: fam.length });
        if (age >= 6 && age <= 15 && rnd.chance(0.08)) entry(p, 'left_behind_child', 1, 'priority', { guardianName: `${surname}奶奶`, school: '明湖小学' });
        if (age >= 20 && age <= 60) {
          const r = rnd.next();
          if (r < 0.006) entry(p, 'community_correction', 2, 'medium', { correctionType: '缓刑', startDate: '2026-03-01', groupFormed: true }, '2026-03-01');
          else if (r < 0.012) entry(p, 'released_prisoner', 2, 'low', { releaseDate: '2024-08-15', placement: '已安置' }, '2024-08-15');
          else if (r < 0.016)
            entry(p, 'mental_disorder', 3, rnd.pick(['low', 'medium']), { diagnosis: '精神分裂症', riskGrade: '1级', incidentHistory: false });
          else if (r < 0.019) entry(p, 'drug_user', 3, 'medium', { control: '社区康复' });
        }
        if (age >= 14 && age <= 25 && rnd.chance(0.02)) entry(p, 'key_youth', 2, 'low', { youthType: '闲散青少年' });
      }
    }
  }
  // Every sensitivity level present in 趵突泉社区, so each role sees something different there.
  const inBtq1 = persons.filter((p) => p.grid_id === btq1?.id && p.name !== '张建国' && ageOf(p.birth_date) >= 20);
  if (inBtq1.length >= 2 && !entries.some((e) => e.sensitivity === 3 && inBtq1.some((p) => p.id === e.person_id))) {
    entry(inBtq1[0] as Seeded, 'mental_disorder', 3, 'medium', { diagnosis: '双相（情感）障碍', riskGrade: '2级', incidentHistory: false });
    entry(inBtq1[1] as Seeded, 'community_correction', 2, 'medium', { correctionType: '假释', startDate: '2026-05-01' }, '2026-05-01');
  }

  const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  for (const part of chunk(persons, 400)) await trx.insertInto('person').values(part).execute();
  for (const part of chunk(residences, 1000)) await trx.insertInto('residence').values(part).execute();
  for (const part of chunk(households, 1000)) await trx.insertInto('household').values(part).execute();
  for (const part of chunk(members, 1000)) await trx.insertInto('household_member').values(part).execute();
  for (const part of chunk(entries, 1000)) await trx.insertInto('special_entry').values(part).execute();
}
