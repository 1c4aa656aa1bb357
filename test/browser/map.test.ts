// The map in a real browser: opened from file:// offline, drawn, hovered, clicked, searched, filtered, and served live.

import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { MAP_PAPERS } from '../map/fixture-project.js';
import { fakeApi } from '../server/fake-api.js';
import { browserAvailable, launchChromium } from './chromium.js';
import { fixtureMap } from './map-page.js';

const MARKUP_ID = 'title:markup';
const MARKUP_TITLE = '<img src=x onerror=alert(1)>';

interface Handle {
  count: number;
  screenOf(id: string): { x: number; y: number } | null;
  selected(): string | null;
  highlighted(): number;
}

/** Coloured (not grey, not background) pixels of a screenshot of the map area, decoded by the browser itself. */
async function colouredPixels(page: Page): Promise<number> {
  const png = await page.screenshot({ clip: { x: 330, y: 0, width: 870, height: 800 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let count = 0;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i] as number;
      const g = px[i + 1] as number;
      const b = px[i + 2] as number;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) count++;
    }
    return count;
  }, png.toString('base64'));
}

async function pointOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const p = await page.evaluate((pid) => (window as unknown as { papermap: Handle }).papermap.screenOf(pid), id);
  if (!p) throw new Error(`no point for ${id}`);
  return p;
}

/** Closes the panel and fits the whole map, so every point is on screen and none is under the panel. */
async function resetView(page: Page): Promise<void> {
  if (await page.locator('#panel').isVisible()) await page.locator('#panel .close').click();
  await page.click('#zoom-reset');
  await page.mouse.move(1, 799);
}

const run = browserAvailable();

describe.runIf(run)('the map in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  const { html, file } = fixtureMap();

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => 'papermap' in window);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the file with no errors and no request beyond the file itself', async () => {
    expect(await page.title()).toBe('fixture map');
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { papermap: Handle }).papermap.count)).toBe(MAP_PAPERS.length);
  });

  it('draws the points: the screenshot is not blank', async () => {
    expect(await colouredPixels(page)).toBeGreaterThan(300);
  });

  it('names the themes in the legend', async () => {
    expect(await page.locator('#legend-list .legend-label').allTextContents()).toEqual(expect.arrayContaining(['model merging', 'protein structure', 'preference learning']));
  });

  it('shows the title on hover', async () => {
    const id = 'arxiv:2401.00009';
    const p = await pointOf(page, id);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
    expect(await page.locator('#tooltip').textContent()).toBe('Protein structure prediction with attention');
  });

  it('shows the paper and its related papers on click, and follows a related paper', async () => {
    const p = await pointOf(page, 'arxiv:2401.00009');
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    expect(await page.locator('.paper-title').textContent()).toBe('Protein structure prediction with attention');
    expect(await page.locator('.paper-abstract').textContent()).toContain('amino acid sequence');
    expect(await page.locator('.paper-meta').textContent()).toMatch(/20\d\d · /);
    expect(await page.locator('.chip-label').textContent()).toBe('protein structure');
    const related = page.locator('#related-list li');
    expect(await related.count()).toBe(5);
    const titles = await related.locator('.paper-link-title').allTextContents();
    expect(titles.filter((t) => /protein/i.test(t)).length).toBeGreaterThanOrEqual(4);
    await related.first().locator('button').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { papermap: Handle }).papermap.selected())).not.toBe('arxiv:2401.00009');
    expect(await page.locator('.paper-title').textContent()).toBe(titles[0]);
  });

  it('highlights the papers a search matches', async () => {
    const expected = MAP_PAPERS.filter((p) => `${p.title ?? ''}\n${p.abstract}`.toLowerCase().includes('protein')).length;
    await page.fill('#search', 'Protein');
    await expect.poll(() => page.locator('#search-status').textContent()).toBe(`${expected} matches`);
    expect(await page.evaluate(() => (window as unknown as { papermap: Handle }).papermap.highlighted())).toBe(expected);
    expect(await page.locator('#match-list li').count()).toBe(expected);
    await page.fill('#search', '');
    await expect.poll(() => page.evaluate(() => (window as unknown as { papermap: Handle }).papermap.highlighted())).toBe(0);
  });

  it('shows a markup title as text, in the tooltip and the panel, and runs nothing', async () => {
    await resetView(page);
    const p = await pointOf(page, MARKUP_ID);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator('#tooltip').textContent()).toBe(MARKUP_TITLE);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.locator('.paper-title').textContent()).toBe(MARKUP_TITLE);
    expect(await page.locator('.paper-meta').textContent()).toContain('<b>Mallory</b>');
    expect(await page.locator('.paper-abstract').textContent()).toContain('</script><script>alert(2)</script>');
    expect(await page.locator('img, b').count()).toBe(0);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('hides a theme from the legend and shows it again', async () => {
    await resetView(page);
    const before = await colouredPixels(page);
    const row = page.locator('#legend-list .legend-row', { hasText: 'protein structure' });
    await row.click();
    expect(await row.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => colouredPixels(page)).toBeLessThan(before);
    const p = await pointOf(page, 'arxiv:2401.00010');
    await page.mouse.move(p.x + 1, p.y + 1);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator('#tooltip').textContent()).not.toBe('Language models of protein sequences at evolutionary scale');
    await row.click();
    expect(await row.getAttribute('aria-pressed')).toBe('true');
  });

  it('zooms with the wheel about the cursor and pans by dragging', async () => {
    await resetView(page);
    const id = 'arxiv:2401.00001';
    const a = await pointOf(page, id);
    await page.mouse.move(600, 400);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await pointOf(page, id)).x).not.toBe(a.x);
    const b = await pointOf(page, id);
    expect(Math.hypot(b.x - 600, b.y - 400)).toBeGreaterThan(Math.hypot(a.x - 600, a.y - 400));
    await page.mouse.move(700, 500);
    await page.mouse.down();
    await page.mouse.move(640, 470, { steps: 4 });
    await page.mouse.up();
    const c = await pointOf(page, id);
    expect(c.x - b.x).toBeCloseTo(-60, 0);
    expect(c.y - b.y).toBeCloseTo(-30, 0);
    await page.click('#zoom-reset');
    await expect.poll(async () => (await pointOf(page, id)).x).toBeCloseTo(a.x, 0);
  });

  it('adds semantic matches from /api/search when served by papermap serve', async () => {
    const server = await startServer(fakeApi(MAP_PAPERS, html), { port: 0 });
    const served = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const served404: string[] = [];
      served.on('response', (r) => {
        if (r.status() >= 400) served404.push(r.url());
      });
      await served.goto(server.url);
      await served.waitForFunction(() => 'papermap' in window);
      await served.fill('#search', 'amino acid folding');
      await expect.poll(() => served.locator('#search-status').textContent()).toMatch(/by meaning/);
      expect(await served.locator('#semantic-list li').count()).toBeGreaterThan(0);
      expect(await served.locator('#semantic-list .paper-link-title').first().textContent()).toMatch(/protein/i);
      expect(served404).toEqual([]);
    } finally {
      await served.close();
      await server.stop();
    }
  });
});
