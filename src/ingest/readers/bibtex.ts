// Reader for BibTeX and BibLaTeX (.bib) as Zotero, Better BibTeX, Google Scholar and arXiv export it: our own linear scanner.

import { scanBibtex, type BibEntry } from './_bibtex-scan.js';
import { latexToText } from './_latex-text.js';
import { lineIndex, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

/**
 * Splits `raw` at every separator outside braces: `separatorAt(i)` gives the length of a separator starting at i (at
 * brace depth 0), or 0 when none starts there.
 */
function splitTopLevel(raw: string, separatorAt: (i: number) => number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const length = separatorAt(i);
      if (length > 0) {
        parts.push(raw.slice(start, i));
        i += length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(raw.slice(start));
  return parts;
}

/**
 * Splits a name list at each top-level "and" (BibTeX's rule: inside braces, "and" is part of a name). "others" (et al.)
 * is dropped.
 */
export function splitNames(raw: string): string[] {
  const andAt = (i: number) => (/\s/.test(raw[i] as string) && /^\s+and\s/i.test(raw.slice(i, i + 6)) ? (/^\s+and/i.exec(raw.slice(i, i + 40))?.[0].length ?? 4) : 0);
  return splitTopLevel(raw, andAt).map((n) => n.trim()).filter((n) => n !== '' && n.toLowerCase() !== 'others');
}

/** "von Last, Jr, First" and "Last, First" become "First von Last Jr"; "First Last" and {Braced Bodies} stay. */
function personName(raw: string): string {
  const parts = splitTopLevel(raw, (i) => (raw[i] === ',' ? 1 : 0));
  const text = parts.map((p) => latexToText(p).replace(/\s+/g, ' ').trim());
  if (text.length === 2) return `${text[1]} ${text[0]}`.trim();
  if (text.length >= 3) return `${text[2]} ${text[0]} ${text[1]}`.trim();
  return text[0] ?? '';
}

/** Bibliographic fields kept beside the ones a Paper names, so an export writes the record back as it came. */
const KEPT_FIELDS = ['journal', 'journaltitle', 'booktitle', 'volume', 'number', 'issue', 'pages', 'publisher', 'address', 'location',
  'edition', 'series', 'school', 'institution', 'organization', 'isbn', 'issn', 'month', 'keywords', 'language', 'note'];

function keptFields(get: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_FIELDS) {
    const value = get(name);
    if (value) out[name] = value;
  }
  return out;
}

function toRecord(entry: BibEntry, line: number): RawRecord {
  const raw = (name: string): string | undefined => entry.fields.get(name);
  const get = (name: string): string | undefined => {
    const value = raw(name);
    return value === undefined ? undefined : latexToText(value);
  };
  const eprint = get('eprint');
  const archive = (get('archiveprefix') ?? get('eprinttype') ?? '').toLowerCase();
  const journal = get('journal');
  const arxivFromJournal = journal && /arxiv/i.test(journal) ? journal : undefined;
  const authorField = raw('author');
  return {
    line,
    title: get('title'),
    abstract: get('abstract'),
    authors: authorField === undefined ? [] : splitNames(authorField).map(personName),
    year: get('year'),
    date: get('date'),
    // DOIs and URLs are taken as written: LaTeX escapes in them (\_) are undone, nothing else.
    doi: raw('doi')?.replace(/\\([_%&#~])/g, '$1').replace(/[{}]/g, ''),
    arxivId: (eprint && (archive === 'arxiv' || archive === '') ? eprint : undefined) ?? arxivFromJournal,
    url: raw('url')?.replace(/\\([_%&#~])/g, '$1').replace(/^\{|\}$/g, '').replace(/^\\url\{(.*)\}$/, '$1'),
    citationKey: entry.key,
    entryType: entry.type.toLowerCase(),
    fields: keptFields(get),
    ...(entry.problem ? { problem: entry.problem } : {}),
  };
}

/**
 * Reads every @entry. An entry whose braces or quotes do not close is reported at its own line and the entries after it
 * are read; an entry that uses an undefined @string is reported at its own line, naming the field and the macro.
 */
export const bibtexReader: Reader = {
  format: 'bibtex',
  extensions: ['bib', 'bibtex', 'biblatex'],
  sniff(text) {
    const head = text.slice(0, 100_000);
    const entries = head.match(/^\s*@\s*[a-z]+\s*[{(]/gim)?.length ?? 0;
    return entries > 0 ? Math.min(0.95, 0.7 + entries * 0.05) : 0;
  },
  read(text) {
    const { entries, errors } = scanBibtex(text);
    const toLine = lineIndex(text);
    const records: RawRecord[] = entries.map((entry) => toRecord(entry, toLine(entry.offset)));
    const skipped: ReaderSkip[] = errors.map((e) => ({ line: toLine(e.offset), reason: e.reason }));
    skipped.sort((a, b) => a.line - b.line);
    return { records, skipped };
  },
};
