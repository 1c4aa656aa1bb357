// Benchmark: the map page's offline search by meaning (src/index/offline.ts) against the served hybrid search
// (`papermap search`: the model embeds the query, HNSW + BM25 fused) on the judged text queries of the bundled corpus,
// and on a 10k slice of the real arXiv set when PAPERMAP_BENCH_OFFLINE_10K names its papermap project.
// Figures: top-10 overlap with the served results, nDCG@10 of both on the judged set, the table's added bytes, the
// time to build the word table (embedding the vocabulary), and query time in Node (the page's time is in bench/map.ts).
// Usage: npx tsx bench/offline-search.ts [--words 12000 --phrases 3000] [--no-10k]
// The 10k rows read the papers and MiniLM vectors of PAPERMAP_BENCH_OFFLINE_PROJECT (default: the shared 15k arXiv
// project, /work/wt/shared-corpora/arxiv15k-minilm), its first 10,000 papers; without it they are left out.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderMap } from '../src/map/index.js';
import { browserScript } from '../src/browser-script.js';
import { openProject, readEmbeddings, readPapers } from '../src/project/index.js';
import { seededRandom } from '../src/random.js';
import { embed, embedTexts } from '../src/embed/index.js';
import { rankRelated } from '../src/index/hybrid.js';
import { buildIndex } from '../src/index/index.js';
import { buildLexicalIndex } from '../src/index/lexical.js';
import { buildOfflineSearch, offlineSearch, offlineVocabulary, openOfflineSearch, type OfflineSearchData, type OfflineSearchOptions } from '../src/index/offline.js';
import type { Embeddings, Neighbour, Paper } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { median, ROOT, row, TMP_DIR, type BenchResult, type BenchRow } from './lib.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

interface Judged {
  query: string;
  relevant: string[];
  grades: Record<string, number>;
}

/** nDCG@10 with graded gains 2^g − 1. */
function ndcg10(ranking: readonly string[], grades: Record<string, number>): number {
  const gain = (g: number) => 2 ** g - 1;
  let dcg = 0;
  ranking.slice(0, 10).forEach((id, i) => (dcg += gain(grades[id] ?? 0) / Math.log2(i + 2)));
  const ideal = Object.values(grades).sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return ideal ? dcg / ideal : 0;
}

