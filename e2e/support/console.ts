import type { Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import type { E2EBrowser } from './browser.js';

/** Signs in through the console's login form (a demo account by default) and waits for the shell. */
export async function signIn(page: Page, baseUrl: string, login: string, password = DEMO_PASSWORD) {
  await page.goto(baseUrl);
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('me-name').waitFor();
}

/** A fresh browser context; if the test fails, its page is kept as the screenshot `FAILED-<name>`. */
export async function openPage(b: E2EBrowser, name: string) {
  const { context, page } = await b.newPage();
  onTestFailed(async () => {
    await b.screenshot(page, `FAILED-${name}`).catch(() => undefined);
  });
  return { context, page };
}
