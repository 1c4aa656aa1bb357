// explain: why a paper is related to another paper or to a text — the distinctive phrases they share and the sentence
// pair that matches best.
//
// Phrases are runs of content words (1–3 words, never across punctuation or a stop word) found in both texts. Each is
// scored by its inverse document frequency over the corpus, idf(p) = ln((N + 1) / (df(p) + 1)), times 1 + 0.5·(words − 1)
// so "gradient conflict" beats "gradient" and "conflict"; phrases in more than `maxShare` of the papers carry no
// information and are left out. Sentences are compared by the cosine of their idf-weighted word vectors (TF-IDF;
// Salton & Buckley 1988), which needs no model and is the same on every run.

import { intIn, numberIn, resolveOptions } from '../options.js';
import type { Paper } from '../records.js';
import { idSample } from '../random.js';
import { contentKeys, phraseKeys, phrasesOf, sentencesOf } from './_text.js';

/** Document frequencies of every phrase (1 to 3 words) of a corpus: what makes a shared phrase distinctive. */
export interface PhraseStats {
  papers: number;
  df: Map<string, number>;
}

/** Explanation options. */
export interface ExplainOptions {
  /** Most shared phrases listed per hit. Default 3; 1–10. */
  maxPhrases: number;
  /** Phrases found in more than this share of the papers are not distinctive and never listed. Default 0.1; 0–1. */
  maxShare: number;
}

export const EXPLAIN_DEFAULTS: ExplainOptions = { maxPhrases: 3, maxShare: 0.1 };

const CHECKS = { maxPhrases: intIn(1, 10), maxShare: numberIn(0, 1) };

const MAX_WORDS = 3;

/** Why one hit is related to its query. */
export interface Explanation {
  /** Distinctive phrases both texts contain, most distinctive first, as written in the hit. */
  phrases: string[];
  /** The hit's sentence that matches the query best and, for a paper query, the query paper's sentence it matches. */
  sentences?: { query?: string; hit: string };
}

function paperText(p: Pick<Paper, 'title' | 'abstract'>): string {
  return p.title ? `${p.title}. ${p.abstract}` : p.abstract;
}

/**
 * Most papers whose phrases are counted; above it, this many chosen by `idSample` (the same papers on every run, and
 * nearly the same as the corpus grows). At 100,000 abstracts counting every paper took ~30 s, which each `papermap
 * similar` paid before its first explanation; 20,000 still estimate any document frequency above 0.1 % closely.
 */
export const PHRASE_SAMPLE = 20000;

/** Counts, over `papers` (or PHRASE_SAMPLE of them), how many contain each phrase (title and abstract). */
export function buildPhraseStats(papers: readonly Pick<Paper, 'id' | 'title' | 'abstract'>[], sample: number = PHRASE_SAMPLE): PhraseStats {
  const df = new Map<string, number>();
  const rows = idSample(papers.map((p) => p.id), sample);
  for (const row of rows) for (const key of phraseKeys(paperText(papers[row] as Pick<Paper, 'title' | 'abstract'>), MAX_WORDS)) df.set(key, (df.get(key) ?? 0) + 1);
  return { papers: rows.length, df };
}

function idf(stats: PhraseStats, key: string): number {
  return Math.log((stats.papers + 1) / ((stats.df.get(key) ?? 0) + 1));
}

/**
 * The best non-overlapping shared phrases: a phrase is dropped when it shares a word with one already chosen. A single
 * word passes only when it is an acronym or recurs in both papers (in the title, or twice): a word both abstracts use once in
 * passing ("positions", "views") explains nothing.
 */
function pickPhrases(shared: [string, string][], stats: PhraseStats, opts: ExplainOptions, salient: (key: string) => boolean): string[] {
  const limit = Math.max(1, opts.maxShare * stats.papers);
  const scored = shared
    .filter(([key, surface]) => (stats.df.get(key) ?? 0) <= limit && (key.includes(' ') || /[A-Z].*[A-Z]/.test(surface) || salient(key)))
    .map(([key, surface]) => {
      const words = key.split(' ');
      return { key, surface, words, score: idf(stats, key) * (1 + 0.5 * (words.length - 1)) };
    })
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const used = new Set<string>();
  const out: string[] = [];
  for (const s of scored) {
    if (out.length >= opts.maxPhrases) break;
    if (s.words.some((w) => used.has(w))) continue;
    s.words.forEach((w) => used.add(w));
    out.push(s.surface);
  }
  return out;
}