function overlap(a: readonly Neighbour[], b: readonly Neighbour[], k = 10): number {
  const top = new Set(b.slice(0, k).map((n) => n.id));
  return a.slice(0, k).filter((n) => top.has(n.id)).length / Math.max(1, Math.min(k, b.length));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Embeds the vocabulary's texts through the vector cache (what the map step does). */
async function embedVocabulary(texts: readonly string[]): Promise<{ vectors: Float32Array; ms: number; embedded: number }> {
  const t0 = performance.now();
  const fake: Paper[] = texts.map((t, i) => ({ id: `t${i}`, abstract: t, authors: [], sources: [] }));
  const result = await embed(fake, { cacheDir: join(TMP_DIR, 'cache'), batchSize: 64 });
  return { vectors: result.embeddings.vectors, ms: performance.now() - t0, embedded: result.embedded };
}

interface SetResult {
  papers: number;
  queries: number;
  overlap10: number;
  overlapMin: number;
  ndcgOffline?: number;
  ndcgServed?: number;
  tableBytes: number;
  terms: number;
  vocabularyMs: number;
  embeddedTerms: number;
  offlineQueryMs: number;
  servedQueryMs: number;
}

async function measure(papers: readonly Paper[], embeddings: Embeddings, queries: readonly { query: string; grades?: Record<string, number> }[], options: Partial<OfflineSearchOptions>): Promise<SetResult & { table: OfflineSearchData }> {
  const vocabulary = offlineVocabulary(papers, options);
  const vocab = await embedVocabulary(vocabulary.texts);
  const data = buildOfflineSearch(embeddings.ids, embeddings, vocabulary, vocab.vectors);
  const tableBytes = JSON.stringify(data).length;
  const byId = new Map(papers.map((p) => [p.id, p]));
  const ordered = embeddings.ids.map((id) => byId.get(id) as Paper);
  const offline = openOfflineSearch(data, { ids: embeddings.ids, titles: ordered.map((p) => p.title ?? ''), abstracts: ordered.map((p) => p.abstract) });
  const index = buildIndex(embeddings);
  const lexical = buildLexicalIndex(ordered);
  const overlaps: number[] = [];
  const offlineMs: number[] = [];
  const servedMs: number[] = [];
  let ndcgOff = 0;
  let ndcgSrv = 0;
  for (const q of queries) {
    let t0 = performance.now();
    const { vectors } = await embedTexts([q.query]);
    const served = rankRelated(index, lexical, { text: q.query, vector: vectors }, 10, 'hybrid');
    servedMs.push(performance.now() - t0);
    t0 = performance.now();
    const mine = offlineSearch(offline, q.query, { k: 10, feedback: arg('feedback') });
    offlineMs.push(performance.now() - t0);
    overlaps.push(overlap(mine, served));
    if (q.grades) {
      ndcgOff += ndcg10(mine.map((n) => n.id), q.grades);
      ndcgSrv += ndcg10(served.map((n) => n.id), q.grades);
    }
  }
  const graded = queries.filter((q) => q.grades).length;
  return {
    papers: papers.length,
    queries: queries.length,
    overlap10: r3(overlaps.reduce((a, b) => a + b, 0) / overlaps.length),
    overlapMin: r3(Math.min(...overlaps)),
    ...(graded ? { ndcgOffline: r3(ndcgOff / graded), ndcgServed: r3(ndcgSrv / graded) } : {}),
    tableBytes,
    terms: vocabulary.terms.length,
    vocabularyMs: Math.round(vocab.ms),
    embeddedTerms: vocab.embedded,
    offlineQueryMs: r3(median(offlineMs)),
    servedQueryMs: r3(median(servedMs)),
    table: data,
  };
}

/**
 * The page in headless Chromium (software rendering) at this size, with the offline table: a first query typed as soon
 * as the page shows (it finishes opening the table itself), and, in a fresh page, the first query once the page has
 * opened the table in the background, then the median of the other judged queries. Positions are seeded random points:
 * layout does not enter the search's time.
 */
async function pageTimes(papers: readonly Paper[], table: OfflineSearchData, queries: readonly string[]): Promise<{ bytes: number; addedBytes: number; loadMs: number; openMs: number; atOnceMs: number; firstMs: number; medianMs: number } | undefined> {
  if (!existsSync('/usr/bin/chromium')) return undefined;
  const random = seededRandom(7);
  const points = papers.map((p) => ({ id: p.id, x: random(), y: random(), theme: -1 }));
  const input = { points, papers: new Map(papers.map((p) => [p.id, p])), themes: [], related: new Map() };
  const plain = renderMap(input, { relatedK: 0 });
  const html = renderMap(input, { relatedK: 0, offlineSearch: { table, script: browserScript('search') } });
  const file = join(TMP_DIR, `offline-${papers.length}.html`);
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'] });
  try {
    type Handle = { papermap: { lastOfflineMs(): number; offlineOpenMs(): number; offlineReady(): boolean } };
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const load = async () => {
      const t0 = performance.now();
      await page.goto('about:blank');
      await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
      await page.waitForFunction(() => 'papermap' in window, undefined, { timeout: 120_000 });
      return performance.now() - t0;
    };
    const ask = (q: string) => page.evaluate((text) => {
      const box = document.getElementById('search') as HTMLInputElement;
      box.value = text;
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      return (window as unknown as Handle).papermap.lastOfflineMs();
    }, q);
    // A query typed the moment the page shows: it finishes opening the table itself.
    const loadMs = await load();
    const atOnceMs = await ask(queries[0] as string);
    // A query typed once the page has opened the table in the background (in steps, from 300 ms after load).
    await load();
    await page.waitForFunction(() => (window as unknown as Handle).papermap.offlineReady(), undefined, { timeout: 120_000 });
    const openMs = await page.evaluate(() => (window as unknown as Handle).papermap.offlineOpenMs());
    const firstMs = await ask(queries[0] as string);
    const later: number[] = [];
    for (const q of queries.slice(1)) later.push(await ask(q));
    return { bytes: html.length, addedBytes: html.length - plain.length, loadMs: Math.round(loadMs), openMs: r3(openMs), atOnceMs: r3(atOnceMs), firstMs: r3(firstMs), medianMs: r3(median(later)) };
  } finally {
    await browser.close();
  }
}

/** `n` papers cycling through `papers` under new ids, with perturbed copies of their vectors (bench/vectors.ts). */
function copies(papers: readonly Paper[], embeddings: Embeddings, n: number): { papers: Paper[]; embeddings: Embeddings } {
  const vectors = perturbedCopies(embeddings, n, 11);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const out = vectors.ids.map((id, i) => ({ ...(byId.get(embeddings.ids[i % embeddings.ids.length] as string) as Paper), id }));
  return { papers: out, embeddings: vectors };
}

/** The first `n` papers of a papermap project and their vectors, or undefined when it has none yet. */
function projectSlice(dir: string, n: number): { papers: Paper[]; embeddings: Embeddings } | undefined {
  if (!existsSync(join(dir, 'manifest.json'))) return undefined;
  const project = openProject(dir);
  if (!project.manifest.artefacts.vectors) return undefined;
  const all = readEmbeddings(project);
  const ids = all.ids.slice(0, n);
  const byId = new Map(readPapers(project).map((p) => [p.id, p]));
  return { papers: ids.map((id) => byId.get(id) as Paper), embeddings: { ...all, ids, vectors: all.vectors.slice(0, ids.length * all.dims) } };
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

export async function run(): Promise<BenchResult> {
  const options: Partial<OfflineSearchOptions> = { maxWords: arg('words'), maxPhrases: arg('phrases') };
  const judged = (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'search', 'relevance.json'), 'utf8')) as { queries: Judged[] }).queries;
  const { table: corpusTable, ...corpus } = await measure(await corpusPapers(), await corpusEmbeddings(), judged, options);
  const rows: BenchRow[] = [
    row({ bench: 'offline-search', metric: `top-10 overlap with the served hybrid search, ${judged.length} judged text queries, corpus (${corpus.papers} papers)`, unit: 'overlap', papermap: corpus.overlap10, peer: 'served search (model + HNSW + BM25)', peerValue: 1, higherIsBetter: true, note: `min ${corpus.overlapMin}; target ≥ 0.7` }),
    row({ bench: 'offline-search', metric: 'nDCG@10 on the judged text queries, offline page vs served', unit: 'nDCG@10', papermap: corpus.ndcgOffline ?? Number.NaN, peer: 'served search', peerValue: corpus.ndcgServed, higherIsBetter: true }),
    row({ bench: 'offline-search', metric: `table bytes, corpus (${corpus.terms} terms + ${corpus.papers} int8 paper vectors)`, unit: 'MB', papermap: r3(corpus.tableBytes / 1e6), higherIsBetter: false }),
    row({ bench: 'offline-search', metric: 'query time, median, corpus (Node; no model in the page)', unit: 'ms', papermap: corpus.offlineQueryMs, peer: 'served search (embeds the query)', peerValue: corpus.servedQueryMs, higherIsBetter: false }),
  ];
  const details: Record<string, unknown> = { options, corpus };
  const corpusPage = await pageTimes(await corpusPapers(), corpusTable, judged.map((q) => q.query));
  if (corpusPage) details.corpusPage = corpusPage;
  const dir = process.env.PAPERMAP_BENCH_OFFLINE_PROJECT ?? '/work/wt/shared-corpora/arxiv15k-minilm';
  const big = process.argv.includes('--no-10k') ? undefined : projectSlice(dir, 10000);
  let servedMs = corpus.servedQueryMs;
  if (big) {
    const { table, ...tenK } = await measure(big.papers, big.embeddings, judged.map((q) => ({ query: q.query })), options);
    details.tenK = { project: dir, ...tenK };
    servedMs = tenK.servedQueryMs;
    rows.push(row({ bench: 'offline-search', metric: `top-10 overlap with the served hybrid search, ${judged.length} text queries, 10k real arXiv papers`, unit: 'overlap', papermap: tenK.overlap10, peer: 'served search (model + HNSW + BM25)', peerValue: 1, higherIsBetter: true, note: `min ${tenK.overlapMin}; target ≥ 0.7` }));
    rows.push(row({ bench: 'offline-search', metric: `vocabulary embedding at map build, 10k papers (${tenK.terms} terms, ${tenK.embeddedTerms === tenK.terms ? 'cold cache' : `${tenK.embeddedTerms} embedded, the rest from the cache`})`, unit: 's', papermap: r3(tenK.vocabularyMs / 1000), higherIsBetter: false }));
  }
  // Page timings at 1k and 10k papers: the real arXiv slice when there is one, else the corpus's papers under new ids
  // with perturbed copies of their vectors (the search's cost depends on the text and vector sizes, not their meaning).
  const base = big ?? { papers: await corpusPapers(), embeddings: await corpusEmbeddings() };
  for (const n of [1000, 10000]) {
    const slice = big ? { papers: big.papers.slice(0, n), embeddings: { ...big.embeddings, ids: big.embeddings.ids.slice(0, n), vectors: big.embeddings.vectors.slice(0, n * big.embeddings.dims) } } : copies(base.papers, base.embeddings, n);
    const { table } = await measure(slice.papers, slice.embeddings, [], options);
    const page = await pageTimes(slice.papers, table, judged.map((q) => q.query));
    if (!page) continue;
    const source = big ? 'real arXiv' : 'corpus texts, perturbed vectors';
    details[`page${n}`] = { source, ...page };
    rows.push(row({ bench: 'offline-search', metric: `time to first result in the page, ${n} papers (${source}; Chromium), table opened in the background`, unit: 'ms', papermap: page.firstMs, peer: 'served search (embeds the query, Node)', peerValue: servedMs, higherIsBetter: false, note: `typed at once (finishing the opening): ${page.atOnceMs} ms; opening ${page.openMs} ms of work in steps; later queries ${page.medianMs} ms median; target < 1 s at 10k` }));
    rows.push(row({ bench: 'offline-search', metric: `added page bytes, ${n} papers`, unit: 'MB', papermap: r3(page.addedBytes / 1e6), higherIsBetter: false, note: `page ${r3(page.bytes / 1e6)} MB; target ≤ 15 MB` }));
  }
  return { rows, details };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const result = await run();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
