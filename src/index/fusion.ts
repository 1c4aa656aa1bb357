// fusion: one ranking from a dense (embedding) and a lexical (BM25) ranking of the same query. Pure, so the map page
// bundles this very code for its offline search (index/offline.ts) and fuses exactly as the served search does.
//
// Two forms, chosen by measurement in bench/quality.ts:
//   rrf    score(d) = Σ_r w_r / (c + rank_r(d))                       (Cormack, Clarke & Büttcher, SIGIR 2009)
//   zscore score(d) = z_dense(d) + w · z_lexical(d),  z(d) = (s(d) − mean) / std over the candidate pool
//          (a CombSUM of standardised scores; Fox & Shaw 1994, Montague & Aslam 2001). Because each ranking is divided by
//          its own spread, a peaked ranking (one paper far ahead) keeps its lead and a flat one moves nothing, so the
//          blend adapts to how sure each ranking is for this query.
// With `adaptive`, the lexical weight also follows how far the lexical ranking agrees with the dense one for this query:
//   w' = w · min(1, a / agreementFull),  a = share of the lexical top 10 that is also in the dense top FUSION_POOL.
// A keyword that means something else in this corpus ("sound" in "theoretically sound", "learning" everywhere) pulls
// up papers the embedding places far away: a is low and the lexical ranking gets little say. Where the two rankings
// see the same neighbourhood, the lexical one sharpens it (exact method names, acronyms) at full weight.

import { PapermapError } from '../errors.js';
import { intIn, isBoolean, numberIn, oneOf, resolveOptions } from '../options.js';
import type { Neighbour } from '../records.js';
import { byScoreThenId } from './exact.js';
import { lexicalQuery, lexicalScores, lexicalSearch, lexicalSimilar, type LexicalIndex } from './lexical.js';

/** Candidates taken from each ranking before fusion. */
export const FUSION_POOL = 50;

/** How the two rankings are fused. */
export interface FusionOptions {
  /** 'zscore' (standardised score sum) or 'rrf' (reciprocal rank). Default 'zscore'. */
  method: 'zscore' | 'rrf';
  /** Weight of the lexical ranking against the dense one (1 = equal); with `adaptive`, its most. Default 0.5: measured with the adaptive scaling (bench/quality.ts, 2026-12-01), judged paper→paper nDCG@10 0.747 (fixed 0.2: 0.734, dense 0.681), judged text 0.834 (0.817, dense 0.783), and on 15,000 arXiv papers same-category P@10 0.559 (dense 0.557) and category names as queries 0.565 (0.553, dense 0.518); 0–4. */
  lexicalWeight: number;
  /** RRF's rank constant c. Default 60; 1–1000. */
  rrfK: number;
  /** Scale the lexical weight by the agreement of the two rankings for this query (see above). Default true. */
  adaptive: boolean;
  /** Agreement at and above which the lexical ranking gets its full weight. Default 0.5; 0.05–1. */
  agreementFull: number;
}

export const FUSION_DEFAULTS: FusionOptions = { method: 'zscore', lexicalWeight: 0.5, rrfK: 60, adaptive: true, agreementFull: 0.5 };

const CHECKS = { method: oneOf('zscore', 'rrf'), lexicalWeight: numberIn(0, 4), rrfK: intIn(1, 1000), adaptive: isBoolean, agreementFull: numberIn(0.05, 1) };

/** Lexical hits compared with the dense pool to measure agreement. */
const AGREEMENT_TOP = 10;

/**
 * The share of the lexical top AGREEMENT_TOP that is also among the dense top FUSION_POOL of the same candidates
 * (1 when the lexical ranking found nothing: there is nothing to disagree with).
 */
export function rankingAgreement(candidates: readonly FusionCandidate[]): number {
  const top = (key: 'dense' | 'lexical', n: number) =>
    candidates.filter((c) => c[key] !== undefined && (key === 'dense' || (c.lexical as number) > 0)).map((c) => ({ id: c.id, score: c[key] as number })).sort(byScoreThenId).slice(0, n);
  const lexicalTop = top('lexical', AGREEMENT_TOP);
  if (lexicalTop.length === 0) return 1;
  const densePool = new Set(top('dense', FUSION_POOL).map((n) => n.id));
  return lexicalTop.filter((n) => densePool.has(n.id)).length / lexicalTop.length;
}

