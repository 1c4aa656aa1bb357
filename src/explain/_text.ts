// Text pieces for explanations: sentences, and word runs between stop words with a normalised key per word.

/** English stop words and abstract boilerplate: a phrase never starts, ends or is made of these. */
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own
same she should so some such than that the their theirs them then there these they this those through to too under
until up very via was we were what when where which while who whom why will with would you your us thus however based
using use used show shows shown propose proposed proposes paper approach method methods results novel new existing
work study present presents demonstrate demonstrates experiments experimental extensive effective effectiveness
efficient performance state art improve improves improved achieve achieves significant significantly various different
several many multiple first two three one well also further specifically particular within without across while
introduce introduces introduced framework`.split(/\s+/),
);

/** A word of a text: its surface form and a key that folds case and plurals. */
export interface Word {
  surface: string;
  key: string;
}

function fold(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) return w.slice(0, -1);
  if (w.endsWith('s') && !w.endsWith('us') && !w.endsWith('ss') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** True for a word that cannot carry a phrase on its own (stop word, boilerplate, number, single letter). */
export function isStop(key: string): boolean {
  return key.length < 2 || STOP.has(key) || /^\d+$/.test(key);
}

/** Runs of content words, each word made by `make` from its token and key: a run ends at punctuation or a stop word. */
function runsOf<T>(text: string, make: (token: string, key: string) => T): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  const flush = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (const m of text.normalize('NFKC').matchAll(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu)) {
    const token = m[0];
    if (!/[\p{L}\p{N}]/u.test(token)) {
      if (token !== '-') flush();
      continue;
    }
    const key = fold(token);
    if (isStop(key)) flush();
    else run.push(make(token, key));
  }
  flush();
  return runs;
}

/** Runs of content words: a run ends at punctuation or a stop word, so a phrase never spans either. */
export function wordRuns(text: string): Word[][] {
  return runsOf(text, (token, key) => ({ surface: /[A-Z].*[A-Z]/.test(token) ? token : token.toLowerCase(), key }));
}

/** The keys of `wordRuns`'s runs (no surface forms: what counting and matching need). */
function keyRuns(text: string): string[][] {
  return runsOf(text, (_, key) => key);
}

/** The n-grams (1 to maxN words) of each run, as key → surface form (first seen). */
export function phrasesOf(text: string, maxN: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const run of wordRuns(text)) {
    for (let i = 0; i < run.length; i++) {
      for (let n = 1; n <= maxN && i + n <= run.length; n++) {
        const words = run.slice(i, i + n);
        const key = words.map((w) => w.key).join(' ');
        if (!out.has(key)) out.set(key, words.map((w) => w.surface).join(' '));
      }
    }
  }
  return out;
}

/** The keys of `phrasesOf` alone. */
export function phraseKeys(text: string, maxN: number): Set<string> {
  const out = new Set<string>();
  for (const run of keyRuns(text)) {
    for (let i = 0; i < run.length; i++) {
      let key = '';
      for (let n = 1; n <= maxN && i + n <= run.length; n++) {
        key = n === 1 ? (run[i] as string) : `${key} ${run[i + n - 1]}`;
        out.add(key);
      }
    }
  }
  return out;
}

/** Sentences of an abstract (split after . ? ! followed by a space and a capital, digit or opening bracket). */
export function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.?!])\s+(?=[\p{Lu}\p{N}(["'])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The content-word keys of a text, for sentence matching. */
export function contentKeys(text: string): string[] {
  return keyRuns(text).flat();
}
