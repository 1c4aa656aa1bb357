// Benchmark: quality of related papers — dense, lexical (BM25) and hybrid, per model, in one run.
//   1. The judged set of the bundled corpus (test/fixtures/search/relevance.json): graded nDCG@10, R@10 and MRR for
//      paper→paper and text queries, with a paired bootstrap 95 % interval of the hybrid − dense nDCG@10 gain.
//   2. The public arXiv sample (/work/wt/shared-corpora/arxiv-15000, bench/corpora/arxiv.ts): same-category
//      precision@10 for 1,000 seeded query papers, and for the 17 category names as short text queries. Read only when
//      its vectors exist (a project embedded with papermap); skipped otherwise.
//   3. CSFCube (bench/csfcube.ts): experts' graded pools for 50 computer-science query papers × facet, re-ranked by each
//      mode and scored with the collection's official NDCG%20, beside SPECTER's shipped rankings; read when prepared.
// Every ranking is papermap's own rankRelated over the real HNSW index, with the modes the CLI offers.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL, embedTexts, MODEL_NAMES, optionsForModelId } from '../src/embed/index.js';
import { rankRelated, RELATED_MODES, type RelatedMode } from '../src/index/hybrid.js';
import { buildIndex } from '../src/index/index.js';
import { buildLexicalIndex } from '../src/index/lexical.js';
import { seededRandom } from '../src/random.js';
import type { Embeddings, Paper } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { ROOT, row, SHARED_CORPORA, TMP_DIR, type BenchResult, type BenchRow } from './lib.js';
import { corpusEmbeddings } from './vectors.js';

interface Judged {
  similar: { paper: string; grades: Record<string, number> }[];
  queries: { query: string; source: string; grades: Record<string, number> }[];
}