/** One candidate with both scores (cosine similarity, BM25); a ranking that did not score it gives undefined. */
export interface FusionCandidate {
  id: string;
  dense?: number;
  lexical?: number;
}

function standardise(values: (number | undefined)[]): number[] {
  const seen = values.filter((v): v is number => v !== undefined);
  if (seen.length === 0) return values.map(() => 0);
  const floor = Math.min(...seen);
  const filled = values.map((v) => v ?? floor);
  const mean = filled.reduce((a, b) => a + b, 0) / filled.length;
  const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / filled.length);
  return filled.map((v) => (sd > 1e-12 ? (v - mean) / sd : 0));
}

/**
 * Fuses the candidates of one query, best first (score descending, then id). With 'zscore', a candidate missing one
 * score takes that ranking's lowest score in the pool; pass exact scores for every candidate where you can.
 */
export function fuseCandidates(candidates: readonly FusionCandidate[], options?: Partial<FusionOptions>): Neighbour[] {
  const opts = resolveOptions(FUSION_DEFAULTS, options, CHECKS);
  const weight = opts.adaptive ? opts.lexicalWeight * Math.min(1, rankingAgreement(candidates) / opts.agreementFull) : opts.lexicalWeight;
  if (opts.method === 'rrf') {
    const rankOf = (key: 'dense' | 'lexical') => {
      const ranked = candidates.filter((c) => c[key] !== undefined).map((c) => ({ id: c.id, score: c[key] as number })).sort(byScoreThenId);
      return new Map(ranked.map((n, i) => [n.id, i + 1]));
    };
    const dr = rankOf('dense');
    const lr = rankOf('lexical');
    return candidates
      .map((c) => {
        const d = dr.get(c.id);
        const l = lr.get(c.id);
        return { id: c.id, score: (d ? 1 / (opts.rrfK + d) : 0) + (l ? weight / (opts.rrfK + l) : 0) };
      })
      .sort(byScoreThenId);
  }
  const zd = standardise(candidates.map((c) => c.dense));
  const zl = standardise(candidates.map((c) => c.lexical));
  return candidates.map((c, i) => ({ id: c.id, score: (zd[i] as number) + weight * (zl[i] as number) })).sort(byScoreThenId);
}

/** The union of two rankings as fusion candidates (first-seen order: dense, then lexical). */
export function candidatesOf(dense: readonly Neighbour[], lexical: readonly Neighbour[]): FusionCandidate[] {
  const byId = new Map<string, FusionCandidate>();
  for (const n of dense) byId.set(n.id, { id: n.id, dense: n.score });
  for (const n of lexical) {
    const c = byId.get(n.id);
    if (c) c.lexical = n.score;
    else byId.set(n.id, { id: n.id, lexical: n.score });
  }
  return [...byId.values()];
}

/**
 * The hybrid ranking of one query from its two candidate lists (each the top FUSION_POOL of its ranking): every
 * candidate is scored exactly in both (`denseScore` for lexical-only candidates, `lexicalScores` for all), fused, and
 * the best k returned with their dense score (the cosine similarity), whatever ranked them. The served search and the
 * map page's offline search both rank through this one function.
 */
export function fuseRankings(dense: readonly Neighbour[], lexical: readonly Neighbour[], denseScore: (id: string) => number, lexicalScores: (ids: readonly string[]) => number[], k: number, fusion?: Partial<FusionOptions>): Neighbour[] {
  const cands = candidatesOf(dense, lexical);
  const bm25 = lexicalScores(cands.map((c) => c.id));
  cands.forEach((c, i) => {
    c.dense ??= denseScore(c.id);
    c.lexical = bm25[i];
  });
  const cos = new Map(cands.map((c) => [c.id, c.dense as number]));
  return fuseCandidates(cands, fusion).slice(0, k).map((n) => ({ id: n.id, score: cos.get(n.id) as number }));
}

