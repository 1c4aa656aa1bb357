// offline: search by meaning with no model and no server, for the map page. A table of word and phrase vectors embedded
// with the real model when the map is built stands in for the model; the papers' vectors ship as int8; the dense and
// BM25 rankings are fused by the served search's own code (fusion.ts), so the page ranks the way `papermap search` does.
//
// Query vector (a bag of embedded words, Arora, Liang & Ma, "A simple but tough-to-beat baseline for sentence
// embeddings", ICLR 2017, with BM25's idf in place of their frequency weight):
//   q = Σ_t∈terms(query) idf(t) · v_t   over the query's words and adjacent word pairs found in the table, then q/‖q‖
//   idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))      (lexical.ts's form, N papers, df(t) papers holding t)
// where v_t is the model's unit embedding of the word (or pair) on its own; then, as in Arora et al., the common
// component is removed: q ← q − (q·u) u, u = Σ_t df(t) · v_t / ‖·‖ over the table's terms (the direction every embedded
// word shares, which says nothing about this query; removing it raised top-10 overlap with the served search on the
// judged text queries from 0.688 to 0.741 at 10k arXiv papers and from 0.785 to 0.815 on the corpus,
// bench/offline-search.ts); then pseudo-relevance feedback (Rocchio):
//   q' = q + β · mean(p_1 … p_5)   over the vectors of BM25's top 5 papers, β = `feedback` (0.5), then q'/‖q'‖
// Dense score of paper p: cos(q', p) with p stored as round(127 · p / max|p|) and its scale; the top FUSION_POOL by
// that, and BM25's top FUSION_POOL, are fused.
//
// This file runs in Node (building the table) and in the page (bundled by bundle.ts), so it uses no Node API.

import { PapermapError } from '../errors.js';
import { intIn, numberIn, resolveOptions } from '../options.js';
import type { Embeddings, Neighbour, Paper } from '../records.js';
import { byScoreThenId } from './exact.js';
import { FUSION_POOL, fuseRankings, fuseRelated, fusionPool } from './fusion.js';
import { lexicalQuery, lexicalScores, lexicalSearch, paperTokens, queryIndexFromTokens, type LexicalIndex } from './lexical.js';
import { termsWithWords } from './_tokens.js';

/** How big the table of word and phrase vectors is. */
export interface OfflineSearchOptions {
  /** Most single words in the table, the most frequent first. Default 12,000 (int8 at 384 dimensions: 4.6 MB with base64); 0–100,000. */
  maxWords: number;
  /**
   * Most adjacent word pairs ("task arithmetic"), the most frequent first. Default 1,000: on the corpus's judged text
   * queries, top-10 overlap with the served search 0.729 with none, 0.782 with 1,000 and 0.785 with 3,000 (feedback
   * 0.5; bench/offline-search.ts); 0–100,000.
   */
  maxPhrases: number;
  /** Fewest papers a word or pair must occur in to enter the table. Default 2 (a word of one paper is BM25's job); 1–1,000. */
  minPapers: number;
}

export const OFFLINE_SEARCH_DEFAULTS: OfflineSearchOptions = { maxWords: 12000, maxPhrases: 1000, minPapers: 2 };

const CHECKS = { maxWords: intIn(0, 100000), maxPhrases: intIn(0, 100000), minPapers: intIn(1, 1000) };

/** The terms of the table and what to embed for each. */
export interface OfflineVocabulary {
  /** Index terms (lexical.ts's: "model", "task arithmetic"), words first, each group by papers descending, then term. */
  terms: string[];
  /** Per term, the text the model embeds: its most frequent spelling in the corpus ("models" for the term "model"). */
  texts: string[];
  /** Per term, the papers holding it. */
  papers: number[];
}

/** The table as it travels in the page: plain JSON, vectors as base64 int8 with a float32 scale per row. */
export interface OfflineSearchData {
  format: 'papermap-offline-search/2';
  dims: number;
  /** Papers, in the order of the page's columns. */
  count: number;
  paperVectors: string;
  paperScales: string;
  terms: string[];
  /** idf of each term, 4 decimals. */
  termWeights: number[];
  termVectors: string;
  /** The common direction u of the term vectors (see the top), base64 float32. */
  commonDirection: string;
}

/** The opened table, ready to answer queries. */
export interface OfflineSearch {
  dims: number;
  ids: readonly string[];
  rowOf: Map<string, number>;
  paperVectors: Int8Array;
  paperScales: Float32Array;
  termRow: Map<string, number>;
  termWeights: readonly number[];
  /** int8 rows; a query normalises the few it uses. */
  termVectors: Int8Array;
  /** Unit vector removed from every query vector (see the top). */
  commonDirection: Float32Array;
  lexical: LexicalIndex;
}

