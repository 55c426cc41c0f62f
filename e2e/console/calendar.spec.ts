import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/** 工作日历: the shipped 2026 schedule, loading a missing year by clicking days, and a deadline preview on it. */

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

describe('console: working-day calendar', () => {
  it('the administrator sees 2026, fills in 2027 by clicking days, and the preview follows', async () => {
    const { context, page } = await openPage(b, 'calendar');
    await signIn(page, 'admin');
    await page.getByRole('menuitem', { name: '工作日历' }).click();
    const cal = page.getByTestId('year-calendar');
    await cal.waitFor();
    // 2026 (today's year) is the shipped schedule: 2/16 除夕 off, Sunday 1/4 a make-up working day.
    expect(await cal.locator('[data-date="2026-02-16"]').getAttribute('data-mark')).toBe('off');
    expect(await cal.locator('[data-date="2026-01-04"]').getAttribute('data-mark')).toBe('work');
    expect(await page.getByText('放假 33 天').count()).toBe(1);
    await b.screenshot(page, 'calendar-01-2026');

    await pickOption(page, page.getByTestId('cal-year'), '2027');
    await page.getByTestId('cal-missing').waitFor();
    await cal.locator('[data-date="2027-01-01"]').click();
    expect(await cal.locator('[data-date="2027-01-01"]').getAttribute('data-mark')).toBe('off');
    await page.getByLabel('依据').fill('测试：2027 年元旦');
    await page.getByTestId('cal-save').click();
    await page.getByText('2027 年节假日安排已保存').first().waitFor();
    await expect.poll(() => page.getByTestId('cal-missing').count()).toBe(0);

    // Fri 2027-01-01 09:00 + 2 working hours: the day is now off → Mon 1/4 08:30–10:30.
    const preview = page.getByTestId('deadline-preview');
    await preview.getByLabel('起算时间').click();
    await preview.getByLabel('起算时间').fill('2027-01-01 09:00');
    await preview.getByLabel('起算时间').press('Enter');
    await preview.getByLabel('时限').fill('2');
    // The card shows the chosen unit's label; the dropdown itself renders outside it.
    await pickOption(page, preview.getByLabel('单位'), /^工作时$/, async () => !!(await preview.textContent())?.includes('工作时'));
    await expect.poll(() => preview.getByTestId('deadline-due').textContent()).toBe('到期：2027-01-04 10:30');
    await b.screenshot(page, 'calendar-02-2027');
    await context.close();
  });
});
