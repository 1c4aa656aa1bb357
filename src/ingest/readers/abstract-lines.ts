// Reader for labelled lines: "Abstract: …" per paper, with optional "Title:", "Authors:", "Year:", "DOI:" and "URL:" lines before it.

import { splitAuthors } from '../_normalise.js';
import { excerpt, splitLines, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

const LABEL = /^\s*(title|authors?|year|date|doi|url|arxiv|abstract)\s*:\s?(.*)$/i;

/** Reads `Abstract:` lines; unlabelled lines right after an abstract continue it, any other stray line is reported. */
export const abstractLinesReader: Reader = {
  format: 'abstract-lines',
  extensions: ['txt'],
  sniff(text) {
    const lines = splitLines(text.slice(0, 200_000)).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const abstracts = lines.filter((l) => /^\s*abstract\s*:/i.test(l)).length;
    const labelled = lines.filter((l) => LABEL.test(l)).length;
    if (abstracts === 0) return 0;
    return labelled / lines.length >= 0.5 ? 0.9 : 0.3;
  },
  read(text) {
    const records: RawRecord[] = [];
    const skipped: ReaderSkip[] = [];
    let pending: RawRecord | undefined;
    let last: RawRecord | undefined;
    const flush = (): void => {
      if (pending) skipped.push({ line: pending.line, reason: `fields without an Abstract: line${pending.title ? ` (title "${excerpt(pending.title)}")` : ''}` });
      pending = undefined;
    };
    splitLines(text).forEach((raw, i) => {
      const line = i + 1;
      if (raw.trim() === '') {
        last = undefined;
        return;
      }
      const m = LABEL.exec(raw);
      if (!m) {
        if (last) last.abstract = `${last.abstract ?? ''} ${raw}`;
        else skipped.push({ line, reason: `line is not labelled Title:, Authors: or Abstract:: "${excerpt(raw)}"` });
        return;
      }
      const label = (m[1] ?? '').toLowerCase();
      const value = m[2] ?? '';
      last = undefined;
      if (label === 'abstract') {
        const record: RawRecord = { ...(pending ?? { line }), abstract: value };
        pending = undefined;
        records.push(record);
        last = record;
        return;
      }
      if (label === 'title' && pending?.title !== undefined) flush();
      pending ??= { line };
      if (label === 'title') pending.title = value;
      else if (label.startsWith('author')) pending.authors = splitAuthors(value);
      else if (label === 'year') pending.year = value;
      else if (label === 'date') pending.date = value;
      else if (label === 'doi') pending.doi = value;
      else if (label === 'url') pending.url = value;
      else pending.arxivId = value;
    });
    flush();
    return { records, skipped };
  },
};