/** The words and adjacent pairs of the papers that enter the table (the same terms BM25 indexes, pairs included). */
export function offlineVocabulary(papers: readonly Pick<Paper, 'title' | 'abstract'>[], options?: Partial<OfflineSearchOptions>): OfflineVocabulary {
  const opts = resolveOptions(OFFLINE_SEARCH_DEFAULTS, options, CHECKS);
  const df = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const paper of papers) {
    const seen = new Set<string>();
    for (const text of [paper.title ?? '', paper.abstract]) {
      const tokens = termsWithWords(text);
      tokens.forEach((t, i) => {
        const entries: [string, string][] = [[t.term, t.word]];
        const prev = tokens[i - 1];
        if (prev) entries.push([`${prev.term} ${t.term}`, `${prev.word} ${t.word}`]);
        for (const [term, word] of entries) {
          let counts = spellings.get(term);
          if (!counts) spellings.set(term, (counts = new Map()));
          counts.set(word, (counts.get(word) ?? 0) + 1);
          if (!seen.has(term)) {
            seen.add(term);
            df.set(term, (df.get(term) ?? 0) + 1);
          }
        }
      });
    }
  }
  const ranked = [...df].filter(([, n]) => n >= opts.minPapers).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const words = ranked.filter(([t]) => !t.includes(' ')).slice(0, opts.maxWords);
  const pairs = ranked.filter(([t]) => t.includes(' ')).slice(0, opts.maxPhrases);
  const chosen = [...words, ...pairs];
  const spelling = (term: string) => [...(spellings.get(term) as Map<string, number>)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? term;
  return { terms: chosen.map(([t]) => t), texts: chosen.map(([t]) => spelling(t)), papers: chosen.map(([, n]) => n) };
}

/** int8 rows (round(127 · v / max|v|)) and one float32 scale per row (max|v| / 127). */
function quantise(vectors: Float32Array, dims: number): { q: Int8Array; scales: Float32Array } {
  const rows = dims ? vectors.length / dims : 0;
  const q = new Int8Array(vectors.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[r * dims + d] as number));
    const s = max > 0 ? max / 127 : 1;
    scales[r] = s;
    for (let d = 0; d < dims; d++) q[r * dims + d] = Math.round((vectors[r * dims + d] as number) / s);
  }
  return { q, scales };
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * The page's table: the papers' vectors in the order of `ids` (each must be in `embeddings`), and the vocabulary's
 * vectors (`termVectors`, row i embedding `vocabulary.texts[i]`, unit length).
 */
export function buildOfflineSearch(ids: readonly string[], embeddings: Embeddings, vocabulary: OfflineVocabulary, termVectors: Float32Array): OfflineSearchData {
  const dims = embeddings.dims;
  if (termVectors.length !== vocabulary.terms.length * dims) throw new PapermapError('BAD_OPTION', `${termVectors.length / dims} term vectors for ${vocabulary.terms.length} terms`);
  const rowOf = new Map(embeddings.ids.map((id, r) => [id, r]));
  const ordered = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => {
    const r = rowOf.get(id);
    if (r === undefined) throw new PapermapError('BAD_OPTION', `paper '${id}' has no vector`);
    ordered.set(embeddings.vectors.subarray(r * dims, (r + 1) * dims), i * dims);
  });
  const papers = quantise(ordered, dims);
  // Chunks of a multiple of 3 bytes, so the concatenated base64 has no padding inside and decodes as one string.
  const encode = (bytes: Uint8Array) => {
    let out = '';
    const chunk = 3 * 0x2000;
    for (let i = 0; i < bytes.length; i += chunk) out += btoa(String.fromCharCode(...bytes.subarray(i, i + chunk)));
    return out;
  };
  const terms = quantise(termVectors, dims);
  const n = ids.length;
  const common = new Float32Array(dims);
  vocabulary.papers.forEach((df, t) => {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (termVectors[t * dims + d] as number) ** 2;
    const w = norm > 0 ? df / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) common[d] = (common[d] as number) + w * (termVectors[t * dims + d] as number);
  });
  normalise(common);
  const idf = (df: number) => Math.round(Math.log(1 + (n - df + 0.5) / (df + 0.5)) * 1e4) / 1e4;
  return {
    format: 'papermap-offline-search/2',
    dims,
    count: n,
    paperVectors: encode(new Uint8Array(papers.q.buffer)),
    paperScales: encode(new Uint8Array(papers.scales.buffer)),
    terms: [...vocabulary.terms],
    termWeights: vocabulary.papers.map(idf),
    termVectors: encode(new Uint8Array(terms.q.buffer)),
    commonDirection: encode(new Uint8Array(common.buffer)),
  };
}