/** Graded nDCG@k with gains 2^g − 1 (Järvelin & Kekäläinen 2002), ideal ranking from the judged grades. */
export function ndcgAt(ranking: readonly string[], grades: Readonly<Record<string, number>>, k: number): number {
  const gain = (g: number) => 2 ** g - 1;
  const dcg = ranking.slice(0, k).reduce((s, id, i) => s + gain(grades[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(grades).sort((a, b) => b - a).slice(0, k).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

interface PerQuery {
  ndcg: number;
  recall: number;
  rr: number;
}

function score(ranking: readonly string[], grades: Readonly<Record<string, number>>): PerQuery {
  const relevant = Object.keys(grades);
  const first = ranking.findIndex((id) => (grades[id] ?? 0) > 0);
  return {
    ndcg: ndcgAt(ranking, grades, 10),
    recall: ranking.slice(0, 10).filter((id) => (grades[id] ?? 0) > 0).length / Math.min(10, relevant.length),
    rr: first < 0 ? 0 : 1 / (first + 1),
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Paired bootstrap (2,000 resamples, seed 7) 95 % interval of mean(a − b). */
export function bootstrapGain(a: readonly number[], b: readonly number[]): [number, number] {
  const rnd = seededRandom(7);
  const diffs = a.map((x, i) => x - (b[i] as number));
  const means: number[] = [];
  for (let r = 0; r < 2000; r++) {
    let s = 0;
    for (let i = 0; i < diffs.length; i++) s += diffs[Math.floor(rnd() * diffs.length)] as number;
    means.push(s / diffs.length);
  }
  means.sort((x, y) => x - y);
  return [r3(means[49] as number), r3(means[1949] as number)];
}

type ModeScores = Record<RelatedMode, PerQuery[]>;

function rowsFor(bench: string, what: string, model: string, s: ModeScores): BenchRow[] {
  const m = (mode: RelatedMode, key: keyof PerQuery) => r3(mean(s[mode].map((q) => q[key])));
  const n = s.dense.length;
  const [lo, hi] = bootstrapGain(s.hybrid.map((q) => q.ndcg), s.dense.map((q) => q.ndcg));
  const better = s.hybrid.filter((q, i) => q.ndcg > (s.dense[i] as PerQuery).ndcg + 1e-9).length;
  const worse = s.hybrid.filter((q, i) => q.ndcg < (s.dense[i] as PerQuery).ndcg - 1e-9).length;
  const note = `${n} queries, ${model}; hybrid better on ${better}, worse on ${worse}; gain 95% CI [${lo}, ${hi}]; R@10 ${m('dense', 'recall')}/${m('lexical', 'recall')}/${m('hybrid', 'recall')}, MRR ${m('dense', 'rr')}/${m('lexical', 'rr')}/${m('hybrid', 'rr')} (dense/lexical/hybrid)`;
  return [
    row({ bench, metric: `${what} nDCG@10, hybrid vs dense`, unit: 'nDCG@10', papermap: m('hybrid', 'ndcg'), peer: 'dense only (HNSW)', peerValue: m('dense', 'ndcg'), higherIsBetter: true, note }),
    row({ bench, metric: `${what} nDCG@10, hybrid vs lexical`, unit: 'nDCG@10', papermap: m('hybrid', 'ndcg'), peer: 'lexical only (BM25)', peerValue: m('lexical', 'ndcg'), higherIsBetter: true }),
  ];
}

async function judgedSet(papers: Paper[], embeddings: Embeddings, model: string): Promise<{ rows: BenchRow[]; details: unknown }> {
  const judged = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'search', 'relevance.json'), 'utf8')) as Judged;
  const index = buildIndex(embeddings);
  const lexical = buildLexicalIndex(papers);
  const empty = (): ModeScores => ({ dense: [], lexical: [], hybrid: [] });
  const p2p = empty();
  for (const q of judged.similar) {
    for (const mode of RELATED_MODES) p2p[mode].push(score(rankRelated(index, lexical, { paperId: q.paper }, 10, mode).map((n) => n.id), q.grades));
  }
  const text = empty();
  const shortText = empty();
  const vectors = (await embedTexts(judged.queries.map((q) => q.query), optionsForModelId(model))).vectors;
  judged.queries.forEach((q, i) => {
    const vector = vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims);
    const words = q.query.trim().split(/\s+/).length;
    for (const mode of RELATED_MODES) {
      const s = score(rankRelated(index, lexical, { text: q.query, vector }, 10, mode).map((n) => n.id), q.grades);
      text[mode].push(s);
      if (words <= 3) shortText[mode].push(s);
    }
  });
  return {
    rows: [...rowsFor('quality', `judged paper→paper (${model})`, model, p2p), ...rowsFor('quality', `judged text (${model})`, model, text), ...rowsFor('quality', `judged text ≤3 words (${model})`, model, shortText)],
    details: { p2p, text },
  };
}

const ARXIV = SHARED_CORPORA;

/** A papermap project's vectors (undefined when the project has none). */
export function readProjectVectors(dir: string): Embeddings | undefined {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { model?: { id: string; dims: number }; artefacts: Record<string, { file: string } | undefined> };
  const vectorsFile = manifest.artefacts.vectors?.file ?? 'vectors.f32';
  const idsFile = manifest.artefacts.ids?.file ?? 'ids.json';
  if (!manifest.model || !existsSync(join(dir, vectorsFile)) || !existsSync(join(dir, idsFile))) return undefined;
  const buf = readFileSync(join(dir, vectorsFile));
  return { modelId: manifest.model.id, dims: manifest.model.dims, ids: JSON.parse(readFileSync(join(dir, idsFile), 'utf8')) as string[], vectors: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) };
}

function papersFile(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artefacts: Record<string, { file: string } | undefined> };
  return manifest.artefacts.papers?.file ?? 'papers.jsonl';
}

/** A papermap project's papers by id. */
export function readProjectPapers(dir: string): Map<string, Paper> {
  const byId = new Map<string, Paper>();
  for (const line of readFileSync(join(dir, papersFile(dir)), 'utf8').split('\n')) if (line.trim()) { const p = JSON.parse(line) as Paper; byId.set(p.id, p); }
  return byId;
}

