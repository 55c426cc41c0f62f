import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The grid screens around the map: assigning staff to a grid, the size norms of a jurisdiction, the grid
 * code layout, and "which grid is this point in (on a date)?".
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

const open = (name: string) => openPage(b, `grid-settings-${name}`);

describe('console: grid staff, size norms, code layout, point lookup', () => {
  it('the community station adds a building head to a grid from the map', async () => {
    const { context, page } = await open('staff');
    await signIn(page, 'sq_baotuquan');
    await page.getByRole('menuitem', { name: '网格地图' }).click();
    await page.getByLabel('按网格编码或名称查找').fill('趵突泉第二网格');
    await page.getByTestId('grid-search-option').first().click();
    await expect.poll(() => page.getByTestId('grid-detail-name').textContent()).toBe('趵突泉第二网格');

    await page.getByTestId('grid-edit-staff').click();
    await page.getByTestId('staff-add').click();
    const rows = page.getByTestId('staff-table').locator('tbody tr');
    const last = rows.last();
    const person = last.getByRole('combobox', { name: '人员' });
    await person.click();
    await person.fill('wgy_baotuquan');
    await pickOption(page, person, 'wgy_baotuquan');
    await pickOption(page, last.getByRole('combobox', { name: '职责' }), '楼栋长');
    await b.screenshot(page, 'grid-settings-01-staff');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('网格人员已保存').waitFor();
    await expect.poll(() => page.getByTestId('grid-detail').textContent()).toContain('楼栋长：张网格员');
    await context.close();
  });

  it('finds the grid of a point today and on a past date', async () => {
    const { context, page } = await open('lookup');
    await signIn(page, 'jd_quancheng');
    await page.getByRole('menuitem', { name: '网格地图' }).click();
    await page.getByTestId('point-lookup-open').click();
    const box = page.getByTestId('point-lookup');
    // The service station of 趵突泉第二网格 lies inside it (the demo puts every station inside its grid).
    const station = await page.evaluate(async () => {
      const r = await fetch('/api/grids?q=%E8%B6%B5%E7%AA%81%E6%B3%89%E7%AC%AC%E4%BA%8C%E7%BD%91%E6%A0%BC&limit=1', { credentials: 'same-origin' });
      const list = await r.json();
      const d = await fetch(`/api/grids/${list.items[0].id}`, { credentials: 'same-origin' });
      return (await d.json()).station as { lng: number; lat: number };
    });
    await box.getByLabel('经度').fill(String(station.lng));
    await box.getByLabel('纬度').fill(String(station.lat));
    await box.getByRole('button', { name: /查\s*询/ }).click();
    await box.getByTestId('point-lookup-result').waitFor();
    expect(await box.getByTestId('point-lookup-result').textContent()).toContain('趵突泉第二网格');
    await b.screenshot(page, 'grid-settings-02-lookup');

    // On a date before the demo grids existed the point was in no grid; the answer says so.
    await box.getByPlaceholder('请选择日期').fill('2020-01-01');
    await box.getByPlaceholder('请选择日期').press('Enter');
    await box.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => box.getByTestId('point-lookup-result').textContent()).toBe('2020-01-01 时该位置不在任何网格内');
    await context.close();
  });

  it('the street center sets the size norms of its street; the administrator sees the code layout', async () => {
    const { context, page } = await open('norms');
    await signIn(page, 'jd_quancheng');
    await page.getByRole('menuitem', { name: '网格列表' }).click();
    await page.getByTestId('norms-open').click();
    await page.getByTestId('norms-source').waitFor();
    const maxHouseholds = page.getByLabel('户数上限').first();
    await maxHouseholds.fill('450');
    await page.getByTestId('norms-save').click();
    await page.getByText('规模标准已保存').waitFor();
    await page.getByTestId('norms-open').click();
    await expect.poll(() => page.getByTestId('norms-source').textContent()).toContain('本辖区已单独设置');
    expect(await page.getByLabel('户数上限').first().inputValue()).toBe('450');
    await b.screenshot(page, 'grid-settings-03-norms');
    await context.close();

    const admin = await open('code-template');
    await signIn(admin.page, 'admin');
    await admin.page.getByRole('menuitem', { name: '网格列表' }).click();
    await admin.page.getByTestId('code-template-open').click();
    await admin.page.getByTestId('code-template').waitFor();
    expect(await admin.page.getByRole('radio', { checked: true }).count()).toBe(1);
    expect(await admin.page.getByRole('dialog').textContent()).toContain('山东省 19 位网格编码');
    await b.screenshot(admin.page, 'grid-settings-04-code-template');
    await admin.context.close();
  });
});
