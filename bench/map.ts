// Map bench: time and trustworthiness of papermap's UMAP map at 1k/10k/100k points, against umap-learn on the same vectors.
//
// Vectors: the corpus' real int8 embeddings, grown to each size as perturbed copies (bench/vectors.ts: copy i is real
// vector i mod N plus Gaussian noise of norm 0.35, renormalised), so every size keeps the corpus' real geometry.
// papermap's time is what `papermap map` does from vectors: the HNSW index's neighbour graph (build + queries) plus
// umap-js over it; the peer's time is umap-learn's fit_transform (its own NN-descent graph), after a numba warm-up.
// Trustworthiness T(10) (src/map/trustworthiness.ts) is computed the same way for both layouts, on a seeded sample of
// points at 100k. Run alone: npx tsx bench/map.ts [--quick | --page-only] (--page-only: the corpus layout and the 100k page)

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { browserScript } from '../src/browser-script.js';
import { buildIndex, neighbourGraph } from '../src/index/index.js';
import { MAP_DEFAULTS, PREVIOUS_EPOCHS, PREVIOUS_LEARNING_RATE, projectMap, renderMap, trustworthiness } from '../src/map/index.js';
import type { Embeddings, MapPoint, Neighbour, Paper } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { havePython, row, runPython, tmpPath, type BenchResult, type BenchRow } from './lib.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

/** Largest size the Python peer is run at: above it umap-learn alone takes minutes on two cores. */
const PEER_MAX = 10_000;

interface PeerAnswer {
  seconds: number;
  warmupSeconds: number;
  n: number;
  umapVersion: string;
}

/** Sample of points whose neighbourhoods are scored: all up to 2,000, else 500 (T's spread is then about ±0.01). */
function trustSample(n: number): number {
  return n <= 2000 ? n : 500;
}

function peer(embeddings: Embeddings): { seconds: number; warmupSeconds: number; trust: number; version: string } {
  const vectorsFile = tmpPath(`map-${embeddings.ids.length}.f32`);
  const outFile = tmpPath(`map-${embeddings.ids.length}.umap-learn.f32`);
  writeFileSync(vectorsFile, new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength));
  const answer = runPython<PeerAnswer>('map_umap.py', { vectors: vectorsFile, dims: embeddings.dims, out: outFile, nNeighbors: MAP_DEFAULTS.nNeighbors, minDist: MAP_DEFAULTS.minDist, seed: MAP_DEFAULTS.seed }, 2);
  const buf = readFileSync(outFile);
  const xy = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const trust = trustworthiness(embeddings, xy, { k: 10, sample: trustSample(embeddings.ids.length) });
  return { seconds: answer.seconds, warmupSeconds: answer.warmupSeconds, trust, version: answer.umapVersion };
}

interface PageTimings {
  htmlMegabytes: number;
  loadMs: number;
  frameMsMedian: number;
  frameMsP90: number;
  /** The same 30 zoom steps with a year filter (half the years) and colour by year on. */
  filteredFrameMsMedian: number;
  filteredFrameMsP90: number;
  /** Papers left visible by that filter. */
  filteredVisible: number;
  /** The same steps with one theme of 16 hidden from the legend and colour by year on (most points still drawn). */
  themeFilteredFrameMsMedian: number;
  themeFilteredFrameMsP90: number;
  themeFilteredVisible: number;
  searchMs: number;
}

/** 30 wheel steps (15 in, 15 out), each timed from the event to the second animation frame after it; sorted. */
async function zoomFrames(page: import('playwright-core').Page): Promise<number[]> {
  return page.evaluate(async () => {
    const canvas = document.getElementById('map-canvas') as HTMLElement;
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 15 ? -60 : 60, clientX: 800, clientY: 450, bubbles: true, cancelable: true }));
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      out.push(performance.now() - start);
    }
    return out.sort((a, b) => a - b);
  });
}

/**
 * The map page at this size in headless Chromium (software rendering, no GPU): load time, then the time from a wheel
 * event to the second animation frame after it (so one full redraw) over 30 zoom steps, then one text search.
 * Paper i is corpus paper (i mod N) under a new id, so the page carries real titles and abstracts.
 */
