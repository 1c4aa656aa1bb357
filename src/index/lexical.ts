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

/**
 * The BM25 index in memory. A built or loaded index keeps every paper's terms in compressed-row arrays (a few hundred
 * MB at 100,000 papers, outside the JS heap); the map page's index (`buildQueryIndex`) keeps only tokens and makes
 * postings and term counts on demand.
 */
export interface LexicalIndex {
  params: LexicalOptions;
  ids: string[];
  /** Weighted length (in tokens) of each paper. */
  lengths: Float64Array;
  avgLength: number;
  rowOf: Map<string, number>;
  terms: CompactTerms | LazyTerms;
}

/**
 * Every paper's terms up front: the sorted vocabulary and per paper its terms (ascending) with their counts. The
 * postings of a term are gathered when a query first asks for it, all of a query's terms in one pass over the lists
 * (~0.5 s at 100,000 papers, where laying out every term's postings took 4 s of each `papermap similar`).
 */
interface CompactTerms {
  kind: 'compact';
  vocabulary: string[];
  docStart: Uint32Array;
  docTerms: Uint32Array;
  docTfs: Float64Array;
  postings: Map<number, Postings>;
  /** Passes `gather` made; from the third (a server answering many queries) every term's postings are laid out at once. */
  passes: number;
  /** Every term's postings, once laid out: rows and counts of term t at [postStart[t], postStart[t + 1]). */
  all?: { postStart: Uint32Array; postRows: Uint32Array; postTfs: Float64Array };
}

/** `buildQueryIndex`'s terms: each paper's title and abstract tokens, and the postings and counts asked for so far. */
interface LazyTerms {
  kind: 'lazy';
  tokens: [string[], string[]][];
  postings: Map<string, Postings>;
  counts: Map<string, number>[];
}

/** The papers holding one term, in row order, with their weighted term frequencies. */
interface Postings {
  rows: ArrayLike<number>;
  tfs: ArrayLike<number>;
}

const FORMAT = 'papermap-bm25/1';

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

/** A typed array that grows by doubling (the index's term lists, whose total length is known only at the end). */
class Grow<T extends Uint32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * The compact terms of papers given as tokens: words and word pairs are numbered as first seen (a pair by its two word
 * numbers, so its string is made once), the vocabulary is sorted and renumbered, and each paper's list is put in term
 * order. Per term, counts add up in token order, as `tokenCounts` does.
 */
function compactFromTokens(count: number, tokensOf: (row: number) => [string[], string[]], params: LexicalOptions): CompactTerms {
  const { titleWeight, pairWeight } = params;
  const wordNo = new Map<string, number>();
  const pairNo = new Map<number, Map<number, number>>();
  const seen: string[] = [];
  const docStart = new Uint32Array(count + 1);
  const terms = new Grow(new Uint32Array(1 << 16));
  const tfs = new Grow(new Float64Array(1 << 16));
  const doc = new Map<number, number>();
  const word = (t: string): number => {
    let w = wordNo.get(t);
    if (w === undefined) {
      wordNo.set(t, (w = seen.length));
      seen.push(t);
    }
    return w;
  };
  const add = (tokens: readonly string[], weight: number): void => {
    let previous = -1;
    for (let i = 0; i < tokens.length; i++) {
      const w = word(tokens[i] as string);
      doc.set(w, (doc.get(w) ?? 0) + weight);
      if (pairWeight > 0 && i > 0) {
        let after = pairNo.get(previous);
        if (after === undefined) pairNo.set(previous, (after = new Map()));
        let p = after.get(w);
        if (p === undefined) {
          after.set(w, (p = seen.length));
          seen.push(`${tokens[i - 1]} ${tokens[i]}`);
        }
        doc.set(p, (doc.get(p) ?? 0) + weight * pairWeight);
      }
      previous = w;
    }
  };
  for (let row = 0; row < count; row++) {
    const [title, abstract] = tokensOf(row);
    doc.clear();
    add(title, titleWeight);
    add(abstract, 1);
    for (const [t, tf] of doc) {
      terms.push(t);
      tfs.push(tf);
    }
    docStart[row + 1] = terms.length;
  }
  // Sorted vocabulary (UTF-16 order, as Array.prototype.sort) and each first-seen number's place in it.
  const vocabulary = [...seen].sort();
  const place = new Uint32Array(seen.length);
  vocabulary.forEach((t, i) => {
    const space = t.indexOf(' ');
    const n = space < 0 ? wordNo.get(t) : pairNo.get(wordNo.get(t.slice(0, space)) as number)?.get(wordNo.get(t.slice(space + 1)) as number);
    place[n as number] = i;
  });
  seen.length = 0;
  const docTerms = terms.done();
  const docTfs = tfs.done();
  for (let i = 0; i < docTerms.length; i++) docTerms[i] = place[docTerms[i] as number] as number;
  sortDocLists(vocabulary.length, docStart, docTerms, docTfs);
  return compactTerms(vocabulary, docStart, docTerms, docTfs);
}

