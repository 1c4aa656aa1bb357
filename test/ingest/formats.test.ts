// What each reader makes of real exports: titles cleaned, authors, dates, DOIs and arXiv ids in the right fields.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest, readText } from '../../src/ingest/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

async function papersOf(fixture: string) {
  return (await ingest([join(FIXTURES, fixture)])).papers;
}

describe('BibTeX', () => {
  it('reads a Zotero export: LaTeX accents and braces cleaned, markup dropped, DOI lower-cased', async () => {
    const [speech, protein] = await papersOf('bibtex/zotero-export.bib');
    expect(speech).toMatchObject({
      id: 'doi:10.1234/asr.2021.007',
      title: 'Low-resource speech recognition by self-supervised pre-training in Português and Mäori',
      authors: ['Ana Silva', 'Bo Chen', 'Jörg Müller'],
      year: 2021,
    });
    expect(speech?.abstract).toMatch(/We release code at https:\/\/example\.org\/asr\.$/);
    expect(protein).toMatchObject({ id: 'arxiv:2107.01234', title: 'Protein structure from sequence with attention', arxivId: '2107.01234' });
  });

  it('reads arXiv and Google Scholar exports; an entry without abstract is skipped with its line', async () => {
    const [robots] = await papersOf('bibtex/arxiv-export.bib');
    expect(robots).toMatchObject({ id: 'arxiv:2305.04321', authors: ['Priya Rao', 'Tom Berg'], year: 2023, url: 'https://arxiv.org/abs/2305.04321' });
    const scholar = await ingest([join(FIXTURES, 'bibtex/google-scholar.bib')]);
    expect(scholar.papers.map((p) => p.title)).toEqual(['Diffusion downscaling of regional climate']);
    expect(scholar.skipped).toMatchObject([{ line: 1, reason: 'no abstract (title "Deep learning for everything")' }]);
  });

  it('reports the entry with an unbalanced brace by its own line and reads the entries after it', async () => {
    const result = await ingest([join(FIXTURES, 'bibtex/unbalanced-brace.bib')]);
    expect(result.papers).toHaveLength(2);
    expect(result.skipped).toMatchObject([{ line: 8, format: 'bibtex' }]);
    expect(result.skipped[0]?.reason).toMatch(/^entry 'broken2021': Unterminated/);
  });
});

describe('RIS', () => {
  it('joins continuation lines, parses DA dates, strips DOI resolvers, turns "Last, First" around', async () => {
    const [speech, climate] = await papersOf('ris/scopus-export.ris');
    expect(speech).toMatchObject({ id: 'doi:10.1234/asr.2021.007', authors: ['Ana Silva', 'Bo Chen'], year: 2021, date: '2021-03-04' });
    expect(speech?.abstract).toMatch(/supervised baselines\.$/);
    expect(speech?.abstract).not.toContain('  ');
    expect(climate).toMatchObject({ title: 'Diffusion Downscaling of Regional Climate', authors: ['Andrew Ng'], year: 2019, url: 'https://example.org/climate' });
  });
});

describe('CSV and TSV', () => {
  it('maps headers in any order and common spellings, with quoted commas, doubled quotes and ; separated authors', async () => {
    const [speech] = await papersOf('csv/spreadsheet-bom-crlf.csv');
    expect(speech).toMatchObject({ title: 'Low-resource speech recognition, revisited', authors: ['Ana Silva', 'Bo Chen'], year: 2021, doi: '10.1234/asr.2021.007' });
  });

  it('reads semicolon-separated Excel exports and tab-separated files', async () => {
    expect((await papersOf('csv/semicolon-excel.csv'))[0]).toMatchObject({ title: 'Diffusion Downscaling of Regional Climate', year: 2019 });
    expect((await papersOf('tsv/export.tsv'))[0]).toMatchObject({ id: 'doi:10.5555/graph.2022', year: 2022 });
  });

  it('keeps every good row around a broken quote', () => {
    const text = 'title,abstract\nA first paper title,"' + 'x'.repeat(120) + '"\nBad,"unclosed\nA third paper title,' + 'y'.repeat(120) + '\n';
    const result = readText(text, 'mem.csv');
    expect(result.papers.map((p) => p.title)).toEqual(['A first paper title', 'A third paper title']);
    expect(result.skipped.map((s) => s.line)).toEqual([3]);
  });
});

