// Benchmark: which model papermap embeds with by default. bge-small-en-v1.5 against all-MiniLM-L6-v2 (both int8, as
// shipped) in one run: text-query nDCG@10 on the judged set (test/fixtures/search/relevance.json), same-category
// precision@10 on a balanced sample of real arXiv listings, embedding rate; and bge's CLS pooling (its model card)
// against mean pooling, both from the same forward pass.
// Usage: npx tsx bench/models.ts [--sample 3000] [--arxiv /work/wt/shared-corpora/arxiv-15000.jsonl]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, loadModel, type ModelName, type Pooling } from '../src/embed/model.js';
import { paperText } from '../src/embed/index.js';
import { exactSearch, exactNeighbours } from '../src/index/index.js';
import { ingest } from '../src/ingest/index.js';
import type { Embeddings, Paper } from '../src/records.js';
import { balancedSample, type ArxivPaper } from './corpora/arxiv.js';
import { corpusPapers } from './corpus.js';
import { ndcgAt } from './search.js';
import { ROOT, row, type BenchResult, type BenchRow } from './lib.js';

const ARXIV = process.env.PAPERMAP_ARXIV ?? '/work/wt/shared-corpora/arxiv-15000.jsonl';
const SEED = 42;
const BATCH = 16;

interface Variant {
  model: ModelName;
  pooling: Pooling;
  label: string;
}
/** The shipped pooling of each model first; bge's mean pooling is the alternative measured. */
const VARIANTS: Variant[] = [
  { model: 'bge-small-en-v1.5', pooling: 'cls', label: 'bge-small-en-v1.5 (CLS)' },
  { model: 'bge-small-en-v1.5', pooling: 'mean', label: 'bge-small-en-v1.5 (mean)' },
  { model: 'all-MiniLM-L6-v2', pooling: 'mean', label: 'all-MiniLM-L6-v2 (mean)' },
];

/** Encodes texts in length-sorted batches with every pooling of `model` at once; returns vectors per pooling and seconds. */
async function encodeAll(model: ModelName, poolings: Pooling[], texts: readonly string[]): Promise<{ vectors: Map<Pooling, Float32Array>; seconds: number }> {
  const m = await loadModel(DEFAULT_MODEL_DIR, model, true, 0);
  await m.encode(texts.slice(0, 4));
  const out = new Map(poolings.map((p) => [p, new Float32Array(texts.length * m.dims)]));
  const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length || a - b);
  const t0 = performance.now();
  for (let s = 0; s < order.length; s += BATCH) {
    const batch = order.slice(s, s + BATCH);
    const pooled = await m.encodePooled(batch.map((i) => texts[i] as string), poolings);
    poolings.forEach((p, k) => batch.forEach((i, j) => out.get(p)?.set((pooled[k] as Float32Array).subarray(j * m.dims, (j + 1) * m.dims), i * m.dims)));
  }
  return { vectors: out, seconds: (performance.now() - t0) / 1000 };
}

/** The sample: `size` papers of the arXiv file, balanced over its primary categories, as papermap ingests them. */
async function arxivSample(size: number): Promise<{ papers: Paper[]; labels: Map<string, string> }> {
  const labels = (JSON.parse(readFileSync(ARXIV.replace(/\.jsonl$/, '.labels.json'), 'utf8')) as { labels: Record<string, string> }).labels;
  const { papers } = await ingest([ARXIV]);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const asListings = papers.filter((p) => labels[p.id]).map((p) => ({ id: p.id, title: p.title ?? '', abstract: p.abstract, authors: '', categories: '', year: 0, primary: labels[p.id] as string }) satisfies ArxivPaper);
  const chosen = balancedSample(asListings, size, 100, SEED);
  return { papers: chosen.map((c) => byId.get(c.id) as Paper), labels: new Map(chosen.map((c) => [c.id, c.primary])) };
}

function precisionAt10(e: Embeddings, labels: ReadonlyMap<string, string>): number {
  const graph = exactNeighbours(e, 10);
  let sum = 0;
  e.ids.forEach((id, row) => {
    const hits = (graph.indices[row] ?? []).filter((j) => labels.get(e.ids[j] as string) === labels.get(id)).length;
    sum += hits / 10;
  });
  return sum / e.ids.length;
}

