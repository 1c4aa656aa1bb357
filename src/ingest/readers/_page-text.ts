// Text saved from a paper-listing web page: telling page chrome, titles and abstracts apart, and pairing each abstract with its title.

import { excerpt, type RawRecord, type ReaderSkip } from './_reader.js';

/** Lines that belong to the page, not to a paper: headers, buttons, banners. Matched on the trimmed line. */
const CHROME: readonly RegExp[] = [
  /^get trending papers\b.*$/i,
  /^subscribe$/i,
  /^daily papers$/i,
  /^new$/i,
  /^by\s*ak and the research community$/i,
  /^(?:submit (?:a )?paper|load more|show more|see all|trending|papers|search|sign ?up|log ?in|previous|next)$/i,
  /^\d+$/,
  /^[·•|]$/,
];

/** Header words that a saved page sometimes glues to the front of the first title ("SubscribeScaLearn: …"). */
const GLUED_HEADER = /^(?:Subscribe|Daily Papers|Get trending papers in your email inbox!)(?=[A-Z0-9"'(\u201c])/;

/** True for a known line of page chrome. */
export function isChrome(line: string): boolean {
  const t = line.trim();
  return t === '' || CHROME.some((re) => re.test(t));
}

/** Removes a page header word glued to the start of a line. */
export function unglueHeader(line: string): string {
  return line.replace(GLUED_HEADER, '');
}

/**
 * True when a line reads as an abstract rather than a title: long, or a sentence of many words ending in punctuation.
 * Titles seldom pass 200 characters and seldom end with a full stop.
 */
export function isProse(line: string): boolean {
  const t = line.trim();
  const words = t.split(/\s+/).length;
  return t.length >= 300 || words >= 30 || (words >= 12 && /[.!?]["')\]]?$/.test(t) && /[a-z]{3}[.!?]/.test(t));
}

/** A line of a page with its 1-based number. */
export interface PageLine {
  line: number;
  text: string;
}

/** A block of a page: a run of lines that a reader has already told apart from the metadata around it. */
export type PageItem = PageLine & { kind: 'text' } | PageLine & { kind: 'break' };

/**
 * Pairs abstracts with the title line just before them. `items` holds text lines in order, with 'break' items where
 * something other than a title may sit between a title and an abstract (a metadata block). A text line that is neither an
 * abstract nor the title of the next one is chrome when it matches a known pattern (and is dropped) and a skip otherwise,
 * since it may be a title whose abstract is missing.
 */
export function pairTitles(items: readonly PageItem[], onRecord?: (record: RawRecord, index: number) => void): { records: RawRecord[]; skipped: ReaderSkip[] } {
  const records: RawRecord[] = [];
  const skipped: ReaderSkip[] = [];
  let pending: PageLine | undefined;
  const dropPending = (): void => {
    if (pending && !isChrome(pending.text)) skipped.push({ line: pending.line, reason: `title without an abstract: "${excerpt(pending.text)}"` });
    pending = undefined;
  };
  items.forEach((item, index) => {
    if (item.kind === 'break') {
      dropPending();
      return;
    }
    const text = unglueHeader(item.text.trim());
    if (isProse(text)) {
      const record: RawRecord = pending && !isChrome(pending.text) ? { line: pending.line, title: unglueHeader(pending.text.trim()), abstract: text } : { line: item.line, abstract: text };
      pending = undefined;
      records.push(record);
      onRecord?.(record, index);
      return;
    }
    dropPending();
    pending = { line: item.line, text };
  });
  dropPending();
  return { records, skipped };
}
