// BM25 over the bundled corpus: finds papers by their words, survives a JSON round trip unchanged, checks its inputs.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLexicalIndex, lexicalIndexBytes, lexicalQuery, lexicalSearch, lexicalSimilar, parseLexicalIndex, termDocFrequency, type LexicalIndex } from '../../src/index/lexical.js';
import { ingest } from '../../src/ingest/index.js';
import type { Paper } from '../../src/records.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let papers: Paper[];
let index: LexicalIndex;
const titleOf = (id: string) => papers.find((p) => p.id === id)?.title ?? '';
/** The file's text (compared as a string: deep equality of a 2 MB byte array takes seconds). */
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

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

  it('round-trips through its file with identical rankings and byte-identical output', () => {
    const saved = lexicalIndexBytes(index);
    expect(text(lexicalIndexBytes(buildLexicalIndex(papers)))).toBe(text(saved));
    const loaded = parseLexicalIndex(saved);
    expect(text(lexicalIndexBytes(loaded))).toBe(text(saved));
    expect(lexicalSimilar(loaded, papers[3]!.id, { k: 10 })).toEqual(lexicalSimilar(index, papers[3]!.id, { k: 10 }));
    expect(lexicalSearch(loaded, 'adapters for transfer learning')).toEqual(lexicalSearch(index, 'adapters for transfer learning'));
  });

  it('stores plain JSON: the sorted vocabulary once, per paper its [term number, count] pairs in term order', () => {
    const file = JSON.parse(text(lexicalIndexBytes(index))) as { format: string; ids: string[]; terms: string[]; docs: number[][] };
    expect(file.format).toBe('papermap-bm25/1');
    expect(file.ids).toEqual(papers.map((p) => p.id));
    expect(file.terms).toEqual([...file.terms].sort());
    expect(new Set(file.terms).size).toBe(file.terms.length);
    const row = papers.findIndex((p) => /conflict-free/i.test(p.title ?? ''));
    const doc = file.docs[row]!;
    const counts = new Map<string, number>();
    for (let i = 0; i < doc.length; i += 2) {
      if (i > 0) expect(doc[i]!).toBeGreaterThan(doc[i - 2]!);
      counts.set(file.terms[doc[i]!]!, doc[i + 1]!);
    }
    // Title words count twice, word pairs half as much as words.
    expect(counts.get('conflict')).toBeGreaterThanOrEqual(2);
    expect(counts.get('gradient conflict') ?? counts.get('conflict free')).toBeGreaterThan(0);
    expect([...counts.values()].every((tf) => tf > 0 && Number.isInteger(tf * 2))).toBe(true);
  });

  it("counts a term's papers, built or loaded, words and word pairs alike", () => {
    const loaded = parseLexicalIndex(lexicalIndexBytes(index));
    const holding = (term: string) => papers.filter((p) => lexicalQuery(index, { paperId: p.id }).has(term)).length;
    for (const term of ['merging', 'model merging', 'gradient conflict']) {
      expect(holding(term)).toBeGreaterThan(0);
      expect(termDocFrequency(index, term)).toBe(holding(term));
      expect(termDocFrequency(loaded, term)).toBe(holding(term));
    }
    expect(termDocFrequency(index, 'zzyzx-not-a-word')).toBe(0);
  });

  it('rejects an unknown paper, a bad option and a foreign file by code', () => {
    expect(() => lexicalSimilar(index, 'doi:nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => buildLexicalIndex(papers, { k1: 9 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => parseLexicalIndex(new TextEncoder().encode('{"format":"other"}\n'))).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
    const saved = text(lexicalIndexBytes(index));
    expect(() => parseLexicalIndex(new TextEncoder().encode(saved.slice(0, -100)))).toThrow(SyntaxError);
    expect(() => parseLexicalIndex(new TextEncoder().encode(saved.replace('"docs":[[', '"docs":[[99999999,')))).toThrow(/outside the \d+-term vocabulary/);
  });
});
