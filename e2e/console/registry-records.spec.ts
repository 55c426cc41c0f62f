import { idNumberCheckChar } from '@gridgov/contracts/identifiers';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * Registry forms and the sensitive-register path in Chromium: server field errors land on their field,
 * a duplicate 身份证号 links to the existing record, a building's floor × room layout opens the house,
 * and a grid worker's break-the-glass access shows the hidden entry under a warning and reaches the
 * reviewer.
 */

let server: E2EServer;
let b: E2EBrowser;
const idNumber = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
const existing = { name: '司马测丙', idNumber: idNumber('37010219760101335') };
const ctx: { gridId?: string; gridName?: string; personId?: string } = {};

async function session(login: string) {
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: DEMO_PASSWORD } });
  const sid = res.cookies.find((c) => c.name === 'gridgov_sid');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return async (method: string, url: string, payload?: unknown) => {
    const r = await server.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { cookie: `gridgov_sid=${sid?.value}`, 'x-csrf-token': csrf },
    });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
}

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
  const center = await session('qu_zhongxin');
  // 趵突泉 grid 1: served by 张网格员 (wgy_baotuquan), who holds no special.sensitive.
  const list = (await center('GET', `/api/grids?q=${encodeURIComponent('趵突泉第一网格')}&limit=5`)) as { items: { id: string; name: string }[] };
  const grid = list.items.find((g) => g.name === '趵突泉第一网格') ?? list.items[0];
  if (!grid) throw new Error('趵突泉第一网格 not found');
  ctx.gridId = grid.id;
  ctx.gridName = grid.name;
  const p = (await center('POST', '/api/persons', { ...existing, docType: 'id_card', populationType: 'registered', gridId: grid.id })) as { id: string };
  ctx.personId = p.id;
  await center('POST', `/api/persons/${p.id}/special-entries`, {
    typeCode: 'community_correction',
    level: 'medium',
    fields: { correctionType: '缓刑', startDate: '2026-01-05' },
  });
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

const open = (name: string) => openPage(b, `registry-records-${name}`);

