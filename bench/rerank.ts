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
//   feedback the dense side re-scored with the query vector + 0.6 × the mean of its dense top 5, normalised (Rocchio
//            pseudo-relevance feedback in the embedding space)
//   mlt      the lexical side re-scored with the BM25 query cut to its 30 most distinctive terms (qtf·idf; Lucene's
//            MoreLikeThis), paper→paper only
//   theme    + a·[c in the query paper's theme]        cluster-based smoothing (Liu & Croft, SIGIR 2004), seed 42's themes
//   model2   + a·z(cos under the other model)           a second embedder's ranking (MiniLM beside bge, bge beside MiniLM)
//   title    + 0.15·z(cos of the two titles' vectors; a text query's vector against the candidate's title's)
//   contrib  (judged set only) + a·z(cos of the query to a vector of the candidate's title and contribution sentences,
//            those saying "we", "our", "this paper", "propose", "introduce" or "present"), paper→paper both such vectors
// z is the standardisation over the pool, w the fusion's adaptive lexical share; see src/index/fusion.ts.
//
// Measured 2026-12-03 (`npm run bench -- --only rerank`, quiet machine, 108–149 s; judged set with bge-small, the default,
// arXiv with all-MiniLM-L6-v2; gain over the shipping hybrid, paired bootstrap 95 % interval):
//   judged paper→paper (hybrid 0.766)  csls −0.011  shared −0.017  recip −0.007  phrases −0.007  sentences −0.010
//                                      feedback −0.011  mlt −0.009  theme −0.011  model2 +0.005 [−0.010, 0.017]
//                                      title +0.006 [−0.009, 0.019]  contrib −0.001
//   judged text (0.841)                every variant within −0.007 … +0.006 (feedback, contrib +0.006 [−0.007, 0.020])
//   arXiv 15k, 1,000 query papers (0.572)   theme +0.013 [0.008, 0.017], model2 +0.004 [0, 0.007], the others ±0.003
//   arXiv category names (0.565)       csls +0.011, feedback and model2 +0.017, title −0.012 (intervals about ±0.05)
//   CSFCube, 50 expert-graded query facets (hybrid 0.610, dense 0.609)   title +0.009 [0, 0.019], model2 +0.007
//                                      [0.001, 0.012], shared +0.007, feedback +0.006, the others −0.006 … +0.002
// Only the theme's gain on arXiv excludes zero, and it loses on the judged paper→paper queries: the themes follow the
// broad categories, not the method families a reader asks for. A second model's ranking and title vectors lean the
// same small way on all three sets (+0.004 to +0.009), for a second embedding of every paper. None ships. With MiniLM on the judged set (2026-12-01)
// CSLS gained +0.014 [−0.007, 0.037] and sentence pairs +0.016 [−0.003, 0.035]. Sentence vectors cost 1.78× the abstract
// embedding (60 papers, median of 3 alternating runs, same process): the embed step would take almost three times as
// long. --quick takes 200 arXiv queries and no sentence pairs (about a minute).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embed, embedTexts, optionsForModelId, paperText } from '../src/embed/index.js';
import { sentencesOf } from '../src/explain/_text.js';
import { candidatesOf, fuseCandidates, rankingAgreement, rankRelated, type FusionCandidate } from '../src/index/hybrid.js';
import { buildIndex, search, vectorOf, type PaperIndex } from '../src/index/index.js';
import { buildLexicalIndex, lexicalQuery, lexicalScores, lexicalSearch, lexicalSimilar, termDocFrequency, type LexicalIndex } from '../src/index/lexical.js';
import type { Embeddings, Neighbour, Paper } from '../src/records.js';
import { findThemes } from '../src/themes/index.js';
import { corpusPapers } from './corpus.js';
import { CSFCUBE_PROJECTS, csfcubeSet, poolNdcg } from './csfcube.js';
import { row, TMP_DIR, type BenchResult, type BenchRow } from './lib.js';
import { ARXIV_PROJECTS, arxivSet, bootstrapGain, CATEGORY_NAMES, ndcgAt, readProjectVectors } from './quality.js';
import { corpusEmbeddings } from './vectors.js';

