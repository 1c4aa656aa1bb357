// Readers for CSV and TSV with a header row (spreadsheets, Zotero, Scopus, Web of Science exports), via csv-parse.

import { CsvError, parse } from 'csv-parse/sync';
import { PapermapError } from '../../errors.js';
import { excerpt, splitLines, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

type Column = 'title' | 'abstract' | 'authors' | 'year' | 'date' | 'doi' | 'url' | 'arxivId';

/** Header spellings, compared in lower case with everything but letters and digits removed. */
const HEADER_NAMES: Record<Column, readonly string[]> = {
  title: ['title', 'papertitle', 'articletitle', 'documenttitle', 'publicationtitle', 'ti', 'primarytitle', 'titles'],
  abstract: ['abstract', 'abstracts', 'abstracttext', 'abstractnote', 'summary', 'ab', 'paperabstract', 'description'],
  authors: ['authors', 'author', 'authorlist', 'authornames', 'authorfullnames', 'authorfullname', 'creators', 'au', 'authorss'],
  year: ['year', 'publicationyear', 'pubyear', 'py', 'yr'],
  date: ['date', 'publicationdate', 'pubdate', 'published', 'datepublished', 'dateadded', 'da'],
  doi: ['doi', 'di', 'doinumber', 'doiurl'],
  url: ['url', 'link', 'links', 'ur', 'paperurl', 'pdfurl', 'landingpageurl'],
  arxivId: ['arxiv', 'arxivid', 'eprint', 'arxivnumber', 'arxivurl'],
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

interface Row {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** Parses the whole text; on an unclosed quote, skips the line where the broken record starts and parses on from the next. */
function parseRows(text: string, delimiter: string, skipped: ReaderSkip[]): { line: number; cells: string[] }[] {
  const lines = splitLines(text);
  const rows: { line: number; cells: string[] }[] = [];
  let startLine = 1;
  while (startLine <= lines.length) {
    const chunk = lines.slice(startLine - 1).join('\n');
    let lastEnd = startLine - 1;
    try {
      const parsed = parse(chunk, {
        delimiter,
        bom: true,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
        info: true,
        raw: true,
      }) as unknown as Row[];
      for (const row of parsed) {
        const endLine = startLine - 1 + row.info.lines;
        const rawLines = row.raw.replace(/(?:\r\n|\r|\n)+$/, '').split(/\r\n|\r|\n/).length;
        rows.push({ line: endLine - rawLines + 1, cells: row.record });
        lastEnd = endLine;
      }
      return rows;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // Records before the error came back in no array, so parse the good prefix again, then skip one line.
      const failedLine = Math.max(startLine, typeof (error as { lines?: unknown }).lines === 'number' ? startLine - 1 + (error as unknown as { lines: number }).lines : startLine);
      const prefix = lines.slice(startLine - 1, failedLine - 1);
      let badLine = startLine;
      if (prefix.length) {
        try {
          const good = parse(prefix.join('\n'), { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true }) as unknown as Row[];
          for (const row of good) {
            const endLine = startLine - 1 + row.info.lines;
            const rawLines = row.raw.replace(/(?:\r\n|\r|\n)+$/, '').split(/\r\n|\r|\n/).length;
            rows.push({ line: endLine - rawLines + 1, cells: row.record });
            lastEnd = endLine;
          }
          badLine = lastEnd + 1;
        } catch {
          badLine = startLine;
        }
      }
      while (badLine <= lines.length && (lines[badLine - 1] ?? '').trim() === '') badLine++;
      if (badLine > lines.length) return rows;
      skipped.push({ line: badLine, reason: `${error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote opened on this line is never closed' : error.message}: "${excerpt(lines[badLine - 1] ?? '')}"` });
      startLine = badLine + 1;
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
          if (!column || !value || record[column] !== undefined) return;
          if (column === 'authors') record.authors = value.includes(';') ? value.split(';') : value.split(/,\s*|\s+and\s+/);
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
