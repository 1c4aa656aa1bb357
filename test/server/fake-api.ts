// A ServerApi over the fixture papers, with word-overlap "similarity", for server tests without a model or index.

import { readFileSync } from 'node:fs';
import { PapermapError } from '../../src/errors.js';
import type { Paper } from '../../src/records.js';
import type { PaperHit, ServerApi } from '../../src/server/index.js';

/** The fixture papers of test/fixtures/map/papers.json. */
export const FIXTURE_PAPERS = JSON.parse(readFileSync(new URL('../fixtures/map/papers.json', import.meta.url), 'utf8')) as Paper[];

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3));
}

function rank(query: string, papers: readonly Paper[], k: number, skip?: string): PaperHit[] {
  const q = words(query);
  return papers
    .filter((p) => p.id !== skip)
    .map((paper) => {
      const w = words(`${paper.title ?? ''} ${paper.abstract}`);
      const shared = [...q].filter((x) => w.has(x)).length;
      return { id: paper.id, score: shared / Math.max(1, Math.sqrt(q.size * w.size)), paper };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}

/** A ServerApi over `papers`; `html` is served at /. */
export function fakeApi(papers: readonly Paper[] = FIXTURE_PAPERS, html = '<!doctype html><title>map</title>'): ServerApi {
  const byId = new Map(papers.map((p) => [p.id, p]));
  const find = (id: string) => {
    const paper = byId.get(id);
    if (!paper) throw new PapermapError('NOT_FOUND', `no paper with id ${id}`);
    return paper;
  };
  return {
    mapHtml: () => html,
    paper: find,
    similar(ref, k) {
      if (ref === 'merging') throw new PapermapError('AMBIGUOUS', 'two papers match "merging"');
      const paper = find(ref);
      return { paper, neighbours: rank(`${paper.title} ${paper.abstract}`, papers, k, paper.id) };
    },
    async search(text, k) {
      if (text === 'explode') throw new Error('boom: internal detail');
      return rank(text, papers, k);
    },
    themes: () => ({ themes: [{ id: 0, label: 'model merging', size: 2 }] }),
  };
}