/**
 * How related papers are ranked: 'dense' by embedding similarity (HNSW), 'lexical' by BM25 over title and abstract,
 * 'hybrid' by both fused. Default 'hybrid': on the judged set of the bundled corpus it raised nDCG@10 over dense alone
 * for paper→paper and for text queries (bench/quality.ts).
 */
export type RelatedMode = 'dense' | 'lexical' | 'hybrid';
export const RELATED_MODES: readonly RelatedMode[] = ['dense', 'lexical', 'hybrid'];
export const DEFAULT_RELATED_MODE: RelatedMode = 'hybrid';

/** A related-papers query: a paper of the corpus, or a text with its embedding. */
export type RelatedQueryInput = { paperId: string } | { text: string; vector: Float32Array };

/** What the fusion needs from wherever the vectors are searched (local HNSW index, Milvus, …). */
export interface DenseSide {
  /** The dense top `pool` for the query (query paper and filtered-out papers already left out), best first. */
  hits: readonly Neighbour[];
  /** The query's cosine similarity to paper `id`, or undefined when the paper has no vector. */
  cosine(id: string): number | undefined;
  /** Whether paper `id` may be returned (it has a vector and passes the query's filter). */
  allowed(id: string): boolean;
}

/** Throws BAD_OPTION for an unknown mode or a k outside 1–1,000. */
export function checkRelated(mode: RelatedMode, k: number): void {
  if (!RELATED_MODES.includes(mode)) throw new PapermapError('BAD_OPTION', `mode is '${String(mode)}', expected one of ${RELATED_MODES.join(', ')}`);
  const kProblem = intIn(1, 1000)(k);
  if (kProblem) throw new PapermapError('BAD_OPTION', `option 'k' is ${JSON.stringify(k)}: expected ${kProblem}`);
}

/** Candidates taken from each ranking for a query of k results. */
export function fusionPool(k: number): number {
  return Math.max(k, FUSION_POOL);
}

/**
 * The k papers most related to `query`, ranked by `mode` from a dense side (the top fusionPool(k) of any vector store)
 * and the lexical index. Every hit's score is its cosine similarity to the query, whatever the mode ranked by. Hybrid
 * scores every candidate of both rankings exactly in both (cosine, BM25) and fuses them. The lexical index may be
 * given as a function that opens it: a dense ranking never does (at 100,000 papers opening it takes seconds).
 */
export function fuseRelated(dense: DenseSide, lexicalIndex: LexicalIndex | (() => LexicalIndex), query: RelatedQueryInput, k: number, mode: RelatedMode = DEFAULT_RELATED_MODE, fusion?: Partial<FusionOptions>): Neighbour[] {
  checkRelated(mode, k);
  if (mode === 'dense') return dense.hits.slice(0, k);
  const lexical = typeof lexicalIndex === 'function' ? lexicalIndex() : lexicalIndex;
  const pool = fusionPool(k);
  const self = 'paperId' in query ? query.paperId : undefined;
  // Lexical hits beyond the pool are only fetched when the filter rejects some of them.
  const lexicalHits = (): Neighbour[] => {
    for (let want = pool; ; want *= 4) {
      const raw = 'paperId' in query ? lexicalSimilar(lexical, query.paperId, { k: want }) : lexicalSearch(lexical, query.text, { k: want });
      const kept = raw.filter((n) => n.id !== self && dense.allowed(n.id));
      if (kept.length >= pool || raw.length < want || want >= lexical.ids.length) return kept.slice(0, pool);
    }
  };
  const cosine = (id: string) => dense.cosine(id) as number;
  if (mode === 'lexical') return lexicalHits().slice(0, k).map((n) => ({ id: n.id, score: cosine(n.id) }));
  const terms = lexicalQuery(lexical, 'paperId' in query ? { paperId: query.paperId } : { text: query.text });
  return fuseRankings(dense.hits, lexicalHits(), cosine, (ids) => lexicalScores(lexical, terms, ids), k, fusion);
}
