// Reader for plain text of alternating title and abstract lines, as copied from a listing page (header words and all).

import { isProse, pairTitles, type PageItem } from './_page-text.js';
import { splitLines, type Reader } from './_reader.js';

/** Reads one abstract per long line, titled by the short line above it; stray short lines are reported, chrome dropped. */
export const titleAbstractLinesReader: Reader = {
  format: 'title-abstract-lines',
  extensions: ['txt'],
  sniff(text) {
    const lines = splitLines(text.slice(0, 200_000)).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const prose = lines.filter(isProse).length;
    if (prose === 0) return 0;
    return prose / lines.length >= 0.25 ? 0.5 : 0.3;
  },
  read(text) {
    const items: PageItem[] = [];
    splitLines(text).forEach((raw, i) => {
      if (raw.trim() !== '') items.push({ kind: 'text', line: i + 1, text: raw });
    });
    return pairTitles(items);
  },
};
