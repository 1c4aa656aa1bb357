// The map page's offline search, through its public functions on the corpus project's own map.html: the table the map
// step wrote, opened as the page opens it, against the served search (`openRelated(...).search`, the model embedding
// the query) on the judged text queries.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLexicalIndex, buildQueryIndex, lexicalIndexBytes, lexicalQuery, lexicalScores, lexicalSearch, lexicalSimilar } from '../../src/index/lexical.js';
import { offlineQueryVector, offlineSearch, offlineSimilar, offlineVocabulary, openOfflineSearch, openOfflineSearchInSteps, type OfflineSearch, type OfflineSearchData } from '../../src/index/offline.js';
import { openProject } from '../../src/project/index.js';
import { openRelated, type Related } from '../../src/pipeline/related.js';
import { corpusProject } from '../helpers/corpus-project.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const judged = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/search/relevance.json'), 'utf8')) as { queries: { query: string; grades: Record<string, number> }[] }).queries;
const MERGING_QUERY = 'combining fine-tuned models without retraining';

function scriptJson<T>(html: string, id: string): T {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (!match) throw new Error(`no #${id} in the map`);
  return JSON.parse(match[1] as string) as T;
}

describe('offline search by meaning', () => {
  let search: OfflineSearch;
  let related: Related;
  let titles: Map<string, string>;
  let pagePapers: { id: string; title: string; abstract: string }[];
  let page: { table: OfflineSearchData; data: { ids: string[]; titles: string[]; abstracts: string[] } };

  beforeAll(() => {
    const dir = corpusProject();
    const html = readFileSync(join(dir, 'map.html'), 'utf8');
    const data = scriptJson<{ ids: string[]; titles: string[]; abstracts: string[] }>(html, 'papermap-data');
    page = { table: scriptJson<OfflineSearchData>(html, 'papermap-search'), data };
    search = openOfflineSearch(page.table, data);
    titles = new Map(data.ids.map((id, i) => [id, `${data.titles[i]} ${data.abstracts[i]}`.toLowerCase()]));
    pagePapers = data.ids.map((id, i) => ({ id, title: data.titles[i]!, abstract: data.abstracts[i]! }));
    related = openRelated(openProject(dir));
  });

  it('finds model-merging papers for a query that shares no phrase with them', () => {
    const hits = offlineSearch(search, MERGING_QUERY);
    const merging = new Set(Object.keys(judged.find((q) => q.query === 'model merging')!.grades));
    expect(hits.filter((h) => merging.has(h.id)).length).toBeGreaterThanOrEqual(4);
    expect(merging.has(hits[0]!.id)).toBe(true);
    // No text of the top hit holds the query, so substring search would not find it.
    expect(titles.get(hits[0]!.id)).not.toContain(MERGING_QUERY);
  });

  it('agrees with the served hybrid search on the judged text queries (top-10 overlap ≥ 0.7)', async () => {
    let sum = 0;
    for (const q of judged) {
      const served = new Set((await related.search(q.query, 10)).map((h) => h.id));
      sum += offlineSearch(search, q.query).filter((h) => served.has(h.id)).length / served.size;
    }
    expect(sum / judged.length).toBeGreaterThanOrEqual(0.7);
  });

  it("removes the table's common direction from the query vector (Arora et al.'s common component)", () => {
    const u = search.commonDirection;
    expect(Math.hypot(...u)).toBeCloseTo(1, 5);
    for (const q of judged.slice(0, 8)) {
      const v = offlineQueryVector(search, q.query) as Float32Array;
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      expect(Math.abs(v.reduce((s, x, d) => s + x * (u[d] as number), 0))).toBeLessThan(1e-5);
    }
  });

  it('ranks by BM25 alone when no word of the query is in the table, and finds nothing in nonsense', () => {
    expect(offlineQueryVector(search, 'zzqx qqzz')).toBeUndefined();
    expect(offlineSearch(search, 'zzqx qqzz')).toEqual([]);
    expect(offlineSearch(search, MERGING_QUERY)).toEqual(offlineSearch(search, MERGING_QUERY));
  });

  it("the page's BM25 index (postings made on demand) scores exactly as the served one", () => {
    const full = buildLexicalIndex(pagePapers);
    const lazy = buildQueryIndex(pagePapers);
    for (const q of judged.slice(0, 12)) {
      expect(lexicalSearch(lazy, q.query, { k: 50 })).toEqual(lexicalSearch(full, q.query, { k: 50 }));
      const ids = pagePapers.slice(0, 40).map((p) => p.id);
      expect(lexicalScores(lazy, lexicalQuery(lazy, { text: q.query }), ids)).toEqual(lexicalScores(full, lexicalQuery(full, { text: q.query }), ids));
    }
    expect(lexicalSimilar(lazy, pagePapers[3]!.id, { k: 20 })).toEqual(lexicalSimilar(full, pagePapers[3]!.id, { k: 20 }));
    expect(lazy.lengths).toEqual(full.lengths);
    expect(new TextDecoder().decode(lexicalIndexBytes(lazy))).toBe(new TextDecoder().decode(lexicalIndexBytes(full)));
  });

  it('opens a slice at a time as the page does, to the same search, and refuses a table made for other papers', () => {
    const step = openOfflineSearchInSteps(page.table, page.data, 100);
    const steps: unknown[] = [];
    for (let i = 0; i < 10 && !steps.at(-1); i++) steps.push(step());
    expect(steps.slice(0, -1).every((s) => s === undefined)).toBe(true);
    expect(steps).toHaveLength(Math.ceil(page.data.ids.length / 100));
    expect(offlineSearch(steps.at(-1) as OfflineSearch, MERGING_QUERY)).toEqual(offlineSearch(search, MERGING_QUERY));
    const fewer = { ids: page.data.ids.slice(1), titles: page.data.titles.slice(1), abstracts: page.data.abstracts.slice(1) };
    expect(() => openOfflineSearch(page.table, fewer)).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
  });

  it('takes the words and pairs that occur in at least minPapers papers, the most frequent first, with their usual spelling', () => {
    const papers = [
      { title: 'Merging models', abstract: 'Task vectors merge models.' },
      { title: 'Model merging at scale', abstract: 'Merging models with task vectors.' },
      { title: 'Protein folding', abstract: 'Proteins fold.' },
    ];
    const vocabulary = offlineVocabulary(papers, { maxPhrases: 10 });
    expect(vocabulary.terms.slice(0, 4)).toEqual(['merging', 'model', 'task', 'vector']);
    expect(vocabulary.texts[vocabulary.terms.indexOf('model')]).toBe('models');
    expect(vocabulary.terms).toContain('task vector');
    expect(vocabulary.terms).not.toContain('protein');
    expect(() => offlineVocabulary(papers, { minPapers: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it("ranks a paper's related papers as `papermap similar` does (hybrid; top-8 overlap ≥ 0.9 on the judged papers)", async () => {
    const papers = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/search/relevance.json'), 'utf8')) as { similar: { paper: string }[] }).similar.map((q) => q.paper);
    let sum = 0;
    for (const id of papers) {
      const served = (await related.similar(id, 8)).neighbours;
      const offline = offlineSimilar(search, id, 8);
      expect(offline.map((h) => h.id)).not.toContain(id);
      const ids = new Set(served.map((h) => h.id));
      sum += offline.filter((h) => ids.has(h.id)).length / 8;
    }
    expect(sum / papers.length).toBeGreaterThanOrEqual(0.9);
  });
});
