// Benchmark: do papermap's themes find what is there, and stay put? Agreement (AMI) with the arXiv primary categories
// of 15,000 real listings, against k-means on the same vectors (at papermap's k and at the true k) and BERTopic
// (defaults, and with k-means) on the same vectors, in one run; the same against the themes two readers found in the
// bundled corpus (test/fixtures/themes/readers.json); then, on the arXiv corpus and on the bundled one, the
// agreement of the themes of seeds 42–46, theme ids kept when 1 % new papers arrive, and label words in a published
// stop list. `papermap themes --words` gets the same stability rows on every corpus and, on the labelled ones, k-means
// at its own k, so the option can be weighed against the default on every target. `npm run bench -- --only quality`
// runs it (bench/quality.ts).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIndex, neighbourGraph } from '../src/index/index.js';
import { openRelated } from '../src/pipeline/related.js';
import { freshness, openProject, readEmbeddings, readPapers } from '../src/project/index.js';
import type { Embeddings, MapPoint, NeighbourGraph, Paper } from '../src/records.js';
import { MAP_DEFAULTS, projectMap } from '../src/map/index.js';
import { adjustedRandIndex, findThemes, hybridGraph, WORDS_WEIGHT, type ThemeOptions, type ThemesResult } from '../src/themes/index.js';
import { seededSubsample } from '../src/random.js';
import { corpusPapers } from './corpus.js';
import { havePython, ROOT, row, runPython, SHARED_CORPORA, tmpPath, type BenchResult, type BenchRow } from './lib.js';
import { corpusEmbeddings } from './vectors.js';

const THREADS = 1;
const SEEDS = [42, 43, 44, 45, 46];

interface QualityAnswer {
  ami: Record<string, number>;
  kmeansMs: number | null;
  sklearn: string;
  stopWordHits: Record<string, string[]>;
  stopWordPartHits: Record<string, string[]>;
}
interface BertopicRun {
  topics: string[][];
  assignment: number[];
  fitMs: number;
  version: string;
}

/** One embedded corpus with known categories: a papermap project folder (vectors.f32 + ids.json + papers.jsonl). */
export interface LabelledCorpus {
  name: string;
  projectDir: string;
  labelsFile: string;
}

/**
 * The labelled corpora present on this machine: arXiv-15000 embedded by papermap (projects arxiv15k-minilm and
 * arxiv-15000.bge, or the older flat folders arxiv-15000.minilm-project and arxiv-15000.bge) once their vectors exist.
 */
export function labelledCorpora(): LabelledCorpus[] {
  const labelsFile = join(SHARED_CORPORA, 'arxiv-15000.labels.json');
  const out: LabelledCorpus[] = [];
  const project = join(SHARED_CORPORA, 'arxiv15k-minilm');
  const minilm = join(SHARED_CORPORA, 'arxiv-15000.minilm-project');
  if (hasProjectVectors(project)) out.push({ name: 'arXiv-15000, MiniLM', projectDir: project, labelsFile });
  else if (existsSync(join(minilm, 'vectors.f32'))) out.push({ name: 'arXiv-15000, MiniLM', projectDir: minilm, labelsFile });
  const bge = join(SHARED_CORPORA, 'arxiv-15000.bge');
  if (hasProjectVectors(bge) || (existsSync(join(bge, 'DONE')) && existsSync(join(bge, 'vectors.f32')))) out.push({ name: 'arXiv-15000, bge-small', projectDir: bge, labelsFile });
  return out;
}

function hasProjectVectors(dir: string): boolean {
  if (!existsSync(join(dir, 'manifest.json'))) return false;
  try {
    return freshness(openProject(dir), 'vectors').state === 'fresh';
  } catch {
    return false;
  }
}

/**
 * Reads a corpus's vectors, ids and papers (read-only), with the neighbour graph the pipeline would hand to themes:
 * a papermap project's own index when it is current, else an HNSW index built here. Flat folders (vectors.f32,
 * ids.json, papers.jsonl) are read as they are.
 */
