// Papers as CSL-JSON items: the one shape citation-js reads, from which every citation format is written.

import type { Paper } from '../records.js';

/** A CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html), the fields we write. */
export interface CslItem {
  id: string;
  'citation-key': string;
  type: string;
  title?: string;
  abstract?: string;
  author?: { given?: string; family?: string; literal?: string }[];
  issued?: { 'date-parts': number[][] };
  DOI?: string;
  URL?: string;
  number?: string;
  [field: string]: unknown;
}

/** BibTeX / BibLaTeX and RIS types to CSL types; a CSL type passes through. */
const CSL_TYPES: Record<string, string> = {
  article: 'article-journal', inproceedings: 'paper-conference', conference: 'paper-conference', incollection: 'chapter',
  inbook: 'chapter', book: 'book', phdthesis: 'thesis', mastersthesis: 'thesis', thesis: 'thesis', techreport: 'report',
  report: 'report', unpublished: 'manuscript', online: 'webpage', misc: 'document', manual: 'book', proceedings: 'book',
  JOUR: 'article-journal', JFULL: 'article-journal', MGZN: 'article-magazine', NEWS: 'article-newspaper', CONF: 'paper-conference',
  CPAPER: 'paper-conference', CHAP: 'chapter', BOOK: 'book', EBOOK: 'book', EDBOOK: 'book', THES: 'thesis', RPRT: 'report',
  ELEC: 'webpage', GEN: 'document', UNPB: 'manuscript',
};

const CSL_TYPE_NAMES = new Set(['article', 'article-journal', 'article-magazine', 'article-newspaper', 'book', 'chapter', 'dataset',
  'document', 'manuscript', 'paper-conference', 'report', 'thesis', 'webpage', 'patent', 'review', 'software', 'speech', 'post']);

/** Fields of Paper.fields (BibTeX names) and the CSL variables they become. */
const FIELD_TO_CSL: [string, string][] = [['journal', 'container-title'], ['journaltitle', 'container-title'], ['booktitle', 'container-title'],
  ['volume', 'volume'], ['number', 'issue'], ['issue', 'issue'], ['pages', 'page'], ['publisher', 'publisher'], ['address', 'publisher-place'],
  ['location', 'publisher-place'], ['edition', 'edition'], ['series', 'collection-title'], ['isbn', 'ISBN'], ['issn', 'ISSN'],
  ['keywords', 'keyword'], ['language', 'language'], ['note', 'note'], ['school', 'publisher'], ['institution', 'publisher'], ['organization', 'publisher']];

/** Name particles that belong to the family name ("Ludwig van Beethoven" → family "van Beethoven"). */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ter', 'ten', 'bin', 'al']);

/**
 * A "Given Family" name as CSL parts: the last word (with any particles before it) is the family name. Papers keep
 * names as one text, so this split is a guess; joined again it gives the same text, so a re-ingest reads the same name.
 */
export function splitName(name: string): { given?: string; family?: string; literal?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { literal: name.trim() };
  let cut = words.length - 1;
  while (cut > 1 && PARTICLES.has((words[cut - 1] as string).toLowerCase())) cut--;
  return { given: words.slice(0, cut).join(' '), family: words.slice(cut).join(' ') };
}

/** The CSL type of a paper: from its source type, else a preprint ('article') when it has an arXiv id, else a journal article. */
export function cslType(paper: Paper): string {
  const given = paper.entryType ?? '';
  if (CSL_TYPE_NAMES.has(given)) return given;
  return CSL_TYPES[given] ?? CSL_TYPES[given.toLowerCase()] ?? (paper.arxivId ? 'article' : 'article-journal');
}

function asciiWord(text: string): string {
  return text.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Citation keys for papers: the key a paper came with, else "<family><year><first title word>" (the Zotero/Better
 * BibTeX habit), with a, b, c… added when two papers would share one.
 */
export function citationKeys(papers: readonly Paper[]): string[] {
  const taken = new Set(papers.map((p) => p.citationKey).filter((k): k is string => k !== undefined));
  return papers.map((p) => {
    if (p.citationKey) return p.citationKey;
    const first = p.authors[0] ? splitName(p.authors[0]) : {};
    const family = asciiWord((first.family ?? first.literal ?? '').split(/\s+/).pop() ?? '').toLowerCase();
    const word = (p.title ?? p.abstract).split(/\s+/).map(asciiWord).find((w) => w.length > 3) ?? 'paper';
    const base = `${family || 'anon'}${p.year ?? ''}${word.toLowerCase()}`;
    let key = base;
    for (let n = 0; taken.has(key); n++) key = `${base}${n < 26 ? String.fromCharCode(97 + n) : n}`;
    taken.add(key);
    return key;
  });
}

/** The date parts of a paper: its date (YYYY-MM-DD or YYYY-MM), else its year. */
function dateParts(paper: Paper): number[] | undefined {
  if (paper.date) return paper.date.split('-').map(Number);
  return paper.year !== undefined ? [paper.year] : undefined;
}

/** One paper as a CSL-JSON item under `key`. The arXiv id is written as CSL's `number` "arXiv:<id>", as Zotero does. */
export function paperToCsl(paper: Paper, key: string): CslItem {
  const item: CslItem = { id: key, 'citation-key': key, type: cslType(paper) };
  if (paper.title) item.title = paper.title;
  if (paper.authors.length) item.author = paper.authors.map(splitName);
  const parts = dateParts(paper);
  if (parts) item.issued = { 'date-parts': [parts] };
  item.abstract = paper.abstract;
  if (paper.doi) item.DOI = paper.doi;
  if (paper.url) item.URL = paper.url;
  for (const [from, to] of FIELD_TO_CSL) {
    const value = paper.fields?.[from];
    if (value !== undefined && item[to] === undefined) item[to] = value;
  }
  if (paper.arxivId) {
    item.number = `arXiv:${paper.arxivId}`;
    if (item.publisher === undefined && item['container-title'] === undefined) item.publisher = 'arXiv';
  }
  return item;
}
