import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../../apps/server/src/config.js';

/** Screenshots for people to look at land here (gitignored). */
export const SCREENS = path.join(repoRoot, '.tmp', 'screens');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2EBrowser {
  browser: Browser;
  /** A fresh context (own cookies and storage) with one page, desktop sized, zh-CN. */
  newPage(opts?: { locale?: string; viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless. Playwright gives a non-persistent launch its own throwaway profile
 * directory (passing --user-data-dir is refused), and every newPage() is a fresh context.
 */
export async function launchBrowser(): Promise<E2EBrowser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  mkdirSync(SCREENS, { recursive: true });
  return {
    browser,
    async newPage(opts = {}) {
      const context = await browser.newContext({
        locale: opts.locale ?? 'zh-CN',
        viewport: opts.viewport ?? { width: 1366, height: 800 },
        timezoneId: 'Asia/Shanghai',
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      return { context, page };
    },
    async screenshot(page, name) {
      const file = path.join(SCREENS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
    },
  };
}
