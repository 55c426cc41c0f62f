import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { repoRoot } from '../../apps/server/src/config.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The import wizard in Chromium with the GBK CSV the server tests use (9 rows, 5 faulty: bad check digit,
 * impossible date, unknown grid, duplicate row, a row in the wrong encoding): all-or-nothing stores
 * nothing, keep-valid stores the 4 good rows; both list exactly the 5 rows with row, column and reason.
 */

let server: E2EServer;
let b: E2EBrowser;
const FILE = path.join(repoRoot, 'apps/server/src/modules/registry-io/fixtures/persons-faults.gbk.csv');

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

/** Runs the wizard for persons with `mode` and waits for the job to finish. */
async function runImport(page: Page, mode: '导入正确的行，跳过错误行' | '全部正确才导入') {
  await page.goto(`${server.baseUrl}/registry-io`);
  await page.getByTestId('import-next').click();
  await page.locator('input[type=file]').setInputFiles(FILE);
  await page.getByTestId('import-file').waitFor();
  await page.getByRole('radio', { name: new RegExp(mode) }).check();
  await page.getByTestId('import-start').click();
  const status = page.getByTestId('import-status');
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/已完成|有错误，未导入|失败/);
  return status.textContent();
}

const stat = (page: Page, title: string) => page.locator('.ant-statistic').filter({ hasText: title }).locator('.ant-statistic-content-value').textContent();

describe('console: registry import wizard', () => {
  it('all-or-nothing imports nothing, keep-valid imports the good rows; both list the 5 faulty rows and offer them as xlsx', async () => {
    const { context, page } = await b.newPage();
    onTestFailed(async () => {
      await b.screenshot(page, 'FAILED-registry-import').catch(() => undefined);
    });
    await signIn(page, 'qu_zhongxin');

    expect(await runImport(page, '全部正确才导入')).toBe('有错误，未导入');
    expect(await stat(page, '读取行数')).toBe('9');
    expect(await stat(page, '新增')).toBe('0');
    expect(await stat(page, '错误行')).toBe('5');
    const rows = page.getByTestId('import-job').locator('.ant-table-row');
    await expect.poll(() => rows.locator('td:first-child').allTextContents()).toEqual(['4', '5', '6', '7', '9']);
    expect(await page.getByTestId('import-job').textContent()).toContain('公民身份号码');
    await b.screenshot(page, 'registry-20-import-all-or-nothing');

    expect(await runImport(page, '导入正确的行，跳过错误行')).toBe('已完成');
    expect(await stat(page, '新增')).toBe('4');
    expect(await stat(page, '错误行')).toBe('5');
    await expect.poll(() => rows.locator('td:first-child').allTextContents()).toEqual(['4', '5', '6', '7', '9']);
    const download = page.waitForEvent('download');
    await page.getByTestId('import-rejections-xlsx').click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
    await b.screenshot(page, 'registry-21-import-keep-valid');

    // The history lists both jobs.
    await page.getByRole('tab', { name: '导入记录' }).click();
    await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: 'persons-faults.gbk.csv' }).count()).toBe(2);
    await context.close();
  });
});
