// One JSON object to a raw record, across the field names of arXiv's metadata snapshot, OpenAlex, Semantic Scholar, CSL-JSON and Crossref.

import { splitAuthors } from '../_normalise.js';
import type { RawRecord } from './_reader.js';

/** Largest word position accepted in an OpenAlex abstract_inverted_index (abstracts are far shorter). */
const MAX_INVERTED_POSITION = 20_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function personName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    // arXiv authors_parsed: [last, first, suffix]
    const [last, first, suffix] = value.map((v) => (typeof v === 'string' ? v : ''));
    return [first, last, suffix].filter((p) => p).join(' ') || undefined;
  }
  if (!isObject(value)) return undefined;
  if (isObject(value.author)) return personName(value.author);
  for (const key of ['name', 'display_name', 'full_name', 'fullName', 'literal']) {
    const v = value[key];
    if (typeof v === 'string') return v;
  }
  const given = typeof value.given === 'string' ? value.given : '';
  const family = typeof value.family === 'string' ? value.family : '';
  return `${given} ${family}`.trim() || undefined;
}

function people(value: unknown): string[] | undefined {
  if (typeof value === 'string') return splitAuthors(value);
  if (!Array.isArray(value)) return undefined;
  return value.map(personName).filter((n): n is string => n !== undefined);
}

/** Rebuilds an abstract from OpenAlex's `abstract_inverted_index` ({ word: [positions] }). */
function fromInvertedIndex(index: Json): string | { problem: string } {
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) {
    if (!Array.isArray(positions)) return { problem: `abstract_inverted_index entry "${word.slice(0, 30)}" is not a list of positions` };
    for (const p of positions) {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > MAX_INVERTED_POSITION) {
        return { problem: `abstract_inverted_index has position ${JSON.stringify(p)?.slice(0, 20)} for "${word.slice(0, 30)}"; expected an integer from 0 to ${MAX_INVERTED_POSITION}` };
      }
      words[p] = word;
    }
  }
  return words.filter((w) => w !== undefined).join(' ');
}

function dateParts(value: unknown): string | undefined {
  // CSL-JSON: { "date-parts": [[2021, 3, 4]] }
  if (!isObject(value)) return undefined;
  const parts = value['date-parts'];
  if (!Array.isArray(parts) || !Array.isArray(parts[0])) return undefined;
  const [y, m, d] = (parts[0] as unknown[]).map((p) => Number(p));
  if (!y || !Number.isInteger(y)) return undefined;
  return [y, m, d].filter((p) => p !== undefined && Number.isInteger(p) && p > 0).map((p, i) => (i === 0 ? String(p) : String(p).padStart(2, '0'))).join('-');
}

const ARXIV_ID_ONLY = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;

/**
 * Reads the fields of one paper object. Known shapes: arXiv snapshot (id, title, abstract, authors, authors_parsed,
 * doi, versions, update_date), OpenAlex work (display_name, abstract_inverted_index, authorships, publication_date,
 * doi), Semantic Scholar (paperId, abstract, authors[].name, externalIds), CSL-JSON/Crossref (title, abstract,
 * author[].given/family, issued, DOI, URL).
 */
export function recordFromJson(value: unknown, line: number): RawRecord {
  if (!isObject(value)) return { line, problem: `expected a paper object, found ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}` };
  const record: RawRecord = { line };
  record.title = text(value.title) ?? text(value.display_name);
  const abstract = value.abstract ?? value.summary ?? value.paperAbstract ?? value.abstractText;
  if (abstract !== undefined && abstract !== null) {
    if (typeof abstract === 'string') record.abstract = abstract;
    else if (Array.isArray(abstract) && typeof abstract[0] === 'string') record.abstract = abstract.join(' ');
    else record.problem = `abstract is ${Array.isArray(abstract) ? 'a list' : typeof abstract}, not text`;
  } else if (isObject(value.abstract_inverted_index)) {
    const rebuilt = fromInvertedIndex(value.abstract_inverted_index);
    if (typeof rebuilt === 'string') record.abstract = rebuilt;
    else record.problem = rebuilt.problem;
  }
  record.authors =
    people(value.authors_parsed) ?? people(value.authorships) ?? people(value.authors) ?? people(value.author) ?? people(value.creators) ?? [];
  const versions = Array.isArray(value.versions) && isObject(value.versions[0]) ? text(value.versions[0].created) : undefined;
  record.date = text(value.publication_date) ?? dateParts(value.issued) ?? dateParts(value.published) ?? text(value.published) ?? text(value.date) ?? versions ?? text(value.update_date);
  record.year = text(value.year) ?? text(value.publication_year);
  const externalIds = isObject(value.externalIds) ? value.externalIds : isObject(value.ids) ? value.ids : {};
  record.doi = text(value.doi) ?? text(value.DOI) ?? text(externalIds.DOI) ?? text(externalIds.doi);
  const id = text(value.id);
  record.arxivId =
    text(value.arxiv_id) ?? text(value.arxivId) ?? text(externalIds.ArXiv) ?? text(externalIds.arxiv) ?? (id && ARXIV_ID_ONLY.test(id.trim()) ? id : undefined) ?? (id && /arxiv\.org\/abs\//.test(id) ? id : undefined) ??
    /^arxiv:\s*(\S+)$/i.exec(text(value.number) ?? '')?.[1];
  const location = isObject(value.primary_location) ? value.primary_location : {};
  record.url = text(value.url) ?? text(value.URL) ?? text(location.landing_page_url) ?? (id && /^https?:\/\//.test(id) ? id : undefined);
  const citationKey = text(value['citation-key']);
  if (citationKey) Object.assign(record, cslBibliographic(value, citationKey));
  return record;
}

/** CSL-JSON containers by BibTeX name: a chapter or paper-conference sits in a booktitle, the rest in a journal. */
const CSL_FIELDS: [string, string][] = [['volume', 'volume'], ['issue', 'number'], ['page', 'pages'], ['publisher', 'publisher'],
  ['publisher-place', 'address'], ['ISBN', 'isbn'], ['ISSN', 'issn'], ['edition', 'edition'], ['collection-title', 'series'], ['note', 'note'], ['language', 'language']];

/** The citation key, type and bibliographic fields of a CSL-JSON item (one that names its citation-key). */
function cslBibliographic(value: Json, citationKey: string): Pick<RawRecord, 'citationKey' | 'entryType' | 'fields'> {
  const type = text(value.type);
  const fields: Record<string, string> = {};
  const container = text(value['container-title']);
  if (container) fields[type === 'chapter' || type === 'paper-conference' ? 'booktitle' : 'journal'] = container;
  for (const [from, to] of CSL_FIELDS) {
    const v = text(value[from]);
    if (v) fields[to] = from === 'page' ? v.replace(/(\d)\s*[-–]\s*(\d)/, '$1--$2') : v;
  }
  return { citationKey, ...(type ? { entryType: type } : {}), fields };
}
