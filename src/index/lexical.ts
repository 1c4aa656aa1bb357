// lexical: a BM25 index over each paper's title and abstract, serialisable so the project store can persist it.
//
// Okapi BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009), with the title
// counted `titleWeight` times (a simple BM25F):
//   score(q, d) = Σ_t∈q  qtf'(t) · idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
//   idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))          (Lucene's non-negative form)
//   qtf'(t)     = qtf·(k3+1) / (qtf + k3)                              (long queries: a whole abstract as the query)

import { PapermapError } from '../errors.js';
import { intIn, numberIn, resolveOptions } from '../options.js';
import type { Neighbour, Paper } from '../records.js';
import { byScoreThenId } from './exact.js';
import { tokenize } from './_tokens.js';

export { tokenize } from './_tokens.js';

/** BM25 parameters. Defaults measured on the bundled corpus's judged set (bench/quality.ts). */
export interface LexicalOptions {
  /** Term-frequency saturation k1. Default 1.2; 0–3. */
  k1: number;
  /** Length normalisation b. Default 0.75; 0–1. */
  b: number;
  /** Query term-frequency saturation k3 (matters for paper→paper queries). Default 1.5; 0–100. */
  k3: number;
  /** How many times the title's words count against the abstract's. Default 2; 1–5. */
  titleWeight: number;
  /** Also index adjacent word pairs ("gradient conflict"), at this weight relative to single words. Default 0.5 (paper→paper nDCG@10 on the judged set: BM25 0.613 → 0.636, hybrid 0.730 → 0.741); 0 turns pairs off; 0–2. */
  pairWeight: number;
}

export const LEXICAL_DEFAULTS: LexicalOptions = { k1: 1.2, b: 0.75, k3: 1.5, titleWeight: 2, pairWeight: 0.5 };

const CHECKS = { k1: numberIn(0, 3), b: numberIn(0, 1), k3: numberIn(0, 100), titleWeight: intIn(1, 5), pairWeight: numberIn(0, 2) };

/** The BM25 index in memory: per paper its term counts, and the postings of every term. */
export interface LexicalIndex {
  params: LexicalOptions;
  ids: string[];
  /** Weighted length (in tokens) of each paper. */
  lengths: number[];
  avgLength: number;
  /** term → [row, tf, row, tf, …] in row order (every term; for `buildQueryIndex`'s index, the terms asked so far). */
  postings: Map<string, number[]>;
  /** Per row, its weighted term counts (the query of a paper→paper search); for `buildQueryIndex`'s index, rows used so far. */
  counts: Map<string, number>[];
  /** `buildQueryIndex`'s index only: each paper's title and abstract terms, from which counts and postings are made on demand. */
  tokens?: [string[], string[]][];
  rowOf: Map<string, number>;
}

/** The persisted form: the vocabulary once, and per paper a flat [termNumber, tf, …] list. Plain JSON. */
export interface SerialisedLexicalIndex {
  format: 'papermap-bm25/1';
  params: LexicalOptions;
  ids: string[];
  terms: string[];
  docs: number[][];
}

/** The weighted term counts of one paper: title tokens count `titleWeight` times. */
function paperCounts(paper: Pick<Paper, 'title' | 'abstract'>, params: LexicalOptions): Map<string, number> {
  return tokenCounts([tokenize(paper.title ?? ''), tokenize(paper.abstract)], params);
}

function tokenCounts([title, abstract]: [string[], string[]], params: LexicalOptions): Map<string, number> {
  const counts = new Map<string, number>();
  addTerms(counts, title, params.titleWeight, params.pairWeight);
  addTerms(counts, abstract, 1, params.pairWeight);
  return counts;
}

function addTerms(counts: Map<string, number>, tokens: readonly string[], weight: number, pairWeight: number): void {
  tokens.forEach((t, i) => {
    counts.set(t, (counts.get(t) ?? 0) + weight);
    if (pairWeight > 0 && i > 0) {
      const pair = `${tokens[i - 1]} ${t}`;
      counts.set(pair, (counts.get(pair) ?? 0) + weight * pairWeight);
    }
  });
}

function fromCounts(params: LexicalOptions, ids: string[], counts: Map<string, number>[]): LexicalIndex {
  const postings = new Map<string, number[]>();
  const lengths: number[] = [];
  counts.forEach((c, row) => {
    let len = 0;
    for (const [term, tf] of c) {
      len += tf;
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(row, tf);
    }
    lengths.push(len);
  });
  return withLengths(params, ids, lengths, postings, counts);
}

function withLengths(params: LexicalOptions, ids: string[], lengths: number[], postings: Map<string, number[]>, counts: Map<string, number>[], tokens?: [string[], string[]][]): LexicalIndex {
  const avgLength = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 1;
  return { params, ids, lengths, avgLength: avgLength || 1, postings, counts, ...(tokens ? { tokens } : {}), rowOf: new Map(ids.map((id, row) => [id, row])) };
}

