// De-duplication through ingest(): which copies merge, which do not, and what the merged paper keeps.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';

const dir = mkdtempSync(join(tmpdir(), 'papermap-dedupe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MERGE =
  'Model merging combines the weights of several fine-tuned models into one network without retraining. We study task arithmetic and show that interference between task vectors explains most of the accuracy lost when merging, and we propose a trimming step that removes it.';
const GRAPH =
  'Graph neural networks learn representations of nodes by passing messages along edges. We propose a sampling scheme that keeps neighbourhoods small and reaches state-of-the-art accuracy on three citation benchmarks with a tenth of the memory of full-batch training.';

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function jsonl(...records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('de-duplication', () => {
  it('merges copies with one DOI (any spelling), keeping every source and the richest fields', async () => {
    const bib = write('a.bib', `@article{x, title={Merging Models}, author={Ilharco, Gabriel and Wortsman, Mitchell}, doi={10.1234/ABC}, year={2023}, abstract={${MERGE}}}\n`);
    const list = write('b.jsonl', jsonl({ title: 'Merging models: a study', doi: 'https://doi.org/10.1234/abc', abstract: MERGE.slice(0, 150), date: '2023-02-01' }));
    const result = await ingest([bib, list]);
    expect(result.papers).toHaveLength(1);
    const [paper] = result.papers;
    expect(paper).toMatchObject({ id: 'doi:10.1234/abc', title: 'Merging Models', abstract: MERGE, authors: ['Gabriel Ilharco', 'Mitchell Wortsman'], year: 2023, date: '2023-02-01' });
    expect(paper?.sources.map((s) => [s.file, s.line, s.format])).toEqual([
      [bib, 1, 'bibtex'],
      [list, 1, 'jsonl'],
    ]);
    expect(result.duplicates).toEqual([{ id: 'doi:10.1234/abc', sources: paper?.sources, reason: 'doi' }]);
  });

  it('merges arXiv ids across versions and spellings', async () => {
    const file = write('arxiv.jsonl', jsonl({ id: '2101.00001v1', title: 'One', abstract: MERGE }, { title: 'One (v3)', arxiv_id: 'arXiv:2101.00001v3', abstract: GRAPH }));
    const result = await ingest([file]);
    expect(result.papers.map((p) => p.id)).toEqual(['arxiv:2101.00001']);
    expect(result.duplicates[0]?.reason).toBe('arxiv');
  });

  it('merges the same normalised title (case, punctuation, accents)', async () => {
    const file = write('titles.jsonl', jsonl({ title: 'Naïve Bayes, Revisited!', abstract: MERGE }, { title: 'naive bayes revisited', abstract: GRAPH }));
    const result = await ingest([file]);
    expect(result.papers).toHaveLength(1);
    expect(result.duplicates[0]?.reason).toBe('title');
  });

  it('merges a near-identical abstract under a different title, and a truncated copy', async () => {
    const edited = MERGE.replace('several', 'many').replace('we propose', 'we then propose');
    const file = write('near.jsonl', jsonl({ title: 'Task arithmetic interference', abstract: MERGE }, { title: 'A different title for the same work', abstract: edited }, { abstract: MERGE.slice(0, 160) }, { title: 'Graphs', abstract: GRAPH }));
    const result = await ingest([file]);
    expect(result.papers.map((p) => p.title)).toEqual(['Task arithmetic interference', 'Graphs']);
    expect(result.duplicates).toMatchObject([{ reason: 'abstract', sources: [{ line: 1 }, { line: 2 }, { line: 3 }] }]);
  });

  it('keeps papers apart when their DOIs differ, even with one title', async () => {
    const file = write('conflict.jsonl', jsonl({ title: 'Erratum to a long paper title', doi: '10.1000/a', abstract: MERGE }, { title: 'Erratum to a long paper title', doi: '10.1000/b', abstract: GRAPH }));
    const result = await ingest([file]);
    expect(result.papers.map((p) => p.id)).toEqual(['doi:10.1000/a', 'doi:10.1000/b']);
    expect(result.duplicates).toEqual([]);
  });

  it('keeps same-titled papers apart when their authors have no surname in common', async () => {
    const file = write('authors.jsonl', jsonl({ title: 'A Survey of Deep Learning', authors: 'Ana Silva and Bo Chen', abstract: MERGE }, { title: 'A survey of deep learning', authors: 'Kim Lee', abstract: GRAPH }, { title: 'A Survey of Deep Learning', authors: 'B. Chen', abstract: `${MERGE} Extended version.` }));
    const result = await ingest([file]);
    expect(result.papers.map((p) => p.sources.map((s) => s.line))).toEqual([[1, 3], [2]]);
  });

  it('keeps same-titled papers apart when their abstracts share almost no words, and merges a shortened copy', async () => {
    const first = `${MERGE} ${GRAPH}`;
    const other =
      'Sentiment classifiers for short social media posts struggle with sarcasm, slang and emoji. We collect a corpus of annotated tweets from three countries, compare lexicon methods with fine-tuned transformers, and release a benchmark whose test split is drawn from a later year to measure drift in vocabulary and opinion.';
    const file = write('same-title.jsonl', jsonl({ title: 'Twitter sentiment analysis', abstract: first }, { title: 'Twitter Sentiment Analysis', abstract: other }, { title: 'Twitter sentiment analysis.', abstract: first.slice(0, 330) }));
    const result = await ingest([file]);
    expect(result.papers.map((p) => p.sources.map((s) => s.line))).toEqual([[1, 3], [2]]);
    expect(result.duplicates).toMatchObject([{ reason: 'title', sources: [{ line: 1 }, { line: 3 }] }]);
  });

  it('does not merge short generic titles or unrelated abstracts', async () => {
    const file = write('generic.jsonl', jsonl({ title: 'Introduction', abstract: MERGE }, { title: 'Introduction', abstract: GRAPH }));
    const result = await ingest([file]);
    expect(result.papers).toHaveLength(2);
  });

  it('orders papers by first source and ids by DOI, arXiv, title hash, abstract hash', async () => {
    const file = write('ids.jsonl', jsonl({ title: 'T one', abstract: GRAPH, doi: '10.5555/X' }, { abstract: MERGE }));
    const result = await ingest([file]);
    expect(result.papers[0]?.id).toBe('doi:10.5555/x');
    expect(result.papers[1]?.id).toMatch(/^abstract:[0-9a-f]{16}$/);
  });
});
