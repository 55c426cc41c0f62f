import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { repoRoot } from '../../apps/server/src/config.js';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { labelPoint } from '../../apps/web/src/common/map/geometry.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage, pickOption } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The event closed loop in the console, each step by the role that owns it, each in its own browser
 * session: 张网格员 reports a 暴露垃圾 case in 趵突泉 grid 1 on the mobile report page (a resident reports
 * the same spot through POST /api/cases from his browser session) → 李调度 (泉城街道 street center) 受理 (bulk,
 * from the queue), 立案, 派遣 to 区城市管理局 → 周处置员 (区城市管理局) 回退 → 李调度 re-派遣 → 周处置员 签收 and
 * 处置反馈 with before/after photos → 张网格员 核查不通过 → 周处置员 处置反馈 again (返工) → 张网格员 核查通过 →
 * 李调度 结案 → 张网格员, the reporter, 评价 from 我的上报. After every step: the status tag and the newest
 * timeline entry (action and actor).
 */

let server: E2EServer;
let b: E2EBrowser;
const ctx: { caseId?: string; caseNo?: string; dupId?: string; dupNo?: string; categoryId?: string; point?: [number, number] } = {};

/** Demo accounts (apps/server/src/seed/demo-district.ts) and their display names as the timeline shows them. */
const users = {
  reporter: { login: 'wgy_baotuquan', name: '张网格员' },
  center: { login: 'jd_quancheng', name: '李调度' },
  dept: { login: 'bm_chengguan', name: '周处置员' },
  resident: { login: 'jumin', name: '居民小吴' },
};

/** A 1×1 PNG (the server recognises photos by their first bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
const photo = (name: string) => {
  const file = path.join(repoRoot, '.tmp', `case-loop-${name}.png`);
  writeFileSync(file, PNG);
  return file;
};

async function apiAs(login: string) {
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: DEMO_PASSWORD } });
  const sid = res.cookies.find((c) => c.name === 'gridgov_sid');
  return async <T>(url: string): Promise<T> => {
    const r = await server.app.inject({ method: 'GET', url, headers: { cookie: `gridgov_sid=${sid?.value}` } });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json() as T;
  };
}

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
  const get = await apiAs('qu_zhongxin');
  const cat = await get<{ classes: { items: { id: string; code: string; rules: { deptCode: string | null } }[] }[] }>('/api/catalogue');
  const item = cat.classes.flatMap((c) => c.items).find((i) => i.code === '0301');
  if (!item) throw new Error('catalogue item 0301 missing');
  expect(item.rules.deptCode).toBe('cg');
  ctx.categoryId = item.id;
  const grids = await get<{ items: { id: string; name: string }[] }>(`/api/grids?q=${encodeURIComponent('趵突泉第一网格')}&limit=5`);
  const grid = grids.items.find((g) => g.name === '趵突泉第一网格');
  if (!grid) throw new Error('demo grid 趵突泉第一网格 missing');
  const detail = await get<{ geometry: Parameters<typeof labelPoint>[0] }>(`/api/grids/${grid.id}`);
  ctx.point = labelPoint(detail.geometry) as [number, number];
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

/** A fresh session at 1280 × 800, the smallest screen the console is laid out for. */
async function open(name: string) {
  const o = await openPage(b, `case-loop-${name}`);
  await o.page.setViewportSize({ width: 1280, height: 800 });
  return o;
}
const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

/** The newest timeline entry (highest seq). */
async function newestEntry(page: Page): Promise<{ action: string; text: string }> {
  return page.evaluate(() => {
    const els = [...document.querySelectorAll<HTMLElement>('[data-testid="timeline-entry"]')];
    const top = els.reduce<HTMLElement | null>((a, e) => (!a || Number(e.dataset.seq) > Number(a.dataset.seq) ? e : a), null);
    return { action: top?.dataset.action ?? '', text: top?.textContent ?? '' };
  });
}

/** The case page shows `status`, and its newest timeline entry is `action` by `actor`. */
async function expectCase(page: Page, status: string, action: string, actor: string) {
  await expect.poll(() => page.getByTestId('case-detail').getByTestId('case-status').first().getAttribute('data-status')).toBe(status);
  await expect.poll(async () => (await newestEntry(page)).action).toBe(action);
  expect((await newestEntry(page)).text).toContain(actor);
}

