// The neighbour graph themes are fitted on: each paper's nearest papers by embedding and by shared words, blended.
//
// The embedding places papers by what they are about (their application domain); readers group them by what they do
// (their method family). Words carry the method: "task arithmetic", "gradient conflict", "mixture-of-experts". So each
// paper's candidates are its k nearest by embedding (the index's graph) and its k nearest by TF-IDF cosine over its
// title and abstract, and it keeps the k best of them by
//
//   s(i, j) = z_dense(cos(i, j)) + w · z_words(tfidf(i, j)),   z(x) = (x − mean) / sd over a fixed sample of pairs
//
// (the standardised score sum that fuses the related-papers rankings, index/fusion.ts, with its lexical weight 0.5),
// at distance 1 − (mean_dense + sd_dense · s / (1 + w)): the blended similarity on the scale of the cosine.
// Measured: on the bundled corpus (bge-small, k 16, means over seeds 42–46 on the exact graph) AMI with the readers'
// themes 0.484 / 0.516 from the embedding's graph alone, 0.516 / 0.557 from this one (bench/themes-quality.ts, seed 42 on
// the index's graph: 0.482 / 0.528 and 0.518 / 0.562), while widening only the
// embedding's candidates to 30 or 50 gained nothing (the words' candidates are what helps); on 15,000 arXiv papers
// (MiniLM) AMI with the 17 categories fell from 0.420 to 0.375, as k rose from 8 to 27 (weight 0.25: 0.406 at k 8, the
// corpus 0.489 / 0.541 over seeds 42–44: no weight gains on one without losing on the other). So findThemes blends words
// in only when asked (ThemeOptions.lexicalWeight; `papermap themes --words` asks for WORDS_WEIGHT), and the map is then
// laid out from the same graph. Identical texts (ingest merges exact duplicates) would form cliques.

import { seededRandom } from '../random.js';
import type { NeighbourGraph, Paper } from '../records.js';
import { tokenize } from '../index/_tokens.js';
import { dot } from './cluster.js';

/** The lexical weight `papermap themes --words` blends in (the related papers' fusion weight, measured above). */
export const WORDS_WEIGHT = 0.5;

/** Pairs of papers the means and spreads of the two similarities are estimated on. */
const STAT_PAIRS = 20000;

/** Terms of each paper through which its nearest by words are looked for (see termNeighbours). */
const QUERY_TERMS = 25;

/** A paper's TF-IDF vector: term ids ascending, weights (unit length). */
interface TermVector {
  terms: Int32Array;
  weights: Float64Array;
}

/**
 * TF-IDF vectors of the papers (title counted twice, terms of tokenize and adjacent pairs of them, weight
 * (1 + ln tf) · ln((1 + m) / (1 + df)), unit length), keeping terms in at least 2 papers and at most half of them.
 */
export function termVectors(papers: readonly (Pick<Paper, 'title' | 'abstract'> | undefined)[]): TermVector[] {
  const m = papers.length;
  // Term ids: words by their text, adjacent pairs by their two word ids (no string built per pair).
  const wordId = new Map<string, number>();
  const pairId = new Map<number, Map<number, number>>();
  let terms = 0;
  const counts = papers.map((paper) => {
    const c = new Map<number, number>();
    const bump = (id: number, weight: number) => c.set(id, (c.get(id) ?? 0) + weight);
    const add = (text: string, weight: number) => {
      let previous = -1;
      for (const token of tokenize(text)) {
        let w = wordId.get(token);
        if (w === undefined) wordId.set(token, (w = terms++));
        bump(w, weight);
        if (previous >= 0) {
          let after = pairId.get(previous);
          if (after === undefined) pairId.set(previous, (after = new Map()));
          let p = after.get(w);
          if (p === undefined) after.set(w, (p = terms++));
          bump(p, weight);
        }
        previous = w;
      }
    };
    add(paper?.title ?? '', 2);
    add(paper?.abstract ?? '', 1);
    return c;
  });
  const df = new Int32Array(terms);
  for (const c of counts) for (const id of c.keys()) df[id] = (df[id] as number) + 1;
  return counts.map((c) => {
    const kept = [...c.entries()].filter(([id]) => (df[id] as number) >= 2 && (df[id] as number) <= m / 2).sort((a, b) => a[0] - b[0]);
    const weights = Float64Array.from(kept, ([id, tf]) => (1 + Math.log(tf)) * Math.log((1 + m) / (1 + (df[id] as number))));
    const norm = Math.sqrt(weights.reduce((s, w) => s + w * w, 0)) || 1;
    return { terms: Int32Array.from(kept, ([id]) => id), weights: weights.map((w) => w / norm) };
  });
}

