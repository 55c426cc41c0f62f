import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/** The list filters of the registry pages narrow what the server returns. */

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

describe('console: registry list filters', () => {
  it('部件设施 filtered by state shows only that state, and all states again when cleared', async () => {
    const { context, page } = await openPage(b, 'registry-filters');
    await signIn(page, 'qu_zhongxin');
    await page.goto(`${server.baseUrl}/facilities`);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    const stateFilter = page.getByRole('combobox', { name: '状态' });
    await pickOption(page, stateFilter, '破损');
    await expect
      .poll(async () => {
        const texts = await rows.allTextContents();
        return texts.length > 0 && texts.every((x) => x.includes('破损'));
      })
      .toBe(true);
    const damaged = await rows.count();
    await b.screenshot(page, 'registry-30-facilities-damaged');
    // The demo seeds facilities in all four states: clearing the filter brings the others back.
    await page.locator('.ant-select-clear').first().click();
    await expect.poll(async () => (await rows.allTextContents()).some((x) => x.includes('完好'))).toBe(true);
    expect(damaged).toBeGreaterThan(0);
    await context.close();
  });
});
