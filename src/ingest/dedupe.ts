// De-duplication: papers read more than once (same DOI, arXiv id or title, or a near-identical abstract) merge into one.

import { fnv1a } from '../random.js';
import type { Paper, SourceRef } from '../records.js';
import { tokenize } from '../index/_tokens.js';
import { abstractWords, paperId, titleKey } from './_normalise.js';

/** Why the papers of a group were taken for one: the strongest key they share. */
export type DuplicateReason = 'doi' | 'arxiv' | 'title' | 'abstract';

/** Papers merged into one: the resulting id, every source, and the reason. */
export interface DuplicateGroup {
  id: string;
  sources: SourceRef[];
  reason: DuplicateReason;
}

/**
 * Shingle Jaccard similarity at or above which two abstracts are near-identical. 3-word shingles: one changed word
 * removes at most 3 of ~200 shingles, so a 0.8 threshold tolerates a dozen scattered edits (typo fixes, a changed
 * sentence), while distinct abstracts on one topic share under 0.1.
 */
export const NEAR_DUPLICATE_JACCARD = 0.8;
/**
 * Word-set Jaccard at or above which two abstracts are near-identical even when shingles differ more (short abstracts,
 * where two edits already cost 15% of the shingles; or the same words reordered between versions).
 */
export const NEAR_DUPLICATE_WORD_JACCARD = 0.9;
/**
 * Share of the shorter abstract's shingles found in the longer one at or above which the shorter is a truncated copy
 * (listing pages cut abstracts), provided it has at least MIN_CONTAINED_SHINGLES shingles.
 */
export const TRUNCATED_CONTAINMENT = 0.9;
const MIN_CONTAINED_SHINGLES = 20;
/** Shortest title trusted to identify a paper: two words and this many characters ("Introduction" does not merge). */
const MIN_TITLE_KEY = 12;
/** MinHash signature: BANDS × ROWS bins. P(candidate) = 1 − (1 − J^ROWS)^BANDS: 0.999 at J = 0.8, 0.0008 at J = 0.1. */
const BANDS = 8;
const ROWS = 4;
/** Words of the abstract's opening used as a second blocking key, so truncated copies meet their full version. */
const PREFIX_WORDS = 12;
/** Largest bucket compared in full; bigger ones (boilerplate text) compare each newcomer with the first members only. */
const MAX_BUCKET = 64;

const REASON_RANK: Record<DuplicateReason, number> = { doi: 0, arxiv: 1, title: 2, abstract: 3 };

function mix(x: number, seed: number): number {
  // murmur3 finaliser over x xor seed: a cheap, well-spread family of hash functions for MinHash.
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** log2(BANDS × ROWS): the top bits of a shingle hash pick its signature bin. */
const SIGNATURE_BITS = 5;
const LOW_MASK = (1 << (32 - SIGNATURE_BITS)) - 1;

function distinctSorted(values: Uint32Array): Uint32Array {
  const sorted = values.sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] ?? 0;
  return sorted.subarray(0, n);
}

/** Shingle and word sets of one abstract, plus hashes of its whole text and of its opening words, for blocking. */
interface AbstractSets {
  /** Sorted distinct hashes of 3-word shingles (of single words for abstracts under 3 words). */
  shingles: Uint32Array;
  /** Sorted distinct hashes of the words. */
  words: Uint32Array;
  exact: number;
  /** Hash of the first PREFIX_WORDS words; undefined for shorter abstracts. */
  prefix?: number;
}