/**
 * Opens the table over the page's papers (the same papers, in the same order, as `buildOfflineSearch`'s `ids`), building
 * their BM25 index with lexical.ts's defaults, as `papermap index` does (postings gathered per query term on demand).
 */
export function openOfflineSearch(data: OfflineSearchData, papers: PagePapers): OfflineSearch {
  const step = openOfflineSearchInSteps(data, papers, papers.ids.length || 1);
  let search: OfflineSearch | undefined;
  while (!(search = step()));
  return search;
}

/** The page's columns the offline search reads. */
export interface PagePapers {
  ids: readonly string[];
  titles: readonly string[];
  abstracts: readonly string[];
}

/**
 * `openOfflineSearch` a slice at a time, so a page can open the table between frames: each call of the returned
 * function tokenises up to `rowsPerStep` more papers (the bulk of the work: about 0.3 s per 10,000 abstracts) and
 * returns undefined, until the last, which returns the opened search (and every later call returns it again).
 */
export function openOfflineSearchInSteps(data: OfflineSearchData, papers: PagePapers, rowsPerStep = 500): () => OfflineSearch | undefined {
  if (data?.format !== 'papermap-offline-search/2' || data.count !== papers.ids.length) {
    throw new PapermapError('PROJECT_STALE', `offline search table has format ${JSON.stringify(data?.format)} for ${data?.count} papers, expected 'papermap-offline-search/2' for ${papers.ids.length}`, undefined, 'run `papermap map` again');
  }
  const tokens: [string[], string[]][] = [];
  let opened: OfflineSearch | undefined;
  return () => {
    if (opened) return opened;
    const end = Math.min(papers.ids.length, tokens.length + rowsPerStep);
    for (let i = tokens.length; i < end; i++) tokens.push(paperTokens({ title: papers.titles[i] ?? '', abstract: papers.abstracts[i] ?? '' }));
    if (tokens.length < papers.ids.length) return undefined;
    opened = {
      dims: data.dims,
      ids: papers.ids,
      rowOf: new Map(papers.ids.map((id, i) => [id, i])),
      paperVectors: new Int8Array(fromBase64(data.paperVectors).buffer),
      paperScales: new Float32Array(fromBase64(data.paperScales).buffer),
      termRow: new Map(data.terms.map((t, i) => [t, i])),
      termWeights: data.termWeights,
      termVectors: new Int8Array(fromBase64(data.termVectors).buffer),
      commonDirection: new Float32Array(fromBase64(data.commonDirection).buffer),
      lexical: queryIndexFromTokens(papers.ids, tokens),
    };
    return opened;
  };
}

/** The query's stand-in embedding (see the formula at the top), or undefined when none of its words is in the table. */
export function offlineQueryVector(search: OfflineSearch, text: string): Float32Array | undefined {
  const dims = search.dims;
  const q = new Float32Array(dims);
  const tokens = termsWithWords(text).map((t) => t.term);
  const terms = [...tokens, ...tokens.slice(1).map((t, i) => `${tokens[i]} ${t}`)];
  let found = 0;
  for (const term of terms) {
    const row = search.termRow.get(term);
    if (row === undefined) continue;
    found++;
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (search.termVectors[row * dims + d] as number) ** 2;
    const w = norm > 0 ? (search.termWeights[row] as number) / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) q[d] = (q[d] as number) + w * (search.termVectors[row * dims + d] as number);
  }
  if (!found) return undefined;
  normalise(q);
  const u = search.commonDirection;
  let along = 0;
  for (let d = 0; d < dims; d++) along += (q[d] as number) * (u[d] as number);
  for (let d = 0; d < dims; d++) q[d] = (q[d] as number) - along * (u[d] as number);
  return normalise(q);
}

/** Scales `v` to unit length in place (a zero vector stays zero). */
function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) * inv;
  return v;
}

/** Cosine of the query vector with paper row `row` (int8 times its scale). */
function denseScore(search: OfflineSearch, q: Float32Array, row: number): number {
  const dims = search.dims;
  const off = row * dims;
  let s = 0;
  for (let d = 0; d < dims; d++) s += (q[d] as number) * (search.paperVectors[off + d] as number);
  return s * (search.paperScales[row] as number);
}

