import { idNumberCheckChar } from '@gridgov/contracts/identifiers';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The registry in the console: a center user finds a person, sees the numbers masked, shows one in full
 * with a reason and finds that in the audit log; a grid worker cannot open a person of a grid he does
 * not serve (the API answers 404, the page says 记录不存在).
 */

let server: E2EServer;
let b: E2EBrowser;

/** A valid 身份证号 (GB 11643 check character) with the given first 17 digits. */
const idNumber = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
const served = { name: '欧阳测甲', idNumber: idNumber('37010219850612771'), phone: '13912340001' };
const unserved = { name: '欧阳测乙', idNumber: idNumber('37010219900307552'), phone: '13912340002' };
const ids: { served?: string; unserved?: string } = {};

async function api(method: string, url: string, cookie: string, csrf: string, payload?: unknown) {
  const res = await server.app.inject({ method: method as 'GET', url, payload: payload as object, headers: { cookie, 'x-csrf-token': csrf } });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
  // Two persons the district center registers: one in 趵突泉 grid 1 (served by 张网格员), one in a grid he
  // does not serve (趵突泉 grid 9+ when it exists — same community, so only the grid narrowing keeps him out).
  const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'qu_zhongxin', password: DEMO_PASSWORD } });
  const sid = login.cookies.find((c) => c.name === 'gridgov_sid');
  const cookie = `gridgov_sid=${sid?.value}`;
  const csrf = (login.json() as { csrfToken: string }).csrfToken;
  const list = (await api('GET', `/api/grids?q=${encodeURIComponent('趵突泉')}&limit=100`, cookie, csrf)) as { items: { id: string; communityName: string }[] };
  const grids: { id: string; seq: number }[] = [];
  for (const g of list.items.filter((x) => x.communityName === '趵突泉社区'))
    grids.push((await api('GET', `/api/grids/${g.id}`, cookie, csrf)) as { id: string; seq: number });
  grids.sort((a, c) => a.seq - c.seq);
  const first = grids[0];
  let other = grids.find((g) => g.seq > 8)?.id;
  if (!other) {
    const elsewhere = (await api('GET', `/api/grids?q=${encodeURIComponent('大明湖')}&limit=5`, cookie, csrf)) as { items: { id: string }[] };
    other = elsewhere.items[0]?.id;
  }
  if (!first || !other) throw new Error('demo grids not found');
  const create = async (p: typeof served, gridId: string) =>
    (
      (await api('POST', '/api/persons', cookie, csrf, {
        ...p,
        docType: 'id_card',
        populationType: 'registered',
        gridId,
        currentAddress: '泺源大街 1 号',
      })) as { id: string }
    ).id;
  ids.served = await create(served, first.id);
  ids.unserved = await create(unserved, other);
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

async function signIn(page: Page, login: string) {
  await page.goto(server.baseUrl);
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('me-name').waitFor();
}

async function open(name: string) {
  const { context, page } = await b.newPage();
  onTestFailed(async () => {
    await b.screenshot(page, `FAILED-registry-${name}`).catch(() => undefined);
  });
  return { context, page };
}

describe('console: person registry', () => {
  it('a center user searches a person, sees masked numbers, unmasks one with a reason, and the audit log shows it', async () => {
    const { context, page } = await open('unmask');
    await signIn(page, 'qu_zhongxin');
    await page.getByRole('menuitem', { name: '基础信息' }).click();
    await page.getByRole('menuitem', { name: '人口' }).click();
    await page.getByLabel('姓名（模糊）').fill('欧阳测甲');
    await page.getByTestId('person-search').click();
    const row = page.locator('.ant-table-row').filter({ hasText: served.name });
    await row.waitFor();
    const masked = `${served.idNumber.slice(0, 4)}**********${served.idNumber.slice(-4)}`;
    await expect.poll(() => row.textContent()).toContain(masked);
    expect(await row.textContent()).toContain('139****0001');
    expect(await page.content()).not.toContain(served.idNumber);
    await b.screenshot(page, 'registry-01-person-search');

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
    await page.getByLabel('姓名（模糊）').fill('欧阳测');
    await page.getByTestId('person-search').click();
    await page.locator('.ant-table-row').filter({ hasText: served.name }).waitFor();
    expect(await page.locator('.ant-table-row').filter({ hasText: unserved.name }).count()).toBe(0);
    await context.close();
  });
});
