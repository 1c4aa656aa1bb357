// Reader for a saved paper-listing page (e.g. Hugging Face "Daily Papers"): title, abstract, then "N authors · date" blocks.

import { pairTitles, type PageItem } from './_page-text.js';
import { splitLines, type RawRecord, type Reader } from './_reader.js';

const AUTHORS_LINE = /^\s*[•·*-]?\s*(\d+)\s+authors?\s*$/i;
const SEPARATOR_LINE = /^\s*[·•|]\s*$/;
/** "Aug 16, 2023", "Jul 28" (no year), optionally followed by an upvote count: "Dec 26, 2024 2". */
const DATE_LINE = /^\s*((?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)(?:\s+\d+)?\s*$/i;

/** Reads listing pages: every abstract with the title line above it, plus the author count and date after it when present. */
export const listingPageReader: Reader = {
  format: 'listing-page',
  extensions: ['txt'],
  sniff(text) {
    const lines = splitLines(text.slice(0, 200_000));
    const authorLines = lines.filter((l) => AUTHORS_LINE.test(l)).length;
    if (authorLines === 0) return 0;
    const daily = lines.some((l) => /^\s*daily papers\s*$/i.test(l)) ? 0.1 : 0;
    return Math.min(0.9, 0.6 + daily + Math.min(authorLines, 10) * 0.02);
  },
  read(text) {
    const items: PageItem[] = [];
    const meta = new Map<number, { authorCount?: number; date?: string }>();
    splitLines(text).forEach((raw, i) => {
      const line = i + 1;
      const authors = AUTHORS_LINE.exec(raw);
      const date = DATE_LINE.exec(raw);
      if (authors || date || SEPARATOR_LINE.test(raw)) {
        items.push({ kind: 'break', line, text: raw });
        meta.set(items.length - 1, authors ? { authorCount: Number(authors[1]) } : date ? { date: date[1] } : {});
        return;
      }
      if (raw.trim() === '') return;
      items.push({ kind: 'text', line, text: raw });
    });
    // Metadata after an abstract belongs to it until the next text line.
    const owner: (RawRecord | undefined)[] = [];
    const { records, skipped } = pairTitles(items, (record, index) => {
      owner[index] = record;
    });
    let current: RawRecord | undefined;
    items.forEach((item, index) => {
      if (item.kind === 'text') {
        current = owner[index];
        return;
      }
      const m = meta.get(index);
      if (!current || !m) return;
      if (m.authorCount !== undefined) current.authorCount = m.authorCount;
      if (m.date !== undefined) current.date = m.date;
    });
    return { records, skipped };
  },
};