export async function readCorpusWithGraph(dir: string): Promise<{ embeddings: Embeddings; papers: Paper[]; knn: NeighbourGraph; graphMs: number }> {
  const started = performance.now();
  if (existsSync(join(dir, 'manifest.json'))) {
    const project = openProject(dir);
    const embeddings = readEmbeddings(project);
    const papers = readPapers(project);
    const knn = freshness(project, 'index').state === 'fresh' ? await openRelated(project).graph(15) : neighbourGraph(buildIndex(embeddings), embeddings.ids, 15);
    return { embeddings, papers, knn, graphMs: performance.now() - started };
  }
  const { embeddings, papers } = readCorpus(dir);
  return { embeddings, papers, knn: neighbourGraph(buildIndex(embeddings), embeddings.ids, 15), graphMs: performance.now() - started };
}

/** Reads a flat folder's vectors, ids and papers (read-only). */
export function readCorpus(dir: string): { embeddings: Embeddings; papers: Paper[] } {
  const ids = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8')) as string[];
  const buf = readFileSync(join(dir, 'vectors.f32'));
  const vectors = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const dims = vectors.length / ids.length;
  const papers = readFileSync(join(dir, 'papers.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Paper);
  return { embeddings: { modelId: 'from-project', dims, ids, vectors: Float32Array.from(vectors) }, papers };
}

const labelWords = (r: ThemesResult): string[] => r.themes.map((t) => t.label);
const BENCH = 'themes-quality';

/**
 * Theme rows for the labelled corpora (AMI against their categories, then stability) and for the bundled corpus
 * (stability, and AMI against the readers' themes; the issue's own hand labels are kept outside the repository). Rows are bench 'themes-quality' (`npm run bench -- --only themes-quality`), metrics start 'themes'.
 */
export async function themesQuality(opts: { quick?: boolean; corpora?: LabelledCorpus[]; themeOptions?: Partial<ThemeOptions>; bundled?: boolean } = {}): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  if (opts.bundled !== false) {
    const papers = await corpusPapers();
    const embeddings = await corpusEmbeddings();
    const knn = neighbourGraph(buildIndex(embeddings), embeddings.ids, 15);
    const name = `bundled corpus, ${embeddings.ids.length} papers`;
    const stable = stayPut(name, embeddings, papers, knn, opts);
    rows.push(...stable.rows);
    // The same with `papermap themes --words`: do its themes stay put too?
    const { stableWords, words } = stayPutWithWords(name, embeddings, papers, knn, opts);
    rows.push(...stableWords.rows);
    const readers = readerRows(name, embeddings, papers, stable.first.result, words, withWords(embeddings, papers, knn, opts, HALF_WORDS_WEIGHT));
    rows.push(...readers.rows);
    rows.push(mapRow(name, embeddings, papers, knn, stable.first.result, words));
    details[name] = { ...stable.details, words: stableWords.details, readers: readers.details };
  }
  for (const corpus of opts.corpora ?? labelledCorpora()) {
    const { embeddings, papers, knn, graphMs } = await readCorpusWithGraph(corpus.projectDir);
    const labels = (JSON.parse(readFileSync(corpus.labelsFile, 'utf8')) as { labels: Record<string, string> }).labels;
    const truthNames = embeddings.ids.map((id) => labels[id] ?? 'unknown');
    const categories = [...new Set(truthNames)].sort();
    const truth = truthNames.map((c) => categories.indexOf(c));
    const byId = new Map(papers.map((p) => [p.id, p]));
    const texts = embeddings.ids.map((id) => {
      const p = byId.get(id) as Paper;
      return `${p.title ?? ''}. ${p.abstract}`;
    });
    const tag = corpus.name.replace(/[^A-Za-z0-9]+/g, '-');
    const docsFile = tmpPath(`quality-${tag}-docs.json`);
    const vectorsFile = tmpPath(`quality-${tag}-vectors.f32`);
    writeFileSync(docsFile, JSON.stringify(texts));
    writeFileSync(vectorsFile, new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength));

    const stable = stayPut(corpus.name, embeddings, papers, knn, opts);
    const ours = stable.first.result;
    const input = { docs: docsFile, vectors: vectorsFile, dims: embeddings.dims, seed: 42 };
    const bertopic = havePython() ? runPython<BertopicRun>('themes_bertopic.py', { ...input, k: null }, THREADS) : undefined;
    const bertopicK = havePython() ? runPython<BertopicRun>('themes_bertopic.py', { ...input, k: ours.k }, THREADS) : undefined;
    // `papermap themes --words` on the same corpus: its AMI (seed 42, the first run) and whether its themes stay put.
    const { stableWords, words } = stayPutWithWords(corpus.name, embeddings, papers, knn, opts);
    const halfWords = withWords(embeddings, papers, knn, opts, HALF_WORDS_WEIGHT);
    const systems: Record<string, number[]> = { papermap: ours.assignment, papermapWords: words.assignment, papermapHalfWords: halfWords.assignment };
    if (bertopic) systems.bertopic = bertopic.assignment;
    if (bertopicK) systems.bertopicK = bertopicK.assignment;
    // Lists of 15,000 rows exceed the kernel's limit on one argument, so the arguments travel in a file.
    const argsFile = tmpPath(`quality-${tag}-args.json`);
    writeFileSync(argsFile, JSON.stringify({ vectors: vectorsFile, dims: embeddings.dims, truth, k: ours.k, trueK: categories.length, wordsK: words.k, seed: 42, systems, labels: { papermap: labelWords(ours), bertopic: (bertopic?.topics ?? []).map((t) => t.slice(0, 3).join(' ')) } }));
    const quality = havePython() ? runPython<QualityAnswer>('themes_quality.py', { argsFile }, THREADS) : undefined;

    const corpusNote = `${embeddings.ids.length} papers, ${categories.length} categories`;
    const p = quality?.ami.papermap ?? Number.NaN;
    const sklearnName = `scikit-learn ${quality?.sklearn ?? '?'} KMeans (n_init 10)`;
    const bertopicPeer = `BERTopic ${bertopic?.version ?? '?'} defaults (UMAP+HDBSCAN)`;
    const metric = `themes: AMI with arXiv primary categories (${corpus.name})`;
    rows.push(
      row({ bench: BENCH, metric, unit: 'AMI', papermap: p, peer: `${sklearnName} at papermap's k=${ours.k}`, ...(quality ? { peerValue: quality.ami.kmeans } : {}), higherIsBetter: true, note: `${corpusNote}; papermap k=${ours.k} chosen by stability; target ≥ peer + 0.04` }),
      row({ bench: BENCH, metric, unit: 'AMI', papermap: p, peer: `${sklearnName} at the true k=${categories.length}`, ...(quality?.ami.kmeansTrueK !== undefined ? { peerValue: quality.ami.kmeansTrueK } : {}), higherIsBetter: true, note: 'the peer is told the number of categories; target ≥ peer + 0.04' }),
      row({ bench: BENCH, metric, unit: 'AMI', papermap: p, peer: bertopicPeer, ...(quality?.ami.bertopic !== undefined ? { peerValue: quality.ami.bertopic } : {}), higherIsBetter: true, note: `BERTopic topics ${bertopic?.topics.length ?? '?'}, outliers ${bertopic?.assignment.filter((t) => t < 0).length ?? '?'} (one cluster); target ≥ peer + 0.05` }),
      row({ bench: BENCH, metric, unit: 'AMI', papermap: p, peer: `BERTopic ${bertopicK?.version ?? '?'} (UMAP+k-means, k=${ours.k})`, ...(quality?.ami.bertopicK !== undefined ? { peerValue: quality.ami.bertopicK } : {}), higherIsBetter: true }),
      wordsRow(metric, words, ours, quality?.ami.papermapWords, p),
      row({ bench: BENCH, metric: `${metric}, themes --words`, unit: 'AMI', papermap: quality?.ami.papermapWords ?? Number.NaN, peer: `${sklearnName} at --words's k=${words.k}`, ...(quality?.ami.kmeansWordsK !== undefined ? { peerValue: quality.ami.kmeansWordsK } : {}), higherIsBetter: true, note: `the target of the default themes, for the option: ≥ peer + 0.04; BERTopic defaults ${quality?.ami.bertopic ?? '?'}` }),
      wordsRow(metric, halfWords, ours, quality?.ami.papermapHalfWords, p),
      ...stable.rows,
      ...stableWords.rows,
      row({ bench: BENCH, metric: `themes: label words in scikit-learn's English stop list (${corpus.name})`, unit: 'words', papermap: quality?.stopWordHits.papermap?.length ?? Number.NaN, peer: bertopicPeer, ...(quality ? { peerValue: quality.stopWordHits.bertopic?.length ?? 0 } : {}), higherIsBetter: false, note: `target 0${quality?.stopWordHits.papermap?.length ? `; found: ${quality.stopWordHits.papermap.join(', ')}` : ''}; parts of hyphenated terms (few-shot: few) in the list: ${quality?.stopWordPartHits.papermap?.join(', ') || 'none'}` }),
      row({ bench: BENCH, metric: `themes: run time, 1 thread (${corpus.name}; papermap: whole findThemes with the HNSW graph given)`, unit: 'ms', papermap: Math.round(stable.first.ms), peer: bertopicPeer, ...(bertopic ? { peerValue: Math.round(bertopic.fitMs) } : {}), higherIsBetter: false, note: `graph (index read or HNSW build + neighbours) ${Math.round(graphMs)} ms, not counted` }),
    );
    details[corpus.name] = { ...stable.details, words: stableWords.details, ami: quality?.ami, stopWordHits: quality?.stopWordHits, stopWordPartHits: quality?.stopWordPartHits, bertopicTopics: bertopic?.topics.map((t) => t.slice(0, 3).join(', ')) };
  }
  return { rows, details };
}

