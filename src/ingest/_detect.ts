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

/**
 * Picks the reader for a text: each reader's sniff score from the content, plus a bonus when the file name ends in
 * one of its extensions. Content wins over the name (a .txt holding BibTeX reads as BibTeX), the name settles close
 * calls. Undefined when nothing scores at least MIN_SCORE.
 */
export function detectReader(text: string, file: string): Reader | undefined {
  const ext = extname(file).toLowerCase().replace(/^\./, '');
  let best: Reader | undefined;
  let bestScore = 0;
  for (const reader of READERS) {
    const sniffed = reader.sniff(text);
    const score = sniffed + (sniffed > 0 && reader.extensions.includes(ext) ? EXTENSION_BONUS : 0);
    if (score > bestScore) {
      best = reader;
      bestScore = score;
    }
  }
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