/** Words of a paper that recur: in its title, or at least twice in its title and abstract. */
function recurringKeys(p: Pick<Paper, 'title' | 'abstract'>): string[] {
  const counts = new Map<string, number>();
  for (const k of contentKeys(paperText(p))) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...new Set([...contentKeys(p.title ?? ''), ...[...counts].filter(([, n]) => n >= 2).map(([k]) => k)])];
}

function weightedVector(text: string, stats: PhraseStats): Map<string, number> {
  const v = new Map<string, number>();
  for (const k of contentKeys(text)) v.set(k, (v.get(k) ?? 0) + idf(stats, k));
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [k, x] of a) dot += x * (b.get(k) ?? 0);
  if (dot === 0) return 0;
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, x) => s + x * x, 0));
  return dot / (norm(a) * norm(b));
}

/** What explanations need of one paper: its phrases, its recurring words and its sentences' weighted vectors. */
interface PaperAnalysis {
  phrases: Map<string, string>;
  recurring: string[];
  sentences: { s: string; v: Map<string, number> }[];
}

/**
 * Papers analysed per corpus (phrase statistics), oldest dropped first past this many: a similar query explains ten
 * hits against the same query paper, and a server explains the same papers again and again; tokenising them anew was
 * most of a similar request's time (bench/serve.ts). 4,096 analyses of ~200-word abstracts take some tens of MB.
 */
const ANALYSES_KEPT = 4096;
const analysesOf = new WeakMap<PhraseStats, Map<Pick<Paper, 'title' | 'abstract'>, PaperAnalysis>>();

/** The analysis of a paper (the same object analysed before under the same statistics is not analysed again). */
function analyse(p: Pick<Paper, 'title' | 'abstract'>, stats: PhraseStats): PaperAnalysis {
  let kept = analysesOf.get(stats);
  if (!kept) analysesOf.set(stats, (kept = new Map()));
  const known = kept.get(p);
  if (known) return known;
  const analysis: PaperAnalysis = {
    phrases: phrasesOf(paperText(p), MAX_WORDS),
    recurring: recurringKeys(p),
    sentences: sentencesOf(p.abstract).map((s) => ({ s, v: weightedVector(s, stats) })),
  };
  if (kept.size >= ANALYSES_KEPT) kept.delete(kept.keys().next().value as Pick<Paper, 'title' | 'abstract'>);
  kept.set(p, analysis);
  return analysis;
}

/** Why paper `hit` is related to paper `query`: their shared distinctive phrases and best-matching sentence pair. */
export function explainSimilar(query: Pick<Paper, 'title' | 'abstract'>, hit: Pick<Paper, 'title' | 'abstract'>, stats: PhraseStats, options?: Partial<ExplainOptions>): Explanation {
  const opts = resolveOptions(EXPLAIN_DEFAULTS, options, CHECKS);
  const q = analyse(query, stats);
  const h = analyse(hit, stats);
  const mine = q.phrases;
  const theirs = h.phrases;
  const inHit = new Set(h.recurring);
  const recurring = new Set(q.recurring.filter((k) => inHit.has(k)));
  const phrases = pickPhrases([...theirs].filter(([key]) => mine.has(key)), stats, opts, (key) => recurring.has(key));
  const qs = q.sentences;
  const hs = h.sentences;
  let best: { query: string; hit: string; score: number } | undefined;
  for (const q of qs) {
    for (const h of hs) {
      const score = cosine(q.v, h.v);
      if (score > 0 && (!best || score > best.score)) best = { query: q.s, hit: h.s, score };
    }
  }
  return best ? { phrases, sentences: { query: best.query, hit: best.hit } } : { phrases };
}

/** Why paper `hit` matches a free-text query: the query's phrases found in the paper and its best-matching sentence. */
export function explainSearch(text: string, hit: Pick<Paper, 'title' | 'abstract'>, stats: PhraseStats, options?: Partial<ExplainOptions>): Explanation {
  const opts = resolveOptions(EXPLAIN_DEFAULTS, options, CHECKS);
  const wanted = phrasesOf(text, MAX_WORDS);
  const h = analyse(hit, stats);
  // Every query phrase counts here, common or not: the reader asked for those words.
  const phrases = pickPhrases([...h.phrases].filter(([key]) => wanted.has(key)), stats, { ...opts, maxShare: 1 }, () => true);
  const qv = weightedVector(text, stats);
  let best: { hit: string; score: number } | undefined;
  for (const { s, v } of h.sentences) {
    const score = cosine(qv, v);
    if (score > 0 && (!best || score > best.score)) best = { hit: s, score };
  }
  return best ? { phrases, sentences: { hit: best.hit } } : { phrases };
}
