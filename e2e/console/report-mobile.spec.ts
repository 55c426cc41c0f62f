import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { buildDemoGeometry } from '../../apps/server/src/seed/demo-grids.js';
import { type E2EBrowser, launchBrowser, SCREENS } from '../support/browser.js';
import { type E2EServer, startServer } from '../support/server.js';

/** 上报问题 on a phone: a grid worker reports with GPS and a photo, sees the case number, and the next report shows it as a possible duplicate. */

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

/** A 1×1 PNG: what the camera input hands over (the server types it by its bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function phone(geolocation: { longitude: number; latitude: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await b.browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    geolocation,
    permissions: ['geolocation'],
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  onTestFailed(async () => {
    await b.screenshot(page, 'FAILED-report-mobile').catch(() => undefined);
  });
  return { context, page };
}

describe('mobile report page', () => {
  it('a grid worker reports with GPS and a photo and sees the case number; a second report nearby is warned of the first', async () => {
    const grid = buildDemoGeometry().grids.find((g) => g.communityCode === '370118001001' && g.seq === 1);
    if (!grid) throw new Error('demo grid 趵突泉 1 missing');
    const { context, page } = await phone({ longitude: grid.station.lng, latitude: grid.station.lat });

    await page.goto(`${server.baseUrl}/m/report`);
    await page.getByLabel('用户名或手机号').fill('wgy_baotuquan');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('mobile-report').waitFor();
    // No console menu on the phone page.
    expect(await page.locator('.ant-layout-sider').count()).toBe(0);

    await page.getByTestId('report-description').getByRole('textbox').fill('3号楼楼道里堆放杂物，堵住了通道');
    const suggestions = page.getByTestId('category-suggestions');
    await suggestions.getByText('楼道堆物').click();
    await page.getByTestId('report-gps').click();
    await page.getByText(grid.station.lng.toFixed(6).slice(0, 8)).waitFor();
    await page.getByTestId('report-photos').locator('input[type=file]').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-testid="report-photo"][data-uploaded="yes"]').waitFor();
    await page.getByText('紧急', { exact: true }).click();
    await b.screenshot(page, 'report-mobile-01-form');
    await page.screenshot({ path: path.join(SCREENS, 'report-mobile-01-form-full.png'), fullPage: true });

    await page.getByTestId('report-submit').click();
    const caseNo = page.getByTestId('report-case-no');
    await caseNo.waitFor();
    const no = (await caseNo.textContent())?.trim() ?? '';
    expect(no).toMatch(/^370118-\d{8}-\d{6}$/);
    expect(await page.getByText('上报成功').count()).toBe(1);
    await b.screenshot(page, 'report-mobile-02-done');

    // The case as the server keeps it: the worker's report, its category, urgency and the photo.
    const kept = await page.evaluate(async (caseNo) => {
      const list = (await (await fetch('/api/cases?view=reported&limit=20')).json()) as { items: { id: string; caseNo: string }[] };
      const hit = list.items.find((c) => c.caseNo === caseNo);
      if (!hit) return null;
      return (await (await fetch(`/api/cases/${hit.id}`)).json()) as {
        categoryName: string;
        urgency: string;
        channel: string;
        attachments: { kind: string }[];
      };
    }, no);
    expect(kept).toMatchObject({ categoryName: '楼道堆物', urgency: 'urgent', channel: 'grid_worker', attachments: [{ kind: 'photo' }] });

    // Another report of the same thing at the same place: the first case is shown before sending.
    await page.getByRole('button', { name: '继续上报' }).click();
    await page.getByTestId('report-description').getByRole('textbox').fill('楼道堆放杂物');
    await page.getByTestId('report-gps').click();
    const dup = page.getByTestId('report-duplicates');
    await dup.waitFor();
    expect(await dup.textContent()).toContain('可能与以下案件重复');
    expect(await dup.textContent()).toContain(no);
    await dup.scrollIntoViewIfNeeded();
    await b.screenshot(page, 'report-mobile-03-duplicate');
    await context.close();
  });

  it('a community station enters a caller’s problem (代录): channel, caller and masked phone are kept', async () => {
    const grid = buildDemoGeometry().grids.find((g) => g.communityCode === '370118001001' && g.seq === 2);
    if (!grid) throw new Error('demo grid 趵突泉 2 missing');
    const { context, page } = await phone({ longitude: grid.station.lng, latitude: grid.station.lat });
    await page.goto(`${server.baseUrl}/m/report`);
    await page.getByLabel('用户名或手机号').fill('sq_baotuquan');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('mobile-report').waitFor();

    await page.getByTestId('report-proxy').click();
    await page.getByText('来访', { exact: true }).click();
    await page.getByTestId('report-caller-name').getByRole('textbox').fill('王阿姨');
    await page.getByTestId('report-caller-phone').getByRole('textbox').fill('电话未知');
    await page.getByTestId('report-description').getByRole('textbox').fill('小区门口路灯不亮，晚上出行不便');
    await page.getByTestId('report-gps').click();
    await page.getByText(grid.station.lng.toFixed(6).slice(0, 8)).waitFor();
    // The server refuses the phone: its message stands under the phone field, not in a box at the bottom.
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-caller-phone').locator('.adm-form-item-feedback-error').waitFor();
    expect(await page.getByTestId('report-caller-phone').textContent()).toContain('电话号码格式不正确');
    await page.getByTestId('report-caller-phone').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'report-mobile-04-field-error');
    await page.getByTestId('report-caller-phone').getByRole('textbox').fill('13912348888');
    await b.screenshot(page, 'report-mobile-05-proxy');
    await page.getByTestId('report-submit').click();
    const no = ((await page.getByTestId('report-case-no').textContent()) ?? '').trim();
    expect(no).toMatch(/^370118-\d{8}-\d{6}$/);

    const kept = await page.evaluate(async (caseNo) => {
      const list = (await (await fetch(`/api/cases?view=queue&q=${caseNo}&limit=5`)).json()) as { items: { id: string; caseNo: string }[] };
      const hit = list.items.find((c) => c.caseNo === caseNo);
      return hit ? ((await (await fetch(`/api/cases/${hit.id}`)).json()) as Record<string, unknown>) : null;
    }, no);
    expect(kept).toMatchObject({ channel: 'staff_proxy', channelDetail: 'walk_in', reporterName: '王阿姨', reporterPhone: '139****8888' });
    await context.close();
  });

  it('a resident in English: the form, its client-side check and the category picker speak English', async () => {
    const { context, page } = await phone({ longitude: 117.0, latitude: 36.66 });
    await context.addInitScript(() => localStorage.setItem('gridgov.locale', 'en'));
    await page.goto(`${server.baseUrl}/m/report`);
    await page.getByLabel('Username or mobile').fill('jumin');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('mobile-report').waitFor();
    expect(await page.getByText('Report a problem').count()).toBeGreaterThan(0);
    // No 代录 switch for a resident.
    expect(await page.getByTestId('report-proxy').count()).toBe(0);
    // The picker's buttons come from antd-mobile's English locale.
    await page.getByTestId('report-category').click();
    await page.locator('.adm-picker-header-button', { hasText: 'Confirm' }).waitFor();
    await b.screenshot(page, 'report-mobile-06-en-picker');
    await page.locator('.adm-picker-header-button', { hasText: 'Cancel' }).click();
    await page.locator('.adm-picker-header').waitFor({ state: 'hidden' });
    // An address without a description: the form's own check, in English, under the field.
    await page.getByTestId('report-description').getByRole('textbox').fill('x');
    await page.getByTestId('report-description').getByRole('textbox').fill('   ');
    await page.getByTestId('report-description').getByText('Describe the problem').waitFor();
    await page.getByTestId('report-description').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'report-mobile-07-en-form');
    await context.close();
  });
});