describe('console: registry records', () => {
  it('the person form shows the server’s field error on its field and links a duplicate 身份证号 to the existing record', async () => {
    const { context, page } = await open('person-form');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/persons`);
    await page.getByRole('button', { name: '登记人员' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('姓名').fill('司马测丁');
    await drawer.getByLabel('身份证号').fill(existing.idNumber);
    await page.getByTestId('person-save').click();
    // No house, grid or location: the server refuses and names houseId; the message sits under 住房.
    const houseItem = drawer.locator('.ant-form-item').filter({ hasText: '住房' }).first();
    await expect.poll(() => houseItem.locator('.ant-form-item-explain-error').textContent()).toContain('请选择住房、网格或位置');

    await drawer.getByLabel('所属网格').click();
    await drawer.getByLabel('所属网格').fill('趵突泉第一');
    await pickOption(page, drawer.getByLabel('所属网格'), '趵突泉第一网格');
    await page.getByTestId('person-save').click();
    const link = page.getByTestId('person-duplicate-link');
    await link.waitFor();
    await b.screenshot(page, 'registry-10-person-duplicate');
    await link.click();
    await expect.poll(() => page.getByTestId('person-title').textContent()).toBe(existing.name);
    expect(page.url()).toContain(`/persons/${ctx.personId}`);
    await context.close();
  });

  it('the household editor records the 户号 and the person as head', async () => {
    const { context, page } = await open('household');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/persons/${ctx.personId}`);
    await page.getByTestId('household-edit').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('户号').fill('E2E-0001');
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/persons/${ctx.personId}/household`));
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('户（户号 E2E-0001）').waitFor();
    const head = page.locator('.ant-table-row').filter({ hasText: existing.name }).first();
    await expect.poll(() => head.textContent()).toContain('户主');
    await context.close();
  });

  it('a building’s floor × room layout opens the house with its use', async () => {
    const { context, page } = await open('layout');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/houses?tab=buildings`);
    await page.getByRole('button', { name: '新建楼栋' }).click();
    let drawer = page.getByRole('dialog');
    await drawer.getByLabel('楼栋名称').fill('测试9号楼');
    await drawer.getByLabel('层数').fill('3');
    await drawer.getByLabel('所属网格').click();
    await drawer.getByLabel('所属网格').fill('趵突泉第一');
    await pickOption(page, drawer.getByLabel('所属网格'), '趵突泉第一网格');
    await page.getByTestId('building-save').click();
    await expect.poll(() => page.getByTestId('building-title').textContent()).toBe('测试9号楼');

    for (const [floor, room, use] of [
      ['1', '101', '自住'],
      ['2', '201', '出租屋'],
    ] as const) {
      await page.getByRole('button', { name: '登记房屋' }).click();
      drawer = page.getByRole('dialog');
      await drawer.getByLabel('单元').fill('1');
      await drawer.getByLabel('楼层').fill(floor);
      await drawer.getByLabel('室号').fill(room);
      await pickOption(page, drawer.getByLabel('用途'), new RegExp(`^${use}$`));
      await page.getByTestId('house-save').click();
      await drawer.waitFor({ state: 'hidden' });
    }
    await expect.poll(() => page.getByTestId('layout-cell').count()).toBe(2);
    await b.screenshot(page, 'registry-11-building-layout');
    // Top floor first: the first cell is 201, the rental.
    await page.getByTestId('layout-cell').first().click();
    await expect.poll(() => page.getByTestId('house-title').textContent()).toContain('201');
    await page.getByText('出租屋').first().waitFor();
    await context.close();
  });

  it('a grid worker opens emergency access to a hidden sensitive entry; the reviewer sees the grant', async () => {
    const { context, page } = await open('break-glass');
    await signIn(page, 'wgy_baotuquan');
    await page.goto(`${server.baseUrl}/persons/${ctx.personId}`);
    await page.getByTestId('tab-special').click();
    await page.getByText('该人员另有 1 条敏感登记，您当前无权查看').waitFor();
    expect(await page.getByText('社区矫正人员').count()).toBe(0);
    await page.getByTestId('bg-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('原因').fill('该人员夜间失联，需立即联系其矫正负责人核实去向');
    await dialog.getByRole('button', { name: '确认紧急查看' }).click();
    await page.getByTestId('bg-banner').waitFor();
    await page.getByText('社区矫正人员').first().waitFor();
    await b.screenshot(page, 'registry-12-break-glass');
    await context.close();

    const r = await open('break-glass-review');
    await signIn(r.page, 'qu_zhongxin');
    await r.page.getByRole('menuitem', { name: '数据治理' }).click();
    await r.page.getByRole('menuitem', { name: '紧急授权复核' }).click();
    const row = r.page.locator('.ant-table-row').filter({ hasText: existing.name });
    await row.waitFor();
    await row.getByTestId('bg-review').click();
    const dialog2 = r.page.getByRole('dialog');
    await dialog2.getByText('正当', { exact: true }).click();
    await dialog2.getByRole('button', { name: /确\s*定/ }).click();
    await dialog2.waitFor({ state: 'hidden' });
    // Pending-only hides it once reviewed.
    await expect.poll(() => r.page.locator('.ant-table-row').filter({ hasText: existing.name }).count()).toBe(0);
    await b.screenshot(r.page, 'registry-13-break-glass-reviewed');
    await r.context.close();
  });
  it('a register entry is ended from the person page and leaves the active list', async () => {
    const { context, page } = await open('end-entry');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/persons/${ctx.personId}`);
    await page.getByTestId('tab-special').click();
    const row = page.locator('.ant-table-row').filter({ hasText: '社区矫正人员' });
    await row.getByRole('button', { name: '结束' }).click();
    const ended = page.waitForResponse((r) => r.url().includes('/api/special-entries/') && r.url().endsWith('/end'));
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    expect((await ended).status()).toBe(200);
    await expect.poll(() => row.count()).toBe(0);
    await page.getByText('没有可查看的特殊人群登记').waitFor();
    await context.close();
  });
  it('moving a person to a house closes the old residence and opens the new one', async () => {
    const { context, page } = await open('move');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/persons/${ctx.personId}`);
    await page.getByRole('button', { name: '迁居' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新住房').click();
    await dialog.getByLabel('新住房').fill('测试9号楼');
    await pickOption(page, dialog.getByLabel('新住房'), /测试9号楼.*101/);
    // Today: the person was registered today, and a move cannot start before the current residence.
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await dialog.getByLabel('迁入日期').fill(today);
    await page.keyboard.press('Enter');
    const moved = page.waitForResponse((r) => r.url().endsWith(`/api/persons/${ctx.personId}/move`));
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    expect((await moved).status()).toBe(200);
    const current = page.locator('.ant-table-row').filter({ hasText: '现住' });
    await expect.poll(() => current.textContent()).toContain('测试9号楼');
    expect(await current.textContent()).toContain(today);
    await context.close();
  });
});