/** Compact terms from per-paper lists already in term order, no postings gathered yet. */
function compactTerms(vocabulary: string[], docStart: Uint32Array, docTerms: Uint32Array, docTfs: Float64Array): CompactTerms {
  return { kind: 'compact', vocabulary, docStart, docTerms, docTfs, postings: new Map(), passes: 0 };
}

/** Every term's postings (rows ascending) from the per-paper lists, by a counting sort. */
function layOut(terms: number, docStart: Uint32Array, docTerms: Uint32Array, docTfs: Float64Array): { postStart: Uint32Array; postRows: Uint32Array; postTfs: Float64Array } {
  const rows = docStart.length - 1;
  const postStart = new Uint32Array(terms + 1);
  for (let i = 0; i < docTerms.length; i++) (postStart[(docTerms[i] as number) + 1] as number)++;
  for (let t = 0; t < terms; t++) postStart[t + 1] = (postStart[t + 1] as number) + (postStart[t] as number);
  const postRows = new Uint32Array(docTerms.length);
  const postTfs = new Float64Array(docTerms.length);
  const cursor = postStart.slice(0, terms);
  for (let row = 0; row < rows; row++) {
    for (let i = docStart[row] as number; i < (docStart[row + 1] as number); i++) {
      const at = (cursor[docTerms[i] as number] as number)++;
      postRows[at] = row;
      postTfs[at] = docTfs[i] as number;
    }
  }
  return { postStart, postRows, postTfs };
}

/** Each paper's list in ascending term order, in place (through the postings; the rows' lengths are unchanged). */
function sortDocLists(terms: number, docStart: Uint32Array, docTerms: Uint32Array, docTfs: Float64Array): void {
  const { postStart, postRows, postTfs } = layOut(terms, docStart, docTerms, docTfs);
  const next = docStart.slice(0, docStart.length - 1);
  for (let t = 0; t < terms; t++) {
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      const at = (next[postRows[i] as number] as number)++;
      docTerms[at] = t;
      docTfs[at] = postTfs[i] as number;
    }
  }
}

/** Gathers the postings of the given terms not gathered yet, in one pass over every paper's list. */
function gather(terms: CompactTerms, wanted: readonly number[]): void {
  if (terms.all) return;
  const missing = [...new Set(wanted)].filter((t) => !terms.postings.has(t));
  if (!missing.length) return;
  if (++terms.passes > 2) {
    terms.all = layOut(terms.vocabulary.length, terms.docStart, terms.docTerms, terms.docTfs);
    terms.postings.clear();
    return;
  }
  const slot = new Map(missing.map((t, i) => [t, i]));
  const lists = missing.map(() => ({ rows: [] as number[], tfs: [] as number[] }));
  // Term numbers are ascending within a paper: a range check skips most entries before the Map is asked.
  const [least, most] = [Math.min(...missing), Math.max(...missing)];
  const { docStart, docTerms, docTfs } = terms;
  for (let row = 0; row + 1 < docStart.length; row++) {
    for (let i = docStart[row] as number; i < (docStart[row + 1] as number); i++) {
      const t = docTerms[i] as number;
      if (t < least || t > most) continue;
      const s = slot.get(t);
      if (s === undefined) continue;
      const list = lists[s] as { rows: number[]; tfs: number[] };
      list.rows.push(row);
      list.tfs.push(docTfs[i] as number);
    }
  }
  missing.forEach((t, i) => {
    const list = lists[i] as { rows: number[]; tfs: number[] };
    terms.postings.set(t, { rows: Uint32Array.from(list.rows), tfs: Float64Array.from(list.tfs) });
  });
}

