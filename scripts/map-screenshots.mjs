// Retakes the screenshots in docs/ from a project's map.html, in Debian's Chromium with the network blocked.
// Usage: node scripts/map-screenshots.mjs <project>/map.html   (run `npm start` first for the bundled corpus's map)

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/map-screenshots.mjs <project>/map.html');
const url = pathToFileURL(resolve(file)).href;
const docs = new URL('../docs/', import.meta.url).pathname;
const browser = await chromium.launch({
  executablePath: process.env.PAPERMAP_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.route('**/*', (route) => (/^(file|data|blob|about):/.test(route.request().url()) ? route.continue() : route.abort()));
const open = async (hash = '') => {
  await page.goto('about:blank');
  await page.goto(url + hash);
  await page.waitForFunction(() => 'papermap' in window);
  await page.waitForTimeout(400);
};

// The whole map: areas named at the widest zoom.
await open();
await page.screenshot({ path: `${docs}map.png` });

// Zoomed in on the densest theme: sub-theme names and paper titles, coloured by year.
const centre = await page.evaluate(() => {
  const data = JSON.parse(document.getElementById('papermap-data').textContent);
  const t = data.themes[0];
  return { x: t.x, y: t.y };
});
await open(`#colour=year&zoom=5,${centre.x},${centre.y}`);
await page.screenshot({ path: `${docs}map-zoom.png` });

// A box selection with its downloads, colour by year and the themes-over-time chart.
await open('#colour=year&zoom=1.6,0.5,0.5');
await page.click('#chart-toggle');
await page.keyboard.down('Shift');
await page.mouse.move(620, 300);
await page.mouse.down();
await page.mouse.move(760, 420, { steps: 8 });
await page.mouse.up();
await page.keyboard.up('Shift');
await page.waitForTimeout(300);
await page.screenshot({ path: `${docs}map-review.png` });

// Search by meaning from the file itself: a query that no title or abstract contains.
await open();
await page.fill('#search', 'combining fine-tuned models without retraining');
await page.press('#search', 'Enter');
await page.waitForTimeout(400);
await page.screenshot({ path: `${docs}map-offline-search.png` });

await browser.close();