function abstractSets(abstract: string): AbstractSets {
  const words = abstractWords(abstract);
  const hashes = Uint32Array.from(words, fnv1a);
  let exact = 0x811c9dc5;
  let prefix: number | undefined;
  for (let i = 0; i < hashes.length; i++) {
    exact = mix(exact ^ (hashes[i] ?? 0), i);
    if (i === PREFIX_WORDS - 1) prefix = exact;
  }
  const shingled = new Uint32Array(hashes.length < 3 ? hashes.length : hashes.length - 2);
  if (hashes.length < 3) shingled.set(hashes);
  else for (let i = 0; i + 2 < hashes.length; i++) shingled[i] = mix(Math.imul(hashes[i] ?? 0, 0x9e3779b1) ^ Math.imul(hashes[i + 1] ?? 0, 0x85ebca77) ^ (hashes[i + 2] ?? 0), 0x27d4eb2f);
  return { shingles: distinctSorted(shingled), words: distinctSorted(hashes), exact, ...(prefix !== undefined ? { prefix } : {}) };
}

function overlap(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common;
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const common = overlap(a, b);
  const union = a.length + b.length - common;
  return union > 0 ? common / union : 0;
}

/** True when two abstracts are near-identical (by shingles or by words), or one is a truncated copy of the other. */
function nearIdentical(a: AbstractSets, b: AbstractSets): boolean {
  if (jaccard(a.shingles, b.shingles) >= NEAR_DUPLICATE_JACCARD) return true;
  if (jaccard(a.words, b.words) >= NEAR_DUPLICATE_WORD_JACCARD) return true;
  const smaller = Math.min(a.shingles.length, b.shingles.length);
  return smaller >= MIN_CONTAINED_SHINGLES && overlap(a.shingles, b.shingles) / smaller >= TRUNCATED_CONTAINMENT;
}

function surnames(p: Paper): Set<string> {
  return new Set(p.authors.map((a) => titleKey(a).split(' ').pop() ?? '').filter((s) => s.length > 1));
}

/** False only when both copies list authors and no surname is shared: one title, two different papers. */
function shareAnAuthor(a: Paper, b: Paper): boolean {
  const left = surnames(a);
  const right = surnames(b);
  if (left.size === 0 || right.size === 0) return true;
  for (const s of left) if (right.has(s)) return true;
  return false;
}

/** Content words (index/_tokens.ts terms) both abstracts need before they can tell two same-titled copies apart. */
const MIN_TELLING_TERMS = 30;
/** Share of the shorter abstract's content words found in the other below which same-titled copies are two papers. */
const SAME_PAPER_SHARE = 0.3;

/**
 * False only when both copies have abstracts long enough to tell and those share almost no content words: one title,
 * two papers. Without authors to compare, "Twitter sentiment analysis" by two groups had merged, losing one abstract;
 * in CSFCube's 4,205 papers (bench/corpora/csfcube.ts) same-titled distinct papers share 0.14 and 0.28 of their
 * words, copies of one paper 0.46 (one copy OCR-garbled) to 1.
 */
function abstractsAgree(a: Paper, b: Paper): boolean {
  const left = new Set(tokenize(a.abstract));
  const right = new Set(tokenize(b.abstract));
  if (left.size < MIN_TELLING_TERMS || right.size < MIN_TELLING_TERMS) return true;
  let shared = 0;
  for (const t of left) if (right.has(t)) shared++;
  return shared >= SAME_PAPER_SHARE * Math.min(left.size, right.size);
}

/** How much a paper tells: used to pick which copy's fields win. */
function richness(p: Paper): number {
  return (p.doi ? 4 : 0) + (p.arxivId ? 3 : 0) + (p.title ? 2 : 0) + (p.authors.length ? 2 : 0) + (p.date ? 1 : 0) + (p.year ? 1 : 0) + (p.url ? 1 : 0) + (p.authorCount ? 0.5 : 0);
}