/** Options of an offline query. */
export interface OfflineQueryOptions {
  /** Number of results. Default 10; 1–1,000. */
  k: number;
  /**
   * Weight of pseudo-relevance feedback (Rocchio 1971): the mean vector of BM25's top FEEDBACK_PAPERS papers, added to
   * the word vectors' query vector before it is normalised; it pulls the query towards the papers its words match, where
   * the model's own embedding of the query lies. 0 turns it off. Default 0.5: top-10 overlap with the served search on
   * the corpus's 34 judged text queries 0.738 at 0, 0.785 at 0.5, 0.762 at 1, 0.724 at 2 (nDCG@10 0.769, 0.816,
   * 0.811, 0.804; served 0.823; bench/offline-search.ts, before the common direction was removed; with it, 0.797 at
   * 0, 0.815 at 0.5, 0.818 at 0.25, 0.788 at 0.75, and 0.741 at 0.5 on 10k arXiv papers); 0–4.
   */
  feedback: number;
}

export const OFFLINE_QUERY_DEFAULTS: OfflineQueryOptions = { k: 10, feedback: 0.5 };

const QUERY_CHECKS = { k: intIn(1, 1000), feedback: numberIn(0, 4) };

/** Papers of BM25's ranking whose vectors feed back into the query vector. */
export const FEEDBACK_PAPERS = 5;

/**
 * The k papers for a free-text query, ranked as the served hybrid search ranks them (dense top FUSION_POOL, here exact
 * over the int8 vectors, fused with BM25's top FUSION_POOL), each with its dense score. With no word of the query in the
 * table (and no feedback) the ranking is BM25's alone.
 */
export function offlineSearch(search: OfflineSearch, text: string, options?: Partial<OfflineQueryOptions>): Neighbour[] {
  const { k, feedback } = resolveOptions(OFFLINE_QUERY_DEFAULTS, options, QUERY_CHECKS);
  const pool = Math.max(k, FUSION_POOL);
  const lexicalTerms = lexicalQuery(search.lexical, { text });
  const lexicalHits = lexicalSearch(search.lexical, text, { k: pool });
  let q = offlineQueryVector(search, text);
  if (feedback > 0 && lexicalHits.length > 0) q = withFeedback(search, q, lexicalHits.slice(0, FEEDBACK_PAPERS), feedback);
  if (!q) return lexicalHits.slice(0, k);
  const { hits: dense, scores } = denseRanking(search, q, pool);
  const byId = (id: string) => scores[search.rowOf.get(id) as number] as number;
  return fuseRankings(dense, lexicalHits, byId, (ids) => lexicalScores(search.lexical, lexicalTerms, ids), k);
}

/** Every paper's dense score for unit query `q`, and the top `pool` (row `skip` left out) as the fusion wants them. */
function denseRanking(search: OfflineSearch, q: Float32Array, pool: number, skip = -1): { hits: Neighbour[]; scores: Float32Array } {
  const scores = new Float32Array(search.ids.length);
  for (let r = 0; r < scores.length; r++) scores[r] = denseScore(search, q, r);
  const hits: Neighbour[] = [...scores.keys()]
    .filter((r) => r !== skip)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, pool)
    .map((r) => ({ id: search.ids[r] as string, score: scores[r] as number }))
    .sort(byScoreThenId);
  return { hits, scores };
}

/** q + weight · mean of the papers' vectors, normalised. */
function withFeedback(search: OfflineSearch, q: Float32Array | undefined, papers: readonly Neighbour[], weight: number): Float32Array {
  const dims = search.dims;
  const out = q ? Float32Array.from(q) : new Float32Array(dims);
  for (const p of papers) {
    const row = search.rowOf.get(p.id) as number;
    const s = ((search.paperScales[row] as number) * weight) / papers.length;
    for (let d = 0; d < dims; d++) out[d] = (out[d] as number) + s * (search.paperVectors[row * dims + d] as number);
  }
  return normalise(out);
}

/**
 * The k papers most related to paper `id` of the page, ranked as `papermap similar` ranks them (fuseRelated, hybrid):
 * the dense side exact over the int8 vectors, the paper's own int8 vector as the query. Each hit's score is that cosine.
 */
export function offlineSimilar(search: OfflineSearch, id: string, k: number): Neighbour[] {
  const row = search.rowOf.get(id);
  if (row === undefined) throw new PapermapError('NOT_FOUND', `no paper with id '${id}' in the offline table`);
  const dims = search.dims;
  const q = new Float32Array(dims);
  for (let d = 0; d < dims; d++) q[d] = (search.paperVectors[row * dims + d] as number) * (search.paperScales[row] as number);
  const { hits, scores } = denseRanking(search, normalise(q), fusionPool(k), row);
  const cosine = (other: string) => {
    const r = search.rowOf.get(other);
    return r === undefined ? undefined : (scores[r] as number);
  };
  return fuseRelated({ hits, cosine, allowed: (other) => search.rowOf.has(other) }, search.lexical, { paperId: id }, k, 'hybrid');
}
