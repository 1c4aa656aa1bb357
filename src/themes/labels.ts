// Theme names: class-based TF-IDF over words and two-word phrases, with a diversity rule so no word repeats.

import { STOP_WORDS } from './stop-words.js';

/** The terms of one document: canonical unigram and bigram keys, each counted once. */
export interface DocumentTerms {
  terms: Set<string>;
}

/** Every document's terms plus the surface form shown for each canonical key. */
export interface Vocabulary {
  docs: DocumentTerms[];
  /** Canonical key → the form to print (the most frequent spelling, ties alphabetical). */
  display: Map<string, string>;
}

/** A theme's ranked terms and the label built from them. */
export interface ClusterLabel {
  label: string;
  terms: { term: string; weight: number }[];
}

/** Options of labelClusters. */
export interface LabelOptions {
  /** Terms kept per cluster. Default 10. */
  topTerms: number;
  /** Terms joined into the label. Default 3. */
  labelTerms: number;
  /** γ of the term selection: weight of co-occurrence against c-TF-IDF rank; 0 ranks by c-TF-IDF alone. Default 1. */
  cohesion: number;
}

const LABEL_DEFAULTS: LabelOptions = { topTerms: 10, labelTerms: 3, cohesion: 1 };

/** Share of a cluster's documents a term must occur in to be considered (at least 2 documents). */
const MIN_SUPPORT = 0.1;

/**
 * Lower-cased word tokens: letters and digits, hyphenated compounds kept whole ("multi-task", "fine-tuning"), at least
 * two characters and one letter. Stop words and boilerplate become `null` so that a phrase never spans them.
 */