async function pageTimings(points: MapPoint[], graph: { indices: number[][]; distances: number[][] }, papers: readonly Paper[]): Promise<PageTimings | undefined> {
  if (!existsSync('/usr/bin/chromium')) return undefined;
  const byId = new Map<string, Paper>();
  const related = new Map<string, Neighbour[]>();
  points.forEach((p, i) => {
    byId.set(p.id, { ...(papers[i % papers.length] as Paper), id: p.id });
    related.set(p.id, (graph.indices[i] ?? []).slice(0, 8).map((j, k) => ({ id: points[j]?.id as string, score: 1 - ((graph.distances[i] ?? [])[k] ?? 1) })));
  });
  const themes = Array.from({ length: 16 }, (_, id) => ({ id, label: `theme ${id}` }));
  const html = renderMap({ points: points.map((p, i) => ({ ...p, theme: i % 16 })), papers: byId, themes, related }, { exportJs: browserScript('export') });
  const file = tmpPath(`map-${points.length}.html`);
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await page.waitForFunction(() => 'papermap' in window, undefined, { timeout: 120_000 });
    const loadMs = performance.now() - t0;
    const frames = await zoomFrames(page);
    // With a filter: the later half of the years and colour by year, so every point is tested and recoloured.
    const filteredVisible = await page.evaluate(async () => {
      const h = (window as unknown as { papermap: { yearBounds(): { min: number; max: number }; visibleCount(): number } }).papermap;
      const { min, max } = h.yearBounds();
      const from = document.getElementById('year-from') as HTMLInputElement;
      from.value = String(Math.round((min + max) / 2));
      from.dispatchEvent(new Event('change'));
      const colour = document.getElementById('colour-year') as HTMLInputElement;
      colour.checked = true;
      colour.dispatchEvent(new Event('change'));
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      return h.visibleCount();
    });
    const filtered = await zoomFrames(page);
    // Then: every year again, one theme hidden from the legend, colour by year still on.
    const themeFilteredVisible = await page.evaluate(async () => {
      const h = (window as unknown as { papermap: { yearBounds(): { min: number; max: number }; visibleCount(): number } }).papermap;
      const from = document.getElementById('year-from') as HTMLInputElement;
      from.value = String(h.yearBounds().min);
      from.dispatchEvent(new Event('change'));
      (document.querySelector('#legend-list .legend-row') as HTMLElement).click();
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      return h.visibleCount();
    });
    const themeFiltered = await zoomFrames(page);
    const searchMs = await page.evaluate(async () => {
      const box = document.getElementById('search') as HTMLInputElement;
      const start = performance.now();
      box.value = 'language';
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      return performance.now() - start;
    });
    return {
      htmlMegabytes: Math.round(html.length / 1e5) / 10,
      loadMs: Math.round(loadMs),
      frameMsMedian: Math.round(frames[15] as number),
      frameMsP90: Math.round(frames[27] as number),
      filteredFrameMsMedian: Math.round(filtered[15] as number),
      filteredFrameMsP90: Math.round(filtered[27] as number),
      filteredVisible,
      themeFilteredFrameMsMedian: Math.round(themeFiltered[15] as number),
      themeFilteredFrameMsP90: Math.round(themeFiltered[27] as number),
      themeFilteredVisible,
      searchMs: Math.round(searchMs),
    };
  } finally {
    await browser.close();
  }
}

/** One size: graph and layout timed, trustworthiness measured, umap-learn alongside when small enough. */
async function measure(embeddings: Embeddings, label: string, rows: BenchRow[], details: Record<string, unknown>, note: string): Promise<{ points: MapPoint[]; graph: { indices: number[][]; distances: number[][] } }> {
  const n = embeddings.ids.length;
  const t0 = performance.now();
  const index = buildIndex(embeddings);
  const graph = neighbourGraph(index, embeddings.ids, MAP_DEFAULTS.nNeighbors, embeddings);
  const graphMs = performance.now() - t0;
  const t1 = performance.now();
  const points = projectMap(embeddings, { knn: graph });
  const umapMs = performance.now() - t1;
  const xy = points.flatMap((p) => [p.x, p.y]);
  const trust = trustworthiness(embeddings, xy, { k: 10, sample: trustSample(n) });
  const other = havePython() && n <= PEER_MAX ? peer(embeddings) : undefined;
  const seconds = (graphMs + umapMs) / 1000;
  details[label] = { graphSeconds: graphMs / 1000, umapSeconds: umapMs / 1000, trust, trustSample: trustSample(n), peer: other };
  const skipped = n > PEER_MAX ? `umap-learn not run above ${PEER_MAX / 1000}k (minutes on 2 cores)` : !havePython() ? 'umap-learn not installed (.venv)' : undefined;
  const peerCols = (v: number | undefined) => (other && v !== undefined ? { peer: `umap-learn ${other.version}`, peerValue: v } : {});
  rows.push(row({ bench: 'map', metric: `map seconds, ${label} (kNN graph + UMAP)`, unit: 's', papermap: Math.round(seconds * 100) / 100, ...peerCols(other ? Math.round(other.seconds * 100) / 100 : undefined), higherIsBetter: false, note: `graph ${(graphMs / 1000).toFixed(1)} s + umap-js ${(umapMs / 1000).toFixed(1)} s${other ? `; umap-learn numba warm-up ${other.warmupSeconds.toFixed(0)} s not counted` : ''}${skipped ? `; ${skipped}` : ''}` }));
  rows.push(row({ bench: 'map', metric: `trustworthiness T(10), ${label}`, unit: '', papermap: Math.round(trust * 1000) / 1000, ...peerCols(other ? Math.round(other.trust * 1000) / 1000 : undefined), higherIsBetter: true, note: `${trustSample(n) < n ? `sampled over ${trustSample(n)} points` : 'every point'}${note ? `; ${note}` : ''}` }));
  return { points, graph };
}

