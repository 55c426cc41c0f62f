import type { Locator, Page } from 'playwright-core';
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

/**
 * Picks an option of an antd Select until `picked()` says it is chosen (by default: the select shows the option's
 * text). On a loaded machine the dropdown can still be animating when the click comes (Playwright waits for the
 * option to hold still), close again before the click lands, or take a click without selecting; a click that waits
 * its full timeout fails the test. So each try clicks with a short timeout, and the select is reopened only when
 * its option is not showing.
 */
export async function pickOption(page: Page, select: Locator, text: string | RegExp, picked?: () => Promise<boolean>, attempts = 5) {
  // The label shown once chosen: the text, or the pattern without its anchors (the root holds more than the label).
  const shown = typeof text === 'string' ? (t: string) => t.includes(text) : (t: string) => new RegExp(text.source.replace(/^\^|\$$/g, ''), text.flags).test(t);
  // The select's root (class ant-select) holds the chosen option's label beside the input.
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const done = picked ?? (async () => shown((await root.textContent()) ?? ''));
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
  for (let i = 0; i < attempts && !(await done()); i++) {
    if (!(await option.isVisible())) await select.click();
    await option.click({ timeout: 4000 }).catch(() => undefined);
    await page.waitForTimeout(200);
  }
  if (!(await done())) throw new Error(`the option ${String(text)} could not be picked`);
}