/** Merges copies of one paper: the richest copy's fields first, gaps filled from the others, the longest abstract. */
function mergeCopies(copies: readonly Paper[], sourceOrder: (s: SourceRef) => number): Paper {
  const ranked = [...copies].sort((a, b) => richness(b) - richness(a));
  const pick = <K extends keyof Paper>(key: K): Paper[K] | undefined => ranked.find((p) => p[key] !== undefined)?.[key];
  const abstract = copies.reduce((best, p) => (p.abstract.length > best.length ? p.abstract : best), '');
  const authors = copies.reduce<string[]>((best, p) => (p.authors.length > best.length ? p.authors : best), []);
  const sources = copies.flatMap((p) => p.sources).sort((a, b) => sourceOrder(a) - sourceOrder(b));
  const year = pick('year');
  const datedCopy = ranked.find((p) => p.date && (year === undefined || p.date.startsWith(String(year))));
  const merged: Paper = {
    id: '',
    ...(pick('title') !== undefined ? { title: pick('title') } : {}),
    abstract,
    authors,
    ...(pick('authorCount') !== undefined ? { authorCount: Math.max(...copies.map((p) => p.authorCount ?? 0)) } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(datedCopy?.date ? { date: datedCopy.date } : {}),
    ...(pick('doi') !== undefined ? { doi: pick('doi') } : {}),
    ...(pick('arxivId') !== undefined ? { arxivId: pick('arxivId') } : {}),
    ...(pick('url') !== undefined ? { url: pick('url') } : {}),
    ...(pick('citationKey') !== undefined ? { citationKey: pick('citationKey') } : {}),
    ...(pick('entryType') !== undefined ? { entryType: pick('entryType') } : {}),
    ...(pick('fields') !== undefined ? { fields: pick('fields') } : {}),
    sources,
  };
  merged.id = paperId(merged);
  return merged;
}

/**
 * Merges duplicates among `papers` (each fresh from a reader, one source each, in reading order) and reports each
 * merged group. Keys, strongest first: DOI, arXiv id, normalised title, identical normalised abstract, then
 * near-identical abstract (MinHash LSH over 3-word shingles with BANDS × ROWS hashes, plus a block on the opening
 * words; candidates verified exactly: shingle Jaccard ≥ NEAR_DUPLICATE_JACCARD, word-set Jaccard ≥
 * NEAR_DUPLICATE_WORD_JACCARD, or shingle containment ≥ TRUNCATED_CONTAINMENT).
 * Two copies with different DOIs (or different arXiv ids) never merge, nor do same-titled copies whose author lists
 * share no surname or whose abstracts share almost no words. Runs in about linear time.
 * Output keeps the order of each paper's first source.
 */
export function dedupe(papers: readonly Paper[]): { papers: Paper[]; duplicates: DuplicateGroup[] } {
  const n = papers.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const dois: (Set<string> | undefined)[] = papers.map((p) => (p.doi ? new Set([p.doi]) : undefined));
  const arxivs: (Set<string> | undefined)[] = papers.map((p) => (p.arxivId ? new Set([p.arxivId]) : undefined));
  const reason: (DuplicateReason | undefined)[] = new Array(n).fill(undefined);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    while (parent[i] !== r) {
      const next = parent[i] ?? r;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const disjoint = (a: Set<string> | undefined, b: Set<string> | undefined): boolean => !!a && !!b && ![...a].some((x) => b.has(x));
  const union = (i: number, j: number, why: DuplicateReason): boolean => {
    const a = find(i);
    const b = find(j);
    if (a === b) return true;
    if (disjoint(dois[a], dois[b]) || disjoint(arxivs[a], arxivs[b])) return false;
    const [root, child] = a < b ? [a, b] : [b, a];
    parent[child] = root;
    dois[root] = dois[root] || dois[child] ? new Set([...(dois[root] ?? []), ...(dois[child] ?? [])]) : undefined;
    arxivs[root] = arxivs[root] || arxivs[child] ? new Set([...(arxivs[root] ?? []), ...(arxivs[child] ?? [])]) : undefined;
    const ranks = [reason[root], reason[child], why].filter((r): r is DuplicateReason => r !== undefined).map((r) => REASON_RANK[r]);
    reason[root] = (Object.keys(REASON_RANK) as DuplicateReason[])[Math.min(...ranks)];
    return true;
  };
  const byKey = (keyOf: (p: Paper) => string | undefined, why: DuplicateReason, compatible: (a: Paper, b: Paper) => boolean = () => true): void => {
    const first = new Map<string, number[]>();
    papers.forEach((p, i) => {
      const key = keyOf(p);
      if (!key) return;
      const seen = first.get(key);
      if (!seen) {
        first.set(key, [i]);
        return;
      }
      // Join the first earlier copy that does not conflict; remember this one if none fits.
      if (!seen.some((j) => compatible(papers[j] as Paper, p) && union(j, i, why))) seen.push(i);
    });
  };
  byKey((p) => p.doi, 'doi');
  byKey((p) => p.arxivId, 'arxiv');
  byKey((p) => {
    const key = p.title ? titleKey(p.title) : '';
    return key.length >= MIN_TITLE_KEY && key.includes(' ') ? key : undefined;
  }, 'title', (a, b) => shareAnAuthor(a, b) && abstractsAgree(a, b));
  nearDuplicates(papers.map((p) => p.abstract), union);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const members = groups.get(r);
    if (members) members.push(i);
    else groups.set(r, [i]);
  }
  const order = new Map<SourceRef, number>();
  papers.forEach((p, i) => p.sources.forEach((s) => order.set(s, i)));
  const sourceOrder = (s: SourceRef): number => order.get(s) ?? 0;
  const out: Paper[] = [];
  const duplicates: DuplicateGroup[] = [];
  const usedIds = new Map<string, number>();
  for (const [root, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const merged = members.length === 1 && papers[root] ? { ...papers[root], sources: [...papers[root].sources] } : mergeCopies(members.map((m) => papers[m] as Paper), sourceOrder);
    const taken = usedIds.get(merged.id) ?? 0;
    usedIds.set(merged.id, taken + 1);
    if (taken > 0) merged.id = `${merged.id}~${taken + 1}`;
    out.push(merged);
    if (members.length > 1) duplicates.push({ id: merged.id, sources: merged.sources, reason: reason[root] ?? 'abstract' });
  }
  return { papers: out, duplicates };
}

/** Unions papers whose abstracts are identical or near-identical, via exact keys, MinHash LSH and prefix blocks. */
function nearDuplicates(abstracts: readonly string[], union: (i: number, j: number, why: DuplicateReason) => boolean): void {
  const sets = abstracts.map(abstractSets);
  const none: AbstractSets = { shingles: new Uint32Array(), words: new Uint32Array(), exact: 0 };
  // One bucket table per blocking key: the exact text, each LSH band, the opening words. Keys are 32-bit hashes;
  // a collision only costs a verification.
  const tables = Array.from({ length: BANDS + 2 }, () => new Map<number, number[]>());
  const offer = (table: number, key: number, i: number): void => {
    const buckets = tables[table];
    if (!buckets) return;
    const members = buckets.get(key);
    if (!members) {
      buckets.set(key, [i]);
      return;
    }
    for (const j of members) {
      if (nearIdentical(sets[i] ?? none, sets[j] ?? none) && union(j, i, 'abstract')) break;
    }
    if (members.length < MAX_BUCKET) members.push(i);
  };
  const signature = new Uint32Array(BANDS * ROWS);
  sets.forEach((set, i) => {
    offer(0, set.exact, i);
    if (set.prefix !== undefined) offer(1, set.prefix, i);
    if (set.shingles.length === 0) return;
    // One-permutation MinHash (Li, Owen & Zhang 2012): each shingle hash falls in bin = top 5 bits and the bin keeps
    // its minimum, so a signature costs one pass instead of one per hash function; P(bin equal) ≈ Jaccard.
    signature.fill(0xffffffff);
    for (const x of set.shingles) {
      const bin = x >>> (32 - SIGNATURE_BITS);
      const value = x & LOW_MASK;
      if (value < (signature[bin] ?? 0)) signature[bin] = value;
    }
    for (let b = 0; b < BANDS; b++) {
      let key = b;
      for (let r = 0; r < ROWS; r++) key = mix(key ^ (signature[b * ROWS + r] ?? 0), r);
      offer(2 + b, key, i);
    }
  });
}
