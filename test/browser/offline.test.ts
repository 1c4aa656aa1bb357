// Search by meaning and labels by zoom in Chromium, from file:// with the network blocked: the corpus project's own
// map finds model-merging papers for a query that shares no phrase with them and lists a paper's related papers as
// `papermap similar` does, with what they share; and the fixture map names areas, then
// themes, then sub-themes, then paper titles as it is zoomed in, never two labels on top of each other.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRelated } from '../../src/pipeline/related.js';
import { openProject } from '../../src/project/index.js';
import { corpusProject } from '../helpers/corpus-project.js';
import { browserAvailable, launchChromium } from './chromium.js';
import { fixtureMap } from './map-page.js';

interface Label {
  level: string;
  text: string;
  box: [number, number, number, number];
}

interface Handle {
  meaningHits(): string[];
  drawnLabels(): Label[];
}

const handle = <T>(page: Page, fn: (h: Handle) => T) => page.evaluate(`(${fn.toString()})(window.papermap)`) as Promise<T>;

/** Resolving Interference When Merging Models, and three more of the judged model-merging papers of the corpus. */
const MERGING = ['title:97be8448193019a2', 'title:9e20bd37f295a860', 'title:669b7641c7bff5e3', 'title:ef2eebc0167e414d', 'title:5d9d5a6bd17a414a', 'title:1a35ebe222a333bd', 'title:0c5008d005134029'];

const run = browserAvailable();

describe.runIf(run)('offline search by meaning and labels by zoom', { timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // The network is blocked: anything but the file itself (and data: / blob: / about:) is refused and recorded.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (/^(file|data|blob|about):/.test(url)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
  }, 60_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await browser?.close();
  });

  it('finds the model-merging papers for "combining fine-tuned models without retraining", which no text contains', async () => {
    await page.goto(pathToFileURL(join(corpusProject(), 'map.html')).href);
    await page.waitForFunction(() => 'papermap' in window);
    await page.fill('#search', 'combining fine-tuned models without retraining');
    await page.press('#search', 'Enter');
    await expect.poll(() => handle(page, (h) => h.meaningHits().length)).toBe(20);
    const top = (await handle(page, (h) => h.meaningHits())).slice(0, 10);
    expect(top.filter((id) => MERGING.includes(id)).length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('#search-status').textContent()).toBe('0 matches · 20 by meaning');
    expect(await page.locator('#semantic-list li').count()).toBe(20);
  });

  it("lists a paper's related papers ranked in the page as `papermap similar` ranks them, each saying what they share", async () => {
    const id = 'title:20352573ad1e36ee'; // Multi-task Hierarchical Adversarial Inverse Reinforcement Learning
    const served = (await openRelated(openProject(corpusProject())).similar(id, 8)).neighbours;
    await page.goto('about:blank');
    await page.goto(`${pathToFileURL(join(corpusProject(), 'map.html')).href}#paper=${encodeURIComponent(id)}`);
    await page.waitForFunction(() => 'papermap' in window);
    const items = page.locator('#related-list li');
    await expect.poll(() => items.count()).toBe(8);
    const titles = await items.locator('.paper-link-title').allTextContents();
    expect(titles.filter((t) => served.some((h) => h.paper.title === t)).length).toBeGreaterThanOrEqual(7);
    const details = await items.locator('.paper-link-detail').allTextContents();
    expect(details.filter((d) => /^similarity 0\.\d\d · shares: /.test(d)).length).toBeGreaterThanOrEqual(4);
    expect(await items.first().getAttribute('title')).toMatch(/^This paper: .+\nRelated: .+/s);
  });

  it('names areas, then themes, then sub-themes, then paper titles as the map is zoomed in, none overlapping', async () => {
    const url = pathToFileURL(fixtureMap().file).href;
    const labelsAt = async (zoom: number, at: { x: number; y: number }) => {
      await page.goto('about:blank');
      await page.goto(zoom === 1 ? url : `${url}#zoom=${zoom},${at.x},${at.y}`);
      await page.waitForFunction(() => 'papermap' in window);
      await page.waitForTimeout(50);
      return handle(page, (h) => h.drawnLabels());
    };
    // Zoomed in, the view centres on the papers of the sub-theme 'weight averaging' (map coordinates from the page).
    await page.goto(url);
    const centre = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('papermap-data')!.textContent!) as { x: number[]; y: number[]; theme: number[] };
      const rows = data.theme.flatMap((t, i) => (t === 0 ? [i] : [])).slice(0, 3);
      return { x: rows.reduce((s, i) => s + data.x[i]!, 0) / rows.length, y: rows.reduce((s, i) => s + data.y[i]!, 0) / rows.length };
    });
    const levels: Record<number, Label[]> = {};
    for (const zoom of [1, 2, 3, 6]) levels[zoom] = await labelsAt(zoom, zoom === 2 ? { x: 0.5, y: 0.5 } : centre);
    const kinds = (labels: Label[]) => [...new Set(labels.map((l) => l.level))].sort();
    expect(kinds(levels[1]!)).toEqual(['areas']);
    expect(levels[1]!.map((l) => l.text).sort()).toEqual(['BIOLOGY', 'MACHINE LEARNING']);
    expect(kinds(levels[2]!)).toEqual(['themes']);
    expect(levels[2]!.map((l) => l.text)).toContain('protein structure');
    expect(kinds(levels[3]!)).toEqual(['sub-themes']);
    expect(levels[3]!.map((l) => l.text)).toContain('weight averaging');
    expect(kinds(levels[6]!)).toContain('titles');
    for (const labels of Object.values(levels)) {
      labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
        const apart = a.box[2] <= b.box[0] || b.box[2] <= a.box[0] || a.box[3] <= b.box[1] || b.box[3] <= a.box[1];
        expect(apart, `${a.text} overlaps ${b.text}`).toBe(true);
      }));
    }
  });
});