/** The arXiv sample's primary category of each paper id. */
export function arxivLabels(): Record<string, string> {
  return (JSON.parse(readFileSync(join(ARXIV, 'arxiv-15000.labels.json'), 'utf8')) as { labels: Record<string, string> }).labels;
}

/** The prepared 15,000-paper arXiv projects, per model. */
export const ARXIV_PROJECTS = { minilm: join(ARXIV, 'arxiv15k-minilm'), bge: join(ARXIV, 'arxiv-15000.bge') } as const;

/** Readable names of the arXiv categories, used as short text queries. */
export const CATEGORY_NAMES: Record<string, string> = {
  'cs.AI': 'artificial intelligence', 'cs.CE': 'computational engineering, finance and science', 'cs.CL': 'computation and language',
  'cs.CR': 'cryptography and security', 'cs.CV': 'computer vision and pattern recognition', 'cs.CY': 'computers and society',
  'cs.GR': 'computer graphics', 'cs.GT': 'computer science and game theory', 'cs.HC': 'human-computer interaction',
  'cs.IR': 'information retrieval', 'cs.IT': 'information theory', 'cs.LG': 'machine learning', 'cs.RO': 'robotics',
  'cs.SD': 'sound', 'cs.SE': 'software engineering', 'eess.IV': 'image and video processing', 'eess.SY': 'systems and control',
};

/** An embedded arXiv project with its category labels, HNSW and BM25 indexes, and `queries` seeded query papers. */
export function arxivSet(projectDir: string, queries: number) {
  const embeddings = readProjectVectors(projectDir);
  if (!embeddings) return undefined;
  const byId = readProjectPapers(projectDir);
  const papers = embeddings.ids.map((id) => byId.get(id) as Paper);
  const rnd = seededRandom(11);
  const sample = embeddings.ids.map((id) => ({ id, r: rnd() })).sort((a, b) => a.r - b.r).slice(0, queries).map((x) => x.id);
  return { embeddings, labels: arxivLabels(), papers, index: buildIndex(embeddings), lexical: buildLexicalIndex(papers), sample };
}

