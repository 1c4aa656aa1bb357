// Normalisation of raw fields into a Paper: clean text, identifiers, dates, stable ids, and the keys de-duplication compares.

import { sha256 } from '../hash.js';
import type { Paper, SourceRef } from '../records.js';
import type { RawRecord } from './readers/_reader.js';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

/** Collapses whitespace, drops control characters and non-breaking spaces, and trims. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** Cleans an abstract: whitespace, a leading "Abstract:" label, and markup some exports leave (JATS, HTML). */
export function cleanAbstract(text: string): string {
  let out = text;
  if (/<\/?(?:jats:)?(?:p|sec|title|italic|bold|sup|sub|i|b|em|strong|br)\b[^>]*>/i.test(out)) {
    out = out.replace(/<\/?[a-z][a-z0-9:-]*\b[^>]*>/gi, ' ');
  }
  out = cleanText(out);
  return out.replace(/^abstract\s*[:.\u2014-]\s*/i, '').trim();
}

/** A title reduced to lower-case letters and digits separated by single spaces (accents folded), for comparison. */
export function titleKey(title: string): string {
  // ASCII fast path: the same result without Unicode normalisation, which dominates on large corpora.
  if (/^[\x00-\x7f]*$/.test(title)) return title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Words of an abstract, lower case, accents folded; what near-duplicate detection compares. */
export function abstractWords(text: string): string[] {
  const key = titleKey(text);
  return key === '' ? [] : key.split(' ');
}

/** A DOI in lower case without resolver prefix, or undefined when the text holds none. */
export function normaliseDoi(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const match = /10\.\d{4,9}\/[^\s"<>]+/.exec(cleanText(text));
  if (!match) return undefined;
  return match[0].replace(/[.,;]+$/, '').toLowerCase();
}

const NEW_ARXIV = /(?:^|[^\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.]*\d)/;
const OLD_ARXIV = /\b([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?\b/;

/**
 * An arXiv identifier without its version ('2101.00001', 'hep-th/9901001') found in an id, URL, DOI
 * (10.48550/arXiv.…) or "arXiv:…" text, or undefined.
 */
export function normaliseArxivId(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = cleanText(text);
  const m = NEW_ARXIV.exec(t) ?? OLD_ARXIV.exec(t);
  if (!m?.[1]) return undefined;
  const month = Number(m[1].slice(2, 4));
  if (/^\d{4}\./.test(m[1]) && (month < 1 || month > 12)) return undefined;
  return m[1];
}

/** The arXiv id inside an arXiv DOI (10.48550/arXiv.2101.00001), if it is one. */
export function arxivIdFromDoi(doi: string | undefined): string | undefined {
  if (!doi) return undefined;
  const m = /^10\.48550\/arxiv\.(.+)$/i.exec(doi);
  return m?.[1] ? normaliseArxivId(m[1]) : undefined;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function validYear(y: number): boolean {
  return Number.isInteger(y) && y >= 1000 && y <= 2999;
}

/**
 * Parses a date in the spellings exports use: 2021, 2021-03, 2021-03-04(T…), 2021/03/04, "Mar 4, 2021", "4 Mar 2021",
 * "Mon, 2 Apr 2007 19:18:42 GMT". Returns an ISO date (YYYY-MM-DD or YYYY-MM) and the year; a month and day without a
 * year give nothing, since the year cannot be known.
 */
export function parseDate(text: string | undefined): { date?: string; year?: number } {
  if (!text) return {};
  const t = cleanText(text);
  let m = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T\s].*)?$/.exec(t);
  if (m) {
    const year = Number(m[1]);
    if (!validYear(year)) return {};
    const month = m[2] ? Number(m[2]) : undefined;
    const day = m[3] ? Number(m[3]) : undefined;
    if (month === undefined || month < 1 || month > 12) return { year };
    if (day === undefined || day < 1 || day > 31) return { year, date: `${year}-${pad2(month)}` };
    return { year, date: `${year}-${pad2(month)}-${pad2(day)}` };
  }
  m = /^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})\b/i.exec(t);
  const fromDayMonth = m ? { day: Number(m[1]), mon: m[2] ?? '', year: Number(m[3]) } : undefined;
  m = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i.exec(t);
  const fromMonthDay = m ? { day: Number(m[2]), mon: m[1] ?? '', year: Number(m[3]) } : undefined;
  const parts = fromDayMonth ?? fromMonthDay;
  if (parts) {
    const month = MONTHS[parts.mon.toLowerCase().slice(0, parts.mon.toLowerCase().startsWith('sept') ? 4 : 3)];
    if (!validYear(parts.year)) return {};
    if (!month || parts.day < 1 || parts.day > 31) return { year: parts.year };
    return { year: parts.year, date: `${parts.year}-${pad2(month)}-${pad2(parts.day)}` };
  }
  m = /^([a-z]{3,9})\.?\s+(\d{4})$/i.exec(t);
  if (m) {
    const month = MONTHS[(m[1] ?? '').toLowerCase().slice(0, 3)];
    const year = Number(m[2]);
    if (!validYear(year)) return {};
    return month ? { year, date: `${year}-${pad2(month)}` } : { year };
  }
  return {};
}

/** A four-digit year from a number or text ("2021", "2021a", "c. 2021"), or undefined. */
export function parseYear(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /\b(\d{4})\b/.exec(String(value));
  const year = m ? Number(m[1]) : NaN;
  return validYear(year) ? year : undefined;
}

/** First 16 hex digits of the sha256 of a text. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 16);
}

/** The stable id of a paper: `doi:`, else `arxiv:`, else `title:<hash>`, else `abstract:<hash>` of the normalised text. */
export function paperId(paper: Pick<Paper, 'doi' | 'arxivId' | 'title' | 'abstract'>): string {
  if (paper.doi) return `doi:${paper.doi}`;
  if (paper.arxivId) return `arxiv:${paper.arxivId}`;
  const title = paper.title ? titleKey(paper.title) : '';
  if (title) return `title:${shortHash(title)}`;
  return `abstract:${shortHash(titleKey(paper.abstract))}`;
}

/**
 * Splits an author list written as one text: "Smith, A.; Jones, B." on semicolons, "A. Smith, B. Jones and C. Lee"
 * on commas and "and"; a lone "Smith, John" stays one name.
 */
export function splitAuthors(text: string): string[] {
  const t = cleanText(text);
  if (t === '') return [];
  if (/^[^,;&]+,\s*[^,;&\s]+$/.test(t) && !/\s+and\s+/.test(t) && !/\s/.test(t.split(',')[0]?.trim() ?? ' ')) return [t];
  const parts = t.includes(';') ? t.split(';') : t.split(/,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Turns a raw record into a Paper, or gives the reason it cannot be one (no abstract, too short, a field that could not
 * be read). `minAbstractChars` counts characters of the cleaned abstract.
 */
export function toPaper(raw: RawRecord, source: SourceRef, limits: { minAbstractChars: number; maxAbstractChars: number }): Paper | { reason: string } {
  if (raw.problem) return { reason: raw.problem };
  const tooLong = overlongField(raw);
  if (tooLong) return { reason: tooLong };
  // Measured before cleaning too, so a 50 MB "abstract" is refused without being normalised first.
  if (raw.abstract !== undefined && raw.abstract.length > 2 * limits.maxAbstractChars) {
    return { reason: `abstract too long: ${raw.abstract.length} characters, maximum ${limits.maxAbstractChars} (maxAbstractChars)` };
  }
  const abstract = raw.abstract === undefined ? '' : cleanAbstract(raw.abstract);
  const title = raw.title === undefined ? '' : cleanText(raw.title);
  if (abstract === '') return { reason: title ? `no abstract (title "${clipText(title)}")` : 'no abstract' };
  if (abstract.length < limits.minAbstractChars) {
    return { reason: `abstract too short: ${abstract.length} characters, minimum ${limits.minAbstractChars}${title ? ` (title "${clipText(title)}")` : ''}` };
  }
  if (abstract.length > limits.maxAbstractChars) {
    return { reason: `abstract too long: ${abstract.length} characters, maximum ${limits.maxAbstractChars} (maxAbstractChars)${title ? ` (title "${clipText(title)}")` : ''}` };
  }
  const doi = normaliseDoi(raw.doi);
  const arxivId = normaliseArxivId(raw.arxivId) ?? arxivIdFromDoi(doi) ?? (raw.url && /arxiv\.org/i.test(raw.url) ? normaliseArxivId(raw.url) : undefined);
  const dated = parseDate(raw.date);
  const year = dated.year ?? parseYear(raw.year);
  const authors = (raw.authors ?? []).map(authorName).filter((a) => a !== '');
  const url = raw.url ? cleanText(raw.url) : '';
  const paper: Paper = {
    id: '',
    ...(title ? { title } : {}),
    abstract,
    authors,
    ...(raw.authorCount !== undefined && Number.isInteger(raw.authorCount) && raw.authorCount > 0 ? { authorCount: raw.authorCount } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(dated.date && (year === undefined || dated.date.startsWith(String(year))) ? { date: dated.date } : {}),
    ...(doi ? { doi } : {}),
    ...(arxivId ? { arxivId } : {}),
    ...(/^https?:\/\/\S+$/i.test(url) ? { url } : {}),
    sources: [source],
  };
  paper.id = paperId(paper);
  return paper;
}

/**
 * Longest title, year, date, DOI, arXiv id, URL or author list a record may have, in characters. Real ones are under
 * 1,000 (a 2,000-author list runs to ~40,000, so authors get ten times this); a longer field is a broken export or a
 * hostile file (a 200,000-digit year), and the record is skipped with the field's name and length.
 */
export const MAX_FIELD_CHARS = 10_000;

function overlongField(raw: RawRecord): string | undefined {
  for (const name of ['title', 'year', 'date', 'doi', 'arxivId', 'url'] as const) {
    const value = raw[name];
    const length = value === undefined ? 0 : String(value).length;
    if (length > MAX_FIELD_CHARS) return `field '${name}' is ${length} characters long, maximum ${MAX_FIELD_CHARS}`;
  }
  const authors = (raw.authors ?? []).reduce((n, a) => n + a.length, 0);
  if (authors > 10 * MAX_FIELD_CHARS) return `author list is ${authors} characters long, maximum ${10 * MAX_FIELD_CHARS}`;
  return undefined;
}

/** "Last, First" becomes "First Last"; other spellings stay as they are. */
function authorName(text: string): string {
  const name = cleanText(text);
  const m = /^([^,]+),\s*([^,]+)$/.exec(name);
  return m ? `${m[2]} ${m[1]}` : name;
}

function clipText(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}
