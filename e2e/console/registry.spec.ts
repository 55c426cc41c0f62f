import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The registry in the console: a center user finds a person, sees the numbers masked, shows one in full
 * with a reason and finds that in the audit log; a grid worker cannot open a person of a grid he does
 * not serve (the API answers 404, the page says 记录不存在).
 */

let server: E2EServer;
let b: E2EBrowser;

/** Demo residents the seed keeps stable for this test (apps/server/src/seed/demo-persons.ts). */
const served = { name: '张建国', idNumber: '37011819580312701X', masked: '3701**********701X', phoneMasked: '139****7788' };
const unserved = { name: '李秀兰' };
const ids: { served?: string; unserved?: string } = {};

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
  // 张建国 lives in 趵突泉 grid 1, which 张网格员 serves; 李秀兰 in 趵突泉 grid 9, same community, which he
  // does not serve — only the grid narrowing keeps him out.
  const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'qu_zhongxin', password: DEMO_PASSWORD } });
  const sid = login.cookies.find((c) => c.name === 'gridgov_sid');
  const find = async (name: string) => {
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/persons?q=${encodeURIComponent(name)}&limit=5`,
      headers: { cookie: `gridgov_sid=${sid?.value}` },
    });
    const hit = (res.json() as { items: { id: string; name: string; gridName: string }[] }).items.find((p) => p.name === name);
    if (!hit) throw new Error(`demo person ${name} not found (${res.statusCode})`);
    return hit;
  };
  const zhang = await find(served.name);
  const li = await find(unserved.name);
  expect(zhang.gridName).toBe('趵突泉第一网格');
  expect(li.gridName).toBe('趵突泉第九网格');
  ids.served = zhang.id;
  ids.unserved = li.id;
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

const open = (name: string) => openPage(b, `registry-${name}`);

describe('console: person registry', () => {
  it('a center user searches a person, sees masked numbers, unmasks one with a reason, and the audit log shows it', async () => {
    const { context, page } = await open('unmask');
    await signIn(page, 'qu_zhongxin');
    await page.getByRole('menuitem', { name: '基础信息' }).click();
    await page.getByRole('menuitem', { name: '人口' }).click();
    await page.getByLabel('姓名（模糊）').fill(served.name);
    await page.getByTestId('person-search').click();
    const row = page.locator('.ant-table-row').filter({ hasText: served.name });
    await row.waitFor();
    const masked = served.masked;
    await expect.poll(() => row.textContent()).toContain(masked);
    expect(await row.textContent()).toContain(served.phoneMasked);
    expect(await page.content()).not.toContain(served.idNumber);
    await b.screenshot(page, 'registry-01-person-search');

    // The 身份证号 finds him through the blind index too.
    await page.getByRole('button', { name: /重\s*置/ }).click();
    await page.getByLabel('身份证号').fill(served.idNumber);
    const byId = page.waitForResponse((r) => r.url().includes('/api/persons?') && r.url().includes('idNumber='));
    await page.getByTestId('person-search').click();
    expect(((await (await byId).json()) as { items: { name: string }[] }).items.map((p) => p.name)).toEqual([served.name]);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    await row.getByTestId('person-link').click();
    await expect.poll(() => page.getByTestId('person-title').textContent()).toBe(served.name);
    expect(await page.getByTestId('person-id-masked').textContent()).toBe(masked);
    expect(await page.content()).not.toContain(served.idNumber);
    await b.screenshot(page, 'registry-02-person-page');

    await page.getByTestId('unmask-open').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('原因').fill('核对低保申请人身份');
    const unmasked = page.waitForResponse((r) => r.url().endsWith(`/api/persons/${ids.served}/unmask`));
    await dialog.getByTestId('unmask-submit').click();
    expect((await unmasked).status()).toBe(200);
    await expect.poll(() => dialog.getByTestId('unmasked-value').textContent()).toBe(served.idNumber);
    await b.screenshot(page, 'registry-03-unmasked');
    await dialog
      .getByRole('button', { name: /关\s*闭/ })
      .first()
      .click();
    await dialog.waitFor({ state: 'hidden' });
    // The clear number lived only in the modal.
    expect(await page.content()).not.toContain(served.idNumber);

    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByRole('cell', { name: '查看明文个人信息' }).first().waitFor();
    await b.screenshot(page, 'registry-04-audit-unmask');
    await context.close();
  });

  it('a grid worker opens a person of his grid but gets 404 / 记录不存在 for a grid he does not serve', async () => {
    const { context, page } = await open('grid-worker-404');
    await signIn(page, 'wgy_baotuquan');
    await page.goto(`${server.baseUrl}/persons/${ids.served}`);
    await expect.poll(() => page.getByTestId('person-title').textContent()).toBe(served.name);

    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/persons/${ids.unserved}`));
    await page.goto(`${server.baseUrl}/persons/${ids.unserved}`);
    expect((await answer).status()).toBe(404);
    await page.getByText('记录不存在', { exact: true }).waitFor();
    expect(await page.content()).not.toContain(unserved.name);
    await b.screenshot(page, 'registry-05-grid-worker-not-found');

    // Nor does the search list him.
    await page.goto(`${server.baseUrl}/persons`);
    await page.getByLabel('姓名（模糊）').fill(unserved.name);
    const search = page.waitForResponse((r) => r.url().includes('/api/persons?') && r.url().includes('q='));
    await page.getByTestId('person-search').click();
    const hits = (await (await search).json()) as { items: { name: string }[] };
    expect(hits.items.some((p) => p.name === unserved.name)).toBe(false);
    expect(await page.locator('.ant-table-row').filter({ hasText: unserved.name }).count()).toBe(0);
    await context.close();
  });
});
