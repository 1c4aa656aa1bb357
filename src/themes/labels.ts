// Theme names: class-based TF-IDF over words and two-word phrases, checked against each theme's central papers.

import { lazyModule } from '../lazy.js';
import { STOP_WORDS } from './stop-words.js';

const compromise = lazyModule<typeof import('compromise').default>('compromise');

/** Every document's terms (interned), with the corpus document frequency and the form shown for each term. */
export interface Vocabulary {
  /** Term id → canonical key ("multitask learning"). */
  keys: string[];
  /** Term id → the form to print ("multi-task learning", "LLM"). */
  display: string[];
  /** Per document, its distinct term ids, ascending. */
  docs: Int32Array[];
  /** Per term id, the number of documents holding it. */
  df: Int32Array;
  /** The documents' texts, where a word's use (usedAsVerb) and a phrase's next word (lengthen) are looked up. */
  texts: readonly string[];
  /** A text's words as term ids, in order; -1 where a phrase breaks (punctuation, a stop word). */
  termsOf: (text: string) => Int32Array;
  /** Term id → the two word ids of a two-word phrase, [-1, -1] for a single word. */
  parts: readonly (readonly [number, number])[];
  /** Words that name a shared-task team, not a subject (sharedTaskTeams), by term id. */
  teams: ReadonlySet<number>;
  /** Document lists, NPMI values, word uses and phrases looked at so far (labelling asks for the same ones many times). */
  cache: { postings: Map<number, Int32Array>; npmi: Map<number, number>; verbs: Map<number, boolean>; context: Map<number, TermContext>; lengthened: Set<number> };
}

/** A theme's ranked terms and the label built from them. */
export interface ClusterLabel {
  label: string;
  terms: { term: string; weight: number }[];
}

/** One group to label: its documents, and its most central documents first. */
export interface LabelGroup {
  docs: readonly number[];
  /** The group's documents closest to its centre, closest first (at least the first `centralPapers` are used). */
  central: readonly number[];
}

/** Options of labelGroups. */
export interface LabelOptions {
  /** Terms kept per group. Default 10. */
  topTerms: number;
  /** Terms joined into the label; at most three are ever shown. Default 3. */
  labelTerms: number;
  /** γ of the term selection: weight of co-occurrence against c-TF-IDF rank; 0 ranks by c-TF-IDF alone. Default 1. */
  cohesion: number;
  /**
   * A term in more than this share of all documents, at most half of them in the group, is generic in this corpus
   * ("model", "learning" in a machine learning library) and does not name the group. Default 0.15.
   */
  maxDocShare: number;
  /** Central papers a candidate is checked against. Default 10. */
  centralPapers: number;
  /** Share of those central papers a candidate must occur in (at least one paper). Default 0.2. */
  centralShare: number;
  /**
   * When the groups are the parts of one parent (sub-themes), the mean group size of the level above: the weight is
   * then also multiplied by the corpus-level idf log(1 + outerAvgSize / df(t)), so a part is named by what sets it
   * apart from its siblings *and* from the rest of the corpus. Default undefined (groups cover the corpus).
   */
  outerAvgSize: number | undefined;
}

const LABEL_DEFAULTS: LabelOptions = { topTerms: 10, labelTerms: 3, cohesion: 1, maxDocShare: 0.15, centralPapers: 10, centralShare: 0.2, outerAvgSize: undefined };

/** Share of a spelling's uses that must be written with the same capitals for it to be shown so. */
const CASED_SHARE = 0.9;

/** Share of a group's documents a term must occur in to be considered (at least 2 documents). */
const MIN_SUPPORT = 0.1;

/**
 * A word token: its lower-case form and, when it was written as an acronym ("LLMs", "GNN", "LoRA", "STS"), the acronym
 * as written, without a plural "s" written in lower case ("LLM", "GNN", "LoRA", "STS").
 */
interface Token {
  lower: string;
  acronym: string | undefined;
  /** As written, hyphens at the ends off ("English", "GPT-2", "multi-task"). */
  surface: string;
}