/**
 * An update of the corpus map: the map of the corpus without every 100th paper, then the whole corpus laid out from
 * it (`previous`) and afresh (same seed). Rows: how far existing papers move (median and 90th percentile, as a share of
 * the old map's width) and trustworthiness of the updated map against a fresh one.
 */
function updateRows(real: Embeddings, rows: BenchRow[], details: Record<string, unknown>): void {
  const keep = real.ids.map((_, i) => i).filter((i) => i % 100 !== 7);
  const old: Embeddings = { ...real, ids: keep.map((i) => real.ids[i] as string), vectors: Float32Array.from(keep.flatMap((i) => Array.from(real.vectors.subarray(i * real.dims, (i + 1) * real.dims)))) };
  const oldMap = projectMap(old, { knn: neighbourGraph(buildIndex(old), old.ids, MAP_DEFAULTS.nNeighbors, old) });
  const graph = neighbourGraph(buildIndex(real), real.ids, MAP_DEFAULTS.nNeighbors, real);
  const t0 = performance.now();
  const updated = projectMap(real, { knn: graph, previous: oldMap });
  const updateMs = performance.now() - t0;
  const fresh = projectMap(real, { knn: graph });
  const xs = oldMap.map((p) => p.x);
  const width = Math.max(...xs) - Math.min(...xs);
  const at = new Map(oldMap.map((p) => [p.id, p]));
  const moves = (m: MapPoint[]) => m.filter((p) => at.has(p.id)).map((p) => Math.hypot(p.x - (at.get(p.id) as MapPoint).x, p.y - (at.get(p.id) as MapPoint).y) / width).sort((a, b) => a - b);
  const q = (d: number[], f: number) => Math.round((d[Math.floor(d.length * f)] as number) * 1000) / 10;
  const mu = moves(updated);
  const mf = moves(fresh);
  const tu = trustworthiness(real, updated.flatMap((p) => [p.x, p.y]), { k: 10, sample: real.ids.length });
  const tf = trustworthiness(real, fresh.flatMap((p) => [p.x, p.y]), { k: 10, sample: real.ids.length });
  const added = real.ids.length - old.ids.length;
  details.update = { added, moveMedianPct: q(mu, 0.5), moveP90Pct: q(mu, 0.9), freshMoveMedianPct: q(mf, 0.5), freshMoveP90Pct: q(mf, 0.9), trustUpdated: tu, trustFresh: tf, updateSeconds: updateMs / 1000 };
  const label = `corpus + ${added} new papers (1 %)`;
  rows.push(row({ bench: 'map', metric: `existing papers' median move on an update, % of map width, ${label}`, unit: '%', papermap: q(mu, 0.5), peer: 'fresh layout (same seed)', peerValue: q(mf, 0.5), higherIsBetter: false, note: `90th percentile ${q(mu, 0.9)} % (fresh ${q(mf, 0.9)} %); started from the previous map, learning rate ${PREVIOUS_LEARNING_RATE} for ${PREVIOUS_EPOCHS} epochs` }));
  rows.push(row({ bench: 'map', metric: `trustworthiness T(10) after an update, ${label}`, unit: '', papermap: Math.round(tu * 1000) / 1000, peer: 'fresh layout (same seed)', peerValue: Math.round(tf * 1000) / 1000, higherIsBetter: true, note: 'every point' }));
}

/**
 * A 100,000-point layout for the page timing, from a real one: point i sits at layout point (i mod m) plus a small
 * seeded jitter, so the page has the density and clusters of a real map without another 9-minute projection.
 */
function grownLayout(points: MapPoint[], graph: { indices: number[][]; distances: number[][] }, n: number): { points: MapPoint[]; graph: { indices: number[][]; distances: number[][] } } {
  const m = points.length;
  let spanX = 0;
  for (const p of points) spanX = Math.max(spanX, Math.abs(p.x));
  let a = 12345;
  const jitter = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a / 4294967296 - 0.5) * spanX * 0.02;
  };
  const grown = Array.from({ length: n }, (_, i) => {
    const p = points[i % m] as MapPoint;
    return { id: `p${i}`, x: p.x + jitter(), y: p.y + jitter(), theme: p.theme };
  });
  const indices = grown.map((_, i) => (graph.indices[i % m] ?? []).map((j) => j + (i - (i % m) < n - m ? i - (i % m) : 0)));
  const distances = grown.map((_, i) => graph.distances[i % m] ?? []);
  return { points: grown, graph: { indices, distances } };
}

