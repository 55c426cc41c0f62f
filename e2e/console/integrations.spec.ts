import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoGeometry } from '../../apps/server/src/seed/demo-grids.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * 热线与设备接入: the 12345 hotline and a camera send cases in with an API token; the district center sees them
 * with their ids, finds a status push the hotline kept refusing in the outbox and puts it back in the queue (重试).
 */

let server: E2EServer;
let b: E2EBrowser;

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

/** A call from the signed-in browser session (its cookie and CSRF token). */
function asSession<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const s = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify(body ?? {}) });
      return { status: res.status, body: await res.json() };
    },
    { method, url, body },
  );
}

describe('console: hotline and device integrations', () => {
  it('the district center sees the hotline and device cases and retries a failed status push', async () => {
    const grid = buildDemoGeometry().grids.find((g) => g.communityCode === '370118001001' && g.seq === 1);
    if (!grid) throw new Error('demo grid 趵突泉 1 missing');
    const at = { lng: grid.station.lng, lat: grid.station.lat };
    const district = await sql<{ id: string }>`SELECT id FROM region WHERE code = '370118'`.execute(server.database.db);

    // The system administrator issues the integration's token (API 令牌, case.dispatch over the district).
    const admin = await openPage(b, 'integrations-admin');
    await signIn(admin.page, 'admin');
    const made = await asSession<{ token: string }>(admin.page, 'POST', '/api/tokens', {
      name: '12345 热线对接',
      permissions: ['case.dispatch'],
      regionIds: [district.rows[0]?.id],
    });
    expect(made.status).toBe(201);
    await admin.context.close();
    const bearer = async (url: string, body: unknown) => {
      const res = await fetch(`${server.baseUrl}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${made.body.token}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; caseNo: string };
    };
    const refused = await bearer('/api/integrations/hotline/cases', { 工单号: 'GD20261203E2E01', 诉求内容: '趵突泉南路路灯不亮', 坐标: at });
    const fine = await bearer('/api/integrations/hotline/cases', { 工单号: 'GD20261203E2E02', 诉求内容: '小区门口游商摆摊', 坐标: at });
    await bearer('/api/integrations/devices/alarms', {
      alarmId: 'A-778',
      deviceId: 'CAM-0042',
      alarmType: 'illegal_parking',
      location: at,
      occurredAt: new Date().toISOString(),
    });

    const { context, page } = await openPage(b, 'integrations');
    await signIn(page, 'qu_zhongxin');
    // 受理 both hotline cases: each queues a status push to the hotline.
    for (const c of [refused, fine]) expect((await asSession(page, 'POST', `/api/cases/${c.id}/actions`, { action: 'accept' })).status).toBe(200);
    // The hotline refused the first push until it was given up; the second was delivered.
    await sql`UPDATE webhook_outbox SET attempts = 10, last_error = 'HTTP 503 Service Unavailable', failed_at = now() WHERE case_id = ${refused.id}`.execute(
      server.database.db,
    );
    await sql`UPDATE webhook_outbox SET attempts = 1, delivered_at = now() WHERE case_id = ${fine.id}`.execute(server.database.db);

    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '热线与设备' }).click();
    const cases = page.getByTestId('integration-cases');
    const refusedRow = cases.locator('tr', { hasText: 'GD20261203E2E01' });
    await refusedRow.waitFor();
    expect(await refusedRow.textContent()).toContain(refused.caseNo);
    expect(await refusedRow.textContent()).toContain('待立案');
    expect(await refusedRow.textContent()).toContain('推送失败');
    expect(await cases.locator('tr', { hasText: 'GD20261203E2E02' }).textContent()).toContain('已送达');
    expect(await cases.locator('tr', { hasText: 'CAM-0042:A-778' }).count()).toBe(1);
    await b.screenshot(page, 'integrations-01-cases');

    // Only the devices; then a search by 工单号.
    await page.getByTestId('integration-channel').getByText('设备/视频告警').click();
    await expect.poll(() => cases.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.getByTestId('integration-channel').getByText('全部渠道').click();
    await page.getByTestId('integration-search').getByRole('searchbox').fill('E2E02');
    await page.getByTestId('integration-search').getByRole('searchbox').press('Enter');
    await expect.poll(() => cases.locator('tbody tr.ant-table-row').count()).toBe(1);

    // The outbox: the failed push with its attempts and error; no push-back URL is configured on this server.
    await page.getByRole('tab', { name: '状态回推' }).click();
    await page.getByTestId('outbox-not-configured').waitFor();
    const outbox = page.getByTestId('outbox-table');
    const row = outbox.locator('tr', { hasText: 'GD20261203E2E01' });
    await row.waitFor();
    expect(await row.textContent()).toContain('HTTP 503 Service Unavailable');
    expect(await row.textContent()).toContain('待立案');
    expect(await page.getByTestId('outbox-tab-failed').textContent()).toContain('1');
    await b.screenshot(page, 'integrations-02-outbox-failed');

    await row.getByRole('button', { name: /重\s*试/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /重\s*试/ })
      .click();
    await page.getByText('已重新排队：GD20261203E2E01').waitFor();
    await expect.poll(() => outbox.locator('tr', { hasText: 'GD20261203E2E01' }).count()).toBe(0);
    await page.getByTestId('outbox-tab-pending').click();
    const pending = outbox.locator('tr', { hasText: 'GD20261203E2E01' });
    await pending.waitFor();
    expect(await pending.textContent()).toContain('下次重试');
    await b.screenshot(page, 'integrations-03-outbox-pending');
    const kept = await sql<{ failed_at: Date | null }>`SELECT failed_at FROM webhook_outbox WHERE case_id = ${refused.id}`.execute(server.database.db);
    expect(kept.rows[0]?.failed_at).toBeNull();
    await context.close();
  });
});
