// export: papers as BibTeX, RIS, CSL-JSON or CSV, written by citation-js, readable again by ingest; shared with the map page.

import { Cite, plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import type { Paper } from '../records.js';
import { citationKeys, paperToCsl, type CslItem } from './csl.js';
import { toCsv } from './csv.js';
import { resolveExportOptions, type ExportOptions } from './formats.js';

export { citationKeys, paperToCsl, splitName, cslType, type CslItem } from './csl.js';
export { EXPORT_DEFAULTS, EXPORT_FILES, EXPORT_FORMATS, resolveExportOptions, type ExportFormat, type ExportOptions } from './formats.js';

// BibTeX keys such as "Abawi:2004ks" are valid; citation-js would otherwise replace any key with ':' or '-' in it.
// (Its ASCII mode stays on: with it off, citation-js 0.8.2 leaves '%' unescaped, and BibTeX reads the rest as a comment.)
const bibtexConfig = plugins.config.get('@bibtex');
if (bibtexConfig.format) bibtexConfig.format.checkLabel = false;

interface BibEntry {
  type: string;
  label: string;
  properties: Record<string, string>;
}

/** Fields citation-js writes only in BibLaTeX, taken over into the BibTeX entry (BibTeX styles ignore what they do not know). */
const FROM_BIBLATEX = ['abstract', 'keywords', 'language'];

function keepHyphens(item: CslItem): CslItem {
  const out: CslItem = { ...item };
  for (const [key, value] of Object.entries(item)) if (typeof value === 'string' && key !== 'page' && key !== 'id' && key !== 'citation-key' && value.includes('--')) out[key] = value.replace(/-(?=-)/g, '-\u200C');
  return out;
}

/**
 * BibTeX from citation-js's BibTeX mapping, plus the abstract and keywords from its BibLaTeX mapping (its BibTeX one drops
 * them, and ingest needs the abstract), plus `eprint`/`archiveprefix` for arXiv ids (which citation-js does not map).
 */
function toBibtex(items: readonly CslItem[], papers: readonly Paper[]): string {
  // TeX reads "--" as an en dash, and citation-js writes "–" as "--"; so a literal "--" in a title ("GPT-2 -- How") gets
  // a zero-width non-joiner between its hyphens, which citation-js writes as \textcompwordmark{}, made "{}" below.
  const cite = new Cite(items.map(keepHyphens));
  const bibtex = cite.format('bibtex', { format: 'object' }) as BibEntry[];
  const biblatex = cite.format('biblatex', { format: 'object' }) as BibEntry[];
  return bibtex
    .map((entry, i) => {
      const properties = { ...entry.properties };
      const extra = biblatex[i]?.properties ?? {};
      for (const field of FROM_BIBLATEX) if (extra[field] !== undefined && properties[field] === undefined) properties[field] = extra[field] as string;
      const arxivId = papers[i]?.arxivId;
      if (arxivId) {
        properties.eprint = arxivId;
        properties.archiveprefix = 'arXiv';
      }
      const fields = Object.entries(properties).map(([name, value]) => `\t${name} = {${value.replace(/\\textcompwordmark\{\}/g, '{}')}},\n`);
      return `@${entry.type}{${entry.label},\n${fields.join('')}}\n`;
    })
    .join('\n');
}

/**
 * RIS from citation-js's RIS mapping (the "mixed" spec), one line per tag: its own text output wraps values every 70
 * characters (mid-word) and cuts ID to 20, which a reader cannot undo. An arXiv id goes in a note ("arXiv:<id>"),
 * where ingest and Zotero look for it.
 */
function toRis(items: readonly CslItem[]): string {
  const withNotes = items.map((item) => (typeof item.number === 'string' && item.number.startsWith('arXiv:') && item.note === undefined ? { ...item, note: item.number } : item));
  const entries = new Cite(withNotes).format('ris', { format: 'object' }) as Record<string, unknown>[];
  return entries
    .map((entry, i) => {
      const lines = [`TY  - ${String(entry.TY)}`];
      for (const [tag, value] of Object.entries({ ...entry, ID: items[i]?.['citation-key'] })) {
        if (tag === 'TY' || value === undefined) continue;
        for (const v of [value].flat()) lines.push(`${tag}  - ${String(v).replace(/\s*[\r\n]+\s*/g, ' ')}`);
      }
      lines.push('ER  - ');
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/**
 * Writes papers in one format, in the order given. Every paper keeps its citation key (one is made for papers without),
 * title, authors, date, abstract, DOI, arXiv id, URL and the bibliographic fields its source had, so `papermap ingest`
 * reads the output back into the same papers. Deterministic: the same papers give the same text.
 */
export function exportPapers(papers: readonly Paper[], options?: Partial<ExportOptions>): string {
  const { format } = resolveExportOptions(options);
  const keys = citationKeys(papers);
  const items = papers.map((p, i) => paperToCsl(p, keys[i] as string));
  if (papers.length === 0) return format === 'csl-json' ? '[]\n' : format === 'csv' ? toCsv([], []) : '';
  switch (format) {
    case 'bibtex':
      return toBibtex(items, papers);
    case 'ris':
      return toRis(items);
    case 'csl-json':
      return `${JSON.stringify(new Cite(items).format('data', { format: 'object' }), null, 2)}\n`;
    case 'csv':
      return toCsv(papers, keys);
  }
}