/**
 * Sizes: the corpus itself (every paper real, the figure that says most about faithfulness), then 1k and 10k
 * perturbed copies, and 100k only with PAPERMAP_BENCH_MAP_100K=1: umap-js took 9 minutes there on two shared cores
 * (graph 98 s + layout 443 s), which does not fit the bench's budget. The page timing always runs at 100k points.
 */
export async function run(opts: { quick?: boolean; pageOnly?: boolean } = {}): Promise<BenchResult> {
  const sizes = opts.pageOnly ? [] : opts.quick ? [1000] : process.env.PAPERMAP_BENCH_MAP_100K === '1' ? [1000, 10_000, 100_000] : [1000, 10_000];
  const real = await corpusEmbeddings();
  const rows: BenchRow[] = [];
  const sizeDetails: Record<string, unknown> = {};
  const details: Record<string, unknown> = { corpusPapers: real.ids.length, params: { nNeighbors: MAP_DEFAULTS.nNeighbors, minDist: MAP_DEFAULTS.minDist, seed: MAP_DEFAULTS.seed }, sizes: sizeDetails };
  if (opts.pageOnly) {
    // The page alone: the corpus layout (no peer, no trustworthiness) grown to 100k points.
    const index = buildIndex(real);
    const graph = neighbourGraph(index, real.ids, MAP_DEFAULTS.nNeighbors);
    const points = projectMap(real, { knn: graph });
    const big = grownLayout(points, graph, 100_000);
    const page = await pageTimings(big.points, big.graph, await corpusPapers());
    details.page = page;
    if (page) pageRows(page, rows);
    return { rows, details };
  }
  let last = await measure(real, `corpus (${real.ids.length} real papers)`, rows, sizeDetails, '');
  updateRows(real, rows, details);
  for (const n of sizes) {
    const copies = Math.round(n / real.ids.length);
    const note = copies >= 10 ? `about ${copies} copies of each paper, so a point's 10 nearest are mostly its own copies: this shows copies stay together, the corpus row shows faithfulness` : '';
    last = await measure(perturbedCopies(real, n, 11 + n), `${n / 1000}k`, rows, sizeDetails, note);
  }
  const big = last.points.length >= 100_000 ? last : grownLayout(last.points, last.graph, 100_000);
  const page = await pageTimings(big.points, big.graph, await corpusPapers());
  details.page = page;
  if (page) pageRows(page, rows);
  return { rows, details };
}

/** The page rows: redraw while zooming, and the same with a year filter and colour by year on (same run). */
function pageRows(page: PageTimings, rows: BenchRow[]): void {
  rows.push(row({ bench: 'map', metric: 'map page with 100k papers: ms per redraw while zooming (Chromium, canvas, no GPU)', unit: 'ms', papermap: page.frameMsMedian, higherIsBetter: false, note: `wheel event to second animation frame; p90 ${page.frameMsP90} ms; the ${page.htmlMegabytes} MB file (export script included) opens in ${(page.loadMs / 1000).toFixed(1)} s; a text search takes ${page.searchMs} ms` }));
  rows.push(row({ bench: 'map', metric: 'map page with 100k papers: ms per redraw with a year filter and colour by year on', unit: 'ms', papermap: page.filteredFrameMsMedian, peer: 'same page, no filter (same run)', peerValue: page.frameMsMedian, higherIsBetter: false, note: `p90 ${page.filteredFrameMsP90} ms; ${page.filteredVisible} of 100,000 papers left visible; target < 50 ms` }));
  rows.push(row({ bench: 'map', metric: 'map page with 100k papers: ms per redraw with one theme hidden and colour by year on', unit: 'ms', papermap: page.themeFilteredFrameMsMedian, peer: 'same page, no filter (same run)', peerValue: page.frameMsMedian, higherIsBetter: false, note: `p90 ${page.themeFilteredFrameMsP90} ms; ${page.themeFilteredVisible} of 100,000 papers left visible; target < 50 ms` }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick'), pageOnly: process.argv.includes('--page-only') });
  for (const r of result.rows) console.log(`${r.metric}: papermap ${r.papermap}${r.peerValue !== undefined ? ` | ${r.peer} ${r.peerValue}` : ''}${r.note ? `  (${r.note})` : ''}`);
  console.log(JSON.stringify(result.details, null, 2));
}