describe('JSON and JSON Lines', () => {
  it('rebuilds OpenAlex abstracts from abstract_inverted_index', async () => {
    const [protein] = await papersOf('json/openalex-works.json');
    expect(protein).toMatchObject({ id: 'doi:10.5555/protein.2021', authors: ['John Jumper'], year: 2021, date: '2021-07-15' });
    expect(protein?.abstract).toMatch(/^Predicting protein structure from sequence is a long-standing problem in biology\. /);
  });

  it('reads the arXiv metadata snapshot: authors_parsed, version dates, ids without versions', async () => {
    const [robots] = await papersOf('json/arxiv-snapshot.jsonl');
    expect(robots).toMatchObject({ id: 'arxiv:2305.04321', authors: ['Priya Rao', 'Tom Berg'], date: '2023-05-08', year: 2023 });
  });

  it('reads Semantic Scholar responses and takes the arXiv id out of an arXiv DOI', async () => {
    const [robots] = await papersOf('json/semantic-scholar.json');
    expect(robots).toMatchObject({ doi: '10.48550/arxiv.2305.04321', arxivId: '2305.04321', authors: ['Priya Rao'] });
  });

  it('skips an inverted index with absurd positions instead of allocating for them', () => {
    const text = JSON.stringify([{ title: 'Huge', abstract_inverted_index: { word: [1e9] } }]);
    expect(readText(text, 'mem.json').skipped[0]?.reason).toMatch(/^abstract_inverted_index has position 1000000000/);
  });
});

describe('arXiv Atom', () => {
  it('reads entries: folded titles, entities, arXiv id without version, arxiv:doi', async () => {
    const [robots, protein] = await papersOf('atom/arxiv-api.xml');
    expect(robots).toMatchObject({ id: 'arxiv:2305.04321', title: 'Robots That Recover: Visual Servoing with Learned Policy Priors', authors: ['Priya Rao', 'Tom Berg'], date: '2023-05-08' });
    expect(robots?.abstract).toContain('92 percent & more');
    expect(protein).toMatchObject({ id: 'doi:10.5555/protein.2021', arxivId: '2107.01234' });
  });
});

describe('the seed layouts', () => {
  it('abstract-lines: Title, Authors and Year labels attach to the Abstract line after them', async () => {
    const papers = await papersOf('abstract-lines/labelled-lines.txt');
    expect(papers[2]).toMatchObject({ title: 'Low-resource speech recognition by self-supervised pre-training', authors: ['Ana Silva', 'Bo Chen'], year: 2021 });
  });

  it('listing-page and title-abstract-lines: chrome dropped, glued header removed, orphan titles reported', async () => {
    const listing = await ingest([join(FIXTURES, 'listing-page/daily-papers.txt')]);
    expect(listing.papers[0]).toMatchObject({ title: 'Merging Models by Task Arithmetic', authorCount: 3, date: '2023-08-16' });
    expect(listing.skipped.map((s) => s.reason)).toEqual(['title without an abstract: "Orphan Title With No Abstract"']);
    const lines = await ingest([join(FIXTURES, 'title-abstract-lines/glued-header.txt')]);
    expect(lines.papers[0]?.title).toBe('Merging Models by Task Arithmetic');
  });

  it('detects a seed layout from content whatever the extension', () => {
    const text = readFileSync(join(FIXTURES, 'listing-page/daily-papers.txt'), 'utf8');
    expect(readText(text, 'saved-page.html.txt').format).toBe('listing-page');
    expect(readText(text, 'no-extension').format).toBe('listing-page');
  });
});
