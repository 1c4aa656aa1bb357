// Why related: shared distinctive phrases and the best sentence pair, from the texts alone.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPhraseStats, explainSearch, explainSimilar, type PhraseStats } from '../../src/explain/index.js';
import { ingest } from '../../src/ingest/index.js';
import type { Paper } from '../../src/records.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let papers: Paper[];
let stats: PhraseStats;
const byTitle = (start: string) => papers.find((p) => p.title?.startsWith(start)) as Paper;

beforeAll(async () => {
  papers = (await ingest([join(ROOT, 'data')])).papers;
  stats = buildPhraseStats(papers);
});

describe('explainSimilar', () => {
  it('names what two in-context-learning papers share and pairs their ICL sentences', () => {
    const e = explainSimilar(byTitle('Soft Injection of Task Embeddings'), byTitle('Implicit In-context Learning'), stats);
    expect(e.phrases.map((p) => p.toLowerCase())).toContain('in-context learning');
    expect(e.sentences?.query).toMatch(/In-Context Learning/i);
    expect(e.sentences?.hit).toMatch(/In-context Learning/i);
  });

  it('lists no stop word or boilerplate and at most maxPhrases phrases, the same on every call', () => {
    const a = byTitle('HoME: Hierarchy of Multi-Gate Experts');
    const b = byTitle('DSelect-k');
    const e = explainSimilar(a, b, stats, { maxPhrases: 2 });
    expect(e.phrases.length).toBeLessThanOrEqual(2);
    for (const p of e.phrases) expect(p.toLowerCase()).not.toMatch(/^(the|we|propose|method|results?|paper)$/);
    expect(explainSimilar(a, b, stats, { maxPhrases: 2 })).toEqual(e);
  });

  it('rejects a bad option by code', () => {
    expect(() => explainSimilar(papers[0]!, papers[1]!, stats, { maxPhrases: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

describe('buildPhraseStats', () => {
  it('counts every paper of a corpus under the sample size, and a fixed sample above it (the same papers in any order)', () => {
    expect(stats.papers).toBe(papers.length);
    expect(stats.df.get('in-context learning')).toBeGreaterThanOrEqual(2);
    const sampled = buildPhraseStats(papers, 200);
    expect(sampled.papers).toBe(200);
    expect(buildPhraseStats([...papers].reverse(), 200).df).toEqual(sampled.df);
    // Counts from the sample estimate the corpus's: a common phrase keeps about its share.
    const share = (s: PhraseStats, key: string) => (s.df.get(key) ?? 0) / s.papers;
    expect(Math.abs(share(sampled, 'multi-task learning') - share(stats, 'multi-task learning'))).toBeLessThan(0.08);
  });
});

describe('explainSearch', () => {
  it('finds the query words in the paper and its best sentence', () => {
    const e = explainSearch('gradient conflict between tasks', byTitle('ConFIG'), stats);
    expect(e.phrases).toEqual(expect.arrayContaining(['gradient']));
    expect(e.sentences?.hit).toMatch(/conflict/i);
  });

  it('says nothing for a query that shares no word with the paper', () => {
    expect(explainSearch('zebra migration', byTitle('ConFIG'), stats)).toEqual({ phrases: [] });
  });
});