/** Share of each paper's 10 nearest points on a map (points in embeddings.ids order) that are in its theme. */
function mapCoherence(points: readonly MapPoint[], assignment: readonly number[]): number {
  let same = 0;
  points.forEach((p, i) => {
    const nearest = points.map((q, j) => ({ j, d: (q.x - p.x) ** 2 + (q.y - p.y) ** 2 })).filter((c) => c.j !== i).sort((a, b) => a.d - b.d || a.j - b.j).slice(0, 10);
    same += nearest.filter((c) => assignment[c.j] === assignment[i]).length / nearest.length;
  });
  return Math.round((same / points.length) * 1000) / 1000;
}

/**
 * How whole `themes --words`'s themes look on the map the map step lays out for them (from the blended graph), against
 * the same themes on the embedding's layout, with the default themes on the default map in the note.
 */
function mapRow(name: string, embeddings: Embeddings, papers: readonly Paper[], knn: NeighbourGraph, ours: ThemesResult, words: ThemesResult): BenchRow {
  const byId = new Map(papers.map((p) => [p.id, p]));
  const rowsOf = embeddings.ids.map((_, r) => embeddings.vectors.subarray(r * embeddings.dims, (r + 1) * embeddings.dims));
  const blended = hybridGraph(knn, rowsOf, embeddings.ids.map((id) => byId.get(id)), knn.indices[0]?.length ?? 0, WORDS_WEIGHT);
  const plain = projectMap(embeddings, { knn });
  const wordsMap = projectMap(embeddings, { knn: blended });
  return row({
    bench: BENCH,
    metric: `themes on the map: share of a paper's 10 nearest map points in its theme (${name}, themes --words)`,
    unit: 'share',
    papermap: mapCoherence(wordsMap, words.assignment),
    peer: "the same themes on the embedding's layout",
    peerValue: mapCoherence(plain, words.assignment),
    higherIsBetter: true,
    note: `the map step lays out themes --words's themes from the blended graph; default themes on the default map ${mapCoherence(plain, ours.assignment)}; seed 42 themes, map seed ${MAP_DEFAULTS.seed}`,
  });
}