/** Builds the BM25 index of `papers`, in their order. Deterministic: the same papers give the same serialised index. */
export function buildLexicalIndex(papers: readonly Pick<Paper, 'id' | 'title' | 'abstract'>[], options?: Partial<LexicalOptions>): LexicalIndex {
  const params = resolveOptions(LEXICAL_DEFAULTS, options, CHECKS);
  return fromCounts(params, papers.map((p) => p.id), papers.map((p) => paperCounts(p, params)));
}

/**
 * The same index for a reader that asks a few queries and must be ready fast (the map page's offline search): the
 * papers are only tokenised; a term's postings are gathered when a query first needs them, and a paper's term counts
 * when it is scored. Same scores as `buildLexicalIndex` (document lengths are summed in another order, which is exact
 * for the default weights). About a quarter of the build time: most of it was hashing every word pair up front.
 */
export function buildQueryIndex(papers: readonly Pick<Paper, 'id' | 'title' | 'abstract'>[], options?: Partial<LexicalOptions>): LexicalIndex {
  return queryIndexFromTokens(papers.map((p) => p.id), papers.map(paperTokens), options);
}

/** A paper's title terms and abstract terms, as `buildQueryIndex` keeps them. */
export function paperTokens(paper: Pick<Paper, 'title' | 'abstract'>): [string[], string[]] {
  return [tokenize(paper.title ?? ''), tokenize(paper.abstract)];
}

/** `buildQueryIndex` over papers already split by `paperTokens` (so a page can tokenise a slice at a time, between frames). */
export function queryIndexFromTokens(ids: readonly string[], tokens: [string[], string[]][], options?: Partial<LexicalOptions>): LexicalIndex {
  const params = resolveOptions(LEXICAL_DEFAULTS, options, CHECKS);
  const { titleWeight: tw, pairWeight: pw } = params;
  const pairs = (n: number) => (pw > 0 ? Math.max(0, n - 1) * pw : 0);
  const lengths = tokens.map(([t, a]) => tw * t.length + a.length + tw * pairs(t.length) + pairs(a.length));
  return withLengths(params, [...ids], lengths, new Map(), [], tokens);
}

/** Row `row`'s weighted term counts (made from its tokens on first use for `buildQueryIndex`'s index). */
function countsOf(index: LexicalIndex, row: number): Map<string, number> {
  let counts = index.counts[row];
  if (!counts && index.tokens) counts = index.counts[row] = tokenCounts(index.tokens[row] as [string[], string[]], index.params);
  return counts as Map<string, number>;
}

/** How often `term` (a word, or two joined by a space) occurs in `tokens`. */
function occurrences(tokens: readonly string[], term: string): number {
  const space = term.indexOf(' ');
  let n = 0;
  if (space < 0) {
    for (const t of tokens) if (t === term) n++;
    return n;
  }
  const first = term.slice(0, space);
  const second = term.slice(space + 1);
  for (let i = 1; i < tokens.length; i++) if (tokens[i] === second && tokens[i - 1] === first) n++;
  return n;
}

/** The postings of `term` (undefined when no paper holds it), gathered on first use for `buildQueryIndex`'s index. */
function postingsOf(index: LexicalIndex, term: string): number[] | undefined {
  let list = index.postings.get(term);
  if (list === undefined && index.tokens) {
    list = [];
    const { titleWeight, pairWeight } = index.params;
    const pair = term.includes(' ');
    if (!pair || pairWeight > 0) {
      const weight = pair ? pairWeight : 1;
      index.tokens.forEach(([title, abstract], row) => {
        const tf = titleWeight * weight * occurrences(title, term) + weight * occurrences(abstract, term);
        if (tf) (list as number[]).push(row, tf);
      });
    }
    index.postings.set(term, list);
  }
  return list && list.length ? list : undefined;
}

/** The index as one plain JSON-serialisable record (vocabulary sorted, so output is byte-stable). */
export function serialiseLexicalIndex(index: LexicalIndex): SerialisedLexicalIndex {
  if (index.tokens) index = fromCounts(index.params, index.ids, index.ids.map((_, row) => countsOf(index, row)));
  const terms = [...index.postings.keys()].sort();
  const termNo = new Map(terms.map((t, i) => [t, i]));
  const docs: number[][] = index.ids.map(() => []);
  for (const term of terms) {
    const list = index.postings.get(term) as number[];
    for (let i = 0; i < list.length; i += 2) (docs[list[i] as number] as number[]).push(termNo.get(term) as number, list[i + 1] as number);
  }
  return { format: 'papermap-bm25/1', params: { ...index.params }, ids: [...index.ids], terms, docs };
}

