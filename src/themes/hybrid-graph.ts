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
 * Term ids of adjacent word pairs by their two word ids: open addressing with linear probing in typed arrays, grown at
 * half full (at 15,000 papers a Map of Maps held most of the million terms and cost most of the counting).
 */
class PairTable {
  private first = new Int32Array(1 << 16).fill(-1);
  private second = new Int32Array(1 << 16);
  private ids = new Int32Array(1 << 16);
  private size = 0;

  private slot(a: number, b: number): number {
    const mask = this.first.length - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (this.first[h] !== -1 && (this.first[h] !== a || this.second[h] !== b)) h = (h + 1) & mask;
    return h;
  }

  /** The pair's id, or -1. */
  get(a: number, b: number): number {
    const h = this.slot(a, b);
    return this.first[h] === -1 ? -1 : (this.ids[h] as number);
  }

  set(a: number, b: number, id: number): void {
    if (2 * (this.size + 1) > this.first.length) this.grow();
    const h = this.slot(a, b);
    if (this.first[h] === -1) this.size++;
    this.first[h] = a;
    this.second[h] = b;
    this.ids[h] = id;
  }

  private grow(): void {
    const [first, second, ids] = [this.first, this.second, this.ids];
    this.first = new Int32Array(2 * first.length).fill(-1);
    this.second = new Int32Array(2 * first.length);
    this.ids = new Int32Array(2 * first.length);
    for (let i = 0; i < first.length; i++) {
      if (first[i] === -1) continue;
      const h = this.slot(first[i] as number, second[i] as number);
      this.first[h] = first[i] as number;
      this.second[h] = second[i] as number;
      this.ids[h] = ids[i] as number;
    }
  }
}

/**
 * TF-IDF vectors of the papers (title counted twice, terms of tokenize and adjacent pairs of them, weight
 * (1 + ln tf) · ln((1 + m) / (1 + df)), unit length), keeping terms in at least 2 papers and at most half of them;
 * with the number of terms kept. Counts go through one scratch array with the ids each paper touched (a Map
 * per paper cost a third of the graph at 15,000 papers).
 */