/** stayPut for `papermap themes --words`, with its seed-42 run as the option's themes (as withWords gives them). */
function stayPutWithWords(name: string, embeddings: Embeddings, papers: readonly Paper[], knn: NeighbourGraph, opts: { quick?: boolean; themeOptions?: Partial<ThemeOptions> }) {
  const stableWords = stayPut(`${name}, themes --words`, embeddings, papers, knn, { ...opts, themeOptions: { ...opts.themeOptions, lexicalWeight: WORDS_WEIGHT } });
  return { stableWords, words: { ...stableWords.first.result, ms: stableWords.first.ms, weight: WORDS_WEIGHT } };
}

/** The lexical weight measured beside WORDS_WEIGHT: half of it (not an option; why --words has one weight or none). */
const HALF_WORDS_WEIGHT = WORDS_WEIGHT / 2;

/** Seed 42's themes with the papers' words blended into the graph (`papermap themes --words`), with their run time. */
function withWords(embeddings: Embeddings, papers: readonly Paper[], knn: NeighbourGraph, opts: { themeOptions?: Partial<ThemeOptions> }, weight = WORDS_WEIGHT): ThemesResult & { ms: number; weight: number } {
  const started = performance.now();
  const result = findThemes(embeddings, papers, { ...opts.themeOptions, seed: 42, knn, lexicalWeight: weight });
  return { ...result, ms: performance.now() - started, weight };
}

