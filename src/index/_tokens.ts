// Tokens for BM25: lower-cased words and numbers, English stop words dropped, plurals folded (S-stemmer).

/** English stop words (the SMART/Lucene core list, short on purpose: BM25's idf handles the rest). */
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own
same she should so some such than that the their theirs them then there these they this those through to too under
until up very via was we were what when where which while who whom why will with would you your we us our thus however
based using use used show shows shown propose proposed proposes paper approach method methods results`.split(/\s+/),
);

/** Harman's S-stemmer (1991): folds the common English plurals and nothing else, so terms stay readable. */
function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && !word.endsWith('eies') && !word.endsWith('aies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('es') && !word.endsWith('aes') && !word.endsWith('ees') && !word.endsWith('oes')) return word.slice(0, -1);
  if (word.endsWith('s') && !word.endsWith('us') && !word.endsWith('ss') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** The index terms of a text, in order: split on anything but letters and digits (so "multi-task" gives "multi", "task"). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of words(text)) {
    if (raw.length < 2 || STOP.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** The terms of `tokenize`, each with the lower-cased word it came from ("processes" for the term "processe"). */
export function termsWithWords(text: string): { term: string; word: string }[] {
  const out: { term: string; word: string }[] = [];
  for (const raw of words(text)) {
    if (raw.length < 2 || STOP.has(raw)) continue;
    out.push({ term: stem(raw), word: raw });
  }
  return out;
}

function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u);
}