async function openCase(page: Page) {
  await page.goto(`${server.baseUrl}/cases/${ctx.caseId}`);
  await page.getByTestId('case-no').waitFor();
}

/** Opens the case as a user would: 事件处置 → the menu page → (a tab) → the case's row in the list. */
async function openFromList(page: Page, menu: string, list: string, tab?: string) {
  await page.getByRole('menuitem', { name: '事件处置' }).click();
  await page.getByRole('menuitem', { name: menu }).click();
  if (tab) await page.getByTestId(`case-tab-${tab}`).click();
  await page
    .getByTestId(list)
    .locator('.ant-table-row')
    .filter({ hasText: ctx.caseNo ?? '' })
    .getByTestId('case-link')
    .click();
  await page.getByTestId('case-no').waitFor();
}

/** Clicks the action's button, lets `fill` fill the form, submits, and expects the server to take it. */
async function act(page: Page, action: string, fill?: (dialog: Locator) => Promise<void>) {
  await page.getByTestId(`case-action-${action}`).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId(`case-action-form-${action}`).waitFor();
  if (fill) await fill(dialog);
  const isAction = (r: { url(): string; method(): string }) => r.url().endsWith(`/api/cases/${ctx.caseId}/actions`) && r.method() === 'POST';
  const answer = page.waitForResponse((r) => isAction(r.request()), { timeout: 30_000 });
  // CI at 566d0ad: the submit click landed while the dialog was still opening and sent nothing. Click again only
  // when no request went out, so an action is never sent twice.
  for (let i = 0; i < 3; i++) {
    const sent = page.waitForRequest(isAction, { timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    await dialog.getByTestId('case-action-submit').click();
    if (await sent) break;
  }
  const res = await answer;
  expect(res.status(), await res.text()).toBe(200);
  await dialog.waitFor({ state: 'hidden' });
}

/** An antd Select inside the dialog: open it by its label, type, pick the option. */
async function pick(page: Page, dialog: Locator, fieldLabel: string, text: string) {
  const select = dialog.getByLabel(fieldLabel, { exact: true });
  await select.click();
  await page.keyboard.type(text);
  await pickOption(page, select, text);
}

/** A report through POST /api/cases from the signed-in browser session (its cookie and CSRF token). */
async function report(page: Page, description: string) {
  const [lng, lat] = ctx.point ?? [0, 0];
  return page.evaluate(
    async ({ categoryId, lng, lat, description }) => {
      const s = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken, 'idempotency-key': `e2e-case-loop-${Date.now()}` },
        body: JSON.stringify({ description, categoryId, location: { lng, lat, crs: 'WGS84' }, address: '趵突泉南路 1 号东侧' }),
      });
      return { status: res.status, body: (await res.json()) as { id: string; caseNo: string; status: string; gridName: string | null } };
    },
    { categoryId: ctx.categoryId, lng, lat, description },
  );
}