/** The option's row: AMI of the themes with words blended in against papermap's default themes (seed 42 both). */
function wordsRow(metric: string, words: ThemesResult & { ms: number; weight: number }, ours: ThemesResult, ami: number | undefined, defaultAmi: number, bertopic?: number): BenchRow {
  return row({
    bench: BENCH,
    metric,
    unit: 'AMI',
    papermap: ami ?? Number.NaN,
    peer: `papermap default (the embedding's graph alone), k=${ours.k}`,
    peerValue: defaultAmi,
    higherIsBetter: true,
    note: `${words.weight === WORDS_WEIGHT ? `papermap themes --words (the papers' words blended into the graph, lexicalWeight ${words.weight}; not the default)` : `the papers' words blended into the graph at lexicalWeight ${words.weight}, half of themes --words's (measured, not an option)`}, k=${words.k}, ${Math.round(words.ms)} ms${bertopic !== undefined && ami !== undefined ? `; against BERTopic defaults ${ami >= bertopic ? '+' : ''}${Math.round((ami - bertopic) * 1000) / 1000}` : ''}`,
  });
}

/** The readers' themes of the bundled corpus (test/fixtures/themes/readers.json): per reader, its theme per paper id. */
interface ReaderThemes {
  made: string;
  readers: Record<string, { themes: { name: string; description: string }[]; assignment: Record<string, number> }>;
}

/**
 * Agreement (AMI) of papermap's themes of the bundled corpus with the themes two readers found by reading every
 * abstract, against k-means on the same vectors (at papermap's k and at the readers' k) and BERTopic defaults on the
 * same vectors, in one run; the readers' agreement with each other is the ceiling.
 */
function readerRows(name: string, embeddings: Embeddings, papers: readonly Paper[], ours: ThemesResult, words: ThemesResult & { ms: number; weight: number }, halfWords: ThemesResult & { ms: number; weight: number }): { rows: BenchRow[]; details: Record<string, unknown> } {
  const file = join(ROOT, 'test', 'fixtures', 'themes', 'readers.json');
  const set = JSON.parse(readFileSync(file, 'utf8')) as ReaderThemes;
  const names = Object.keys(set.readers).sort();
  const truthOf = (r: string): number[] => embeddings.ids.map((id) => (set.readers[r] as ReaderThemes['readers'][string]).assignment[id] ?? -1);
  if (!havePython()) return { rows: [], details: { skipped: 'the Python peers are not installed' } };
  const byId = new Map(papers.map((p) => [p.id, p]));
  const docsFile = tmpPath('quality-bundled-docs.json');
  const vectorsFile = tmpPath('quality-bundled-vectors.f32');
  writeFileSync(docsFile, JSON.stringify(embeddings.ids.map((id) => `${byId.get(id)?.title ?? ''}. ${byId.get(id)?.abstract ?? ''}`)));
  writeFileSync(vectorsFile, new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength));
  const bertopic = runPython<BertopicRun>('themes_bertopic.py', { docs: docsFile, vectors: vectorsFile, dims: embeddings.dims, seed: 42, k: null }, THREADS);
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const reader of names) {
    const truth = truthOf(reader);
    const others = Object.fromEntries(names.filter((r) => r !== reader).map((r) => [`reader ${r}`, truthOf(r)]));
    const readerK = new Set(truth).size;
    const argsFile = tmpPath(`quality-bundled-${reader}-args.json`);
    writeFileSync(argsFile, JSON.stringify({ vectors: vectorsFile, dims: embeddings.dims, truth, k: ours.k, trueK: readerK, seed: 42, systems: { papermap: ours.assignment, papermapWords: words.assignment, papermapHalfWords: halfWords.assignment, bertopic: bertopic.assignment, ...others }, labels: {} }));
    const q = runPython<QualityAnswer>('themes_quality.py', { argsFile }, THREADS);
    const ceiling = Object.keys(others).map((o) => `${o} ${q.ami[o]}`).join(', ');
    const metric = `themes: AMI with the themes a reader found by reading every abstract (${name}, ${reader}, ${readerK} themes)`;
    const sklearnName = `scikit-learn ${q.sklearn} KMeans (n_init 10)`;
    rows.push(
      row({ bench: BENCH, metric, unit: 'AMI', papermap: q.ami.papermap as number, peer: `${sklearnName} at papermap's k=${ours.k}`, peerValue: q.ami.kmeans as number, higherIsBetter: true, note: `agreement with the other reader (the ceiling): ${ceiling}; target ≥ peer + 0.04` }),
      row({ bench: BENCH, metric, unit: 'AMI', papermap: q.ami.papermap as number, peer: `${sklearnName} at the reader's k=${readerK}`, peerValue: q.ami.kmeansTrueK as number, higherIsBetter: true, note: 'the peer is told how many themes the reader found; target ≥ peer + 0.04' }),
      row({ bench: BENCH, metric, unit: 'AMI', papermap: q.ami.papermap as number, peer: `BERTopic ${bertopic.version} defaults (UMAP+HDBSCAN)`, peerValue: q.ami.bertopic as number, higherIsBetter: true, note: `BERTopic topics ${bertopic.topics.length}, outliers ${bertopic.assignment.filter((t) => t < 0).length} (one cluster); target ≥ peer + 0.05` }),
      wordsRow(metric, words, ours, q.ami.papermapWords, q.ami.papermap as number, q.ami.bertopic),
      wordsRow(metric, halfWords, ours, q.ami.papermapHalfWords, q.ami.papermap as number, q.ami.bertopic),
    );
    details[reader] = q.ami;
  }
  return { rows, details };
}