async function arxiv(projectDir: string, queries: number, name: string): Promise<{ rows: BenchRow[]; details: unknown } | undefined> {
  const set = arxivSet(projectDir, queries);
  if (!set) return undefined;
  const { embeddings, labels, index, lexical, sample } = set;
  const p10 = (ids: string[], label: string | undefined) => ids.filter((id) => labels[id] === label).length / 10;
  const pp: Record<RelatedMode, number[]> = { dense: [], lexical: [], hybrid: [] };
  for (const id of sample) for (const mode of RELATED_MODES) pp[mode].push(p10(rankRelated(index, lexical, { paperId: id }, 10, mode).map((n) => n.id), labels[id]));
  const cats = Object.keys(CATEGORY_NAMES);
  const vectors = (await embedTexts(cats.map((c) => CATEGORY_NAMES[c] as string), optionsForModelId(embeddings.modelId))).vectors;
  const tq: Record<RelatedMode, number[]> = { dense: [], lexical: [], hybrid: [] };
  cats.forEach((c, i) => {
    const vector = vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims);
    for (const mode of RELATED_MODES) tq[mode].push(p10(rankRelated(index, lexical, { text: CATEGORY_NAMES[c] as string, vector }, 10, mode).map((n) => n.id), c));
  });
  const m = (xs: number[]) => r3(mean(xs));
  const [lo, hi] = bootstrapGain(pp.hybrid, pp.dense);
  const note = `${sample.length} seeded query papers of ${embeddings.ids.length} (${name}), ${embeddings.modelId}; gain 95% CI [${lo}, ${hi}]`;
  return {
    rows: [
      row({ bench: 'quality', metric: `arXiv (${name}) same-category P@10, hybrid vs dense`, unit: 'P@10', papermap: m(pp.hybrid), peer: 'dense only (HNSW)', peerValue: m(pp.dense), higherIsBetter: true, note }),
      row({ bench: 'quality', metric: `arXiv (${name}) same-category P@10, hybrid vs lexical`, unit: 'P@10', papermap: m(pp.hybrid), peer: 'lexical only (BM25)', peerValue: m(pp.lexical), higherIsBetter: true }),
      row({ bench: 'quality', metric: `arXiv (${name}) category names as text queries P@10, hybrid vs dense`, unit: 'P@10', papermap: m(tq.hybrid), peer: 'dense only (HNSW)', peerValue: m(tq.dense), higherIsBetter: true, note: `17 queries; lexical ${m(tq.lexical)}` }),
    ],
    details: { pp: { dense: m(pp.dense), lexical: m(pp.lexical), hybrid: m(pp.hybrid) }, text: { dense: m(tq.dense), lexical: m(tq.lexical), hybrid: m(tq.hybrid) } },
  };
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  const papers = await corpusPapers();
  // Every vendored model on the judged set, the default first; then the default's hybrid against each other model's.
  const perModel: { model: string; p2p: ModeScores; text: ModeScores }[] = [];
  for (const model of [DEFAULT_MODEL, ...MODEL_NAMES.filter((m) => m !== DEFAULT_MODEL)]) {
    const embeddings = await corpusEmbeddings(model);
    const judged = await judgedSet(papers, embeddings, embeddings.modelId);
    rows.push(...judged.rows);
    details[`judged-${model}`] = judged.details;
    perModel.push({ model: embeddings.modelId, ...(judged.details as { p2p: ModeScores; text: ModeScores }) });
  }
  const [first, ...others] = perModel;
  for (const other of others) rows.push(...modelRows(first as (typeof perModel)[number], other));
  // The 15,000-paper projects when prepared; else a 1,020-paper category-balanced subset (60 per category, seed 5) of the
  // same file, embedded with papermap into bench/results/tmp/arxiv-1020-project.
  for (const [name, dir] of [['minilm', ARXIV_PROJECTS.minilm], ['bge', ARXIV_PROJECTS.bge], ['minilm-1020', join(TMP_DIR, 'arxiv-1020-project')]] as const) {
    const result = await arxiv(dir, opts.quick ? 200 : 1000, name);
    if (result) {
      rows.push(...result.rows);
      details[`arxiv-${name}`] = result.details;
    }
  }
  // Imported here: bench/csfcube.ts takes its project readers from this module.
  const csfcube = (await import('./csfcube.js')).csfcubeRows();
  rows.push(...csfcube.rows);
  details.csfcube = csfcube.details;
  return { rows, details };
}

/** The default model's hybrid ranking against another model's on the same judged queries, with the paired interval. */
function modelRows(a: { model: string; p2p: ModeScores; text: ModeScores }, b: { model: string; p2p: ModeScores; text: ModeScores }): BenchRow[] {
  return (['p2p', 'text'] as const).map((kind) => {
    const x = a[kind].hybrid.map((q) => q.ndcg);
    const y = b[kind].hybrid.map((q) => q.ndcg);
    const [lo, hi] = bootstrapGain(x, y);
    const what = kind === 'p2p' ? 'paper→paper' : 'text';
    return row({ bench: 'quality', metric: `judged ${what} nDCG@10, hybrid, default model ${a.model} vs ${b.model}`, unit: 'nDCG@10', papermap: r3(mean(x)), peer: `${b.model} hybrid`, peerValue: r3(mean(y)), higherIsBetter: true, note: `${x.length} queries; gain 95% CI [${lo}, ${hi}]; dense ${r3(mean(a[kind].dense.map((q) => q.ndcg)))} vs ${r3(mean(b[kind].dense.map((q) => q.ndcg)))}` });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  for (const r of result.rows) console.log(`${r.metric}: ${r.papermap} vs ${r.peer} ${r.peerValue} (${r.ratio}×) ${r.note ?? ''}`);
}