/** Gathers, for a compact index, the postings of every term of a query at once. */
function prefetch(index: LexicalIndex, query: Iterable<string>): void {
  const terms = index.terms;
  if (terms.kind !== 'compact') return;
  const wanted: number[] = [];
  for (const term of query) {
    const t = termNumber(terms.vocabulary, term);
    if (t >= 0) wanted.push(t);
  }
  gather(terms, wanted);
}

function compactIndex(params: LexicalOptions, ids: string[], terms: CompactTerms): LexicalIndex {
  const lengths = new Float64Array(ids.length);
  for (let row = 0; row < ids.length; row++) {
    let len = 0;
    for (let i = terms.docStart[row] as number; i < (terms.docStart[row + 1] as number); i++) len += terms.docTfs[i] as number;
    lengths[row] = len;
  }
  return withLengths(params, ids, lengths, terms);
}

function withLengths(params: LexicalOptions, ids: string[], lengths: Float64Array, terms: CompactTerms | LazyTerms): LexicalIndex {
  let total = 0;
  for (const len of lengths) total += len;
  const avgLength = lengths.length ? total / lengths.length : 1;
  return { params, ids, lengths, avgLength: avgLength || 1, rowOf: new Map(ids.map((id, row) => [id, row])), terms };
}

/** Builds the BM25 index of `papers`, in their order. Deterministic: the same papers give the same serialised index. */
export function buildLexicalIndex(papers: readonly Pick<Paper, 'id' | 'title' | 'abstract'>[], options?: Partial<LexicalOptions>): LexicalIndex {
  const params = resolveOptions(LEXICAL_DEFAULTS, options, CHECKS);
  return compactIndex(params, papers.map((p) => p.id), compactFromTokens(papers.length, (row) => paperTokens(papers[row] as Pick<Paper, 'title' | 'abstract'>), params));
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
  const lengths = Float64Array.from(tokens, ([t, a]) => tw * t.length + a.length + tw * pairs(t.length) + pairs(a.length));
  return withLengths(params, [...ids], lengths, { kind: 'lazy', tokens, postings: new Map(), counts: [] });
}

