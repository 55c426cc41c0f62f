import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

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

async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto(server.baseUrl);
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** A fresh browser context; on failure the page is kept as a screenshot for whoever reads the log. */
async function open(name: string) {
  const { context, page } = await b.newPage();
  onTestFailed(async () => {
    await b.screenshot(page, `FAILED-${name}`).catch(() => undefined);
  });
  return { context, page };
}

const menuItem = (page: Page, name: string) => page.getByRole('menuitem', { name });

describe('console: sign-in and navigation by permission', () => {
  it('a wrong password shows the server’s message and the attempts left', async () => {
    const { context, page } = await open('wrong-password');
    await signIn(page, 'admin', 'not-the-password');
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('用户名或密码错误');
    await b.screenshot(page, '01-login-wrong-password');
    await context.close();
  });

  it('the administrator sees every console area', async () => {
    const { context, page } = await open('admin-nav');
    await signIn(page, 'admin');
    await menuItem(page, '用户管理').waitFor();
    for (const name of ['工作台', '区划与机构', '用户管理', '审计日志', 'API 令牌', '个人设置']) expect(await menuItem(page, name).count(), name).toBe(1);
    await page.getByText('您好，系统管理员').waitFor();
    await b.screenshot(page, '02-admin-home');

    await menuItem(page, '区划与机构').click();
    await page.locator('[data-region-code="370118"]').click();
    await page.getByTestId('region-title').waitFor();
    await page.getByRole('cell', { name: '区城市管理局' }).waitFor();
    await page.waitForTimeout(600); // let the table's loading fade finish before the screenshot
    await b.screenshot(page, '03-admin-regions');
    await context.close();
  });

  it('a grid worker sees 工作台 and 区划与机构 but not 用户管理 or 审计日志', async () => {
    const { context, page } = await open('grid-worker-nav');
    await signIn(page, 'wgy_baotuquan');
    await menuItem(page, '工作台').waitFor();
    expect(await menuItem(page, '区划与机构').count()).toBe(1);
    expect(await menuItem(page, '个人设置').count()).toBe(1);
    expect(await menuItem(page, '用户管理').count()).toBe(0);
    expect(await menuItem(page, '审计日志').count()).toBe(0);
    await page.getByText('您好，张网格员').waitFor();
    await b.screenshot(page, '04-grid-worker-home');
    // Typing the address does not get round the menu either.
    await page.goto(`${server.baseUrl}/users`);
    await page.getByText('您没有访问此页面的权限').waitFor();
    await context.close();
  });

  it('the administrator creates a user and the audit log shows 新建用户', async () => {
    const { context, page } = await open('create-user');
    await signIn(page, 'admin');
    await menuItem(page, '用户管理').click();
    await page.getByRole('cell', { name: 'wgy_baotuquan' }).waitFor();
    await b.screenshot(page, '05-users-list');

    await page.getByRole('button', { name: '新建用户' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('用户名').fill('e2e_gridworker');
    await drawer.getByLabel('姓名').fill('测试网格员');
    await drawer.getByLabel('手机号').fill('13912345678');
    await pickOption(page, drawer.getByLabel('角色'), /^网格员$/);
    await drawer.getByLabel('初始密码').fill('Qx7#gridLane2026');
    await drawer.getByLabel('采集范围').click();
    await drawer.getByLabel('采集范围').fill('趵突泉');
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '趵突泉社区' }).first().click();
    await page.keyboard.press('Escape');
    await b.screenshot(page, '06-user-create-drawer');
    await page.getByTestId('user-save').click();
    await page.getByText('已创建用户 测试网格员').waitFor();
    await page.getByRole('cell', { name: 'e2e_gridworker' }).waitFor();

    await menuItem(page, '审计日志').click();
    await page.getByRole('cell', { name: '新建用户' }).first().waitFor();
    await b.screenshot(page, '07-audit-log');
    await context.close();
  });

  it('the new user must change the initial password before using the console', async () => {
    const { context, page } = await open('force-password');
    await signIn(page, 'e2e_gridworker', 'Qx7#gridLane2026');
    await page.getByText('请修改初始密码').first().waitFor();
    expect(await menuItem(page, '工作台').count()).toBe(0);
    await page.getByLabel('当前密码').fill('Qx7#gridLane2026');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    expect(await page.getByTestId('password-checklist').locator('[data-ok="false"]').count()).toBeGreaterThan(0);
    await b.screenshot(page, '08-force-password-change');
    await page.getByLabel('新密码', { exact: true }).fill('Lantern#Road2027');
    await page.getByLabel('确认新密码').fill('Lantern#Road2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('您好，测试网格员').waitFor();
    expect(await menuItem(page, '用户管理').count()).toBe(0);
    await context.close();
  });
});
