// Readers for CSV and TSV with a header row (spreadsheets, Zotero, Scopus, Web of Science exports), via csv-parse.

import { lazyModule } from '../../lazy.js';
import { PapermapError } from '../../errors.js';
import { splitAuthors } from '../_normalise.js';
import { excerpt, splitLines, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

const csvParse = lazyModule<typeof import('csv-parse/sync')>('csv-parse/sync');

type Column = 'title' | 'abstract' | 'authors' | 'year' | 'date' | 'doi' | 'url' | 'arxivId' | 'citationKey' | 'entryType' | 'journal';

/** Header spellings, compared in lower case with everything but letters and digits removed. */
const HEADER_NAMES: Record<Column, readonly string[]> = {
  title: ['title', 'papertitle', 'articletitle', 'documenttitle', 'ti', 'primarytitle', 'titles'],
  abstract: ['abstract', 'abstracts', 'abstracttext', 'abstractnote', 'summary', 'ab', 'paperabstract', 'description'],
  authors: ['authors', 'author', 'authorlist', 'authornames', 'authorfullnames', 'authorfullname', 'creators', 'au', 'authorss'],
  year: ['year', 'publicationyear', 'pubyear', 'py', 'yr'],
  date: ['date', 'publicationdate', 'pubdate', 'published', 'datepublished', 'da'],
  doi: ['doi', 'di', 'doinumber', 'doiurl'],
  url: ['url', 'link', 'links', 'ur', 'paperurl', 'pdfurl', 'landingpageurl'],
  arxivId: ['arxiv', 'arxivid', 'eprint', 'arxivnumber', 'arxivurl'],
  citationKey: ['citationkey', 'citekey', 'bibtexkey'],
  entryType: ['entrytype', 'itemtype'],
  journal: ['journal', 'publicationtitle', 'sourcetitle', 'journaltitle'],
};

function columnOf(header: string): Column | undefined {
  const key = header.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [column, names] of Object.entries(HEADER_NAMES) as [Column, readonly string[]][]) {
    if (names.includes(key)) return column;
  }
  return undefined;
}

/** Counts a delimiter in a header line outside double quotes. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let count = 0;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === delimiter) count++;
  }
  return count;
}

function firstLine(text: string): string {
  return splitLines(text).find((l) => l.trim() !== '') ?? '';
}

function sniffWith(text: string, delimiters: readonly string[]): number {
  const header = firstLine(text.slice(0, 20_000));
  const best = Math.max(...delimiters.map((d) => countOutsideQuotes(header, d)));
  if (best === 0) return 0;
  const delimiter = delimiters.find((d) => countOutsideQuotes(header, d) === best) ?? ',';
  const columns = header.split(delimiter).map((h) => columnOf(h.replace(/"/g, '').trim()));
  if (columns.includes('abstract')) return 0.8;
  return columns.some((c) => c !== undefined) ? 0.4 : 0.1;
}

/** One physical line parsed alone, leniently (a stray quote inside an unquoted field is kept as text), or undefined. */
function parseLoneLine(line: string, delimiter: string): string[] | undefined {
  try {
    const records = csvParse().parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return records.length === 1 ? records[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses rows strictly. When quoting breaks (an unclosed quote swallows the lines after it), the row where the broken
 * record starts is read on its own leniently if it can be, and skipped otherwise; reading resumes on the next line, so
 * one bad quote costs at most one row.
 */
function parseRows(text: string, delimiter: string, skipped: ReaderSkip[]): { line: number; cells: string[] }[] {
  const lines = splitLines(text);
  const rows: { line: number; cells: string[] }[] = [];
  const nextNonEmpty = (line: number): number => {
    let l = line;
    while (l <= lines.length && lines[l - 1] === '') l++;
    return l;
  };
  let start = 1;
  while (start <= lines.length) {
    let lastEnd = start - 1;
    try {
      csvParse().parse(lines.slice(start - 1).join('\n'), {
        delimiter,
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        on_record: (record: string[], context: { lines: number }) => {
          rows.push({ line: nextNonEmpty(lastEnd + 1), cells: record });
          lastEnd = start - 1 + context.lines;
          return null;
        },
      });
      return rows;
    } catch (error) {
      if (!(error instanceof csvParse().CsvError)) throw error;
      const bad = nextNonEmpty(lastEnd + 1);
      if (bad > lines.length) return rows;
      const lone = parseLoneLine(lines[bad - 1] ?? '', delimiter);
      if (lone) rows.push({ line: bad, cells: lone });
      else skipped.push({ line: bad, reason: `unbalanced double quotes in this row (${error.code}); read on from the next line: "${excerpt(lines[bad - 1] ?? '')}"` });
      start = bad + 1;
    }
  }
  return rows;
}

function makeDelimitedReader(format: string, extensions: readonly string[], delimiters: readonly string[]): Reader {
  return {
    format,
    extensions,
    sniff: (text) => sniffWith(text, delimiters),
    read(text) {
      const header = firstLine(text);
      const delimiter = delimiters.reduce((best, d) => (countOutsideQuotes(header, d) > countOutsideQuotes(header, best) ? d : best), delimiters[0] ?? ',');
      const skipped: ReaderSkip[] = [];
      const rows = parseRows(text, delimiter, skipped);
      const head = rows.shift();
      if (!head) return { records: [], skipped };
      const columns = head.cells.map((h) => columnOf(h.trim()));
      if (!columns.includes('abstract')) {
        throw new PapermapError(
          'INPUT_PARSE',
          `the header has no abstract column; found ${head.cells.map((h) => JSON.stringify(h.trim())).join(', ')}`,
          { file: '', line: head.line },
          `name the column "abstract" (also understood: ${HEADER_NAMES.abstract.join(', ')})`,
        );
      }
      const records: RawRecord[] = rows.map(({ line, cells }) => {
        const record: RawRecord = { line };
        columns.forEach((column, i) => {
          const value = cells[i]?.trim();
          if (!column || !value) return;
          if (column === 'journal') {
            record.fields ??= { journal: value };
            return;
          }
          if (record[column] !== undefined) return;
          if (column === 'authors') record.authors = splitAuthors(value);
          else record[column] = value;
        });
        if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
          record.problem = `row has ${cells.length} fields but the header names ${columns.length} (an unquoted ${delimiter === '\t' ? 'tab' : `'${delimiter}'`} in a field?)`;
        }
        return record;
      });
      return { records, skipped };
    },
  };
}

/** Comma- (or semicolon-) separated values with a header row, columns in any order. */
export const csvReader: Reader = makeDelimitedReader('csv', ['csv'], [',', ';']);
/** Tab-separated values with a header row, columns in any order. */
export const tsvReader: Reader = makeDelimitedReader('tsv', ['tsv', 'tab'], ['\t']);
