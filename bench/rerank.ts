// Benchmark: re-rankers of the hybrid pool tried against the shipping hybrid (issue 12), in one run, with the paired
// bootstrap 95 % interval of each change. None ships: this bench keeps the measurement so it can be re-run when the model
// or the corpus changes. Every variant re-scores the same candidate pool as rankRelated (dense top 50 ∪ BM25 top 50,
// both scored exactly for every candidate) and adds one feature to the adaptive z-score fusion:
//   csls     dense side cos(q, c) − ½·β·r(c), r(c) = mean cosine of c to its 10 nearest papers (hubness correction, CSLS:
//            Conneau et al., "Word Translation Without Parallel Data", ICLR 2018; β = 0.5 is their 2cos − r_q − r_c
//            rescaled, r_q being constant per query)
//   shared   + a·z(|N10(q) ∩ N10(c)| / 10)            shared nearest neighbours in the kNN graph (Jarvis & Patrick 1973)
//   recip    + a·[q ∈ N20(c)]                          k-reciprocal neighbours (Qin et al., CVPR 2011; Zhong et al. 2017)
//   phrases  + a·w·z(BM25 over the query's word pairs only)   method names as a third ranking
//   sentences (judged set only: it embeds every sentence)  + a·z(s(q, c)), paper→paper the symmetric Chamfer mean of
//            best sentence-pair cosines ½(mean_i max_j + mean_j max_i) cos(q_i, c_j); text queries max_j cos(q, c_j)
// z is the standardisation over the pool, w the fusion's adaptive lexical share; see src/index/fusion.ts.
//
// Measured 2026-12-01 (all-MiniLM-L6-v2 int8; gain over the shipping hybrid, paired bootstrap 95 % interval):
//   judged paper→paper (hybrid 0.747)  csls +0.014 [−0.007, 0.037]  shared −0.007  recip −0.005  phrases −0.014
//                                      sentences +0.016 [−0.003, 0.035]
//   judged text (0.834)                csls −0.005  shared +0.003  recip 0  phrases −0.003  sentences +0.007 [−0.004, 0.021]
//   arXiv 15k, 1,000 query papers (0.572)   every variant within ±0.001 (intervals about ±0.005)
//   arXiv category names (0.565)       csls +0.011 [−0.029, 0.047]; the others 0
//   sentences on arXiv (exploration, 100 query papers, fused top 20 re-ranked): +0.002 [−0.010, 0.014]
// No interval excludes zero, so none ships. Sentence vectors also cost 1.78× the abstract embedding (60 papers,
// median of 3 alternating runs, same process): the embed step would take almost three times as long.
// `npm run bench -- --only rerank` took 1,043 s at load 8–11 on two cores (sentence vectors cached; most of it the kNN
// lists of every arXiv candidate) and reproduced these figures exactly; --quick takes 200 arXiv queries and no sentences.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embed, embedTexts, optionsForModelId } from '../src/embed/index.js';
import { sentencesOf } from '../src/explain/_text.js';
import { candidatesOf, fuseCandidates, rankingAgreement, rankRelated, type FusionCandidate } from '../src/index/hybrid.js';
import { buildIndex, search, vectorOf, type PaperIndex } from '../src/index/index.js';
import { buildLexicalIndex, lexicalQuery, lexicalScores, lexicalSearch, lexicalSimilar, type LexicalIndex } from '../src/index/lexical.js';
import type { Neighbour, Paper } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { row, TMP_DIR, type BenchResult, type BenchRow } from './lib.js';
import { ARXIV_PROJECTS, arxivSet, bootstrapGain, CATEGORY_NAMES, ndcgAt } from './quality.js';
import { corpusEmbeddings } from './vectors.js';

const POOL = 50;
const NEIGHBOURS = 10;

/** One query as the re-rankers see it: its pool with the features each variant adds. */
interface Pooled {
  self?: string;
  text?: string;
  vector: Float32Array;
  cands: FusionCandidate[];
  agreement: number;
  /** The shipping hybrid's top 10 (rankRelated), and dense alone. */
  hybrid: string[];
  dense: string[];
  judge(ranking: readonly string[]): number;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function standardise(xs: readonly number[]): number[] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return xs.map((x) => (sd > 1e-12 ? (x - mean) / sd : 0));
}

function top10(ids: readonly string[], scores: readonly number[]): string[] {
  return ids.map((id, i) => ({ id, score: scores[i] as number })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, 10).map((n) => n.id);
}

interface Query {
  self?: string;
  text?: string;
  vector: Float32Array;
  judge(ranking: readonly string[]): number;
}

