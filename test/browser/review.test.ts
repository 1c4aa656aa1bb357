// The map for a literature review, in Chromium from file:// offline: year filter and colours, box and lasso selection,
// downloads that match `papermap export`, titles on zoom, the themes-over-time chart, panel links, and the URL hash.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPapers } from '../../src/export/index.js';
import { MAP_PAPERS } from '../map/fixture-project.js';
import { browserAvailable, launchChromium } from './chromium.js';
import { fixtureMap, PAGE_PAPERS } from './map-page.js';

interface Handle {
  screenOf(id: string): { x: number; y: number } | null;
  selected(): string | null;
  highlighted(): number;
  visibleCount(): number;
  selection(): string[];
  drawnTitles(): string[];
  zoom(): number;
  yearBounds(): { min: number; max: number };
}

const handle = <T>(page: Page, fn: (h: Handle) => T) => page.evaluate(`(${fn.toString()})(window.papermap)`) as Promise<T>;

async function pointOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const p = await page.evaluate((pid) => (window as unknown as { papermap: Handle }).papermap.screenOf(pid), id);
  if (!p) throw new Error(`no point for ${id}`);
  return p;
}

const run = browserAvailable();

describe.runIf(run)('the map for a literature review', { timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  const { file } = fixtureMap();
  const url = pathToFileURL(file).href;

  async function open(hash = ''): Promise<void> {
    await page.goto(`${url}${hash}`);
    await page.waitForFunction(() => 'papermap' in window);
  }

  async function reset(): Promise<void> {
    await page.goto('about:blank');
    await open();
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    await open();
  }, 60_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !/^(file|data|blob|about):/.test(u))).toEqual([]);
    await browser?.close();
  });

  it('filters by year range: papers outside it (and of unknown year) disappear, and come back', async () => {
    const { min, max } = await handle(page, (h) => h.yearBounds());
    expect(await handle(page, (h) => h.visibleCount())).toBe(MAP_PAPERS.length);
    await page.fill('#year-from', '2022');
    await page.dispatchEvent('#year-from', 'change');
    const expected = MAP_PAPERS.filter((p) => (p.year ?? 0) >= 2022 && (p.year ?? 0) <= max).length;
    await expect.poll(() => handle(page, (h) => h.visibleCount())).toBe(expected);
    expect(expected).toBeLessThan(MAP_PAPERS.length);
    await page.fill('#year-from', String(min));
    await page.dispatchEvent('#year-from', 'change');
    await expect.poll(() => handle(page, (h) => h.visibleCount())).toBe(MAP_PAPERS.length);
  });

  it('colours by year: the year ramp shows beside the checkbox and the state goes into the hash', async () => {
    await page.check('#colour-year');
    await expect.poll(() => page.evaluate(() => document.getElementById('bar')?.classList.contains('year-colours'))).toBe(true);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('colour=year');
    await page.uncheck('#colour-year');
  });

  it('box selection lists the papers inside the box and downloads them, byte for byte as papermap export writes them', async () => {
    await reset();
    await page.click('#tool-box');
    await page.mouse.move(330, 10);
    await page.mouse.down();
    await page.mouse.move(800, 400, { steps: 4 });
    await page.mouse.move(1190, 790, { steps: 4 });
    await page.mouse.up();
    const ids = await handle(page, (h) => h.selection());
    expect(ids.length).toBeGreaterThan(0);
    const inside = await page.evaluate((all) => all.filter((id) => {
      const p = (window as unknown as { papermap: Handle }).papermap.screenOf(id);
      return p && p.x >= 330 && p.x <= 1190 && p.y >= 10 && p.y <= 790;
    }), MAP_PAPERS.map((p) => p.id));
    expect([...ids].sort()).toEqual([...inside].sort());
    expect(await page.locator('#selection-list li').count()).toBe(ids.length);
    const byId = new Map(PAGE_PAPERS.map((p) => [p.id, p]));
    for (const format of ['bibtex', 'ris', 'csl-json', 'csv'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#panel button.download[data-format="${format}"]`)]);
      const text = readFileSync(await download.path(), 'utf8');
      // The page's papers lack only `sources`, which no export writes.
      expect(text).toBe(exportPapers(ids.map((id) => ({ ...byId.get(id)!, sources: [] })), { format }));
    }
  });

  it('lasso selection takes only the points inside the drawn outline', async () => {
    await reset();
    const a = await pointOf(page, 'arxiv:2401.00009');
    await page.click('#tool-lasso');
    const r = 14;
    await page.mouse.move(a.x - r, a.y - r);
    await page.mouse.down();
    for (const [dx, dy] of [[r, -r], [r, r], [-r, r], [-r, -r]]) await page.mouse.move(a.x + dx, a.y + dy, { steps: 3 });
    await page.mouse.up();
    const ids = await handle(page, (h) => h.selection());
    expect(ids).toContain('arxiv:2401.00009');
    expect(ids.length).toBeLessThan(MAP_PAPERS.length / 2);
  });

  it('shows paper titles on the map only once zoomed in', async () => {
    await reset();
    expect(await handle(page, (h) => h.drawnTitles())).toEqual([]);
    const p = await pointOf(page, 'arxiv:2401.00009');
    await page.mouse.move(p.x, p.y);
    for (let k = 0; k < 6; k++) await page.mouse.wheel(0, -200);
    await expect.poll(() => handle(page, (h) => h.zoom())).toBeGreaterThan(4);
    await expect.poll(async () => (await handle(page, (h) => h.drawnTitles())).length).toBeGreaterThan(0);
    const titles = new Set(MAP_PAPERS.map((q) => q.title));
    expect((await handle(page, (h) => h.drawnTitles())).every((t) => titles.has(t))).toBe(true);
  });

  it('panel: related papers before the abstract, DOI / arXiv links, tooltip hidden, point kept clear of the panel', async () => {
    await reset();
    const id = 'arxiv:2401.00009';
    const p = await pointOf(page, id);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    expect(await page.locator('#tooltip').isVisible()).toBe(false);
    const order = await page.evaluate(() => [...document.querySelectorAll('#panel h3')].map((h) => h.textContent));
    expect(order).toEqual(['Related papers', 'Abstract']);
    expect(await page.locator('.paper-links a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      'https://doi.org/10.48550/arXiv.2401.00009', 'https://arxiv.org/abs/2401.00009', 'https://example.org/protein']);
    const after = await pointOf(page, id);
    const panelLeft = await page.evaluate(() => document.getElementById('panel')!.getBoundingClientRect().left);
    expect(after.x).toBeLessThan(panelLeft);
  });

  it('legend and chart give full theme names on hover; picking a theme in the chart highlights its papers', async () => {
    await reset();
    expect(await page.locator('#legend-list .legend-row').first().getAttribute('title')).toMatch(/ \(\d+ papers\)$/);
    await page.click('#chart-toggle');
    await expect.poll(() => page.locator('#chart svg polyline').count()).toBe(3);
    await page.click('#chart .chart-theme[data-theme="1"]');
    const members = MAP_PAPERS.filter((p) => /protein/i.test(p.title ?? '')).length;
    await expect.poll(() => handle(page, (h) => h.highlighted())).toBe(members);
    expect(await page.locator('#panel .panel-kicker').first().textContent()).toBe('Theme: protein structure');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('theme=1');
  });

  it('keeps the view in the hash: a link reopens the same paper, search, years and zoom', async () => {
    await open('#paper=arxiv%3A2401.00009&q=protein&years=2020-2023&colour=year&zoom=2,0.5,0.5');
    await page.reload();
    await page.waitForFunction(() => 'papermap' in window);
    expect(await handle(page, (h) => h.selected())).toBe('arxiv:2401.00009');
    expect(await page.inputValue('#search')).toBe('protein');
    expect(await page.inputValue('#year-from')).toBe('2020');
    expect(await page.inputValue('#year-to')).toBe('2023');
    expect(await page.isChecked('#colour-year')).toBe(true);
    expect(await handle(page, (h) => h.zoom())).toBeCloseTo(2, 5);
    expect(await page.locator('.paper-title').textContent()).toBe('Protein structure prediction with attention');
  });
});