describe('console: one case through the whole loop, each step by its own role', () => {
  it('张网格员 reports 暴露垃圾 in 趵突泉 grid 1 on the mobile report page (/m/report: GPS, suggested category, photo)', async () => {
    const [lng, lat] = ctx.point ?? [0, 0];
    const phone = await b.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude: lng, latitude: lat },
      permissions: ['geolocation'],
    });
    phone.setDefaultTimeout(15_000);
    const m = await phone.newPage();
    onTestFailed(async () => {
      await b.screenshot(m, 'FAILED-case-loop-report-mobile').catch(() => undefined);
    });
    await m.goto(`${server.baseUrl}/m/report`);
    await m.getByLabel('用户名或手机号').fill(users.reporter.login);
    await m.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await m.getByRole('button', { name: /登\s*录/ }).click();
    await m.getByTestId('mobile-report').waitFor();
    await m.getByTestId('report-description').getByRole('textbox').fill('趵突泉南路与泉城路路口东侧垃圾桶满溢，垃圾散落在人行道上');
    await m.getByTestId('category-suggestions').getByText('暴露垃圾').click();
    await m.getByTestId('report-gps').click();
    await m.getByText(lng.toFixed(6).slice(0, 8)).waitFor();
    await m.getByTestId('report-photos').locator('input[type=file]').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: PNG });
    await m.locator('[data-testid="report-photo"][data-uploaded="yes"]').waitFor();
    await m.getByTestId('report-submit').click();
    await m.getByTestId('report-case-no').waitFor();
    ctx.caseNo = (await m.getByTestId('report-case-no').textContent())?.trim();
    await b.screenshot(m, 'case-00-mobile-report');
    const kept = await m.evaluate(async (caseNo) => {
      const list = (await (await fetch('/api/cases?view=reported&limit=20')).json()) as { items: { id: string; caseNo: string }[] };
      const hit = list.items.find((c) => c.caseNo === caseNo);
      return hit
        ? ((await (await fetch(`/api/cases/${hit.id}`)).json()) as { id: string; status: string; categoryCode: string; gridName: string | null })
        : null;
    }, ctx.caseNo);
    expect(kept).toMatchObject({ status: 'reported', categoryCode: '0301', gridName: '趵突泉第一网格' });
    ctx.caseId = kept?.id;
    await phone.close();

    const { context, page } = await open('report');
    await signIn(page, users.reporter.login);
    // He finds it under 我的上报, and its page shows the report.
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '我的上报' }).click();
    await page
      .getByTestId('my-reports')
      .getByText(ctx.caseNo ?? '')
      .click();
    await expectCase(page, 'reported', 'report', users.reporter.name);
    await b.screenshot(page, 'case-01-reported');
    await context.close();

    // A resident reports the same spot a little later (a duplicate the center will merge, 并案).
    const r = await open('report-resident');
    await signIn(r.page, users.resident.login);
    const dup = await report(r.page, '泉城路路口垃圾没人清，味道很大');
    expect(dup.status, JSON.stringify(dup.body)).toBe(201);
    ctx.dupId = dup.body.id;
    ctx.dupNo = dup.body.caseNo;
    await r.context.close();
  });

  it('李调度 (泉城街道 center) accepts it in bulk from the queue, then files it and dispatches it to 区城市管理局', async () => {
    const { context, page } = await open('dispatch');
    await signIn(page, users.center.login);
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '案件调度' }).click();
    const queue = page.getByTestId('case-queue');
    const row = queue.locator('.ant-table-row').filter({ hasText: ctx.caseNo ?? '' });
    await row.waitFor();
    await expect.poll(async () => Number(await queue.getByTestId('case-count-reported').textContent())).toBeGreaterThan(0);
    await b.screenshot(page, 'case-02-queue');
    await row.locator('.ant-checkbox-input').check();
    await queue.getByTestId('bulk-accept').click();
    const dialog = page.getByRole('dialog');
    const bulk = page.waitForResponse((r) => r.url().endsWith('/api/cases/bulk-actions'));
    await dialog.getByTestId('case-action-submit').click();
    const res = await bulk;
    expect(res.status(), await res.text()).toBe(200);
    expect(((await res.json()) as { results: { ok: boolean }[] }).results.every((r) => r.ok)).toBe(true);

    await openCase(page);
    await expectCase(page, 'accepted', 'accept', users.center.name);

    // The resident's duplicate is merged into it (并案): found by its number in the parent search.
    await page.goto(`${server.baseUrl}/cases/${ctx.dupId}`);
    await page.getByTestId('case-no').waitFor();
    await page.getByTestId('case-action-merge').click();
    const mergeDialog = page.getByRole('dialog');
    await pick(page, mergeDialog, '并入案件', ctx.caseNo ?? '');
    const merged = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.dupId}/actions`));
    await mergeDialog.getByTestId('case-action-submit').click();
    expect((await merged).status()).toBe(200);
    await expect.poll(() => page.getByTestId('case-detail').getByTestId('case-status').first().getAttribute('data-status')).toBe('merged');
    await page.getByTestId('case-related').getByText('主案件').waitFor();

    await openCase(page);
    await expectCase(page, 'accepted', 'merge', users.center.name);
    await page
      .getByTestId('case-related')
      .getByText(ctx.dupNo ?? '')
      .waitFor();
    await act(page, 'file');
    await expectCase(page, 'filed', 'file', users.center.name);
    await act(page, 'dispatch', async (dialog) => {
      await pick(page, dialog, '主办单位', '区城市管理局');
      await dialog.getByTestId('case-action-note').fill('请于时限内清运并反馈照片');
      await b.screenshot(page, 'case-03a-dispatch-form');
    });
    await expectCase(page, 'dispatched', 'dispatch', users.center.name);
    expect((await newestEntry(page)).text).toContain('区城市管理局');
    await b.screenshot(page, 'case-03-dispatched');
    await context.close();
  });

  it('周处置员 (区城市管理局) finds it in the department inbox and returns it with a reason', async () => {
    const { context, page } = await open('return');
    await signIn(page, users.dept.login);
    await openFromList(page, '部门待办', 'case-inbox');
    // The note is required: submitting without one is stopped in the form.
    await page.getByTestId('case-action-return').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('case-action-submit').click();
    await dialog.getByText('请填写说明').waitFor();
    await dialog.getByTestId('case-action-note').fill('该点位属园林绿化养护范围，非本局职责，请改派');
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.caseId}/actions`));
    await dialog.getByTestId('case-action-submit').click();
    expect((await answer).status()).toBe(200);
    await expectCase(page, 'returned', 'return', users.dept.name);
    await b.screenshot(page, 'case-04-returned');
    await context.close();
  });

  it('李调度 re-dispatches the returned case to 区城市管理局 with a note', async () => {
    const { context, page } = await open('redispatch');
    await signIn(page, users.center.login);
    await openFromList(page, '案件调度', 'case-queue', 'returned');
    await act(page, 'dispatch', async (dialog) => {
      await pick(page, dialog, '主办单位', '区城市管理局');
      await dialog.getByTestId('case-action-note').fill('经核实为道路保洁范围，仍由城管局办理');
    });
    await expectCase(page, 'dispatched', 'dispatch', users.center.name);
    // Back in the queue it is under 处置中 (待签收 and 处置中 together), SLA tag and lead unit shown.
    await page.getByRole('menuitem', { name: '案件调度' }).click();
    await page.getByTestId('case-tab-handling').click();
    const row = page
      .getByTestId('case-queue')
      .locator('.ant-table-row')
      .filter({ hasText: ctx.caseNo ?? '' });
    await row.waitFor();
    expect(await row.getByTestId('case-status').getAttribute('data-status')).toBe('dispatched');
    expect(await row.getByTestId('case-sla').getAttribute('data-sla')).toBe('green');
    expect(await row.textContent()).toContain('区城市管理局');
    await expect.poll(async () => Number(await page.getByTestId('case-count-handling').textContent())).toBe(1);
    await b.screenshot(page, 'case-04a-queue-handling');
    await context.close();
  });

  it('周处置员 claims it and reports the handling with before/after photos', async () => {
    // The center has the case open while the department claims it.
    const center = await open('stale');
    await signIn(center.page, users.center.login);
    await openCase(center.page);
    await expectCase(center.page, 'dispatched', 'dispatch', users.center.name);

    const { context, page } = await open('handle');
    await signIn(page, users.dept.login);
    await openCase(page);
    await act(page, 'claim');
    await expectCase(page, 'handling', 'claim', users.dept.name);

    // The center's 催办 on the page it saw before the claim is refused (CASE_STALE) and says so; the page reloads.
    await center.page.getByTestId('case-action-urge').click();
    const urge = center.page.getByRole('dialog');
    const refused = center.page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.caseId}/actions`));
    await urge.getByTestId('case-action-submit').click();
    expect((await refused).status()).toBe(409);
    await expect.poll(() => urge.getByTestId('case-action-error').textContent()).toContain('案件已被他人处理，请刷新后重试');
    await expect.poll(() => center.page.getByTestId('case-detail').getByTestId('case-status').first().getAttribute('data-status')).toBe('handling');
    await b.screenshot(center.page, 'case-05b-stale-refused');
    await center.context.close();
    await act(page, 'feedback', async (dialog) => {
      await dialog.getByTestId('case-action-note').fill('已清运散落垃圾，增设一个垃圾桶');
      const uploads = dialog.locator('input[type="file"]');
      const up1 = page.waitForResponse((r) => r.url().endsWith('/api/attachments') && r.request().method() === 'POST');
      await uploads.nth(0).setInputFiles(photo('before'));
      expect((await up1).status()).toBe(201);
      const up2 = page.waitForResponse((r) => r.url().endsWith('/api/attachments') && r.request().method() === 'POST');
      await uploads.nth(1).setInputFiles(photo('after'));
      expect((await up2).status()).toBe(201);
      // The form waits for its uploads: submit is enabled once both photos are on the server.
      await expect.poll(() => dialog.getByTestId('case-action-submit').isEnabled()).toBe(true);
      await b.screenshot(page, 'case-05a-feedback-form');
    });
    await expectCase(page, 'feedback', 'feedback', users.dept.name);
    // Both photos came with the feedback entry.
    await expect.poll(() => page.getByTestId('case-timeline').locator('[data-action="feedback"] img').count()).toBe(2);
    await b.screenshot(page, 'case-05-feedback');
    await context.close();
  });

  it('张网格员 finds it under 待核查 in 我的案件 and fails the verification (返工)', async () => {
    const { context, page } = await open('verify-fail');
    await signIn(page, users.reporter.login);
    await openFromList(page, '我的案件', 'my-cases');
    await act(page, 'verify_fail', async (dialog) => {
      await dialog.getByTestId('case-action-note').fill('现场仍有散落垃圾未清理干净');
    });
    await expectCase(page, 'handling', 'verify_fail', users.reporter.name);
    await b.screenshot(page, 'case-06-verify-fail');
    await context.close();
  });

  it('周处置员 reports the handling again after the rework', async () => {
    const { context, page } = await open('rework');
    await signIn(page, users.dept.login);
    await openCase(page);
    await act(page, 'feedback', async (dialog) => {
      await dialog.getByTestId('case-action-note').fill('返工：人行道已冲洗，散落垃圾全部清理');
    });
    await expectCase(page, 'feedback', 'feedback', users.dept.name);
    await context.close();
  });

  it('张网格员 passes the verification', async () => {
    const { context, page } = await open('verify-pass');
    await signIn(page, users.reporter.login);
    // The bell says what changed on his report; a click opens the case.
    await expect.poll(async () => Number(await page.getByTestId('notification-count').locator('.ant-scroll-number').getAttribute('title'))).toBeGreaterThan(0);
    await page.getByTestId('notification-bell').click();
    const note = page
      .getByTestId('notification-item')
      .filter({ hasText: ctx.caseNo ?? '' })
      .first();
    await note.waitFor();
    expect(await note.textContent()).toContain('待核查');
    await b.screenshot(page, 'case-08a-notifications');
    await note.click();
    await expect.poll(() => page.getByTestId('case-no').textContent()).toBe(ctx.caseNo);
    await act(page, 'verify_pass', async (dialog) => {
      await dialog.getByTestId('case-action-note').fill('现场已清理干净');
    });
    await expectCase(page, 'verified', 'verify_pass', users.reporter.name);
    await context.close();
  });

  it('李调度 closes it', async () => {
    const { context, page } = await open('close');
    await signIn(page, users.center.login);
    await openFromList(page, '案件调度', 'case-queue', 'verified');
    await act(page, 'close');
    await expectCase(page, 'closed', 'close', users.center.name);
    // The thumbnails load (GET /api/attachments/:id): the report's photo and the feedback's two.
    await expect
      .poll(() =>
        page
          .getByTestId('case-photos')
          .locator('img')
          .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBe(3);
    await b.screenshot(page, 'case-07-closed');
    // 导出电子档案: the whole record as a Word document.
    const archive = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.caseId}/archive.docx`));
    const download = page.waitForEvent('download');
    await page.getByTestId('case-archive').click();
    const res = await archive;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('officedocument.wordprocessingml');
    expect((await download).suggestedFilename()).toBe(`案件电子档案-${ctx.caseNo}.docx`);
    await context.close();
  });

  it('张网格员, the reporter, rates it from 我的上报', async () => {
    const { context, page } = await open('rate');
    await signIn(page, users.reporter.login);
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '我的上报' }).click();
    const row = page
      .getByTestId('my-reports')
      .locator('.ant-table-row')
      .filter({ hasText: ctx.caseNo ?? '' });
    await row.getByTestId('rate-open').click();
    const dialog = page.getByRole('dialog');
    await dialog
      .locator('label')
      .filter({ hasText: /^满意$/ })
      .click();
    await dialog.getByTestId('case-action-note').fill('处理及时，环境干净了');
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.caseId}/actions`));
    await dialog.getByTestId('case-action-submit').click();
    expect((await answer).status()).toBe(200);
    await row.getByText('已评价：满意').waitFor();
    await b.screenshot(page, 'case-08-rated-list');
    await openCase(page);
    await expectCase(page, 'closed', 'rate', users.reporter.name);
    // The whole loop is in the timeline, in order.
    const actions = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="timeline-entry"]')]
        .sort((a, c) => Number(a.dataset.seq) - Number(c.dataset.seq))
        .map((e) => e.dataset.action),
    );
    expect(actions).toEqual([
      'report',
      'accept',
      'merge',
      'file',
      'dispatch',
      'return',
      'dispatch',
      'claim',
      'feedback',
      'verify_fail',
      'feedback',
      'verify_pass',
      'close',
      'rate',
    ]);
    await b.screenshot(page, 'case-09-detail-closed');
    await page.getByTestId('case-timeline').scrollIntoViewIfNeeded();
    await b.screenshot(page, 'case-10-timeline');
    await context.close();
  });

  it('the resident whose report was merged sees the parent closed under 我的上报 and rates it too', async () => {
    const { context, page } = await open('resident');
    await signIn(page, users.resident.login);
    // A resident's console: 我的上报 and nothing of the dispatch side.
    await page.getByRole('menuitem', { name: '事件处置' }).click();
    await page.getByRole('menuitem', { name: '我的上报' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '案件调度' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '我的案件' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: '我的上报' }).click();
    const row = page
      .getByTestId('my-reports')
      .locator('.ant-table-row')
      .filter({ hasText: ctx.dupNo ?? '' });
    await expect.poll(() => row.getByTestId('case-status').first().getAttribute('data-status')).toBe('merged');
    const progress = row.getByTestId('parent-progress');
    await progress.getByText(ctx.caseNo ?? '').waitFor();
    expect(await progress.getByTestId('case-status').getAttribute('data-status')).toBe('closed');
    await b.screenshot(page, 'case-11-resident-reports');
    // The parent row (he follows it as a merged reporter) offers the same rating; he rates from his own row.
    await row.getByTestId('rate-open').click();
    const dialog = page.getByRole('dialog');
    await dialog
      .locator('label')
      .filter({ hasText: /^基本满意$/ })
      .click();
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${ctx.caseId}/actions`));
    await dialog.getByTestId('case-action-submit').click();
    expect((await answer).status()).toBe(200);
    await row.getByText('已评价：基本满意').waitFor();
    // The parent's page, as the resident may see it: closed, the newest entry his rating.
    await progress.getByText(ctx.caseNo ?? '').click();
    await expectCase(page, 'closed', 'rate', users.resident.name);
    // The parent's photos load for the reporter of the merged report too (attachments follow the case's access rule).
    await expect
      .poll(() =>
        page
          .getByTestId('case-photos')
          .locator('img')
          .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBe(3);
    await b.screenshot(page, 'case-12-resident-parent');
    // The same page in English (the en dictionary and the contracts' en labels).
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/auth/locale'));
    await page.getByLabel('语言', { exact: true }).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect((await saved).status()).toBeLessThan(300);
    await expect.poll(() => page.getByTestId('case-detail').getByTestId('case-status').first().textContent()).toBe('Closed');
    await page.getByText('Timeline', { exact: true }).waitFor();
    expect((await newestEntry(page)).text).toContain('Rate');
    await b.screenshot(page, 'case-13-resident-parent-en');
    await context.close();
  });
});