function pool(index: PaperIndex, lexical: LexicalIndex, q: Query): Pooled {
  const exclude = q.self ? [q.self] : [];
  const dense = search(index, q.vector, { k: POOL, exclude });
  const lex = q.self ? lexicalSimilar(lexical, q.self, { k: POOL }) : lexicalSearch(lexical, q.text as string, { k: POOL });
  const cands = candidatesOf(dense, lex);
  const bm25 = lexicalScores(lexical, lexicalQuery(lexical, q.self ? { paperId: q.self } : { text: q.text as string }), cands.map((c) => c.id));
  cands.forEach((c, i) => {
    c.dense = dot(q.vector, vectorOf(index, c.id));
    c.lexical = bm25[i];
  });
  const input = q.self ? { paperId: q.self } : { text: q.text as string, vector: q.vector };
  return {
    ...q,
    cands,
    agreement: rankingAgreement(cands),
    hybrid: rankRelated(index, lexical, input, 10, 'hybrid').map((n) => n.id),
    dense: dense.slice(0, 10).map((n) => n.id),
  };
}

type Feature = (q: Pooled) => number[];
type Variant = { name: string; rank(q: Pooled): string[] };

/** The fused score of every candidate (the shipping fusion) plus `weight`·z(feature). */
function plus(name: string, weight: number, feature: Feature, lexicalShare = false): Variant {
  return {
    name,
    rank(q) {
      const fused = new Map(fuseCandidates(q.cands).map((n) => [n.id, n.score]));
      const w = lexicalShare ? Math.min(1, q.agreement / 0.5) : 1;
      const z = standardise(feature(q));
      return top10(q.cands.map((c) => c.id), q.cands.map((c, i) => (fused.get(c.id) as number) + weight * w * (z[i] as number)));
    },
  };
}

function graphVariants(index: PaperIndex, lexical: LexicalIndex): Variant[] {
  const knn = new Map<string, Neighbour[]>();
  const neighbours = (id: string) => {
    let n = knn.get(id);
    if (!n) knn.set(id, (n = search(index, vectorOf(index, id), { k: 2 * NEIGHBOURS, exclude: [id] })));
    return n;
  };
  const density = (id: string) => neighbours(id).slice(0, NEIGHBOURS).reduce((s, n) => s + n.score, 0) / NEIGHBOURS;
  const csls: Variant = {
    name: 'CSLS hubness correction (β 0.5)',
    rank: (q) => fuseCandidates(q.cands.map((c) => ({ ...c, dense: (c.dense as number) - 0.25 * density(c.id) }))).slice(0, 10).map((n) => n.id),
  };
  const queryNeighbours = (q: Pooled) => new Set((q.self ? neighbours(q.self) : search(index, q.vector, { k: NEIGHBOURS })).slice(0, NEIGHBOURS).map((n) => n.id));
  return [
    csls,
    plus('shared kNN neighbours (+0.25)', 0.25, (q) => {
      const mine = queryNeighbours(q);
      return q.cands.map((c) => neighbours(c.id).slice(0, NEIGHBOURS).filter((n) => mine.has(n.id)).length);
    }),
    plus('k-reciprocal neighbour (+0.25)', 0.25, (q) => q.cands.map((c) => (q.self && neighbours(c.id).some((n) => n.id === q.self) ? 1 : 0))),
    plus('word-pair BM25 ranking (+0.25)', 0.25, (q) => {
      const pairs = new Map([...lexicalQuery(lexical, q.self ? { paperId: q.self } : { text: q.text as string })].filter(([t]) => t.includes(' ')));
      return lexicalScores(lexical, pairs, q.cands.map((c) => c.id));
    }, true),
  ];
}

/** Sentence vectors (the title as one sentence) of `papers`, through embed's vector cache under bench/results/tmp. */
async function sentenceVectors(papers: readonly Paper[], modelId: string): Promise<{ rows: Map<string, Float32Array[]>; elapsedMs: number; sentences: number }> {
  const units: Paper[] = [];
  const owner: string[] = [];
  for (const p of papers) {
    const sentences = [...(p.title ? [p.title] : []), ...sentencesOf(p.abstract).filter((s) => s.length >= 20)];
    sentences.forEach((s, i) => {
      units.push({ id: `${p.id}#${i}`, abstract: s } as Paper);
      owner.push(p.id);
    });
  }
  const t0 = performance.now();
  const { embeddings } = await embed(units, { ...optionsForModelId(modelId), cacheDir: join(TMP_DIR, 'cache') });
  const elapsedMs = performance.now() - t0;
  const rows = new Map<string, Float32Array[]>();
  owner.forEach((id, i) => {
    let list = rows.get(id);
    if (!list) rows.set(id, (list = []));
    list.push(embeddings.vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims));
  });
  return { rows, elapsedMs, sentences: units.length };
}