const POOL = 50;
const NEIGHBOURS = 10;

/** One query as the re-rankers see it: its pool with the features each variant adds. */
interface Pooled {
  self?: string;
  text?: string;
  vector: Float32Array;
  /** The query under the second model (model2). */
  vector2?: Float32Array;
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

/** The candidates best first (the whole pool: each judge cuts its own depth). */
function ranked(ids: readonly string[], scores: readonly number[]): string[] {
  return ids.map((id, i) => ({ id, score: scores[i] as number })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((n) => n.id);
}

interface Query {
  self?: string;
  text?: string;
  vector: Float32Array;
  vector2?: Float32Array;
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
      return ranked(q.cands.map((c) => c.id), q.cands.map((c, i) => (fused.get(c.id) as number) + weight * w * (z[i] as number)));
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
    rank: (q) => fuseCandidates(q.cands.map((c) => ({ ...c, dense: (c.dense as number) - 0.25 * density(c.id) }))).map((n) => n.id),
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

/** What the further variants need beyond the pool: the index, the second model's index, the themes. */
interface Context {
  index: PaperIndex;
  lexical: LexicalIndex;
  second?: PaperIndex;
  themeOf: Map<string, number>;
}

/** The title ranking's weight: on the judged paper→paper queries with bge, 0.05–0.15 gained 0.005–0.011, 0.2–1 nothing. */
const TITLE_WEIGHT = 0.15;
const FEEDBACK_TOP = 5;
const FEEDBACK_WEIGHT = 0.6;
const MLT_TERMS = 30;

function furtherVariants(ctx: Context): Variant[] {
  const { index, lexical, second, themeOf } = ctx;
  const feedback: Variant = {
    name: `dense feedback (query + ${FEEDBACK_WEIGHT} × mean of its dense top ${FEEDBACK_TOP})`,
    rank(q) {
      const top = [...q.cands].sort((a, b) => (b.dense as number) - (a.dense as number) || (a.id < b.id ? -1 : 1)).slice(0, FEEDBACK_TOP);
      const v = Float32Array.from(q.vector);
      for (const c of top) vectorOf(index, c.id).forEach((x, i) => (v[i] = (v[i] as number) + (FEEDBACK_WEIGHT / FEEDBACK_TOP) * x));
      const norm = Math.hypot(...v);
      v.forEach((x, i) => (v[i] = x / norm));
      return fuseCandidates(q.cands.map((c) => ({ ...c, dense: dot(v, vectorOf(index, c.id)) }))).map((n) => n.id);
    },
  };
  const mlt: Variant = {
    name: `BM25 query cut to its ${MLT_TERMS} most distinctive terms`,
    rank(q) {
      if (!q.self) return fuseCandidates(q.cands).map((n) => n.id);
      const n = lexical.ids.length;
      const terms = [...lexicalQuery(lexical, { paperId: q.self })]
        .map(([t, qtf]) => ({ t, qtf, s: qtf * Math.log(1 + n / (1 + termDocFrequency(lexical, t))) }))
        .sort((a, b) => b.s - a.s || (a.t < b.t ? -1 : 1))
        .slice(0, MLT_TERMS);
      const bm25 = lexicalScores(lexical, new Map(terms.map((x) => [x.t, x.qtf])), q.cands.map((c) => c.id));
      return fuseCandidates(q.cands.map((c, i) => ({ ...c, lexical: bm25[i] }))).map((n) => n.id);
    },
  };
  const theme = plus("the query paper's theme (+0.25)", 0.25, (q) => {
    const mine = q.self === undefined ? undefined : themeOf.get(q.self);
    return q.cands.map((c) => (mine !== undefined && themeOf.get(c.id) === mine ? 1 : 0));
  });
  const model2 = second && plus("the second model's ranking (+0.25)", 0.25, (q) => q.cands.map((c) => (q.vector2 ? dot(q.vector2, vectorOf(second, c.id)) : 0)));
  return [feedback, mlt, theme, ...(model2 ? [model2] : [])];
}

/** Seed 42's theme of every paper. */
function themesOf(embeddings: Embeddings, papers: readonly Paper[]): Map<string, number> {
  const themes = findThemes(embeddings, papers, { seed: 42 });
  return new Map(themes.themes.flatMap((t) => t.paperIds.map((id) => [id, t.id] as [string, number])));
}

/** A sentence that says what the paper itself does. */
const CONTRIBUTION = /\b(we|our|this (paper|work|study|article)|propose[sd]?|introduce[sd]?|present)\b/i;

/** Vectors of one part of each paper (`part` gives the text, a paper's title left out), through the bench's vector cache. */
async function partVectors(papers: readonly Paper[], modelId: string, part: (p: Paper) => string): Promise<PaperIndex> {
  const units = papers.map((p) => ({ ...p, title: '', abstract: part(p) }));
  const { embeddings } = await embed(units, { ...optionsForModelId(modelId), cacheDir: join(TMP_DIR, 'cache') });
  return buildIndex(embeddings);
}

/** The title and contribution sentences (every sentence when none is one). */
function contribution(p: Paper): string {
  const sentences = sentencesOf(p.abstract);
  const own = sentences.filter((s) => CONTRIBUTION.test(s));
  return paperText({ title: p.title, abstract: (own.length ? own : sentences).join(' ') });
}

/** The title (the abstract's first sentence when there is none). */
function titleOf(p: Paper): string {
  return p.title || (sentencesOf(p.abstract)[0] ?? p.abstract);
}

/** + weight·z(cos of the query's part vector, or a text query's vector, to each candidate's). */
function partVariant(name: string, weight: number, part: PaperIndex): Variant {
  return plus(`${name} (+${weight})`, weight, (q) => {
    const v = q.self ? vectorOf(part, q.self) : q.vector;
    return q.cands.map((c) => dot(v, vectorOf(part, c.id)));
  });
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
  const other = await corpusEmbeddings(embeddings.modelId.startsWith('bge') ? 'all-MiniLM-L6-v2' : 'bge-small-en-v1.5');
  const second = buildIndex(other);
  const texts2 = (await embedTexts(set.queries.map((q) => q.query), optionsForModelId(other.modelId))).vectors;
  const p2p = set.similar.map((q) => pool(index, lexical, { self: q.paper, vector: vectorOf(index, q.paper), vector2: vectorOf(second, q.paper), judge: (r) => ndcgAt(r, q.grades, 10) }));
  const text = set.queries.map((q, i) => pool(index, lexical, { text: q.query, vector: texts.subarray(i * embeddings.dims, (i + 1) * embeddings.dims), vector2: texts2.subarray(i * other.dims, (i + 1) * other.dims), judge: (r) => ndcgAt(r, q.grades, 10) }));
  const sentences = withSentences ? await sentenceVectors(papers, embeddings.modelId) : undefined;
  const variants = [
    ...graphVariants(index, lexical),
    ...(sentences ? [sentenceVariant(sentences.rows)] : []),
    ...furtherVariants({ index, lexical, second, themeOf: themesOf(embeddings, papers) }),
    partVariant('title vector', TITLE_WEIGHT, await partVectors(papers, embeddings.modelId, titleOf)),
    partVariant('title + contribution sentences vector', 0.25, await partVectors(papers, embeddings.modelId, contribution)),
  ];
  return {
    rows: [...rowsFor('judged paper→paper nDCG@10', 'nDCG@10', p2p, variants), ...rowsFor('judged text nDCG@10', 'nDCG@10', text, variants)],
    details: sentences ? { sentences: sentences.sentences, papers: papers.length, sentenceEmbedMs: Math.round(sentences.elapsedMs) } : {},
  };
}

async function arxiv(queries: number): Promise<BenchRow[]> {
  const set = arxivSet(ARXIV_PROJECTS.minilm, queries);
  if (!set) return [];
  const { embeddings, labels, index, lexical, sample, papers } = set;
  const other = readProjectVectors(ARXIV_PROJECTS.bge);
  const second = other && buildIndex(other);
  const p10 = (label: string | undefined) => (r: readonly string[]) => r.slice(0, 10).filter((id) => labels[id] === label).length / 10;
  const p2p = sample.map((id) => pool(index, lexical, { self: id, vector: vectorOf(index, id), ...(second ? { vector2: vectorOf(second, id) } : {}), judge: p10(labels[id]) }));
  const cats = Object.keys(CATEGORY_NAMES);
  const names = cats.map((c) => CATEGORY_NAMES[c] as string);
  const vectors = (await embedTexts(names, optionsForModelId(embeddings.modelId))).vectors;
  const vectors2 = other && (await embedTexts(names, optionsForModelId(other.modelId))).vectors;
  const text = cats.map((c, i) => pool(index, lexical, { text: names[i] as string, vector: vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims), ...(other && vectors2 ? { vector2: vectors2.subarray(i * other.dims, (i + 1) * other.dims) } : {}), judge: p10(c) }));
  const variants = [
    ...graphVariants(index, lexical),
    ...furtherVariants({ index, lexical, ...(second ? { second } : {}), themeOf: themesOf(embeddings, papers) }),
    partVariant('title vector', TITLE_WEIGHT, await partVectors(papers, embeddings.modelId, titleOf)),
  ];
  return [...rowsFor(`arXiv 15k same-category P@10 (${queries} query papers)`, 'P@10', p2p, variants), ...rowsFor('arXiv 15k category names P@10', 'P@10', text, variants)];
}

/**
 * CSFCube's expert-graded pools (bench/csfcube.ts) from the bge project, MiniLM's as the second model: every variant
 * ranks each query's whole pool (its candidates merged as ingest merged them, a merged paper taking its best grade),
 * scored by the collection's NDCG%20 per query and averaged over the 50 query facets (not over its two test folds).
 */
async function csfcube(): Promise<BenchRow[]> {
  const set = csfcubeSet(CSFCUBE_PROJECTS.bge);
  if (!set) return [];
  const { judgments, embeddings, papers, idOf, lexical } = set;
  const index = buildIndex(embeddings);
  const other = readProjectVectors(CSFCUBE_PROJECTS.minilm);
  const second = other && buildIndex(other);
  const queries: Pooled[] = judgments.queries.map((q) => {
    const self = idOf.get(q.paper) as string;
    const grades: Record<string, number> = {};
    for (const c of q.pool) {
      const id = idOf.get(c) as string;
      if (id !== self) grades[id] = Math.max(grades[id] ?? 0, q.grades[c] ?? 0);
    }
    const ids = Object.keys(grades);
    const vector = vectorOf(index, self);
    const bm25 = lexicalScores(lexical, lexicalQuery(lexical, { paperId: self }), ids);
    const cands = ids.map((id, i) => ({ id, dense: dot(vector, vectorOf(index, id)), lexical: bm25[i] as number }));
    return {
      self,
      vector,
      ...(second ? { vector2: vectorOf(second, self) } : {}),
      cands,
      agreement: rankingAgreement(cands),
      hybrid: fuseCandidates(cands).map((n) => n.id),
      dense: ranked(ids, cands.map((c) => c.dense)),
      judge: (r) => poolNdcg(r, grades),
    };
  });
  const projectPapers = embeddings.ids.map((id) => papers.get(id) as Paper);
  const variants = [
    ...graphVariants(index, lexical),
    ...furtherVariants({ index, lexical, ...(second ? { second } : {}), themeOf: themesOf(embeddings, projectPapers) }),
    partVariant('title vector', TITLE_WEIGHT, await partVectors(projectPapers, embeddings.modelId, titleOf)),
  ];
  return rowsFor('CSFCube NDCG%20 (50 expert-graded query facets, whole pools)', 'NDCG%20', queries, variants);
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const j = await judged(!opts.quick); // --quick leaves out the sentence vectors (minutes of embedding)
  const rows = [...j.rows, ...(await arxiv(opts.quick ? 200 : 1000)), ...(await csfcube())];
  return { rows, details: { judged: j.details } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  for (const r of result.rows) console.log(`${r.metric}: ${r.papermap} vs ${r.peer} ${r.peerValue} (${r.ratio}×) ${r.note ?? ''}`);
  console.log(JSON.stringify(result.details));
}
