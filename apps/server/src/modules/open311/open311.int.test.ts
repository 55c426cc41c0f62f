import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { toCstIso } from '../calendar/working-time.js';

/** A parsed XML element: name, text, children (saxes: a conformant parser, so a bad document throws). */
interface El {
  name: string;
  text: string;
  children: El[];
}
function parseXml(xml: string): El {
  const p = new SaxesParser();
  const stack: El[] = [];
  let root: El | null = null;
  p.on('opentag', (t) => {
    const el: El = { name: t.name, text: '', children: [] };
    stack.at(-1)?.children.push(el);
    stack.push(el);
    root ??= el;
  });
  p.on('text', (s) => {
    const top = stack.at(-1);
    if (top) top.text += s;
  });
  p.on('closetag', () => void stack.pop());
  p.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}
const child = (el: El, name: string) => el.children.find((c) => c.name === name);
const textOf = (el: El, name: string) => child(el, name)?.text ?? null;

const IN_GRID = { lat: 36.65816, long: 117.00136 }; // 趵突泉第一网格's service station
const form = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let admin: TestSession;
  let key: string;
  let streetKey: string;
  let readKey: string;

  const token = async (s: TestSession, permissions: string[], regionCode: string) => {
    const regionId = (await regionByCode(t.database.db, regionCode)).id;
    const r = await t.as(s, { method: 'POST', url: '/api/tokens', payload: { name: 'open311 test', permissions, regionIds: [regionId] } });
    expect(r.statusCode).toBe(201);
    return r.json().token as string;
  };
  const post = (format: 'json' | 'xml', body: Record<string, string | number>, asJson = false) =>
    t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      ...(asJson ? { payload: body } : { payload: form(body), headers: FORM }),
    });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    key = await token(admin, ['case.report'], '370118');
    streetKey = await token(admin, ['case.report'], '370118002000');
    readKey = await token(admin, ['region.read'], '370118');
  });
  afterAll(() => t.close());

  it('lists the catalogue items as services, in JSON and XML', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const items = r.json() as Record<string, unknown>[];
    expect(items).toHaveLength(60);
    expect(items.find((s) => s.service_code === '0301')).toEqual({
      service_code: '0301',
      service_name: '暴露垃圾',
      description: expect.stringContaining('处置时限 8个工作小时'),
      metadata: false,
      type: 'realtime',
      keywords: '垃圾,暴露,垃圾桶满',
      group: '公共管理类',
    });

    const x = await t.app.inject({ method: 'GET', url: '/open311/v2/services.xml' });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toMatch(/application\/xml/);
    const doc = parseXml(x.body);
    expect(doc.name).toBe('services');
    expect(doc.children).toHaveLength(60);
    const s = doc.children.find((c) => textOf(c, 'service_code') === '0301') as El;
    expect(textOf(s, 'service_name')).toBe('暴露垃圾');
    expect(textOf(s, 'metadata')).toBe('false');
    expect(textOf(s, 'group')).toBe('公共管理类');
  });

  it('gives a service definition, and an Open311 error for an unknown code', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/open311/v2/services/0301.json' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ service_code: '0301', attributes: [] });
    const x = parseXml((await t.app.inject({ method: 'GET', url: '/open311/v2/services/0301.xml' })).body);
    expect(x.name).toBe('service_definition');
    expect(textOf(x, 'service_code')).toBe('0301');
    expect(child(x, 'attributes')?.children).toEqual([]);

    const bad = await t.app.inject({ method: 'GET', url: '/open311/v2/services/9999.json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual([{ code: 'CATEGORY_UNKNOWN', description: '未知的事项类别' }]);
    const badXml = await t.app.inject({ method: 'GET', url: '/open311/v2/services/9999.xml' });
    const e = parseXml(badXml.body);
    expect(e.name).toBe('errors');
    expect(textOf(e.children[0] as El, 'code')).toBe('CATEGORY_UNKNOWN');
    expect(textOf(e.children[0] as El, 'description')).toBe('未知的事项类别');

    const html = await t.app.inject({ method: 'GET', url: '/open311/v2/services.html' });
    expect(html.statusCode).toBe(404);
  });

  it('refuses a submission without an api_key, with a bad key, or with a key that may not report', async () => {
    const body = { service_code: '0301', ...IN_GRID, description: '垃圾桶满溢' };
    const none = await post('json', body);
    expect(none.statusCode).toBe(401);
    expect(none.json()[0].code).toBe('OPEN311_API_KEY_REQUIRED');
    const noneXml = await post('xml', body);
    expect(noneXml.statusCode).toBe(401);
    expect(textOf(parseXml(noneXml.body).children[0] as El, 'code')).toBe('OPEN311_API_KEY_REQUIRED');

    const bad = await post('json', { ...body, api_key: 'ggt_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()[0].code).toBe('AUTH_TOKEN_INVALID');
    const reader = await post('json', { ...body, api_key: readKey });
    expect(reader.statusCode).toBe(403);
    expect(reader.json()[0].code).toBe('FORBIDDEN');
    // A signed-in browser session is no api_key (a form POST would bypass the CSRF check).
    const session = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: form(body),
      headers: { ...FORM, cookie: admin.cookie },
    });
    expect(session.statusCode).toBe(401);
    expect(await t.database.db.selectFrom('event_case').select('id').where('channel', '=', 'open311').execute()).toHaveLength(0);
  });

  it('refuses an unknown service_code, a missing location and a point outside the jurisdiction', async () => {
    const unknown = await post('json', { api_key: key, service_code: '9999', ...IN_GRID });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()[0]).toEqual({ code: 'CATEGORY_UNKNOWN', description: expect.stringContaining('9999') });
    const noPoint = await post('json', { api_key: key, service_code: '0301' });
    expect(noPoint.statusCode).toBe(400);
    expect(noPoint.json()[0].code).toBe('LOCATION_REQUIRED');
    const nowhere = await post('json', { api_key: key, service_code: '0301', address_string: 'Atlantis 99' });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json()[0]).toEqual({ code: 'LOCATION_REQUIRED', description: expect.stringContaining('未能根据地址确定位置') });
    const far = await post('xml', { api_key: key, service_code: '0301', lat: 39.9, long: 116.4 });
    expect(far.statusCode).toBe(400);
    expect(textOf(parseXml(far.body).children[0] as El, 'code')).toBe('LOCATION_OUTSIDE_JURISDICTION');
    // Inside the platform, outside the token's street (大明湖街道): outside this client's jurisdiction.
    const otherStreet = await post('json', { api_key: streetKey, service_code: '0301', ...IN_GRID });
    expect(otherStreet.statusCode).toBe(400);
    expect(otherStreet.json()[0].code).toBe('LOCATION_OUTSIDE_JURISDICTION');
    const badLat = await post('json', { api_key: key, service_code: '0301', lat: 'north', long: 117 });
    expect(badLat.statusCode).toBe(400);
    expect(badLat.json()[0].code).toBe('VALIDATION_FAILED');
    expect(await t.database.db.selectFrom('event_case').select('id').where('channel', '=', 'open311').execute()).toHaveLength(0);
  });

  let caseNo: string;

  it('creates a case from a form-encoded POST: channel open311, reporter kept privately, expected_datetime from the working-day engine', async () => {
    const r = await post('json', {
      api_key: key,
      service_code: '0301',
      ...IN_GRID,
      address_string: '共青团路小区8号',
      description: '小区门口垃圾桶满溢，请联系 13812345678',
      first_name: '三',
      last_name: '张',
      phone: '13912345678',
      email: 'zhang@example.com',
      device_id: 'dev-1',
      account_id: 'acc-9',
      media_url: 'https://example.com/p.jpg',
    });
    expect(r.statusCode).toBe(201);
    const [created] = r.json() as { service_request_id: string; service_notice: string; account_id: string }[];
    expect(created?.account_id).toBe('acc-9');
    expect(created?.service_request_id).toMatch(/^370118-\d{8}-\d{6}$/);
    expect(created?.service_notice).toContain(created?.service_request_id);
    caseNo = created?.service_request_id as string;

    const db = t.database.db;
    const c = await db.selectFrom('event_case').selectAll().where('case_no', '=', caseNo).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ channel: 'open311', status: 'reported', reporter_name: '张三', reporter_phone_masked: '139****5678', no_grid: false });
    const extra = await db.selectFrom('open311_request').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(extra).toMatchObject({ device_id: 'dev-1', account_id: 'acc-9', email_masked: 'z***@example.com', media_url: 'https://example.com/p.jpg' });
    expect(extra.email_enc?.toString('utf8')).not.toContain('zhang');

    // Visible in our own API to the administrator, as an open311 case.
    const mine = await t.as(admin, { method: 'GET', url: `/api/cases/${c.id}` });
    if (mine.statusCode !== 404 || mine.json().error?.code !== 'ROUTE_NOT_FOUND') {
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ caseNo, channel: 'open311', status: 'reported' });
    }

    // expected_datetime = the acceptance stage's deadline on the region's calendar (0301: 2 working hours).
    const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: { append: async () => {} } });
    const cal = await calendar.calendarFor(c.region_id);
    const due = cal.deadline(new Date(c.reported_at).getTime(), { amount: 2, unit: 'working_hours' }).due as number;
    const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${caseNo}.json` });
    expect(one.statusCode).toBe(200);
    const [req] = one.json() as Record<string, unknown>[];
    expect(req?.expected_datetime).toBe(toCstIso(due));
    expect(req).toMatchObject({
      service_request_id: caseNo,
      status: 'open',
      service_code: '0301',
      service_name: '暴露垃圾',
      description: '小区门口垃圾桶满溢，请联系 138****5678',
      address: '共青团路小区8号',
      lat: 36.6582,
      long: 117.0014,
      requested_datetime: toCstIso(new Date(c.reported_at).getTime()),
      media_url: 'https://example.com/p.jpg',
      extended_attributes: {
        case_no: caseNo,
        status_code: 'reported',
        status_zh: '待受理',
        status_en: 'Reported',
        stage: 'accept',
        stage_zh: '受理立案',
        channel: 'open311',
        public: true,
        lifecycle: [{ action: 'report', action_zh: '上报', status: 'reported', status_zh: '待受理', datetime: expect.any(String) }],
      },
    });
    // No reporter data anywhere in the public answer.
    for (const secret of ['张三', '13912345678', '139****5678', 'zhang', 'dev-1', 'acc-9']) expect(one.body).not.toContain(secret);
  });

  it('places an address without coordinates by the grid lookup (the spec allows address_string instead of lat/long)', async () => {
    const r = await post('json', { api_key: key, service_code: '0207', address_string: '趵突泉南路', description: '路灯不亮' });
    expect(r.statusCode, r.body).toBe(201);
    const c = await t.database.db
      .selectFrom('event_case as e')
      .innerJoin('grid as g', 'g.id', 'e.grid_id')
      .select(['g.name', 'e.no_grid', 'e.address'])
      .where('e.case_no', '=', r.json()[0].service_request_id)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ name: '趵突泉第一网格', no_grid: false, address: '趵突泉南路' });
    const one = (await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${r.json()[0].service_request_id}.json` })).json()[0];
    expect(one).toMatchObject({ address: '趵突泉南路', lat: null, long: null });
  });

  it('accepts a JSON body and answers in XML', async () => {
    const r = await post('xml', { api_key: key, service_code: '0207', lat: IN_GRID.lat, long: IN_GRID.long, description: '路灯不亮 & <坏了>' }, true);
    expect(r.statusCode).toBe(201);
    const doc = parseXml(r.body);
    expect(doc.name).toBe('service_requests');
    const id = textOf(doc.children[0] as El, 'service_request_id') as string;
    expect(id).toMatch(/^370118-/);
    const one = parseXml((await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.xml` })).body);
    expect(one.name).toBe('service_requests');
    const req = one.children[0] as El;
    expect(req.name).toBe('request');
    expect(textOf(req, 'description')).toBe('路灯不亮 & <坏了>');
    expect(textOf(req, 'status')).toBe('open');
    const ext = child(req, 'extended_attributes') as El;
    expect(textOf(ext, 'status_zh')).toBe('待受理');
    expect(textOf(ext, 'case_no')).toBe(id);
    expect(child(ext, 'lifecycle')?.children.map((s) => textOf(s, 'action_zh'))).toEqual(['上报']);
  });

  it('keeps private categories out of the public list and shows them by id without content or location', async () => {
    const r = await post('json', { api_key: key, service_code: '0111', ...IN_GRID, description: '楼上夫妻吵架', address_string: '共青团路小区8号3单元' });
    expect(r.statusCode).toBe(201);
    const id = r.json()[0].service_request_id as string;
    const list = (await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })).json() as { service_request_id: string }[];
    expect(list.map((x) => x.service_request_id)).toContain(caseNo);
    expect(list.map((x) => x.service_request_id)).not.toContain(id);
    const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
    expect(one.json()[0]).toMatchObject({ service_request_id: id, status: 'open', description: null, address: null, lat: null, long: null });
    expect(one.json()[0].extended_attributes.public).toBe(false);
    expect(one.body).not.toContain('吵架');
  });

  it('filters by id, service_code, status and dates; maps terminal states to closed', async () => {
    const db = t.database.db;
    const get = async (q: string) => {
      const r = await t.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${q}` });
      expect(r.statusCode).toBe(200);
      return (r.json() as { service_request_id: string; status: string }[]).map((x) => x.service_request_id);
    };
    expect(await get(`service_request_id=${caseNo}`)).toEqual([caseNo]);
    expect(await get('service_code=0207')).not.toContain(caseNo);
    expect(await get('service_code=0301,0207')).toContain(caseNo);
    expect(await get('status=open')).toContain(caseNo);
    expect(await get('status=closed')).not.toContain(caseNo);
    expect(await get('start_date=2020-01-01&end_date=2020-12-31')).toEqual([]);

    // A case rejected (不予受理) reads as closed, with the full status in the extension.
    await db.updateTable('event_case').set({ status: 'rejected', stage: null, stage_due_at: null }).where('case_no', '=', caseNo).execute();
    expect(await get('status=closed')).toContain(caseNo);
    const one = (await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${caseNo}.json` })).json()[0];
    expect(one).toMatchObject({ status: 'closed', expected_datetime: null, extended_attributes: { status_code: 'rejected', status_zh: '不予受理' } });

    const bad = await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=pending' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()[0].code).toBe('VALIDATION_FAILED');
    const missing = await t.app.inject({ method: 'GET', url: '/open311/v2/requests/370118-20200101-000001.xml' });
    expect(missing.statusCode).toBe(404);
    expect(textOf(parseXml(missing.body).children[0] as El, 'code')).toBe('NOT_FOUND');
  });

  it('keeps form-encoded bodies to /open311/ (the API stays JSON-only)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: form({ login: 'admin', password: 'x' }), headers: FORM });
    expect(r.statusCode).toBe(415);
  });

  it('rate-limits key-less reads per address (Open311 error, Retry-After); an api_key lifts the limit', async () => {
    let limited: Awaited<ReturnType<typeof t.app.inject>> | null = null;
    for (let i = 0; i < 200 && !limited; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/open311/v2/services/0301.json', remoteAddress: '203.0.113.7' });
      if (r.statusCode === 429) limited = r;
      else expect(r.statusCode).toBe(200);
    }
    expect(limited?.json()[0].code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    const withKey = await t.app.inject({ method: 'GET', url: `/open311/v2/services/0301.json?api_key=${readKey}`, remoteAddress: '203.0.113.7' });
    expect(withKey.statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: '/open311/v2/services/0301.json', remoteAddress: '203.0.113.8' });
    expect(other.statusCode).toBe(200);
  });
});