/** Row `row`'s weighted term counts (made from its tokens on first use for `buildQueryIndex`'s index). */
function countsOf(index: LexicalIndex, row: number): Map<string, number> {
  const terms = index.terms;
  if (terms.kind === 'lazy') return (terms.counts[row] ??= tokenCounts(terms.tokens[row] as [string[], string[]], index.params));
  const counts = new Map<string, number>();
  for (let i = terms.docStart[row] as number; i < (terms.docStart[row + 1] as number); i++) counts.set(terms.vocabulary[terms.docTerms[i] as number] as string, terms.docTfs[i] as number);
  return counts;
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

/** Where `term` stands in the sorted vocabulary, or -1. */
function termNumber(vocabulary: readonly string[], term: string): number {
  let lo = 0;
  let hi = vocabulary.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = vocabulary[mid] as string;
    if (t === term) return mid;
    if (t < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The postings of `term` (undefined when no paper holds it), gathered on first use for `buildQueryIndex`'s index. */
function postingsOf(index: LexicalIndex, term: string): Postings | undefined {
  const terms = index.terms;
  if (terms.kind === 'compact') {
    const t = termNumber(terms.vocabulary, term);
    if (t < 0) return undefined;
    gather(terms, [t]);
    if (!terms.all) return terms.postings.get(t);
    const [from, to] = [terms.all.postStart[t] as number, terms.all.postStart[t + 1] as number];
    return { rows: terms.all.postRows.subarray(from, to), tfs: terms.all.postTfs.subarray(from, to) };
  }
  let list = terms.postings.get(term);
  if (list === undefined) {
    const rows: number[] = [];
    const tfs: number[] = [];
    const { titleWeight, pairWeight } = index.params;
    const pair = term.includes(' ');
    if (!pair || pairWeight > 0) {
      const weight = pair ? pairWeight : 1;
      terms.tokens.forEach(([title, abstract], row) => {
        const tf = titleWeight * weight * occurrences(title, term) + weight * occurrences(abstract, term);
        if (tf) {
          rows.push(row);
          tfs.push(tf);
        }
      });
    }
    terms.postings.set(term, (list = { rows, tfs }));
  }
  return list.rows.length ? list : undefined;
}

/** The compact terms of any index (a lazy one is tokenised in full). */
function compactOf(index: LexicalIndex): CompactTerms {
  const terms = index.terms;
  return terms.kind === 'compact' ? terms : compactFromTokens(index.ids.length, (row) => terms.tokens[row] as [string[], string[]], index.params);
}

/**
 * The index as the project stores it: one line of plain JSON, `{"format","params","ids","terms","docs"}`, the vocabulary
 * sorted and per paper a flat [termNumber, tf, …] list, so output is byte-stable. Written in pieces: at 100,000 papers
 * it is some 300 MB, more than one JS string holds comfortably.
 */
export function lexicalIndexBytes(index: LexicalIndex): Uint8Array {
  const terms = compactOf(index);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let text = `{"format":"${FORMAT}","params":${JSON.stringify({ ...index.params })},"ids":${JSON.stringify(index.ids)},"terms":[`;
  const flush = (always: boolean): void => {
    if (always || text.length > 1 << 20) {
      parts.push(encoder.encode(text));
      text = '';
    }
  };
  terms.vocabulary.forEach((t, i) => {
    text += `${i ? ',' : ''}${JSON.stringify(t)}`;
    flush(false);
  });
  text += '],"docs":[';
  for (let row = 0; row < index.ids.length; row++) {
    text += row ? ',[' : '[';
    const [from, to] = [terms.docStart[row] as number, terms.docStart[row + 1] as number];
    for (let i = from; i < to; i++) text += `${i > from ? ',' : ''}${terms.docTerms[i]},${terms.docTfs[i]}`;
    text += ']';
    flush(false);
  }
  text += ']}\n';
  flush(true);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const DOCS_MARK = [...',"docs":['].map((c) => c.charCodeAt(0));

/**
 * Reads `lexicalIndexBytes`'s output. The head (params, ids, vocabulary) is parsed as JSON; the term lists, nearly
 * all of the file, straight into typed arrays. Throws PROJECT_STALE on another format, a SyntaxError on damaged bytes.
 */
export function parseLexicalIndex(bytes: Uint8Array): LexicalIndex {
  let mark = -1;
  for (let i = bytes.indexOf(44); i >= 0; i = bytes.indexOf(44, i + 1)) {
    if (DOCS_MARK.every((c, k) => bytes[i + k] === c)) {
      mark = i;
      break;
    }
  }
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(0, mark < 0 ? bytes.length : mark)) + (mark < 0 ? '' : '}')) as { format?: unknown; params?: Partial<LexicalOptions>; ids?: unknown; terms?: unknown };
  if (head?.format !== FORMAT || mark < 0 || !Array.isArray(head.ids) || !Array.isArray(head.terms)) {
    throw new PapermapError('PROJECT_STALE', `lexical index has format ${JSON.stringify(head?.format)}, expected '${FORMAT}' with one term list per paper`, undefined, 'run `papermap index` to rebuild it');
  }
  const params = resolveOptions(LEXICAL_DEFAULTS, head.params, CHECKS);
  const ids = head.ids as string[];
  const vocabulary = head.terms as string[];
  const docStart = new Uint32Array(ids.length + 1);
  const docTerms = new Grow(new Uint32Array(1 << 16));
  const docTfs = new Grow(new Float64Array(1 << 16));
  let at = mark + DOCS_MARK.length;
  const fail = (what: string): never => {
    throw new SyntaxError(`lexical index: ${what} at byte ${at}`);
  };
  const expect = (c: string): void => {
    if (bytes[at++] !== c.charCodeAt(0)) fail(`expected '${c}'`);
  };
  const number = (): number => {
    const from = at;
    let digits = 0;
    let fraction = -1;
    let simple = true;
    for (;;) {
      const c = bytes[at] as number;
      if (c >= 48 && c <= 57) {
        digits = digits * 10 + (c - 48);
        if (fraction >= 0) fraction++;
      } else if (c === 46 && fraction < 0) fraction = 0;
      else if (c === 101 || c === 69 || c === 43 || c === 45 || c === 46) simple = false;
      else break;
      at++;
    }
    if (at === from) fail('expected a number');
    // A decimal of up to 15 digits is exactly digits / 10^fraction, correctly rounded as parseFloat would.
    if (simple && digits < 2 ** 53 && at - from <= 16) return fraction > 0 ? digits / 10 ** fraction : digits;
    const value = Number(String.fromCharCode(...bytes.subarray(from, at)));
    return Number.isFinite(value) ? value : fail('expected a number');
  };
  for (let row = 0; row < ids.length; row++) {
    if (row) expect(',');
    expect('[');
    if (bytes[at] === 93) at++;
    else {
      for (;;) {
        const t = number();
        if (!Number.isInteger(t) || t >= vocabulary.length) fail(`term number ${t} outside the ${vocabulary.length}-term vocabulary`);
        expect(',');
        docTerms.push(t);
        docTfs.push(number());
        if (bytes[at] === 93) break;
        expect(',');
      }
      at++;
    }
    docStart[row + 1] = docTerms.length;
  }
  expect(']');
  expect('}');
  return compactIndex(params, ids, compactTerms(vocabulary, docStart, docTerms.done(), docTfs.done()));
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
  const scores = new Float64Array(index.ids.length);
  const hit = new Uint8Array(index.ids.length);
  const rows: number[] = [];
  prefetch(index, query.keys());
  // Terms in sorted order, so a loaded index sums in the same order as a built one (identical floating-point scores).
  for (const [term, qtf] of sortedTerms(query)) {
    const list = postingsOf(index, term);
    if (!list) continue;
    const w = idf(index, list.rows.length) * ((qtf * (k3 + 1)) / (qtf + k3));
    for (let i = 0; i < list.rows.length; i++) {
      const row = list.rows[i] as number;
      const tf = list.tfs[i] as number;
      const norm = k1 * (1 - b + (b * (index.lengths[row] as number)) / index.avgLength);
      if (!hit[row]) {
        hit[row] = 1;
        rows.push(row);
      }
      scores[row] = (scores[row] as number) + (w * tf * (k1 + 1)) / (tf + norm);
    }
  }
  const exclude = new Set(opts.exclude);
  let kept = rows.filter((row) => (scores[row] as number) > 0 && !exclude.has(index.ids[row] as string));
  // Only rows scoring at least the k-th best can be in the answer (a paper's own words reach most of a large corpus).
  if (kept.length > opts.k) {
    const best = Float64Array.from(kept, (row) => scores[row] as number).sort();
    const least = best[best.length - opts.k] as number;
    kept = kept.filter((row) => (scores[row] as number) >= least);
  }
  return kept.map((row) => ({ id: index.ids[row] as string, score: scores[row] as number })).sort(byScoreThenId).slice(0, opts.k);
}

/** How many papers of the index hold `term` (a word or a word pair as lexicalQuery writes it); 0 when none does. */
export function termDocFrequency(index: LexicalIndex, term: string): number {
  return postingsOf(index, term)?.rows.length ?? 0;
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
  prefetch(index, query.keys());
  return ids.map((id) => {
    const row = index.rowOf.get(id);
    if (row === undefined) return 0;
    const doc = countsOf(index, row);
    const norm = k1 * (1 - b + (b * (index.lengths[row] as number)) / index.avgLength);
    let score = 0;
    for (const [term, qtf] of sortedTerms(query)) {
      const tf = doc.get(term);
      if (!tf) continue;
      const df = (postingsOf(index, term) as Postings).rows.length;
      score += idf(index, df) * ((qtf * (k3 + 1)) / (qtf + k3)) * ((tf * (k1 + 1)) / (tf + norm));
    }
    return score;
  });
}
