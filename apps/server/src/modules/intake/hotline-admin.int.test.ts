import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { issueToken, pointInGrid } from './intake.fixtures.js';

/** The integrations console: hotline/device cases with their ids, the outbox of status pushes and its 重试. */
describe('integrations console (hotline and device cases, webhook outbox)', () => {
  let t: TestApp;
  let center: TestSession;
  let station: TestSession;
  let hotlineCase: string;
  let deviceCase: string;

  beforeAll(async () => {
    t = await createTestApp();
    center = await t.login('qu_zhongxin');
    station = await t.login('sq_baotuquan');
    const db = t.database.db;
    const district = await db.selectFrom('region').select('id').where('code', '=', '370118').executeTakeFirstOrThrow();
    const token = await issueToken(t, 'qu_zhongxin', [district.id], ['case.dispatch']);
    const at = await pointInGrid(db, '370118001001');
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    const h = await post('/api/integrations/hotline/cases', { 工单号: 'GD-ADM-0001', 诉求内容: '小区门口路灯不亮', 坐标: { lng: at.lng, lat: at.lat } });
    expect(h.statusCode).toBe(201);
    hotlineCase = h.json().id;
    const d = await post('/api/integrations/devices/alarms', {
      alarmId: 'ALM-ADM-1',
      deviceId: 'CAM-7',
      alarmType: 'illegal_parking',
      location: { lng: at.lng, lat: at.lat },
      occurredAt: new Date().toISOString(),
    });
    expect(d.statusCode).toBe(201);
    deviceCase = d.json().id;
    // 受理 queues a status push; the receiver kept refusing it until it was given up.
    expect((await t.as(center, { method: 'POST', url: `/api/cases/${hotlineCase}/actions`, payload: { action: 'accept' } })).statusCode).toBe(200);
    await db.updateTable('webhook_outbox').set({ attempts: 10, last_error: 'HTTP 502', failed_at: new Date() }).where('case_id', '=', hotlineCase).execute();
  });
  afterAll(() => t.close());

  it('lists the cases of each channel with their external ids and the newest push', async () => {
    const hot = await t.as(center, { method: 'GET', url: '/api/integrations/cases?channel=hotline' });
    expect(hot.statusCode).toBe(200);
    const row = hot.json().items.find((c: { id: string }) => c.id === hotlineCase);
    expect(row).toMatchObject({ channel: 'hotline', externalId: 'GD-ADM-0001', status: 'accepted', lastPush: { state: 'failed' } });
    expect(hot.json().items.every((c: { channel: string }) => c.channel === 'hotline')).toBe(true);
    const dev = await t.as(center, { method: 'GET', url: '/api/integrations/cases?channel=device&q=ALM-ADM' });
    expect(dev.json()).toMatchObject({ total: 1, items: [{ id: deviceCase, externalId: 'CAM-7:ALM-ADM-1', lastPush: null }] });
    const both = await t.as(center, { method: 'GET', url: '/api/integrations/cases?q=GD-ADM-0001' });
    expect(both.json().items.map((c: { id: string }) => c.id)).toEqual([hotlineCase]);
  });

  it('lists the outbox by state with attempts and the last error; 重试 puts a failed push back in the queue, once', async () => {
    const failed = await t.as(center, { method: 'GET', url: '/api/integrations/outbox?state=failed' });
    expect(failed.statusCode).toBe(200);
    const body = failed.json();
    expect(body.hotlineConfigured).toBe(false);
    expect(body.counts.failed).toBeGreaterThanOrEqual(1);
    const d = body.items.find((x: { caseId: string }) => x.caseId === hotlineCase);
    expect(d).toMatchObject({ externalId: 'GD-ADM-0001', status: 'accepted', state: 'failed', attempts: 10, lastError: 'HTTP 502', nextAt: null });

    const retried = await t.as(center, { method: 'POST', url: `/api/integrations/outbox/${d.id}/retry` });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: d.id, state: 'pending', failedAt: null, attempts: 10 });
    expect(new Date(retried.json().nextAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'integration.outbox_retried').execute();
    expect(audit).toEqual([{ action: 'integration.outbox_retried', target_id: String(d.id) }]);
    // A second click (the row is pending now) is refused with its own code.
    const again = await t.as(center, { method: 'POST', url: `/api/integrations/outbox/${d.id}/retry` });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'OUTBOX_NOT_FAILED']);
    const pending = await t.as(center, { method: 'GET', url: '/api/integrations/outbox?state=pending' });
    expect(pending.json().items.map((x: { id: number }) => x.id)).toContain(d.id);
    expect((await t.as(center, { method: 'POST', url: '/api/integrations/outbox/999999/retry' })).statusCode).toBe(404);
  });

  it('is for the district center (case.configure): a station is refused', async () => {
    for (const url of ['/api/integrations/cases', '/api/integrations/outbox']) {
      const res = await t.as(station, { method: 'GET', url });
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
  });
});
