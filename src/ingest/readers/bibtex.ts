// Reader for BibTeX and BibLaTeX (.bib) as Zotero, Better BibTeX, Google Scholar and arXiv export it: our own linear scanner.

import { scanBibtex, type BibEntry } from './_bibtex-scan.js';
import { latexToText } from './_latex-text.js';
import { lineIndex, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

/**
 * Splits a name list at each top-level "and" (BibTeX's rule: inside braces, "and" is part of a name). "others" (et al.)
 * is dropped.
 */
export function splitNames(raw: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && /\s/.test(c as string) && /^\s+and\s/i.test(raw.slice(i, i + 6))) {
      names.push(raw.slice(start, i));
      i += /^\s+and/i.exec(raw.slice(i, i + 40))?.[0].length ?? 4;
      start = i;
    }
  }
  names.push(raw.slice(start));
  return names.map((n) => n.trim()).filter((n) => n !== '' && n.toLowerCase() !== 'others');
}

/** "von Last, Jr, First" and "Last, First" become "First von Last Jr"; "First Last" and {Braced Bodies} stay. */
function personName(raw: string): string {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(raw.slice(start));
  const text = parts.map((p) => latexToText(p).replace(/\s+/g, ' ').trim());
  if (text.length === 2) return `${text[1]} ${text[0]}`.trim();
  if (text.length >= 3) return `${text[2]} ${text[0]} ${text[1]}`.trim();
  return text[0] ?? '';
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