export async function run(opts: { quick?: boolean; sample?: number } = {}): Promise<BenchResult> {
  const size = opts.sample ?? (opts.quick ? 600 : 3000);
  const judged = (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'search', 'relevance.json'), 'utf8')) as { queries: { query: string; relevant: string[] }[] }).queries;
  const corpus = await corpusPapers();
  const sample = await arxivSample(size);
  const corpusTexts = corpus.map(paperText);
  const sampleTexts = sample.papers.map(paperText);
  const queryTexts = judged.map((j) => j.query);

  const scores = new Map<string, { ndcg: number; precision: number; rate: number }>();
  for (const model of ['bge-small-en-v1.5', 'all-MiniLM-L6-v2'] as const) {
    const poolings = VARIANTS.filter((v) => v.model === model).map((v) => v.pooling);
    const c = await encodeAll(model, poolings, corpusTexts);
    const q = await encodeAll(model, poolings, queryTexts);
    const s = await encodeAll(model, poolings, sampleTexts);
    for (const pooling of poolings) {
      const corpusE: Embeddings = { modelId: model, dims: 384, ids: corpus.map((p) => p.id), vectors: c.vectors.get(pooling) as Float32Array };
      const qv = q.vectors.get(pooling) as Float32Array;
      const ndcg = judged.reduce((sum, j, i) => sum + ndcgAt(exactSearch(corpusE, qv.subarray(i * 384, (i + 1) * 384), 10).map((n) => n.id), new Set(j.relevant), 10), 0) / judged.length;
      const sampleE: Embeddings = { modelId: model, dims: 384, ids: sample.papers.map((p) => p.id), vectors: s.vectors.get(pooling) as Float32Array };
      const precision = precisionAt10(sampleE, sample.labels);
      const label = VARIANTS.find((v) => v.model === model && v.pooling === pooling)?.label as string;
      scores.set(label, { ndcg, precision, rate: (corpusTexts.length + sampleTexts.length) / (c.seconds + s.seconds) });
      process.stderr.write(`models: ${label}: nDCG@10 ${ndcg.toFixed(3)}, P@10 ${precision.toFixed(3)}, ${((corpusTexts.length + sampleTexts.length) / (c.seconds + s.seconds)).toFixed(1)} abstracts/s\n`);
    }
  }
  const bge = scores.get(VARIANTS[0]?.label as string) as { ndcg: number; precision: number; rate: number };
  const rows: BenchRow[] = [];
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const cats = new Set(sample.labels.values()).size;
  for (const other of VARIANTS.slice(1)) {
    const o = scores.get(other.label) as { ndcg: number; precision: number; rate: number };
    rows.push(row({ bench: 'models', metric: `text-query nDCG@10, ${judged.length} judged queries, bge-small-en-v1.5 int8 (CLS)`, unit: 'nDCG@10', papermap: r3(bge.ndcg), peer: other.label, peerValue: r3(o.ndcg), higherIsBetter: true }));
    rows.push(row({ bench: 'models', metric: `same-category precision@10, ${sample.papers.length} arXiv papers in ${cats} categories, bge-small-en-v1.5 int8 (CLS)`, unit: 'P@10', papermap: r3(bge.precision), peer: other.label, peerValue: r3(o.precision), higherIsBetter: true, note: `seed ${SEED}, ${ARXIV.split('/').pop()}` }));
  }
  const minilm = scores.get(VARIANTS[2]?.label as string) as { rate: number };
  rows.push(row({ bench: 'models', metric: 'abstracts/s embedding, bge-small-en-v1.5 int8, batch 16, all threads', unit: 'abstracts/s', papermap: Math.round(bge.rate * 10) / 10, peer: 'all-MiniLM-L6-v2 int8', peerValue: Math.round(minilm.rate * 10) / 10, higherIsBetter: true }));
  return { rows, details: { sample: sample.papers.length, categories: cats, queries: judged.length, scores: Object.fromEntries(scores) } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--sample');
  const result = await run({ quick: process.argv.includes('--quick'), ...(i >= 0 ? { sample: Number(process.argv[i + 1]) } : {}) });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
  console.log(JSON.stringify(result.details));
}
