// Reader for BibTeX and BibLaTeX (.bib) as Zotero, Better BibTeX, Google Scholar and arXiv export it, via @retorquere/bibtex-parser.

import { parse, type Creator, type Entry } from '@retorquere/bibtex-parser';
import { PapermapError } from '../../errors.js';
import { lineIndex, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

/** Tags the parser emits for LaTeX markup (\emph, \textbf, \url, case protection); we keep only their text. */
const MARKUP = /<\/?(?:i|b|em|strong|sc|sup|sub|span|a|code|nc|ncx)\b[^>]*>/g;

/** TeX logos the parser does not know; any other unknown command is dropped and its arguments kept as text. */
const LOGOS: Record<string, string> = { '\\TeX': 'TeX', '\\BibTeX': 'BibTeX', '\\LaTeXe': 'LaTeX2e', '\\XeTeX': 'XeTeX', '\\LuaTeX': 'LuaTeX', '\\AmS': 'AMS' };

function plain(value: string | undefined, input: string): string | undefined {
  if (value === undefined) return undefined;
  let out = value.replace(MARKUP, '').replace(/L\u1d2cTEX/g, 'LaTeX');
  // In LaTeX text mode '<' and '>' typeset as '¡' and '¿'; an abstract that wrote '<' meant '<'.
  if (input.includes('<') && !input.includes('¡')) out = out.replace(/¡/g, '<');
  if (input.includes('>') && !input.includes('¿')) out = out.replace(/¿/g, '>');
  return out;
}

function creatorName(c: Creator): string {
  if (c.name) return c.name;
  return [c.firstName, c.prefix, c.lastName, c.suffix].filter((p) => p).join(' ');
}

function field(entry: Entry, name: string): string | undefined {
  const value = (entry.fields as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Bibliographic fields kept beside the ones a Paper names, so an export writes the record back as it came. */
const KEPT_FIELDS = ['journal', 'journaltitle', 'booktitle', 'volume', 'number', 'issue', 'pages', 'publisher', 'address', 'location',
  'edition', 'series', 'school', 'institution', 'organization', 'isbn', 'issn', 'month', 'keywords', 'language', 'note'];

function keptFields(entry: Entry, get: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_FIELDS) {
    const raw = (entry.fields as Record<string, unknown>)[name];
    const value = Array.isArray(raw) ? raw.filter((v) => typeof v === 'string').join(', ') : get(name);
    if (value) out[name] = value;
  }
  return out;
}

function toRecord(entry: Entry, line: number): RawRecord {
  const get = (name: string): string | undefined => plain(field(entry, name), entry.input);
  const eprint = get('eprint');
  const archive = (get('archiveprefix') ?? get('eprinttype') ?? '').toLowerCase();
  const arxivFromJournal = /arxiv/i.test(get('journal') ?? '') ? get('journal') : undefined;
  const authors = (entry.fields.author ?? []).map(creatorName);
  return {
    line,
    title: get('title'),
    abstract: get('abstract'),
    authors,
    year: get('year'),
    date: get('date'),
    doi: get('doi'),
    arxivId: (eprint && (archive === 'arxiv' || archive === '') ? eprint : undefined) ?? arxivFromJournal,
    url: get('url'),
    citationKey: entry.key,
    entryType: entry.type.toLowerCase(),
    fields: keptFields(entry, get),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A parser message without its own "at line N, column M" (its count differs from ours; we give the entry's line). */
function reasonOf(message: string): string {
  return message.replace(/\s+at line \d+, column \d+/, '');
}

/** Reads every @entry; entries the parser cannot finish (unbalanced braces, runaway keys) go to the skip report. */
export const bibtexReader: Reader = {
  format: 'bibtex',
  extensions: ['bib', 'bibtex', 'biblatex'],
  sniff(text) {
    const head = text.slice(0, 100_000);
    const entries = head.match(/^\s*@\s*[a-z]+\s*[{(]/gim)?.length ?? 0;
    return entries > 0 ? Math.min(0.95, 0.7 + entries * 0.05) : 0;
  },
  read(text) {
    let library;
    try {
      library = parse(text, { sentenceCase: false, english: false, caseProtection: false, unsupported: (_node, tex) => LOGOS[tex.trim()] ?? '' });
    } catch (error) {
      throw new PapermapError('INPUT_PARSE', `BibTeX could not be parsed: ${(error as Error).message}`, undefined, 'check the file in a BibTeX editor (JabRef, Zotero) and re-export it');
    }
    const toLine = lineIndex(text);
    const records: RawRecord[] = [];
    const skipped: ReaderSkip[] = [];
    const errorAt = new Map<number, string>();
    let errorCursor = 0;
    for (const error of library.errors) {
      const at = error.input ? text.indexOf(error.input, errorCursor) : -1;
      if (at >= 0) errorCursor = at + 1;
      const line = at >= 0 ? toLine(at) : 1;
      if (!errorAt.has(line)) errorAt.set(line, reasonOf(error.error));
    }
    let cursor = 0;
    const usedErrors = new Set<number>();
    for (const entry of library.entries) {
      let at = entry.input ? text.indexOf(entry.input, cursor) : -1;
      if (at < 0) {
        const re = new RegExp(`@\\s*${escapeRegExp(entry.type)}\\s*[{(]\\s*${escapeRegExp(entry.key)}`, 'iy');
        for (let i = text.indexOf('@', cursor); i >= 0; i = text.indexOf('@', i + 1)) {
          re.lastIndex = i;
          if (re.test(text)) {
            at = i;
            break;
          }
        }
      }
      if (at >= 0) cursor = at + 1;
      const line = at >= 0 ? toLine(at) : 1;
      const error = errorAt.get(line);
      if (error !== undefined) {
        usedErrors.add(line);
        skipped.push({ line, reason: `entry '${entry.key}': ${error}` });
        continue;
      }
      records.push(toRecord(entry, line));
    }
    for (const [line, reason] of errorAt) if (!usedErrors.has(line)) skipped.push({ line, reason });
    skipped.sort((a, b) => a.line - b.line);
    return { records, skipped };
  },
};
