import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/** 事项清单: the district center edits an item's handling limit (a refused value first), and the rules become version 2. */

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

describe('console: event catalogue', () => {
  it('the district center edits 路灯损坏 handling limit to 16 working hours and sees version 2 with its history', async () => {
    const { context, page } = await openPage(b, 'catalogue');
    await signIn(page, 'qu_zhongxin');
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '事项清单' }).click();
    await page.getByTestId('catalogue-table').waitFor();
    await expect.poll(() => page.getByTestId('limit-handle-0207').textContent()).toBe('3 工作日');
    expect(await page.getByTestId('version-0207').textContent()).toBe('v1');

    await page.getByTestId('edit-0207').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('item-version').waitFor();
    expect(await drawer.getByTestId('item-version').textContent()).toBe('现行规则：第 1 版');
    const amount = drawer.getByLabel('处置时限 时长');

    // 0 is refused by the server; its message appears on the field itself.
    await amount.fill('0');
    await drawer.getByTestId('item-save').click();
    await drawer.getByText('时限须大于 0').waitFor();
    expect(await drawer.getByTestId('item-version').textContent()).toBe('现行规则：第 1 版');

    await amount.fill('16');
    await drawer.getByLabel('处置时限 单位').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /^工作时$/ })
      .click();
    await drawer.getByTestId('item-save').click();
    await page.getByText('已保存，现行规则为第 2 版').first().waitFor();
    await expect.poll(() => drawer.getByTestId('item-version').textContent()).toBe('现行规则：第 2 版');
    // The history shows both versions, the new one first, with who changed it.
    const history = drawer.getByTestId('version-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    const first = await history.locator('tbody tr').first().textContent();
    expect(first).toContain('v2');
    expect(first).toContain('王主任');
    expect(first).toContain('处置时限 16 工作时');
    expect(await history.locator('tbody tr').nth(1).textContent()).toContain('处置时限 3 工作日');
    await b.screenshot(page, 'catalogue-01-version-2');

    await drawer.getByRole('button', { name: /取\s*消/ }).click();
    await expect.poll(() => page.getByTestId('version-0207').textContent()).toBe('v2');
    expect(await page.getByTestId('limit-handle-0207').textContent()).toBe('16 工作时');
    await context.close();
  });
});