/**
 * Stability rows for one corpus: the mean adjusted Rand index between the themes of seeds 42–46 (42 alone when quick),
 * and the share of old papers that keep their theme id when a seeded 1 % of the papers is added (papermap's update
 * against papermap re-clustering with ids matched), with the seed-42 run for the caller.
 */
function stayPut(
  name: string,
  embeddings: Embeddings,
  papers: readonly Paper[],
  knn: NeighbourGraph,
  opts: { quick?: boolean; themeOptions?: Partial<ThemeOptions> },
): { rows: BenchRow[]; details: Record<string, unknown>; first: { seed: number; result: ThemesResult; ms: number } } {
  const runs: { seed: number; result: ThemesResult; ms: number }[] = [];
  for (const seed of opts.quick ? [42] : SEEDS) {
    const started = performance.now();
    const result = findThemes(embeddings, papers, { ...opts.themeOptions, seed, knn });
    runs.push({ seed, result, ms: performance.now() - started });
    process.stderr.write(`bench themes-quality: ${name} seed ${seed}: k=${result.k} in ${Math.round(performance.now() - started)} ms\n`);
  }
  const first = runs[0] as (typeof runs)[number];
  // Growth: themes of 99 % of the papers, then all of them with those themes as `previous`.
  const held = new Set(seededSubsample(embeddings.ids.length, Math.round(0.01 * embeddings.ids.length), 4242));
  const keep = embeddings.ids.map((_, i) => i).filter((i) => !held.has(i));
  const before = subsetEmbeddings(embeddings, keep);
  const beforeKnn = neighbourGraph(buildIndex(before), before.ids, 15);
  const base = findThemes(before, papers, { ...opts.themeOptions, seed: 42, knn: beforeKnn });
  const grown = findThemes(embeddings, papers, { ...opts.themeOptions, seed: 42, knn, previous: base });
  const rematched = findThemes(embeddings, papers, { ...opts.themeOptions, seed: 42, knn, previous: base, updateShare: 0 });
  const pairs = runs.flatMap((a, i) => runs.slice(i + 1).map((b) => adjustedRandIndex(a.result.assignment, b.result.assignment)));
  const meanAri = pairs.length ? Math.round((pairs.reduce((s, v) => s + v, 0) / pairs.length) * 1e4) / 1e4 : Number.NaN;
  const minAri = pairs.length ? Math.round(Math.min(...pairs) * 1e4) / 1e4 : Number.NaN;
  return {
    first,
    rows: [
      row({ bench: BENCH, metric: `themes: stability, mean ARI between the themes of seeds ${runs.map((r) => r.seed).join(',')} (${name})`, unit: 'ARI', papermap: meanAri, higherIsBetter: true, note: `k per seed: ${runs.map((r) => r.result.k).join(', ')}; lowest pair ${minAri}; target ≥ 0.8` }),
      row({ bench: BENCH, metric: `themes: old papers keeping their theme id after adding 1 % new papers (${name})`, unit: 'share', papermap: grown.origin.keptShare, peer: 'papermap re-clustered, ids matched by shared members', peerValue: rematched.origin.keptShare, higherIsBetter: true, note: `${embeddings.ids.length - keep.length} papers added; emerging ${grown.origin.emerging.length}, vanished ${grown.origin.vanished.length}; target ≥ 0.95` }),
    ],
    details: {
      k: first.result.k,
      kScores: first.result.kScores,
      kPerSeed: runs.map((r) => r.result.k),
      msPerSeed: runs.map((r) => Math.round(r.ms)),
      ariPairs: pairs.map((v) => Math.round(v * 1e4) / 1e4),
      themes: first.result.themes.map((t) => `${t.id} ${t.size} ${t.label}`),
      areas: first.result.areas.map((a) => `${a.size} ${a.label}: ${a.themeIds.join(',')}`),
      subThemes: first.result.subThemes.map((s) => `${s.parentId}.${s.id} ${s.size} ${s.label}`),
      growth: { update: grown.origin, rematch: { ...rematched.origin, vanished: rematched.origin.vanished.length } },
    },
  };
}

/** The rows `keep` of some embeddings. */
export function subsetEmbeddings(embeddings: Embeddings, keep: readonly number[]): Embeddings {
  const vectors = new Float32Array(keep.length * embeddings.dims);
  keep.forEach((i, j) => vectors.set(embeddings.vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims), j * embeddings.dims));
  return { modelId: embeddings.modelId, dims: embeddings.dims, ids: keep.map((i) => embeddings.ids[i] as string), vectors };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await themesQuality({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
  console.log(JSON.stringify(result.details, null, 2));
}

/** `npm run bench -- --only themes-quality` (add `--quick` for seed 42 alone on the arXiv sets). */
export function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  return themesQuality({ quick: opts.quick });
}