export function tokenise(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const raw of text.toLowerCase().replace(/[.,;:()[\]{}!?"]/g, ' | ').split(/[^a-z0-9|-]+/)) {
    if (raw === '|') {
      out.push(null);
      continue;
    }
    const token = raw.replace(/^-+|-+$/g, '');
    if (token.length < 2 || !/[a-z]/.test(token)) {
      if (raw !== '') out.push(null);
      continue;
    }
    const parts = token.split('-');
    out.push(STOP_WORDS.has(token) || parts.every((p) => STOP_WORDS.has(p) || p.length < 2) ? null : token);
  }
  return out;
}

/**
 * Builds each document's set of unigram and bigram keys. Spelling variants share one key: hyphens are dropped
 * ("multi-task" = "multitask") and a plural "-s" or "-ies" is folded when the singular also occurs ("tasks" → "task", "policies" → "policy").
 */
export function buildVocabulary(texts: readonly string[]): Vocabulary {
  const tokenised = texts.map(tokenise);
  const plain = new Set<string>();
  for (const tokens of tokenised) for (const t of tokens) if (t) plain.add(t.replace(/-/g, ''));
  const canonical = (token: string): string => {
    const joined = token.replace(/-/g, '');
    if (joined.length > 4 && joined.endsWith('ies') && plain.has(`${joined.slice(0, -3)}y`)) return `${joined.slice(0, -3)}y`;
    if (joined.length > 3 && joined.endsWith('s') && !/(ss|us|is)$/.test(joined) && plain.has(joined.slice(0, -1))) return joined.slice(0, -1);
    return joined;
  };
  const spellings = new Map<string, Map<string, number>>();
  const note = (key: string, surface: string): void => {
    const forms = spellings.get(key) ?? new Map<string, number>();
    forms.set(surface, (forms.get(surface) ?? 0) + 1);
    spellings.set(key, forms);
  };
  const docs = tokenised.map((tokens) => {
    const terms = new Set<string>();
    let prev: { key: string; surface: string } | undefined;
    for (const t of tokens) {
      if (!t) {
        prev = undefined;
        continue;
      }
      const key = canonical(t);
      terms.add(key);
      note(key, t);
      if (prev && prev.key !== key) {
        const bigram = `${prev.key} ${key}`;
        terms.add(bigram);
        note(bigram, `${prev.surface} ${t}`);
      }
      prev = { key, surface: t };
    }
    return { terms };
  });
  const display = new Map<string, string>();
  for (const [key, forms] of spellings) {
    const best = [...forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    display.set(key, best[0]);
  }
  return { docs, display };
}

/**
 * Labels clusters 0..k-1 of `assignment` (rows with a negative cluster are ignored) by class-based TF-IDF, as in
 * BERTopic (Grootendorst 2022, arXiv:2203.05794; `bertopic/vectorizers/_ctfidf.py`):
 *
 *   W(t, c) = tf(t, c) / Σ_t' tf(t', c) · log(1 + A / f(t))
 *
 * where tf(t, c) is the frequency of term t in cluster c, f(t) = Σ_c tf(t, c) its frequency over all clusters, and A
 * the average number of term occurrences per cluster. Unlike BERTopic, tf counts documents (a term counts once per
 * abstract), so one paper repeating its own acronym cannot name a theme; A is accordingly the average number of
 * documents per cluster (BERTopic's A, words per class, left generic words like "tasks" on top of every theme here);
 * and a term must occur in at least max(2, 10 % of the cluster) of its documents.
 *
 * Diversity: terms are taken best first, skipping any term that shares a word with one already taken (a hard form of
 * maximal marginal relevance, Carbonell & Goldstein 1998), so a label never repeats a word. A word is replaced by the
 * best phrase that contains it when that phrase weighs at least half as much, so "model merging" wins over "merging".
 */
export function labelClusters(vocab: Vocabulary, assignment: readonly number[], k: number, options?: Partial<LabelOptions>): ClusterLabel[] {
  const opts = { ...LABEL_DEFAULTS, ...options };
  const counts = Array.from({ length: k }, () => new Map<string, number>());
  const sizes = new Array<number>(k).fill(0);
  const total = new Map<string, number>();
  vocab.docs.forEach((doc, i) => {
    const c = assignment[i] as number;
    if (c < 0 || c >= k) return;
    sizes[c] = (sizes[c] as number) + 1;
    const map = counts[c] as Map<string, number>;
    for (const t of doc.terms) {
      map.set(t, (map.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + 1);
    }
  });
  const mass = counts.map((m) => [...m.values()].reduce((s, v) => s + v, 0));
  const avgSize = sizes.reduce((s, v) => s + v, 0) / Math.max(1, k);
  const pools = counts.map((map, c) => {
    const minDocs = Math.min(sizes[c] as number, Math.max(2, Math.ceil(MIN_SUPPORT * (sizes[c] as number))));
    const weighted: { key: string; weight: number }[] = [];
    for (const [key, n] of map) {
      if (n < minDocs) continue;
      const weight = (n / (mass[c] as number)) * Math.log(1 + avgSize / (total.get(key) as number));
      weighted.push({ key, weight });
    }
    return weighted.sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, POOL_SIZE);
  });
  const postings = new Map<string, Set<number>>();
  for (const pool of pools) for (const t of pool) postings.set(t.key, new Set());
  vocab.docs.forEach((doc, i) => {
    for (const t of doc.terms) postings.get(t)?.add(i);
  });
  return pools.map((pool) => {
    const chosen = pickDiverse(pool, opts.topTerms, vocab.display, postings, vocab.docs.length, opts.cohesion);
    const terms = chosen.map((t) => ({ term: vocab.display.get(t.key) ?? t.key, weight: Math.round(t.weight * 1e6) / 1e6 }));
    return { label: terms.slice(0, opts.labelTerms).map((t) => t.term).join(' · '), terms };
  });
}

/** Terms looked at per cluster when choosing its labels. */
const POOL_SIZE = 60;

/**
 * Chooses `count` terms from a cluster's ranked pool, one at a time, maximising
 *
 *   score(t) = W(t) / W(best) + γ · mean_{s ∈ chosen} NPMI(t, s)
 *
 * a maximal-marginal-relevance selection (Carbonell & Goldstein 1998) whose second part rewards terms that occur in
 * the same papers as those already chosen (NPMI over documents, Bouma 2009), so a theme's terms describe one group of
 * papers rather than a grab-bag. Diversity is a hard rule: a word (up to its suffix, see stem) may appear once, an acronym and its expansion ("mtl",
 * "multi-task learning") count as the same words, and a word yields to a phrase that contains or spells it out when
 * the phrase weighs at least half as much, so "model merging" wins over "merging".
 */
function pickDiverse(
  ranked: readonly { key: string; weight: number }[],
  count: number,
  display: ReadonlyMap<string, string>,
  postings: ReadonlyMap<string, ReadonlySet<number>>,
  nDocs: number,
  gamma: number,
): { key: string; weight: number }[] {
  const pool = ranked.slice(0, POOL_SIZE);
  const top = pool[0]?.weight ?? 1;
  const used = new Set<string>();
  const chosen: { key: string; weight: number }[] = [];
  const free = (key: string): boolean => {
    if (!key.split(' ').every((w) => !used.has(stem(w)))) return false;
    const initials = acronymOf(display.get(key) ?? key);
    // "petl" is taken once "parameter-efficient transfer" (initials "pet") is.
    return !used.has(`#${initials}`) && !(key.length >= 4 && !key.includes(' ') && used.has(`#${initials.slice(0, -1)}`));
  };
  const phraseFor = (candidate: { key: string; weight: number }): { key: string; weight: number } => {
    if (candidate.key.includes(' ')) return candidate;
    const word = candidate.key.replace(/s$/, '');
    // A phrase spells the word out when its initials are the word, or all of it but the last letter (a two-word
    // phrase cut from a three-word name: "parameter-efficient transfer" for "petl").
    const expands = (r: { key: string }): boolean => {
      const initials = acronymOf(display.get(r.key) ?? r.key);
      return r.key.split(' ').includes(candidate.key) || initials === word || (initials.length >= 3 && initials === word.slice(0, -1));
    };
    const phrase = pool.find((r) => r.key.includes(' ') && expands(r) && free(r.key));
    return phrase && phrase.weight >= 0.5 * candidate.weight ? phrase : candidate;
  };
  while (chosen.length < count) {
    let best: { pick: { key: string; weight: number }; score: number } | undefined;
    for (const candidate of pool) {
      if (!free(candidate.key)) continue;
      const pick = phraseFor(candidate);
      const cohesion = chosen.length ? chosen.reduce((s, c) => s + npmiOf(postings, pick.key, c.key, nDocs), 0) / chosen.length : 0;
      const score = candidate.weight / top + gamma * cohesion;
      if (!best || score > best.score) best = { pick, score };
    }
    if (!best) break;
    for (const w of best.pick.key.split(' ')) {
      used.add(stem(w));
      // A single word may itself be an acronym ("gnns" → "gnn"); block the phrases it abbreviates.
      used.add(`#${w.replace(/s$/, '')}`);
    }
    used.add(`#${acronymOf(display.get(best.pick.key) ?? best.pick.key)}`);
    chosen.push(best.pick);
  }
  return chosen;
}

/** NPMI of two terms over documents: log(p(a,b) / p(a)p(b)) / −log p(a,b); −1 when they never share a document. */
function npmiOf(postings: ReadonlyMap<string, ReadonlySet<number>>, a: string, b: string, nDocs: number): number {
  const da = postings.get(a);
  const db = postings.get(b);
  if (!da || !db) return -1;
  let joint = 0;
  for (const d of da) if (db.has(d)) joint++;
  if (joint === 0) return -1;
  const pab = joint / nDocs;
  if (pab === 1) return 1;
  return Math.log(pab / ((da.size / nDocs) * (db.size / nDocs))) / -Math.log(pab);
}

/**
 * A crude stem, only for deciding that two words are the same word ("merge", "merged", "merging" → "merg";
 * "measure", "measurement" → "measur"; "transferring" → "transfer"): one common suffix off, then a doubled final
 * consonant undone.
 */
function stem(word: string): string {
  const base = word.replace(/(ements?|ments?|ings?|ations?|ions?|ities|ity|ies|ic|ed|es|al|ly|e|s|y)$/, '');
  const undoubled = /([b-df-hj-np-tv-z])\1$/.test(base) ? base.slice(0, -1) : base;
  return undoubled.length >= 3 ? undoubled : word;
}

/** Initials of a phrase's words and hyphen parts ("multi-task learning" → "mtl"); a single word stands for itself. */
function acronymOf(term: string): string {
  const parts = term.split(/[\s-]+/).filter(Boolean);
  return parts.length < 2 ? term.replace(/s$/, '') : parts.map((p) => p[0]).join('');
}
