// Papers as CSV (RFC 4180): one row per paper under headers that papermap's delimited reader and spreadsheets understand.

import type { Paper } from '../records.js';

/** Column headers, in order. "abstract", "authors" (joined with "; "), "citation key" and the rest are read back by ingest. */
export const CSV_COLUMNS = ['id', 'citation key', 'entry type', 'title', 'authors', 'year', 'date', 'doi', 'arxiv', 'url', 'journal', 'abstract'] as const;

/**
 * Quotes a cell when it holds a comma, quote or line break, or starts or ends with a space; quotes inside are doubled.
 * Cells are written as they are (no "'" before a leading '='), so the file reads back into the same papers.
 */
function cell(value: string): string {
  if (/[",\r\n]/.test(value) || /^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** The CSV text (CRLF line ends, as RFC 4180 says) for papers under their citation keys. */
export function toCsv(papers: readonly Paper[], keys: readonly string[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  papers.forEach((p, i) => {
    const values = [p.id, keys[i] ?? '', p.entryType ?? '', p.title ?? '', p.authors.join('; '), p.year !== undefined ? String(p.year) : '', p.date ?? '',
      p.doi ?? '', p.arxivId ?? '', p.url ?? '', p.fields?.journal ?? p.fields?.journaltitle ?? p.fields?.booktitle ?? '', p.abstract];
    rows.push(values.map(cell).join(','));
  });
  return `${rows.join('\r\n')}\r\n`;
}