function termVectors(papers: readonly (Pick<Paper, 'title' | 'abstract'> | undefined)[]): { vectors: TermVector[]; terms: number } {
  const m = papers.length;
  // Term ids in order of first use: words by their text, adjacent pairs by their two word ids (no string built per pair).
  const wordId = new Map<string, number>();
  const pairs = new PairTable();
  let terms = 0;
  let counts = new Float64Array(1 << 16);
  const touched: number[] = [];
  const bump = (id: number, weight: number) => {
    if (id >= counts.length) {
      const grown = new Float64Array(2 * counts.length);
      grown.set(counts);
      counts = grown;
    }
    if (counts[id] === 0) touched.push(id);
    counts[id] = (counts[id] as number) + weight;
  };
  const add = (text: string, weight: number) => {
    let previous = -1;
    for (const token of tokenize(text)) {
      let w = wordId.get(token);
      if (w === undefined) wordId.set(token, (w = terms++));
      bump(w, weight);
      if (previous >= 0) {
        let p = pairs.get(previous, w);
        if (p < 0) pairs.set(previous, w, (p = terms++));
        bump(p, weight);
      }
      previous = w;
    }
  };
  const docs = papers.map((paper) => {
    add(paper?.title ?? '', 2);
    add(paper?.abstract ?? '', 1);
    const ids = Int32Array.from(touched).sort();
    const tfs = Float64Array.from(ids, (id) => counts[id] as number);
    for (const id of touched) counts[id] = 0;
    touched.length = 0;
    return { ids, tfs };
  });
  const df = new Int32Array(terms);
  for (const d of docs) for (const id of d.ids) df[id] = (df[id] as number) + 1;
  // The kept terms numbered afresh in the same order (a fifth of all at 15,000 papers), so the arrays indexed by term
  // below stay small enough for the cache; sums over terms in id order are unchanged.
  const kept = new Int32Array(terms).fill(-1);
  let keptTerms = 0;
  for (let id = 0; id < terms; id++) if ((df[id] as number) >= 2 && (df[id] as number) <= m / 2) kept[id] = keptTerms++;
  const vectors = docs.map(({ ids, tfs }) => {
    const keep: number[] = [];
    ids.forEach((id, i) => {
      if ((kept[id] as number) >= 0) keep.push(i);
    });
    const weights = Float64Array.from(keep, (i) => (1 + Math.log(tfs[i] as number)) * Math.log((1 + m) / (1 + (df[ids[i] as number] as number))));
    const norm = Math.sqrt(weights.reduce((s, w) => s + w * w, 0)) || 1;
    return { terms: Int32Array.from(keep, (i) => kept[ids[i] as number] as number), weights: weights.map((w) => w / norm) };
  });
  return { vectors, terms: keptTerms };
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
 * Cosines of one vector with many: spread(…, true) writes its weights into a dense array over all term ids (`scratch`,
 * all zeros between uses), cosineWithSpread looks each other vector's terms up there, spread(…, false) clears it. The
 * same sums as termCosine, term by term in id order (a term the two do not share adds an exact zero), without a
 * merge's branches.
 */
function spread(scratch: Float64Array, v: TermVector, on: boolean): void {
  for (let i = 0; i < v.terms.length; i++) scratch[v.terms[i] as number] = on ? (v.weights[i] as number) : 0;
}

function cosineWithSpread(scratch: Float64Array, b: TermVector): number {
  let s = 0;
  for (let j = 0; j < b.terms.length; j++) s += (scratch[b.terms[j] as number] as number) * (b.weights[j] as number);
  return s;
}

/**
 * Each paper's k nearest papers by TF-IDF cosine (self excluded, ties by row), through an inverted index: the papers
 * sharing any of its QUERY_TERMS heaviest terms are scored on those terms (Lucene's MoreLikeThis: a term common to
 * many papers adds little to a cosine and most to the work), and the best 4k of them ranked by the whole cosine.
 */
function termNeighbours(vectors: readonly TermVector[], terms: number, k: number, scratch: Float64Array): number[][] {
  // Postings in compressed rows: term t's papers (ascending) and weights at [start[t], start[t + 1]).
  const start = new Int32Array(terms + 1);
  for (const v of vectors) for (const t of v.terms) start[t + 1] = (start[t + 1] as number) + 1;
  for (let t = 0; t < terms; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const postRows = new Int32Array(start[terms] as number);
  const postWeights = new Float64Array(start[terms] as number);
  const fill = start.slice(0, terms);
  vectors.forEach((v, row) =>
    v.terms.forEach((t, i) => {
      const at = fill[t] as number;
      fill[t] = at + 1;
      postRows[at] = row;
      postWeights[at] = v.weights[i] as number;
    }),
  );
  const partial = new Float64Array(vectors.length);
  return vectors.map((v, row) => {
    const heaviest = Array.from(v.terms.keys()).sort((a, b) => (v.weights[b] as number) - (v.weights[a] as number) || a - b).slice(0, QUERY_TERMS);
    const candidates: number[] = [];
    for (const i of heaviest) {
      const t = v.terms[i] as number;
      const w = v.weights[i] as number;
      for (let e = start[t] as number; e < (start[t + 1] as number); e++) {
        const r = postRows[e] as number;
        if (r === row) continue;
        if (partial[r] === 0) candidates.push(r);
        partial[r] = (partial[r] as number) + w * (postWeights[e] as number);
      }
    }
    const shortlist = best(candidates, partial, 4 * k);
    for (const r of candidates) partial[r] = 0;
    spread(scratch, v, true);
    const ranked = shortlist
      .map((r) => ({ r, s: cosineWithSpread(scratch, vectors[r] as TermVector) }))
      .sort((a, b) => b.s - a.s || a.r - b.r)
      .slice(0, k)
      .map((c) => c.r);
    spread(scratch, v, false);
    return ranked;
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
  const { vectors, terms } = termVectors(papers);
  const scratch = new Float64Array(terms);
  const byWords = termNeighbours(vectors, terms, k, scratch);
  const cos = (i: number, j: number) => dot(rows[i] as ArrayLike<number>, rows[j] as ArrayLike<number>);
  const words = (i: number, j: number) => termCosine(vectors[i] as TermVector, vectors[j] as TermVector);
  const d = pairStats(m, cos);
  const w = pairStats(m, words);
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < m; i++) {
    const candidates = [...new Set([...(dense.indices[i] as number[]), ...(byWords[i] as number[])])].filter((j) => j !== i);
    spread(scratch, vectors[i] as TermVector, true);
    const scored = candidates.map((j) => ({ j, s: (cos(i, j) - d.mean) / d.sd + (weight * (cosineWithSpread(scratch, vectors[j] as TermVector) - w.mean)) / w.sd })).sort((a, b) => b.s - a.s || a.j - b.j).slice(0, k);
    spread(scratch, vectors[i] as TermVector, false);
    indices.push(scored.map((c) => c.j));
    distances.push(scored.map((c) => Math.max(0, 1 - (d.mean + (d.sd * c.s) / (1 + weight)))));
  }
  return { indices, distances };
}