function sentenceVariant(rows: Map<string, Float32Array[]>): Variant {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const chamfer = (a: Float32Array[], b: Float32Array[]) => {
    const m = a.map((x) => b.map((y) => dot(x, y)));
    return (mean(m.map((r) => Math.max(...r))) + mean(b.map((_, j) => Math.max(...m.map((r) => r[j] as number))))) / 2;
  };
  return plus('sentence-pair evidence (+0.5)', 0.5, (q) =>
    q.cands.map((c) => {
      const hit = rows.get(c.id) ?? [];
      return q.self ? chamfer(rows.get(q.self) ?? [], hit) : Math.max(...hit.map((s) => dot(q.vector, s)));
    }),
  );
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function rowsFor(what: string, unit: string, queries: Pooled[], variants: Variant[]): BenchRow[] {
  const hybrid = queries.map((q) => q.judge(q.hybrid));
  const dense = mean(queries.map((q) => q.judge(q.dense)));
  return variants.map((v) => {
    const scores = queries.map((q) => q.judge(v.rank(q)));
    const [lo, hi] = bootstrapGain(scores, hybrid);
    return row({ bench: 'rerank', metric: `${what}: hybrid + ${v.name} vs hybrid`, unit, papermap: r3(mean(scores)), peer: 'hybrid (shipping)', peerValue: r3(mean(hybrid)), higherIsBetter: true, note: `${queries.length} queries; gain 95% CI [${lo}, ${hi}]; dense alone ${r3(dense)}` });
  });
}

async function judged(withSentences: boolean): Promise<{ rows: BenchRow[]; details: unknown }> {
  const set = JSON.parse(readFileSync(join(TMP_DIR, '..', '..', '..', 'test', 'fixtures', 'search', 'relevance.json'), 'utf8')) as { similar: { paper: string; grades: Record<string, number> }[]; queries: { query: string; grades: Record<string, number> }[] };
  const papers = await corpusPapers();
  const embeddings = await corpusEmbeddings();
  const index = buildIndex(embeddings);
  const lexical = buildLexicalIndex(papers);
  const texts = (await embedTexts(set.queries.map((q) => q.query), optionsForModelId(embeddings.modelId))).vectors;
  const p2p = set.similar.map((q) => pool(index, lexical, { self: q.paper, vector: vectorOf(index, q.paper), judge: (r) => ndcgAt(r, q.grades, 10) }));
  const text = set.queries.map((q, i) => pool(index, lexical, { text: q.query, vector: texts.subarray(i * embeddings.dims, (i + 1) * embeddings.dims), judge: (r) => ndcgAt(r, q.grades, 10) }));
  const sentences = withSentences ? await sentenceVectors(papers, embeddings.modelId) : undefined;
  const variants = [...graphVariants(index, lexical), ...(sentences ? [sentenceVariant(sentences.rows)] : [])];
  return {
    rows: [...rowsFor('judged paper→paper nDCG@10', 'nDCG@10', p2p, variants), ...rowsFor('judged text nDCG@10', 'nDCG@10', text, variants)],
    details: sentences ? { sentences: sentences.sentences, papers: papers.length, sentenceEmbedMs: Math.round(sentences.elapsedMs) } : {},
  };
}

async function arxiv(queries: number): Promise<BenchRow[]> {
  const set = arxivSet(ARXIV_PROJECTS.minilm, queries);
  if (!set) return [];
  const { embeddings, labels, index, lexical, sample } = set;
  const p10 = (label: string | undefined) => (r: readonly string[]) => r.slice(0, 10).filter((id) => labels[id] === label).length / 10;
  const p2p = sample.map((id) => pool(index, lexical, { self: id, vector: vectorOf(index, id), judge: p10(labels[id]) }));
  const cats = Object.keys(CATEGORY_NAMES);
  const vectors = (await embedTexts(cats.map((c) => CATEGORY_NAMES[c] as string), optionsForModelId(embeddings.modelId))).vectors;
  const text = cats.map((c, i) => pool(index, lexical, { text: CATEGORY_NAMES[c] as string, vector: vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims), judge: p10(c) }));
  const variants = graphVariants(index, lexical);
  return [...rowsFor(`arXiv 15k same-category P@10 (${queries} query papers)`, 'P@10', p2p, variants), ...rowsFor('arXiv 15k category names P@10', 'P@10', text, variants)];
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const j = await judged(!opts.quick); // --quick leaves out the sentence vectors (minutes of embedding)
  const rows = [...j.rows, ...(await arxiv(opts.quick ? 200 : 1000))];
  return { rows, details: { judged: j.details } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  for (const r of result.rows) console.log(`${r.metric}: ${r.papermap} vs ${r.peer} ${r.peerValue} (${r.ratio}×) ${r.note ?? ''}`);
  console.log(JSON.stringify(result.details));
}