const ACRONYM = /^[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*$/;

/**
 * Word tokens: letters and digits, hyphenated compounds kept whole ("multi-task", "fine-tuning"), at least two
 * characters and one letter. Stop words and boilerplate become `null` so that a phrase never spans them. Acronyms are
 * kept at any length of two or more and remembered as such, so they are shown as written ("LLM", "LoRA").
 */
export function tokenise(text: string): (Token | null)[] {
  const out: (Token | null)[] = [];
  for (const raw of splitRaw(text)) {
    const t = classify(raw);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/**
 * The raw pieces of a text tokenise classifies: punctuation becomes a '|' piece (a phrase break), and so does a LaTeX
 * command (arXiv abstracts write "\mathbb{R}", "\textbf{...}": "mathbb" is markup, not a word of the paper).
 */
function splitRaw(text: string): string[] {
  return text.replace(/\\[A-Za-z]+|[.,;:()[\]{}!?"]/g, ' | ').split(/[^A-Za-z0-9|-]+/);
}

/** One raw piece: a token, null (a phrase break: punctuation, a stop word, a number), or undefined (nothing). */
function classify(raw: string): Token | null | undefined {
  if (raw === '|') return null;
  const surface = raw.replace(/^-+|-+$/g, '');
  const token = surface.toLowerCase();
  if (token.length < 2 || !/[a-z]/.test(token)) return raw !== '' ? null : undefined;
  const parts = token.split('-');
  const stop = STOP_WORDS.has(token) || parts.every((p) => STOP_WORDS.has(p) || p.length < 2);
  const singular = surface.replace(/s$/, '');
  return stop ? null : { lower: token, acronym: surface.length <= 8 && ACRONYM.test(singular) ? singular : undefined, surface };
}

/**
 * Interns each document's unigram and bigram keys. Spelling variants share one key: hyphens are dropped
 * ("multi-task" = "multitask") and a plural "-s" or "-ies" is folded when the singular also occurs ("tasks" → "task",
 * "policies" → "policy"). A word is shown as its most frequent spelling, or, when it is mostly written as an acronym,
 * as its most frequent acronym spelling ("LoRA", "STS"; "LLMs" counts as "LLM"); a phrase as its words' forms. Each
 * distinct raw piece is classified once (at 100,000 abstracts the per-occurrence work was most of the themes step's
 * linear cost); the result is the same as classifying each occurrence.
 */
export function buildVocabulary(texts: readonly string[]): Vocabulary {
  // Pass 1: every document as a list of distinct-piece numbers (-1 = phrase break), each piece classified once.
  const pieceOf = new Map<string, number>();
  const pieces: Token[] = [];
  const streams = texts.map((text) => {
    const stream: number[] = [];
    for (const raw of splitRaw(text)) {
      let p = pieceOf.get(raw);
      if (p === undefined) {
        const t = classify(raw);
        p = t === undefined ? -2 : t === null ? -1 : pieces.push(t) - 1;
        pieceOf.set(raw, p);
      }
      if (p !== -2) stream.push(p);
    }
    return Int32Array.from(stream);
  });
  const plain = new Set<string>();
  for (const t of pieces) plain.add(t.lower.replace(/-/g, ''));
  const canonical = (token: string): string => {
    const joined = token.replace(/-/g, '');
    if (joined.length > 4 && joined.endsWith('ies') && plain.has(`${joined.slice(0, -3)}y`)) return `${joined.slice(0, -3)}y`;
    if (joined.length > 3 && joined.endsWith('s') && !/(ss|us|is)$/.test(joined) && plain.has(joined.slice(0, -1))) return joined.slice(0, -1);
    return joined;
  };
  const ids = new Map<string, number>();
  const pairIds = new Map<number, Map<number, number>>();
  const keys: string[] = [];
  const parts: [number, number][] = [];
  const intern = (key: string, pair?: [number, number]): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = keys.length;
      ids.set(key, id);
      keys.push(key);
      parts.push(pair ?? [-1, -1]);
    }
    return id;
  };
  // Unigram keys hold no space, so a pair of term ids names one bigram key; the ids stand in for the string (one
  // small-integer map per first word: a single key a·2²⁶ + b would be a heap number, several times slower to hash).
  const internPair = (a: number, b: number): number => {
    let after = pairIds.get(a);
    if (after === undefined) pairIds.set(a, (after = new Map<number, number>()));
    let id = after.get(b);
    if (id === undefined) {
      id = intern(`${keys[a]} ${keys[b]}`, [a, b]);
      after.set(b, id);
    }
    return id;
  };
  // Piece → term id, interned at a piece's first occurrence (the same order as interning every occurrence); and how
  // often each piece occurs, for the spellings.
  const termOf = new Int32Array(pieces.length).fill(-1);
  const occurrences = new Float64Array(pieces.length);
  // A document's distinct terms: `seenIn[t]` holds the last document that took term t (ids grow as terms are interned).
  let seenIn = new Int32Array(1 << 16).fill(-1);
  const docs = streams.map((stream, d) => {
    const terms: number[] = [];
    const add = (t: number): void => {
      if (t >= seenIn.length) {
        const grown = new Int32Array(Math.max(2 * seenIn.length, t + 1)).fill(-1);
        grown.set(seenIn);
        seenIn = grown;
      }
      if (seenIn[t] !== d) {
        seenIn[t] = d;
        terms.push(t);
      }
    };
    let prev: number | undefined;
    for (const p of stream) {
      if (p < 0) {
        prev = undefined;
        continue;
      }
      let id = termOf[p] as number;
      if (id < 0) {
        id = intern(canonical((pieces[p] as Token).lower));
        termOf[p] = id;
      }
      add(id);
      occurrences[p] = (occurrences[p] as number) + 1;
      if (prev !== undefined && prev !== id) add(internPair(prev, id));
      prev = id;
    }
    return Int32Array.from(terms).sort();
  });
  const spellings = new Map<number, Map<string, number>>();
  const acronyms = new Map<number, Map<string, number>>();
  const written = new Map<string, Map<string, number>>();
  const note = (book: Map<number, Map<string, number>>, id: number, form: string, count: number): void => {
    const forms = book.get(id) ?? new Map<string, number>();
    forms.set(form, (forms.get(form) ?? 0) + count);
    book.set(id, forms);
  };
  pieces.forEach((t, p) => {
    const count = occurrences[p] as number;
    if (!count) return;
    const id = termOf[p] as number;
    note(spellings, id, t.lower, count);
    if (t.acronym) note(acronyms, id, t.acronym, count);
    const forms = written.get(t.lower) ?? new Map<string, number>();
    forms.set(t.surface, (forms.get(t.surface) ?? 0) + count);
    written.set(t.lower, forms);
  });
  const df = new Int32Array(keys.length);
  for (const doc of docs) for (const t of doc) df[t] = (df[t] as number) + 1;
  const mostFrequent = (forms: Map<string, number>): [string, number] =>
    [...forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
  const total = (forms: Map<string, number> | undefined): number => [...(forms?.values() ?? [])].reduce((s, v) => s + v, 0);
  // A spelling is shown with its capitals when nearly all its uses have them, wherever in a sentence it stands
  // ("English", "GPT-2", "3D"); a word capitalised only at the start of sentences and in titles stays in lower case.
  const cased = (spelling: string): string => {
    const forms = written.get(spelling);
    if (!forms) return spelling;
    const [form, n] = mostFrequent(forms);
    return form !== spelling && n >= CASED_SHARE * total(forms) ? form : spelling;
  };
  const display = keys.map((key, id) => {
    if ((parts[id] as [number, number])[0] >= 0) return '';
    const forms = spellings.get(id);
    if (!forms) return key;
    const caps = acronyms.get(id);
    if (caps && 2 * total(caps) >= total(forms)) return mostFrequent(caps)[0];
    return cased(mostFrequent(forms)[0]);
  });
  // The first word of a phrase is shown in its singular spelling when there is one ("task vectors", not "tasks vectors").
  const leading = keys.map((key, id) => {
    const forms = spellings.get(id);
    const singular = forms && [...forms.entries()].filter(([f]) => f.replace(/-/g, '') === key).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    return singular && !acronyms.has(id) ? cased(singular[0]) : (display[id] as string);
  });
  keys.forEach((_, id) => {
    const [a, b] = parts[id] as [number, number];
    if (a >= 0) display[id] = `${leading[a]} ${display[b]}`;
  });
  const termsOf = (text: string): Int32Array => {
    const out: number[] = [];
    for (const raw of splitRaw(text)) {
      const p = pieceOf.get(raw);
      if (p === undefined || p === -1) out.push(-1);
      else if (p >= 0) out.push(termOf[p] as number);
    }
    return Int32Array.from(out);
  };
  return { keys, display, docs, df, texts, termsOf, parts, teams: sharedTaskTeams(texts, termsOf, df), cache: { postings: new Map(), npmi: new Map(), verbs: new Map(), context: new Map(), lengthened: new Set() } };
}

/**
 * A shared-task paper is titled "<team> at <event and year>: ..." ("NTUA-SLP at SemEval-2018 Task 1: ...", "UPB at
 * SemEval-2022 Task 5", "NTUA-SLP at IEST 2018"): the team's name is distinctive for the team's own papers, so it would
 * name their theme, yet it says nothing of the subject. A word is a team's name when at least half of the documents
 * holding it open so with it (a team called after a model, "BERT at ...", leaves "BERT" a word: most papers holding
 * "BERT" are not that team's).
 */
const TEAM_TITLE = /^\s*([A-Za-z0-9][A-Za-z0-9-]*) at [A-Z][A-Za-z-]*[- ]?(?:19|20)\d\d\b/;

function sharedTaskTeams(texts: readonly string[], termsOf: (text: string) => Int32Array, df: Int32Array): Set<number> {
  const opened = new Map<number, number>();
  for (const text of texts) {
    const team = TEAM_TITLE.exec(text)?.[1];
    const t = team === undefined ? -1 : (termsOf(team)[0] ?? -1);
    if (t >= 0) opened.set(t, (opened.get(t) ?? 0) + 1);
  }
  return new Set([...opened].filter(([t, n]) => 2 * n >= (df[t] as number)).map(([t]) => t));
}

/**
 * Labels groups of documents by class-based TF-IDF, as in BERTopic (Grootendorst 2022, arXiv:2203.05794;
 * `bertopic/vectorizers/_ctfidf.py`):
 *
 *   W(t, c) = tf(t, c) / Σ_t' tf(t', c) · log(1 + A / f(t))
 *
 * where tf(t, c) is the number of documents of group c holding term t, f(t) = Σ_c tf(t, c) and A the mean number of
 * documents per group. Unlike BERTopic, tf counts documents (a term counts once per abstract), so one paper repeating
 * its own acronym cannot name a theme. A candidate must also
 *  - occur in at least max(2, 10 %) of the group's documents;
 *  - occur in at least `centralShare` of its `centralPapers` most central papers: the label describes the papers at
 *    the heart of the group, not a fringe that happens to be distinctive;
 *  - not be generic: no stop word of a published English list (stop-words.ts), and not in more than `maxDocShare`
 *    of all documents unless more than half of those are the group's;
 *  - if a single word, not be one the abstracts use as a verb or an adverb (usedAsVerb): "occur", "estimate",
 *    "overcome" say what papers do, not what they are about; "transfer", "merging", "forgetting" are kept;
 *  - hold no shared-task team's name (sharedTaskTeams: "NTUA-SLP").
 * Each group is counted once per call; the document lists and NPMI values behind the term choice are cached on the
 * vocabulary, so labelling every level costs one pass over the documents per level.
 *
 * Diversity: terms are taken best first, skipping any term that shares a word with one already taken (a hard form of
 * maximal marginal relevance, Carbonell & Goldstein 1998), so a label never repeats a word. A word is replaced by the
 * best phrase that contains it when that phrase weighs at least half as much, so "model merging" wins over "merging";
 * and a term is lengthened to the name it is part of in use (lengthen: "convolutional neural networks", "Nash
 * equilibrium" for the chosen "Nash" and "equilibrium").
 */
export function labelGroups(vocab: Vocabulary, groups: readonly LabelGroup[], options?: Partial<LabelOptions>): ClusterLabel[] {
  const opts = { ...LABEL_DEFAULTS, ...options };
  const nDocs = vocab.docs.length;
  // Per group, its terms and how many of its documents hold each, counted in one dense array (a Map per group cost
  // most of the labelling at 100,000 papers); the order of the terms does not matter, the pool is sorted below.
  const scratch = new Int32Array(vocab.keys.length);
  const total = new Int32Array(vocab.keys.length);
  const counts = groups.map((g) => {
    const terms: number[] = [];
    for (const d of g.docs) {
      for (const t of vocab.docs[d] as Int32Array) {
        if (scratch[t] === 0) terms.push(t);
        scratch[t] = (scratch[t] as number) + 1;
      }
    }
    const held = Int32Array.from(terms);
    const n = Int32Array.from(terms, (t) => scratch[t] as number);
    for (const t of terms) {
      total[t] = (total[t] as number) + (scratch[t] as number);
      scratch[t] = 0;
    }
    return { terms: held, n };
  });
  const mass = counts.map((c) => c.n.reduce((s, v) => s + v, 0));
  const avgSize = groups.reduce((s, g) => s + g.docs.length, 0) / Math.max(1, groups.length);
  const maxDf = Math.max(2, opts.maxDocShare * nDocs);
  const pools = counts.map((held, c) => {
    const group = groups[c] as LabelGroup;
    const size = group.docs.length;
    const minDocs = Math.min(size, Math.max(2, Math.ceil(MIN_SUPPORT * size)));
    const central = group.central.slice(0, opts.centralPapers);
    const centralNeed = Math.max(1, Math.ceil(opts.centralShare * central.length));
    const inCentral = new Map<number, number>();
    for (const d of central) for (const t of vocab.docs[d] as Int32Array) inCentral.set(t, (inCentral.get(t) ?? 0) + 1);
    const weighted: { key: number; weight: number }[] = [];
    for (let at = 0; at < held.terms.length; at++) {
      const t = held.terms[at] as number;
      const n = held.n[at] as number;
      // Common across the corpus *and* spread over the groups: generic here ("model", "learning"). A term as common
      // but held mostly by this group ("model merging" in a corpus a third of which is about it) is its subject.
      const generic = (vocab.df[t] as number) > maxDf && 2 * n <= (vocab.df[t] as number);
      const [a, b] = vocab.parts[t] as readonly [number, number];
      const team = vocab.teams.has(t) || vocab.teams.has(a) || vocab.teams.has(b);
      if (n < minDocs || generic || team || (inCentral.get(t) ?? 0) < centralNeed) continue;
      let weight = (n / (mass[c] as number)) * Math.log(1 + avgSize / (total[t] as number));
      if (opts.outerAvgSize !== undefined) weight *= Math.log(1 + opts.outerAvgSize / (vocab.df[t] as number));
      weighted.push({ key: t, weight });
    }
    return weighted.sort((a, b) => b.weight - a.weight || a.key - b.key).slice(0, POOL_SIZE);
  });
  ensurePostings(vocab, pools.flatMap((pool) => pool.map((t) => t.key)));
  return pools.map((whole) => {
    // Words used as verbs are dropped, and phrases cut from a longer name lengthened, as they are chosen: looking a
    // term up in the abstracts costs a few ms, so only the terms that would name the group are, not the whole pool.
    // A lengthened phrase takes its new word and initials with it, so the group is picked again.
    let pool = whole;
    let chosen = pickDiverse(pool, opts.topTerms, vocab, opts.cohesion);
    for (;;) {
      const verbs = new Set(chosen.filter((t) => usedAsVerb(vocab, t.key)).map((t) => t.key));
      const words = new Set(chosen.filter((t) => (vocab.parts[t.key] as readonly number[])[0] === -1).map((t) => t.key));
      const lengthened = chosen.filter((t) => lengthen(vocab, t.key, words)).length;
      if (verbs.size === 0 && lengthened === 0) break;
      pool = pool.filter((t) => !verbs.has(t.key));
      chosen = pickDiverse(pool, opts.topTerms, vocab, opts.cohesion);
    }
    const terms = chosen.map((t) => ({ term: vocab.display[t.key] ?? '', weight: Math.round(t.weight * 1e6) / 1e6 }));
    return { label: terms.slice(0, Math.min(3, opts.labelTerms)).map((t) => t.term).join(' · '), terms };
  });
}

/** Uses of a word looked at to tell how the abstracts use it. */
const USES = 5;

/**
 * Whether the abstracts use term `t`, a single plain word, mostly (two thirds of its first USES uses, at least 3 of
 * them) as a verb or an adverb: each use is tagged in its sentence by compromise (a rule-based English part-of-speech tagger),
 * since the word alone is ambiguous ("transfer", "reward" and "conflict" are verbs too, and here mostly nouns). A
 * gerund counts as a noun ("model merging", "catastrophic forgetting"). Phrases, acronyms and hyphenated words are
 * never verbs here. Cached on the vocabulary.
 */
function usedAsVerb(vocab: Vocabulary, t: number): boolean {
  const known = vocab.cache.verbs.get(t);
  if (known !== undefined) return known;
  const word = vocab.display[t] ?? '';
  let verbs = 0;
  let uses = 0;
  // A word the tagger reads as a noun or an adjective even alone ("policy", "segmentation") is not looked up in use.
  const alone = /^[a-z]+$/.test(word) ? ((compromise()(word).json()[0]?.terms[0]?.tags ?? []) as string[]) : [];
  if ((alone.includes('Verb') && !alone.includes('Gerund')) || alone.includes('Adverb')) {
    const pattern = new RegExp(`\\b${word}\\b`, 'i');
    for (const text of vocab.texts) {
      if (uses === USES) break;
      const at = text.search(pattern);
      if (at < 0) continue;
      // The sentence around the use, at most ~8 words before and ~5 after: enough context for the tagger, little to tag.
      const from = Math.max(text.lastIndexOf('. ', at) + 1, at - 50);
      const end = text.indexOf('. ', at);
      const sentence = text.slice(from, Math.min(end < 0 ? text.length : end, at + word.length + 30));
      const tags = compromise()(sentence)
        .json()
        .flatMap((s: { terms: { normal: string; tags: string[] }[] }) => s.terms)
        .find((term: { normal: string }) => term.normal === word)?.tags as string[] | undefined;
      if (!tags) continue;
      uses++;
      if ((tags.includes('Verb') && !tags.includes('Gerund') && !tags.includes('Noun')) || tags.includes('Adverb')) verbs++;
    }
  }
  // A word the tagger reads as an adverb even alone ("formally", "jointly") needs fewer uses: every one it has.
  const verb = (uses >= 3 && 3 * verbs >= 2 * uses) || (alone.includes('Adverb') && uses >= 1 && verbs === uses);
  vocab.cache.verbs.set(t, verb);
  return verb;
}

/** Documents of a term read to see which words go with it, and the shares of its uses a word must have. */
const PHRASE_DOCS = 30;
const PHRASE_SHARE = 2 / 3;
const CHOSEN_SHARE = 1 / 3;

/** How a term is used: in how many places (in PHRASE_DOCS of its documents), and which words precede and follow it. */
export interface TermContext {
  uses: number;
  before: Map<number, number>;
  after: Map<number, number>;
}

function contextOf(vocab: Vocabulary, t: number): TermContext {
  const known = vocab.cache.context.get(t);
  if (known) return known;
  const [a, b] = vocab.parts[t] as readonly [number, number];
  const span = a < 0 ? [t] : [a, b];
  const context: TermContext = { uses: 0, before: new Map(), after: new Map() };
  const docs = vocab.cache.postings.get(t) ?? new Int32Array(0);
  // PHRASE_DOCS of its documents spread evenly over the corpus (its first ones would be those of one seed file).
  const step = Math.max(1, docs.length / PHRASE_DOCS);
  for (let k = 0; k < Math.min(PHRASE_DOCS, docs.length); k++) {
    const words = vocab.termsOf(vocab.texts[docs[Math.floor(k * step)] as number] as string);
    for (let i = 0; i + span.length <= words.length; i++) {
      if (words[i] !== span[0] || (span.length === 2 && words[i + 1] !== span[1])) continue;
      context.uses++;
      const prev = words[i - 1] ?? -1;
      const next = words[i + span.length] ?? -1;
      if (prev >= 0 && !span.includes(prev)) context.before.set(prev, (context.before.get(prev) ?? 0) + 1);
      if (next >= 0 && !span.includes(next)) context.after.set(next, (context.after.get(next) ?? 0) + 1);
    }
  }
  vocab.cache.context.set(t, context);
  return context;
}

/**
 * Lengthens term `t` in place (its key and display form) when it is mostly part of a longer name: when in PHRASE_DOCS
 * of its documents the same word follows two-word phrase `t` in two thirds of its uses (both, when it has only two:
 * "word2vec word" → "word2vec word embeddings"), or follows term `t` in a third of at least 3 uses and is also among
 * the group's chosen single words (`chosen`), the word is added
 * ("convolutional neural" → "convolutional neural networks"; "Nash" with "equilibrium" chosen → "Nash equilibrium"),
 * and likewise a word that precedes it. (A single word followed by the same word is not lengthened on that alone:
 * "MultiWOZ dataset" says less than "MultiWOZ".) A label then names the method, not pieces of its name, and the whole
 * name's words count as used. Returns whether `t` was lengthened now (a term is lengthened at most once per
 * vocabulary, and only by words that were not lengthened themselves).
 */
function lengthen(vocab: Vocabulary, t: number, chosen: ReadonlySet<number>): boolean {
  const phrase = (vocab.parts[t] as readonly number[])[0] !== -1;
  // A name written as an acronym is whole already ("MultiWOZ", not "MultiWOZ datasets").
  if (vocab.cache.lengthened.has(t) || (!phrase && ACRONYM.test(vocab.display[t] as string))) return false;
  const { uses, before, after } = contextOf(vocab, t);
  const usual = (counts: Map<number, number>): number | undefined => {
    if (uses < 2) return undefined;
    const ranked = [...counts.entries()].filter(([w]) => !vocab.cache.lengthened.has(w)).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const [word, n] = ranked[0] ?? [-1, 0];
    if (phrase && n >= PHRASE_SHARE * uses) return word;
    if (uses < 3) return undefined;
    return ranked.find(([w, m]) => chosen.has(w) && w !== t && m >= CHOSEN_SHARE * uses)?.[0];
  };
  const prev = usual(before);
  const next = usual(after);
  if (prev === undefined && next === undefined) return false;
  vocab.cache.lengthened.add(t);
  const words = [prev, t, next].filter((w): w is number => w !== undefined);
  vocab.keys[t] = words.map((w) => vocab.keys[w]).join(' ');
  vocab.display[t] = words.map((w) => vocab.display[w]).join(' ');
  return true;
}

/** Fills the vocabulary's document lists for the terms that lack one, in one pass over the documents. */
function ensurePostings(vocab: Vocabulary, terms: readonly number[]): void {
  const missing = new Map<number, number[]>();
  for (const t of terms) if (!vocab.cache.postings.has(t)) missing.set(t, []);
  if (!missing.size) return;
  vocab.docs.forEach((doc, d) => {
    for (const t of doc) missing.get(t)?.push(d);
  });
  for (const [t, list] of missing) vocab.cache.postings.set(t, Int32Array.from(list));
}

/** Terms looked at per group when choosing its labels. */
const POOL_SIZE = 60;

/**
 * Chooses `count` terms from a group's ranked pool, one at a time, maximising
 *
 *   score(t) = W(t) / W(best) + γ · mean_{s ∈ chosen} NPMI(t, s)
 *
 * a maximal-marginal-relevance selection (Carbonell & Goldstein 1998) whose second part rewards terms that occur in
 * the same papers as those already chosen (NPMI over documents, Bouma 2009), so a theme's terms describe one group of
 * papers rather than a grab-bag. Diversity is a hard rule: a word (up to its suffix, see stem) may appear once, an
 * acronym and its expansion ("mtl", "multi-task learning"; "LoRA", "low-rank adaptation") count as the same words,
 * and a word yields to a phrase that contains or spells it out when the phrase weighs at least half as much, so "model
 * merging" wins over "merging" (an acronym only to its expansion: "MultiWOZ", not "MultiWOZ datasets").
 */
function pickDiverse(pool: readonly { key: number; weight: number }[], count: number, vocab: Vocabulary, gamma: number): { key: number; weight: number }[] {
  const top = pool[0]?.weight ?? 1;
  const used = new Set<string>();
  const chosen: { key: number; weight: number }[] = [];
  const keyOf = (t: number): string => vocab.keys[t] as string;
  const shown = (t: number): string => vocab.display[t] as string;
  const free = (t: number): boolean => {
    const key = keyOf(t);
    // No word used again, and no word that abbreviates a phrase already taken ("GNN architecture" once "graph neural
    // network" is).
    if (!key.split(' ').every((w) => !used.has(stem(w)) && !used.has(`#${w.replace(/s$/, '')}`))) return false;
    const initials = acronymOf(shown(t));
    const capitals = capitalsOf(shown(t));
    if (capitals !== undefined && used.has(`#${capitals}`)) return false;
    // "petl" is taken once "parameter-efficient transfer" (initials "pet") is.
    return !used.has(`#${initials}`) && !(key.length >= 4 && !key.includes(' ') && used.has(`#${initials.slice(0, -1)}`));
  };
  const phraseFor = (candidate: { key: number; weight: number }): { key: number; weight: number } => {
    const key = keyOf(candidate.key);
    if (key.includes(' ')) return candidate;
    const word = key.replace(/s$/, '');
    // A phrase spells the word out when its initials are the word, or all of it but the last letter (a two-word
    // phrase cut from a three-word name: "parameter-efficient transfer" for "petl").
    const expands = (r: { key: number }): boolean => {
      const initials = acronymOf(shown(r.key));
      return keyOf(r.key).split(' ').includes(key) || initials === word || (initials.length >= 3 && initials === word.slice(0, -1));
    };
    // A name written as an acronym is already specific: it yields only to its expansion ("MultiWOZ", not "MultiWOZ
    // datasets"; "GNN", not "GNN architecture"), as it is not lengthened either (lengthen).
    const named = ACRONYM.test(shown(candidate.key));
    const phrase = pool.find((r) => keyOf(r.key).includes(' ') && (named ? acronymOf(shown(r.key)) === word : expands(r)) && free(r.key));
    return phrase && phrase.weight >= 0.5 * candidate.weight ? phrase : candidate;
  };
  while (chosen.length < count) {
    let best: { pick: { key: number; weight: number }; score: number } | undefined;
    for (const candidate of pool) {
      if (!free(candidate.key)) continue;
      const pick = phraseFor(candidate);
      const cohesion = chosen.length ? chosen.reduce((s, c) => s + npmiOf(vocab, pick.key, c.key), 0) / chosen.length : 0;
      const score = candidate.weight / top + gamma * cohesion;
      if (!best || score > best.score) best = { pick, score };
    }
    if (!best) break;
    for (const w of keyOf(best.pick.key).split(' ')) {
      used.add(stem(w));
      // A single word may itself be an acronym ("gnns" → "gnn"); block the phrases it abbreviates.
      used.add(`#${w.replace(/s$/, '')}`);
    }
    used.add(`#${acronymOf(shown(best.pick.key))}`);
    const capitals = capitalsOf(shown(best.pick.key));
    if (capitals !== undefined) used.add(`#${capitals}`);
    chosen.push(best.pick);
  }
  return chosen;
}

/**
 * NPMI of two terms over documents: log(p(a,b) / p(a)p(b)) / −log p(a,b); −1 when they never share a document.
 * Joint counts come from merging the two sorted document lists, and every pair is computed once per vocabulary.
 */
function npmiOf(vocab: Vocabulary, a: number, b: number): number {
  const [x, y] = a < b ? [a, b] : [b, a];
  const cacheKey = x * 0x4000000 + y;
  const cached = vocab.cache.npmi.get(cacheKey);
  if (cached !== undefined) return cached;
  const da = vocab.cache.postings.get(x);
  const db = vocab.cache.postings.get(y);
  let value = -1;
  if (da && db) {
    let joint = 0;
    for (let i = 0, j = 0; i < da.length && j < db.length; ) {
      const u = da[i] as number;
      const v = db[j] as number;
      if (u === v) (joint++, i++, j++);
      else if (u < v) i++;
      else j++;
    }
    const n = vocab.docs.length;
    const pab = joint / n;
    if (joint > 0) value = pab === 1 ? 1 : Math.log(pab / ((da.length / n) * (db.length / n))) / -Math.log(pab);
  }
  vocab.cache.npmi.set(cacheKey, value);
  return value;
}

/**
 * A crude stem, only for deciding that two words are the same word ("merge", "merged", "merging" → "merg";
 * "measure", "measurement" → "measur"; "transferring" → "transfer"; Latin plurals too: "equilibrium", "equilibria" →
 * "equilibri"; "matrix", "matrices" → "matr"): one common suffix off, then a doubled final consonant undone.
 */
function stem(word: string): string {
  const base = word.replace(/(ements?|ments?|ings?|ations?|ions?|ities|ity|ies|ices|ic|ix|ex|ed|es|al|ly|um|as|e|s|y|a)$/, '');
  const undoubled = /([b-df-hj-np-tv-z])\1$/.test(base) ? base.slice(0, -1) : base;
  return undoubled.length >= 3 ? undoubled : word;
}

/**
 * Initials of a phrase's words and hyphen parts, in lower case ("multi-task learning" → "mtl"); a single word stands
 * for itself, without a plural "s" written in lower case ("LLMs" → "llm", "tasks" → "task", but "STS" → "sts").
 */
function acronymOf(term: string): string {
  const parts = term.split(/[\s-]+/).filter(Boolean);
  return (parts.length < 2 ? term.replace(/s$/, '') : parts.map((p) => p[0]).join('')).toLowerCase();
}

/**
 * The capitals of an acronym written in mixed case, in lower case: the initials of the phrase it stands for ("LoRA" →
 * "lra", low-rank adaptation; "MultiWOZ" → "mwoz"); undefined for any other term ("LLM" is its own initials).
 */
function capitalsOf(term: string): string | undefined {
  if (!ACRONYM.test(term) || !/[a-z]/.test(term.replace(/s$/, ''))) return undefined;
  const capitals = term.replace(/[^A-Z]/g, '');
  return capitals.length >= 2 ? capitals.toLowerCase() : undefined;
}
