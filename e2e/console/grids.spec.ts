import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo-district.js';
import { type E2EBrowser, launchBrowser } from '../support/browser.js';
import { signIn as consoleSignIn, openPage } from '../support/console.js';
import { type E2EServer, startServer } from '../support/server.js';

/**
 * The grid adjustment walk-through on the map: a community station splits a grid by drawing a line
 * across it and submits the application; the street center approves it (no notice, effective today);
 * the administrator runs the due adjustments; the grid list shows the two new grids and not the old one,
 * and the application shows its re-attribution report: the residents and the open case of the old grid moved to
 * the new grids by their points.
 */

let server: E2EServer;
let b: E2EBrowser;

/** The grid to split: an ordinary 趵突泉社区 grid that the demo's pending application does not touch. */
const TARGET = '趵突泉第四网格';
const state: { adjustmentId?: string; oldCode?: string; newCodes: string[]; caseId?: string } = { newCodes: [] };

beforeAll(async () => {
  server = await startServer();
  b = await launchBrowser();
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

const signIn = (page: Page, login: string) => consoleSignIn(page, server.baseUrl, login);

const open = (name: string) => openPage(b, `grid-${name}`);

/** Screen position of a [lng, lat] on the map (Web Mercator), from the view the map publishes as data-bounds. */
async function toScreen(page: Page, [lng, lat]: [number, number]): Promise<{ x: number; y: number }> {
  const map = page.getByTestId('grid-map');
  const bounds = (await map.getAttribute('data-bounds'))?.split(',').map(Number);
  const box = await map.locator('canvas.maplibregl-canvas').boundingBox();
  if (bounds?.length !== 4 || !box) throw new Error('map not ready');
  const [w, s, e, n] = bounds as [number, number, number, number];
  const merc = (d: number) => Math.log(Math.tan(Math.PI / 4 + (d * Math.PI) / 360));
  return { x: box.x + ((lng - w) / (e - w)) * box.width, y: box.y + ((merc(n) - merc(lat)) / (merc(n) - merc(s))) * box.height };
}

const today = () => {
  const d = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai' }));
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** A signed-in API caller (the e2e server's own app, over inject) for the facts a step needs set up first. */
async function apiAs(login: string) {
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: DEMO_PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'gridgov_sid');
  if (res.statusCode !== 200 || !cookie) throw new Error(`login ${login}: ${res.statusCode}`);
  const headers = { cookie: `gridgov_sid=${cookie.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
  return async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const r = await server.app.inject({ method, url, payload: payload as never, headers });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json() as Record<string, unknown>;
  };
}

describe('console: split a grid on the map, review, notice, effect', () => {
  it('the grid has an open case: the grid worker reported a problem at its service station', async () => {
    const api = await apiAs('wgy_baotuquan');
    const list = (await api('GET', `/api/grids?q=${encodeURIComponent(TARGET)}&limit=1`)) as { items: { id: string }[] };
    const grid = (await api('GET', `/api/grids/${list.items[0]?.id}`)) as { station: { lng: number; lat: number } };
    const report = await api('POST', '/api/cases', {
      description: '楼道内堆放旧家具和纸箱，影响疏散',
      location: { lng: grid.station.lng, lat: grid.station.lat },
      idempotencyKey: 'e2e-grid-split-open-case',
    });
    expect(report.gridName).toBe(TARGET);
    expect(report.status).toBe('reported');
    state.caseId = report.id as string;
  });

  it('the community station draws a cut across a 趵突泉 grid and submits the split', async () => {
    const { context, page } = await open('split');
    await signIn(page, 'sq_baotuquan');
    await page.getByRole('menuitem', { name: '网格地图' }).click();

    // The map shows the community's grids as polygons with their names and codes.
    const label = page.locator('[data-grid-code]').filter({ hasText: TARGET });
    await label.waitFor();
    expect(await page.locator('[data-grid-code]').count()).toBeGreaterThanOrEqual(8);
    await page.waitForTimeout(500);
    await b.screenshot(page, 'grid-01-map');

    const box = await label.boundingBox();
    if (!box) throw new Error('label not on screen');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.click(cx, cy);
    await expect.poll(() => page.getByTestId('grid-detail-name').textContent()).toBe(TARGET);
    state.oldCode = (await page.getByTestId('grid-detail-code').textContent()) ?? undefined;
    expect(state.oldCode).toMatch(/^\d{19}$/);
    await b.screenshot(page, 'grid-02-detail');

    // Draw the cut: two clicks through the label point (the line is extended to cross the whole grid),
    // horizontal first; a concave grid may need the vertical instead.
    const cuts: [number, number, number, number][] = [
      [cx - 60, cy + 2, cx + 60, cy - 2],
      [cx + 2, cy - 60, cx - 2, cy + 60],
      [cx - 50, cy - 50, cx + 50, cy + 50],
    ];
    let drawn = false;
    await page.getByTestId('grid-split').click();
    for (const [x1, y1, x2, y2] of cuts) {
      await page.mouse.click(x1, y1);
      await page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2);
      await page.mouse.click(x2, y2);
      await page.getByRole('button', { name: '完成切割线' }).click();
      await page.getByTestId('proposal-form').or(page.getByTestId('split-error')).first().waitFor();
      if ((await page.getByTestId('proposal-form').count()) > 0) {
        drawn = true;
        break;
      }
    }
    expect(drawn).toBe(true);
    // Names are prefilled “<name>一 / <name>二”.
    expect(await page.getByTestId('proposal-name-0').inputValue()).toBe(`${TARGET}一`);
    expect(await page.getByTestId('proposal-name-1').inputValue()).toBe(`${TARGET}二`);
    await page.getByTestId('proposal-reason').fill('户数增长，按道路将网格拆分为两个');
    await page.waitForTimeout(300);
    await b.screenshot(page, 'grid-03-split-preview');

    await page.getByTestId('proposal-submit').click();
    await page.waitForURL(/\/grid-adjustments\?id=/, { timeout: 30_000 });
    state.adjustmentId = new URL(page.url()).searchParams.get('id') ?? undefined;
    const drawer = page.getByTestId('adjustment-drawer');
    await drawer.locator('[data-status="submitted"]').waitFor();
    await page.getByTestId('adj-after-map').waitFor();
    await page.waitForTimeout(800);
    await b.screenshot(page, 'grid-04-application');
    await context.close();
  });

  it('the street center approves it with no notice period, effective today', async () => {
    expect(state.adjustmentId).toBeTruthy();
    const { context, page } = await open('review');
    await signIn(page, 'jd_quancheng');
    await page.goto(`${server.baseUrl}/grid-adjustments?id=${state.adjustmentId}`);
    const drawer = page.getByTestId('adjustment-drawer');
    await drawer.locator('[data-status="submitted"]').waitFor();
    await page.getByTestId('adj-review').click();
    const form = page.getByTestId('review-form');
    await form.getByRole('spinbutton').fill('0');
    const date = form.getByPlaceholder(/日期/);
    await date.click();
    await date.fill(today());
    await date.press('Enter');
    await b.screenshot(page, 'grid-05-review');
    await page
      .getByRole('dialog')
      .filter({ has: form })
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await drawer.locator('[data-status="notice"]').waitFor();
    expect(await page.getByTestId('adj-effective-date').textContent()).toBe(today());
    await context.close();
  });

  it('the administrator applies the due adjustments; the list shows two new grids and not the old one', async () => {
    const { context, page } = await open('apply');
    await signIn(page, 'admin');
    await page.getByRole('menuitem', { name: '网格调整' }).click();
    await page.getByTestId('adj-apply-due').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await page.getByText(/已生效 [1-9]\d* 项/).waitFor({ timeout: 60_000 });

    await page.goto(`${server.baseUrl}/grid-adjustments?id=${state.adjustmentId}`);
    const drawer = page.getByTestId('adjustment-drawer');
    await drawer.locator('[data-status="effective"]').waitFor();
    const report = page.getByTestId('adjustment-report');
    await report.waitFor();
    state.newCodes = await page
      .getByTestId('report-created')
      .locator('[data-grid-code]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-grid-code') ?? ''));
    expect(state.newCodes).toHaveLength(2);
    for (const c of state.newCodes) {
      expect(c).toMatch(/^\d{19}$/);
      expect(c).not.toBe(state.oldCode);
    }
    expect(await report.getByText(state.oldCode as string).count()).toBeGreaterThan(0);
    // The residents, houses and other located records of the old grid moved to the new grids by their points;
    // the report counts them per type and per old → new grid pair.
    const total = Number(/共移动 (\d+) 条记录/.exec((await page.getByTestId('report-total').textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(0);
    const records = page.getByTestId('report-records');
    await records.getByRole('cell', { name: '人员', exact: true }).waitFor();
    const moved = await page.evaluate(async (id) => {
      const r = await fetch(`/api/grid-adjustments/${id}`, { credentials: 'same-origin' });
      const a = (await r.json()) as { report: { records: { type: string; moved: number; unplaced: number }[] } };
      return Object.fromEntries(a.report.records.map((x) => [x.type, x]));
    }, state.adjustmentId as string);
    expect(moved.person?.moved).toBeGreaterThan(0);
    expect(moved.person?.unplaced).toBe(0);
    expect(moved.house?.moved).toBeGreaterThan(0);
    // The open case moved with them (closed cases keep the grid they were handled in).
    expect(moved.case?.moved).toBe(1);
    expect(moved.case?.unplaced).toBe(0);
    await records.getByRole('cell', { name: '未办结案件', exact: true }).waitFor();
    await report.scrollIntoViewIfNeeded();
    await b.screenshot(page, 'grid-06-report');

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('menuitem', { name: '网格列表' }).click();
    await page.getByPlaceholder('按网格编码或名称查找').fill(TARGET);
    for (const c of state.newCodes) await page.locator(`tr[data-grid-code="${c}"]`).waitFor();
    expect(await page.locator(`tr[data-grid-code="${state.oldCode}"]`).count()).toBe(0);
    expect(await page.getByRole('cell', { name: `${TARGET}一` }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: `${TARGET}二` }).count()).toBe(1);
    await b.screenshot(page, 'grid-07-list');

    // The residents are found in the new grids now, and none in the old one.
    const residents = await page.evaluate(async (codes) => {
      const count = async (code: string) => {
        const g = await (await fetch(`/api/grids?q=${code}&limit=1`, { credentials: 'same-origin' })).json();
        const id = g.items?.[0]?.id;
        if (!id) return -1;
        const p = await (await fetch(`/api/persons?gridId=${id}&limit=1`, { credentials: 'same-origin' })).json();
        return p.total as number;
      };
      return Promise.all(codes.map(count));
    }, state.newCodes);
    expect(residents.reduce((a, n) => a + Math.max(n, 0), 0)).toBeGreaterThan(0);

    // And on the map: the two new grids where the old one was.
    await page.locator(`tr[data-grid-code="${state.newCodes[0]}"]`).getByRole('button').click();
    await page.locator(`[data-grid-code="${state.newCodes[1]}"]`).waitFor();
    expect(await page.locator(`[data-grid-code="${state.oldCode}"]`).count()).toBe(0);
    await page.waitForTimeout(800);
    await b.screenshot(page, 'grid-08-map-after');

    // History: on the day before, the map shows the grid as it was, and not the new ones.
    const day = new Date(`${today()}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    const before = page.getByPlaceholder('查看历史日期');
    await before.click();
    await before.fill(day.toISOString().slice(0, 10));
    await before.press('Enter');
    await page.getByTestId('grid-map-history').waitFor();
    await page.locator(`[data-grid-code="${state.oldCode}"]`).waitFor();
    expect(await page.locator(`[data-grid-code="${state.newCodes[1]}"]`).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    await b.screenshot(page, 'grid-09-map-history');

    // The case page names one of the new grids now.
    await page.goto(`${server.baseUrl}/cases/${state.caseId}`);
    const facts = page.getByTestId('case-facts');
    await facts.getByText(new RegExp(`${TARGET}[一二]`)).waitFor();
    expect(await facts.getByText(TARGET, { exact: true }).count()).toBe(0);
    await b.screenshot(page, 'grid-10-case-moved');
    await context.close();
  });
});

describe('console: editing grids on the map', () => {
  it('a boundary edit that overlaps a neighbour is refused with the reason, saved as a draft, and the coverage check finds the overlap', async () => {
    const { context, page } = await open('edit');
    await signIn(page, 'jd_quancheng');
    await page.getByRole('menuitem', { name: '网格地图' }).click();
    await page.getByTestId('grid-map').locator('canvas.maplibregl-canvas').waitFor();

    // Search by name: the map flies to the grid and selects it.
    await page.getByLabel('按网格编码或名称查找').fill('趵突泉第五');
    await page.getByTestId('grid-search-option').filter({ hasText: '趵突泉第五网格' }).click();
    await expect.poll(() => page.getByTestId('grid-detail-name').textContent()).toBe('趵突泉第五网格');
    await page.locator('[data-grid-code]').filter({ hasText: '趵突泉第五网格' }).waitFor();
    await page.waitForTimeout(1000);
    const id = new URL(page.url()).searchParams.get('grid');
    const grid = await page.evaluate(async (gid) => (await fetch(`/api/grids/${gid}`)).json(), id);
    const ring: [number, number][] = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
    const label = await page.locator('[data-grid-code]').filter({ hasText: '趵突泉第五网格' }).boundingBox();
    if (!label) throw new Error('no label');
    const centre = { x: label.x + label.width / 2, y: label.y + label.height / 2 };

    await page.getByRole('button', { name: '修改边界' }).click();
    await page.getByTestId('edit-boundary-panel').waitFor();
    await page.waitForTimeout(500);
    // Drag the first vertex 45 px further out, into the neighbouring grid.
    const v = await toScreen(page, ring[0] as [number, number]);
    const dx = v.x - centre.x;
    const dy = v.y - centre.y;
    const len = Math.hypot(dx, dy) || 1;
    const to = { x: v.x + (dx / len) * 45, y: v.y + (dy / len) * 45 };
    await page.mouse.move(v.x, v.y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(v.x + ((to.x - v.x) * i) / 8, v.y + ((to.y - v.y) * i) / 8);
    await page.mouse.up();
    await page.waitForTimeout(300);

    await page.getByRole('button', { name: '保存边界' }).click();
    const error = page.getByTestId('edit-boundary-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/重叠/);
    await b.screenshot(page, 'grid-10-overlap-refused');
    await page.getByRole('button', { name: '保存为草稿' }).click();
    await page.getByText('边界已保存为草稿').waitFor();

    // The coverage check of the community finds it: red, with its area in m².
    await page.getByLabel('检查范围').click();
    await page.getByLabel('检查范围').fill('趵突泉');
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '趵突泉社区' }).first().click();
    await page.getByTestId('coverage-run').click();
    await page.getByTestId('coverage-summary').waitFor();
    expect(await page.getByTestId('coverage-summary').textContent()).toMatch(/重叠 [1-9]\d* 处/);
    const issue = page.getByTestId('coverage-issue').filter({ hasText: '重叠' }).first();
    expect(await issue.textContent()).toMatch(/[\d,]+ m²/);
    await page.waitForTimeout(1000);
    await b.screenshot(page, 'grid-11-coverage-overlap');
    await context.close();
  });

  it('the community station merges two adjacent grids into a draft application', async () => {
    const { context, page } = await open('merge');
    await signIn(page, 'sq_baotuquan');
    await page.getByRole('menuitem', { name: '网格地图' }).click();
    const six = page.locator('[data-grid-code]').filter({ hasText: '趵突泉第六网格' });
    const seven = page.locator('[data-grid-code]').filter({ hasText: '趵突泉第七网格' });
    await six.waitFor();
    const centre = async (l: typeof six) => {
      const bx = await l.boundingBox();
      if (!bx) throw new Error('no label');
      return { x: bx.x + bx.width / 2, y: bx.y + bx.height / 2 };
    };
    const a = await centre(six);
    await page.mouse.click(a.x, a.y);
    await expect.poll(() => page.getByTestId('grid-detail-name').textContent()).toBe('趵突泉第六网格');
    await page.getByRole('button', { name: '合并' }).click();
    await page.getByTestId('merge-panel').waitFor();
    const c = await centre(seven);
    await page.mouse.click(c.x, c.y);
    await page.getByTestId('proposal-form').waitFor();
    expect(await page.getByTestId('proposal-name-0').inputValue()).toBe('趵突泉第六网格');
    await page.getByTestId('proposal-reason').fill('两网格人口减少，合并管理');
    await page.waitForTimeout(300);
    await b.screenshot(page, 'grid-12-merge-preview');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/grid-adjustments\?id=/, { timeout: 30_000 });
    await page.getByTestId('adjustment-drawer').locator('[data-status="draft"]').waitFor();
    // A draft can still be submitted or withdrawn by its applicant.
    await page.getByTestId('adj-submit').waitFor();
    await context.close();
  });
});

describe('console: grid list, export and import', () => {
  it('exports a community as GeoJSON and Excel; a broken file lists its problems by feature index; the export imports back', async () => {
    const { context, page } = await open('import');
    await signIn(page, 'jd_quancheng');
    await page.getByRole('menuitem', { name: '网格列表' }).click();
    await page.getByLabel('区划').click();
    await page.getByLabel('区划').fill('芙蓉巷');
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '芙蓉巷社区' }).first().click();
    await page.locator('tr[data-grid-code]').filter({ hasText: '芙蓉街商圈专属网格' }).waitFor();

    const [geojson] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 GeoJSON' }).click()]);
    const file = await geojson.path();
    const fc = JSON.parse(await readFile(file, 'utf8')) as { features: { properties: { code: string }; geometry: unknown }[]; crs?: unknown };
    expect(fc.features.length).toBeGreaterThanOrEqual(8);
    for (const f of fc.features) expect(f.properties.code).toMatch(/^\d{19}$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);

    await page.getByRole('button', { name: '导入网格' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('导入到社区/村').click();
    await dialog.getByLabel('导入到社区/村').fill('芙蓉巷');
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '芙蓉巷社区' }).first().click();

    // A self-intersecting ring (a bow tie) as feature #1: refused with its index, nothing imported.
    const broken = {
      type: 'FeatureCollection',
      crs: fc.crs,
      features: [
        fc.features[0],
        {
          type: 'Feature',
          properties: { name: '自交网格' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [117.0, 36.66],
                [117.003, 36.663],
                [117.003, 36.66],
                [117.0, 36.663],
                [117.0, 36.66],
              ],
            ],
          },
        },
      ],
    };
    await dialog
      .locator('input[type=file]')
      .setInputFiles({ name: 'broken.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(broken)) });
    await page.getByTestId('import-validate').click();
    await page.getByTestId('import-problems').waitFor();
    const row = dialog.getByRole('row').filter({ hasText: '#1' }).first();
    expect(await row.textContent()).toMatch(/geometry.*(自相交|Self-intersection)/);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await b.screenshot(page, 'grid-13-import-problems');

    // The community's own export goes back in: every grid matched by its code and replaced.
    await dialog.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-validate').click();
    await page.getByTestId('import-ok').waitFor();
    expect(await page.getByTestId('import-ok').textContent()).toContain(`${fc.features.length} 个网格可以导入`);
    await page.getByTestId('import-commit').click();
    await dialog.getByText(`已导入 ${fc.features.length} 个网格`).first().waitFor({ timeout: 30_000 });
    await b.screenshot(page, 'grid-14-import-done');
    await context.close();
  });
});
