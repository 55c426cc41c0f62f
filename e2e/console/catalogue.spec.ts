import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
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
    const unit = drawer.getByTestId('limit-handle-unit');
    await pickOption(page, drawer.getByLabel('处置时限 单位'), /^工作时$/, async () => !!(await unit.textContent())?.includes('工作时'));
    expect(await unit.textContent()).toContain('工作时');
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

  it('the district center renames a class, moves it up, and is told which items keep it from being deactivated', async () => {
    const { context, page } = await openPage(b, 'catalogue-classes');
    await signIn(page, 'qu_zhongxin');
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '事项清单' }).click();
    const table = page.getByTestId('catalogue-table');
    await page.getByTestId('class-02').waitFor();
    const classOrder = async () =>
      (await table.locator('[data-testid^="class-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).join(',');

    // Rename 02.
    await page.getByTestId('rename-02').click();
    const modal = page.getByRole('dialog');
    await modal.getByTestId('class-name').fill('市政设施管理');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(() => page.getByTestId('class-02').textContent()).toBe('市政设施管理');

    // 03 up above 02.
    expect(await classOrder()).toBe('class-01,class-02,class-03');
    await page.getByTestId('up-03').click();
    await expect.poll(classOrder).toBe('class-01,class-03,class-02');

    // 03 still has active items: refused, and the message names them.
    await page.getByTestId('toggle-class-03').click();
    const refusal = page.locator('.ant-modal-confirm');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('未能修改大类 03');
    expect(await refusal.textContent()).toContain('0301');
    await page.waitForTimeout(500); // the dialog's opening animation, for the screenshot
    await b.screenshot(page, 'catalogue-02-class-refused');
    await refusal.getByRole('button').click();
    expect(await page.getByTestId('class-03').textContent()).toBe('公共管理类');
    await context.close();
  });

  it('a street center adds a 噪声扰民 rule for its street, the preview follows it, and falls back once it is deactivated', async () => {
    const { context, page } = await openPage(b, 'routing-rules');
    await signIn(page, 'jd_quancheng');
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '派遣规则' }).click();
    await page.getByTestId('routing-table').waitFor();
    const openLists = page.locator('.ant-select-dropdown:visible');
    /**
     * Types into a picker and clicks the entry until its list closes: a click that lands while the
     * filtered list re-renders is lost, so it is tried again.
     */
    const pick = async (field: Locator, search: string | null, entry: Locator) => {
      await field.click();
      if (search) await field.fill(search);
      await entry.first().waitFor();
      for (let i = 0; i < 6; i++) {
        if (await entry.first().isVisible())
          await entry
            .first()
            .click({ timeout: 2_000 })
            .catch(() => undefined);
        if ((await openLists.count()) === 0) return;
        await page.waitForTimeout(300);
      }
      throw new Error(`the list of ${search ?? 'a picker'} did not close`);
    };
    const option = (text: string | RegExp) => page.locator('.ant-select-item-option:visible').filter({ hasText: text });
    const treeNode = (text: string | RegExp) => page.locator('.ant-select-tree-title:visible').filter({ hasText: text });

    // The preview before any rule: the item's department (区城市管理局).
    const preview = page.getByTestId('routing-resolve');
    await pick(preview.getByLabel('推算事项'), '噪声', treeNode('0118 噪声扰民'));
    await pick(preview.getByLabel('推算区域'), '趵突泉', treeNode(/^趵突泉社区/));
    await expect.poll(() => preview.getByTestId('resolve-lead').textContent()).toBe('区城市管理局');

    await page.getByTestId('rule-new').click();
    const modal = page.getByRole('dialog');
    await pick(modal.getByLabel('事项', { exact: true }), '噪声', treeNode('0118 噪声扰民'));
    await pick(modal.getByLabel('适用区域', { exact: true }), '泉城', treeNode(/^泉城街道/));
    await pick(modal.getByLabel('牵头单位', { exact: true }), null, option('泉城街道网格化服务管理中心'));
    await modal.getByLabel('协办单位', { exact: true }).click();
    await option('区城市管理局').click();
    // Close the multiple select's list (it stays open and covers the footer).
    await modal.locator('.ant-modal-title').click();
    await modal.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('派遣规则已创建').first().waitFor();
    const row = page.getByTestId('routing-table').locator('tbody tr').filter({ hasText: '噪声扰民' });
    await row.waitFor();
    expect(await row.textContent()).toContain('泉城街道网格化服务管理中心');
    await expect.poll(() => preview.getByTestId('resolve-lead').textContent()).toBe('泉城街道网格化服务管理中心');
    await b.screenshot(page, 'catalogue-02-routing-rule');

    await row.getByRole('button', { name: /停\s*用/ }).click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('规则已停用').first().waitFor();
    await expect.poll(() => preview.getByTestId('resolve-lead').textContent()).toBe('区城市管理局');
    await context.close();
  });
});
