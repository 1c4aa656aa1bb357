// The list of readers and how a file's format is chosen from its content and its name.

import { extname } from 'node:path';
import { abstractLinesReader } from './readers/abstract-lines.js';
import { atomReader } from './readers/atom.js';
import { bibtexReader } from './readers/bibtex.js';
import { csvReader, tsvReader } from './readers/delimited.js';
import { jsonlReader, jsonReader } from './readers/json.js';
import { listingPageReader } from './readers/listing-page.js';
import type { Reader } from './readers/_reader.js';
import { risReader } from './readers/ris.js';
import { titleAbstractLinesReader } from './readers/title-abstract-lines.js';

/** Every reader, in the order ties are broken. */
export const READERS: readonly Reader[] = [
  bibtexReader,
  risReader,
  atomReader,
  jsonlReader,
  jsonReader,
  csvReader,
  tsvReader,
  abstractLinesReader,
  listingPageReader,
  titleAbstractLinesReader,
];

/** Names of every format, for option checks and messages. */
export const FORMATS: readonly string[] = READERS.map((r) => r.format);

/** Score bonus for a reader whose extension matches the file name. */
const EXTENSION_BONUS = 0.3;
/** Lowest score that counts as recognised. */
const MIN_SCORE = 0.3;
/** Lines of a text the readers sniff, and how much of each: its first SNIFF_HEAD and last SNIFF_TAIL characters. */
const SNIFF_LINES = 200;
const SNIFF_HEAD = 2_000;
const SNIFF_TAIL = 200;

/**
 * What the readers sniff: the first SNIFF_LINES lines, each cut to its head and tail. One 200,000-character JSONL line
 * still reads as `{…}`, and the cost of sniffing does not grow with the file.
 */
export function sniffSample(text: string): string {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < SNIFF_LINES && start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, Math.min(end, start + SNIFF_HEAD)) + (end - start > SNIFF_HEAD ? text.slice(Math.max(end - SNIFF_TAIL, start + SNIFF_HEAD), end) : '');
    lines.push(line);
    start = end + 1;
  }
  return lines.join('\n');
}

/**
 * Picks the reader for a text. When the file name's extension belongs to exactly one reader (.bib, .ris, .jsonl, .csv,
 * .xml, …) that reader is used, unless its sniff finds nothing of its format and another reader's does. Otherwise (.txt,
 * no extension) each reader's sniff score counts, plus a bonus when the extension is one of its own; the highest at
 * least MIN_SCORE wins. Readers sniff a bounded sample (sniffSample), never the whole text.
 */
export function detectReader(text: string, file: string): Reader | undefined {
  const ext = extname(file).toLowerCase().replace(/^\./, '');
  const sample = sniffSample(text);
  const scores = READERS.map((reader) => reader.sniff(sample));
  const owners = READERS.filter((r) => r.extensions.includes(ext));
  if (owners.length === 1) {
    const owner = owners[0] as Reader;
    if ((scores[READERS.indexOf(owner)] ?? 0) > 0 || !scores.some((score) => score >= MIN_SCORE)) return owner;
  }
  let best: Reader | undefined;
  let bestScore = 0;
  READERS.forEach((reader, i) => {
    const sniffed = scores[i] ?? 0;
    const score = sniffed + (sniffed > 0 && reader.extensions.includes(ext) ? EXTENSION_BONUS : 0);
    if (score > bestScore) {
      best = reader;
      bestScore = score;
    }
  });
  return bestScore >= MIN_SCORE ? best : undefined;
}

/**
 * True when a file found by walking a folder may hold papers: no extension, or one a reader claims. Other files there
 * (README.md, PDFs, scripts) are not read, since prose would pass for abstracts; named explicitly, any file is read.
 */
export function mayHoldPapers(file: string): boolean {
  const ext = extname(file).toLowerCase().replace(/^\./, '');
  return ext === '' || READERS.some((r) => r.extensions.includes(ext));
}

/** The reader of a format name, or undefined. */
export function readerFor(format: string): Reader | undefined {
  return READERS.find((r) => r.format === format);
}
