// BM25 over the bundled corpus: finds papers by their words, survives a JSON round trip unchanged, checks its inputs.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLexicalIndex, lexicalSearch, lexicalSimilar, loadLexicalIndex, serialiseLexicalIndex, type LexicalIndex } from '../../src/index/lexical.js';
import { ingest } from '../../src/ingest/index.js';
import type { Paper } from '../../src/records.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let papers: Paper[];
let index: LexicalIndex;
const titleOf = (id: string) => papers.find((p) => p.id === id)?.title ?? '';

beforeAll(async () => {
  papers = (await ingest([join(ROOT, 'data')])).papers;
  index = buildLexicalIndex(papers);
});

describe('lexical index', () => {
  it('ranks model-merging papers first for a model-merging query', () => {
    const hits = lexicalSearch(index, 'merging fine-tuned models with task arithmetic', { k: 5 });
    expect(hits).toHaveLength(5);
    for (const h of hits.slice(0, 3)) expect(titleOf(h.id).toLowerCase()).toMatch(/merg|model fusion/);
  });

  it('matches word pairs: "gradient conflict" ranks the conflict-free training paper above papers with only one word', () => {
    const hits = lexicalSearch(index, 'conflicting gradients between loss terms', { k: 3 });
    expect(hits.map((h) => titleOf(h.id)).join(' | ')).toMatch(/Conflict-free/);
  });

  it('never returns the query paper and scores in descending order', () => {
    const id = papers[10]!.id;
    const hits = lexicalSimilar(index, id, { k: 20 });
    expect(hits.map((h) => h.id)).not.toContain(id);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('round-trips through JSON with identical rankings and byte-identical output', () => {
    const saved = JSON.stringify(serialiseLexicalIndex(index));
    expect(JSON.stringify(serialiseLexicalIndex(buildLexicalIndex(papers)))).toBe(saved);
    const loaded = loadLexicalIndex(JSON.parse(saved));
    expect(lexicalSimilar(loaded, papers[3]!.id, { k: 10 })).toEqual(lexicalSimilar(index, papers[3]!.id, { k: 10 }));
    expect(lexicalSearch(loaded, 'adapters for transfer learning')).toEqual(lexicalSearch(index, 'adapters for transfer learning'));
  });

  it('rejects an unknown paper, a bad option and a foreign file by code', () => {
    expect(() => lexicalSimilar(index, 'doi:nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => buildLexicalIndex(papers, { k1: 9 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => loadLexicalIndex({ format: 'other' } as never)).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
  });
});