/** Cosine of two TF-IDF vectors (a merge of their sorted terms). */
function termCosine(a: TermVector, b: TermVector): number {
  let s = 0;
  for (let i = 0, j = 0; i < a.terms.length && j < b.terms.length; ) {
    const x = a.terms[i] as number;
    const y = b.terms[j] as number;
    if (x === y) s += (a.weights[i++] as number) * (b.weights[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * Each paper's k nearest papers by TF-IDF cosine (self excluded, ties by row), through an inverted index: the papers
 * sharing any of its QUERY_TERMS heaviest terms are scored on those terms (Lucene's MoreLikeThis: a term common to
 * many papers adds little to a cosine and most to the work), and the best 4k of them ranked by the whole cosine.
 */
function termNeighbours(vectors: readonly TermVector[], k: number): number[][] {
  const postings = new Map<number, { rows: number[]; weights: number[] }>();
  vectors.forEach((v, row) =>
    v.terms.forEach((t, i) => {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { rows: [], weights: [] }));
      p.rows.push(row);
      p.weights.push(v.weights[i] as number);
    }),
  );
  const partial = new Float64Array(vectors.length);
  return vectors.map((v, row) => {
    const heaviest = Array.from(v.terms.keys()).sort((a, b) => (v.weights[b] as number) - (v.weights[a] as number) || a - b).slice(0, QUERY_TERMS);
    const candidates: number[] = [];
    for (const i of heaviest) {
      const p = postings.get(v.terms[i] as number) as { rows: number[]; weights: number[] };
      const w = v.weights[i] as number;
      for (let e = 0; e < p.rows.length; e++) {
        const r = p.rows[e] as number;
        if (r === row) continue;
        if (partial[r] === 0) candidates.push(r);
        partial[r] = (partial[r] as number) + w * (p.weights[e] as number);
      }
    }
    const shortlist = best(candidates, partial, 4 * k);
    for (const r of candidates) partial[r] = 0;
    return shortlist
      .map((r) => ({ r, s: termCosine(v, vectors[r] as TermVector) }))
      .sort((a, b) => b.s - a.s || a.r - b.r)
      .slice(0, k)
      .map((c) => c.r);
  });
}

/** The `n` rows of `rows` with the highest `score`, best first, ties by row (a bounded insertion: rows ≫ n). */
function best(rows: readonly number[], score: Float64Array, n: number): number[] {
  const out: number[] = [];
  const before = (a: number, b: number) => (score[a] as number) > (score[b] as number) || ((score[a] as number) === (score[b] as number) && a < b);
  for (const r of rows) {
    if (out.length === n && !before(r, out[n - 1] as number)) continue;
    let at = out.length;
    while (at > 0 && before(r, out[at - 1] as number)) at--;
    out.splice(at, 0, r);
    if (out.length > n) out.pop();
  }
  return out;
}

/** Mean and standard deviation of f over a fixed sample of pairs of distinct rows. */
function pairStats(m: number, f: (i: number, j: number) => number): { mean: number; sd: number } {
  const random = seededRandom(0x9a1e5);
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let p = 0; p < STAT_PAIRS; p++) {
    const i = Math.floor(random() * m);
    const j = Math.floor(random() * m);
    if (i === j) continue;
    const x = f(i, j);
    sum += x;
    squares += x * x;
    count++;
  }
  const mean = count ? sum / count : 0;
  return { mean, sd: Math.sqrt(Math.max(0, count ? squares / count - mean * mean : 0)) || 1 };
}

/**
 * The blended neighbour graph (see the top of this file) of `rows` (unit vectors) and their papers, from the
 * embedding's neighbour graph of the same rows; k neighbours per row, nearest first. `weight` 0 returns `dense` as it is.
 */
export function hybridGraph(dense: NeighbourGraph, rows: readonly ArrayLike<number>[], papers: readonly (Pick<Paper, 'title' | 'abstract'> | undefined)[], k: number, weight: number): NeighbourGraph {
  const m = rows.length;
  if (weight === 0 || m < 3) return dense;
  const vectors = termVectors(papers);
  const byWords = termNeighbours(vectors, k);
  const cos = (i: number, j: number) => dot(rows[i] as ArrayLike<number>, rows[j] as ArrayLike<number>);
  const words = (i: number, j: number) => termCosine(vectors[i] as TermVector, vectors[j] as TermVector);
  const d = pairStats(m, cos);
  const w = pairStats(m, words);
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < m; i++) {
    const candidates = [...new Set([...(dense.indices[i] as number[]), ...(byWords[i] as number[])])].filter((j) => j !== i);
    const scored = candidates.map((j) => ({ j, s: (cos(i, j) - d.mean) / d.sd + (weight * (words(i, j) - w.mean)) / w.sd })).sort((a, b) => b.s - a.s || a.j - b.j).slice(0, k);
    indices.push(scored.map((c) => c.j));
    distances.push(scored.map((c) => Math.max(0, 1 - (d.mean + (d.sd * c.s) / (1 + weight)))));
  }
  return { indices, distances };
}
