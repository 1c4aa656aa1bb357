// Export round trips: a real Zotero library written as BibTeX, RIS, CSL-JSON and CSV reads back into the same papers.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FILES, EXPORT_FORMATS, exportPapers } from '../../src/export/index.js';
import { ingest } from '../../src/ingest/index.js';
import type { Paper } from '../../src/records.js';

const ZOTERO = join(import.meta.dirname, '..', 'fixtures', 'export', 'zotero-bbt-slice.bib');
const dir = mkdtempSync(join(tmpdir(), 'papermap-export-'));

async function reingest(text: string, name: string): Promise<Paper[]> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const result = await ingest([file]);
  expect(result.skipped).toEqual([]);
  return result.papers;
}

/** BibTeX's ASCII escapes that the BibTeX reader reads back as a near twin: \ldots → "...", \textasciigrave → "ˋ". */
function texTwins(text: string): string {
  return text.replace(/…/g, '...').replace(/`/g, 'ˋ');
}

describe('export of a real Zotero library', () => {
  let papers: Paper[];
  beforeAll(async () => {
    papers = (await ingest([ZOTERO])).papers;
  });

  it('ingest keeps each entry\'s citation key, type and bibliographic fields', () => {
    expect(papers).toHaveLength(30);
    expect(papers.every((p) => p.citationKey && p.entryType)).toBe(true);
    const reuse = papers.find((p) => p.citationKey === 'Anonymous:2011cya');
    expect(reuse).toMatchObject({ entryType: 'article', doi: '10.1145/1978942.1979370', fields: { journal: 'SIGCHI Conference on Human-Computer Interaction', publisher: 'ACM Press', isbn: '9781450302289' } });
  });

  for (const format of EXPORT_FORMATS) {
    it(`${format}: re-ingests into the same papers with every citation key and title`, async () => {
      const text = exportPapers(papers, { format });
      const back = await reingest(text, `all.${EXPORT_FILES[format].extension}`);
      expect(back.map((p) => p.id).sort()).toEqual(papers.map((p) => p.id).sort());
      const byId = new Map(back.map((p) => [p.id, p]));
      for (const p of papers) {
        const q = byId.get(p.id) as Paper;
        expect({ key: q.citationKey, title: q.title, authors: q.authors, year: q.year, doi: q.doi }).toEqual({ key: p.citationKey, title: p.title, authors: p.authors, year: p.year, doi: p.doi });
        expect(format === 'bibtex' ? q.abstract : q.abstract).toBe(format === 'bibtex' ? texTwins(p.abstract) : p.abstract);
      }
    });
  }

  it('BibTeX keeps the source\'s fields: journal, pages, publisher, DOI, abstract', () => {
    const text = exportPapers(papers.filter((p) => p.citationKey === 'Anonymous:2011cya'), { format: 'bibtex' });
    expect(text).toMatch(/^@article\{Anonymous:2011cya,$/m);
    expect(text).toContain('journal = {SIGCHI Conference on Human-Computer Interaction}');
    expect(text).toContain('publisher = {ACM Press}');
    expect(text).toContain('doi = {10.1145/1978942.1979370}');
    expect(text).toMatch(/abstract = \{We present a large-scale study/);
  });

  it('is deterministic: the same papers give the same bytes', () => {
    for (const format of EXPORT_FORMATS) expect(exportPapers(papers, { format })).toBe(exportPapers(papers, { format }));
  });
});

describe('export of papers without a source key', () => {
  const preprint: Paper = {
    id: 'arxiv:2401.00001',
    title: 'Merging models, "without" retraining -- a study --- of GPT-2',
    abstract: 'We merge fine-tuned models by task arithmetic, without any retraining, and match multi-task training on eight vision benchmarks.',
    authors: ['Ludwig van Beethoven', 'Ada Lovelace'],
    year: 2024,
    date: '2024-01-02',
    arxivId: '2401.00001',
    sources: [{ file: 'x.jsonl', line: 1, format: 'json' }],
  };

  it('makes a key, writes the arXiv id where each reader finds it, and reads it back', async () => {
    for (const format of EXPORT_FORMATS) {
      const text = exportPapers([preprint], { format });
      const [back] = await reingest(text, `preprint.${EXPORT_FILES[format].extension}`);
      expect(back).toMatchObject({ id: 'arxiv:2401.00001', arxivId: '2401.00001', title: preprint.title, authors: preprint.authors, year: 2024, citationKey: 'beethoven2024merging' });
    }
  });

  it('CSV quotes cells with commas and quotes, doubling the quotes', () => {
    const csv = exportPapers([{ ...preprint, title: '=SUM(A1) "quoted", title' }], { format: 'csv' });
    expect(csv.split('\r\n')[1]).toContain(',"=SUM(A1) ""quoted"", title",');
  });

  it('an unknown format is a BAD_OPTION', () => {
    expect(() => exportPapers([preprint], { format: 'endnote' as never })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