/** Rebuilds the in-memory index from `serialiseLexicalIndex`'s record. Throws PROJECT_STALE on an unknown format. */
export function loadLexicalIndex(record: SerialisedLexicalIndex): LexicalIndex {
  if (record?.format !== 'papermap-bm25/1' || !Array.isArray(record.ids) || !Array.isArray(record.docs) || record.docs.length !== record.ids.length) {
    throw new PapermapError('PROJECT_STALE', `lexical index has format ${JSON.stringify(record?.format)}, expected 'papermap-bm25/1' with one term list per paper`, undefined, 'run `papermap index` to rebuild it');
  }
  const params = resolveOptions(LEXICAL_DEFAULTS, record.params, CHECKS);
  const counts = record.docs.map((flat) => {
    const c = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) c.set(record.terms[flat[i] as number] as string, flat[i + 1] as number);
    return c;
  });
  return fromCounts(params, [...record.ids], counts);
}

/** Options of a lexical query. */
export interface LexicalQueryOptions {
  /** Number of results. Default 10; 1–100000. */
  k: number;
  /** Paper ids never to return. */
  exclude: readonly string[];
}

const QUERY_DEFAULTS: LexicalQueryOptions = { k: 10, exclude: [] };
const QUERY_CHECKS = { k: intIn(1, 100000) };

function sortedTerms(query: Map<string, number>): [string, number][] {
  return [...query].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function idf(index: LexicalIndex, df: number): number {
  const n = index.ids.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function rank(index: LexicalIndex, query: Map<string, number>, options?: Partial<LexicalQueryOptions>): Neighbour[] {
  const opts = resolveOptions(QUERY_DEFAULTS, options, QUERY_CHECKS);
  const { k1, b, k3 } = index.params;
  const scores = new Map<number, number>();
  // Terms in sorted order, so a loaded index sums in the same order as a built one (identical floating-point scores).
  for (const [term, qtf] of sortedTerms(query)) {
    const list = postingsOf(index, term);
    if (!list) continue;
    const w = idf(index, list.length / 2) * ((qtf * (k3 + 1)) / (qtf + k3));
    for (let i = 0; i < list.length; i += 2) {
      const row = list[i] as number;
      const tf = list[i + 1] as number;
      const norm = k1 * (1 - b + (b * (index.lengths[row] as number)) / index.avgLength);
      scores.set(row, (scores.get(row) ?? 0) + (w * tf * (k1 + 1)) / (tf + norm));
    }
  }
  const exclude = new Set(opts.exclude);
  const out: Neighbour[] = [];
  for (const [row, score] of scores) {
    const id = index.ids[row] as string;
    if (score > 0 && !exclude.has(id)) out.push({ id, score });
  }
  return out.sort(byScoreThenId).slice(0, opts.k);
}

/** Papers matching a free-text query by BM25, best first (score descending, then id). Papers sharing no term are left out. */
export function lexicalSearch(index: LexicalIndex, text: string, options?: Partial<LexicalQueryOptions>): Neighbour[] {
  return rank(index, lexicalQuery(index, { text }), options);
}

/** Papers sharing the most distinctive words with paper `id` (its title and abstract as the query), never itself. */
export function lexicalSimilar(index: LexicalIndex, id: string, options?: Partial<LexicalQueryOptions>): Neighbour[] {
  const row = index.rowOf.get(id);
  if (row === undefined) throw new PapermapError('NOT_FOUND', `no paper with id '${id}' in the lexical index`);
  return rank(index, countsOf(index, row), { ...options, exclude: [id, ...(options?.exclude ?? [])] });
}

/** The query terms of a free text, or of paper `paperId` (its weighted title and abstract terms). */
export function lexicalQuery(index: LexicalIndex, query: { text: string } | { paperId: string }): Map<string, number> {
  if ('paperId' in query) {
    const row = index.rowOf.get(query.paperId);
    if (row === undefined) throw new PapermapError('NOT_FOUND', `no paper with id '${query.paperId}' in the lexical index`);
    return countsOf(index, row);
  }
  const terms = new Map<string, number>();
  addTerms(terms, tokenize(query.text), 1, index.params.pairWeight);
  return terms;
}

/** The BM25 score of each of `ids` for `query` (0 for a paper sharing no term, or unknown to the index). */
export function lexicalScores(index: LexicalIndex, query: Map<string, number>, ids: readonly string[]): number[] {
  const { k1, b, k3 } = index.params;
  return ids.map((id) => {
    const row = index.rowOf.get(id);
    if (row === undefined) return 0;
    const doc = countsOf(index, row);
    const norm = k1 * (1 - b + (b * (index.lengths[row] as number)) / index.avgLength);
    let score = 0;
    for (const [term, qtf] of sortedTerms(query)) {
      const tf = doc.get(term);
      if (!tf) continue;
      const df = (postingsOf(index, term) as number[]).length / 2;
      score += idf(index, df) * ((qtf * (k3 + 1)) / (qtf + k3)) * ((tf * (k1 + 1)) / (tf + norm));
    }
    return score;
  });
}
