// Fusing dense and lexical rankings: the form's properties, and on the judged set hybrid is never below dense alone.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatesOf, fuseCandidates, rankingAgreement } from '../../src/index/hybrid.js';
import { exactSearch } from '../../src/index/index.js';
import { buildLexicalIndex, lexicalQuery, lexicalScores } from '../../src/index/lexical.js';
import { openProject, readEmbeddings, readPapers } from '../../src/project/index.js';
import { corpusProject } from '../helpers/corpus-project.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('fuseCandidates', () => {
  const cands = [
    { id: 'a', dense: 0.9, lexical: 1 },
    { id: 'b', dense: 0.8, lexical: 12 },
    { id: 'c', dense: 0.5, lexical: 2 },
    { id: 'd', dense: 0.45 },
  ];

  it('with lexical weight 0 keeps the dense order', () => {
    expect(fuseCandidates(cands, { lexicalWeight: 0 }).map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets a strong lexical match overtake a slightly closer dense one', () => {
    expect(fuseCandidates(cands, { lexicalWeight: 1 })[0]!.id).toBe('b');
    expect(fuseCandidates(cands, { method: 'rrf', lexicalWeight: 1 })[0]!.id).toBe('b');
  });

  it('breaks ties by id and rejects bad options by code', () => {
    expect(fuseCandidates([{ id: 'y', dense: 1 }, { id: 'x', dense: 1 }]).map((n) => n.id)).toEqual(['x', 'y']);
    expect(() => fuseCandidates(cands, { method: 'max' as never })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('gives the lexical ranking less say the less it agrees with the dense one', () => {
    // 60 papers the embedding ranks; a keyword pulls up 9 others it places last (a word used in another sense).
    const near = Array.from({ length: 60 }, (_, i) => ({ id: `n${String(i).padStart(2, '0')}`, dense: 0.9 - i * 0.005, lexical: i === 5 ? 2 : 0 }));
    const far = Array.from({ length: 9 }, (_, i) => ({ id: `f${i}`, dense: 0.3, lexical: 20 - i }));
    const disagree = [...near, ...far];
    expect(rankingAgreement(disagree)).toBe(0.1);
    expect(fuseCandidates(disagree, { lexicalWeight: 0.5 }).slice(0, 10).map((n) => n.id)).toEqual(fuseCandidates(disagree, { lexicalWeight: 0.5 * 0.2, adaptive: false }).slice(0, 10).map((n) => n.id));
    expect(fuseCandidates(disagree, { lexicalWeight: 4, adaptive: false })[0]!.id).toBe('f0');
    expect(fuseCandidates(disagree, { lexicalWeight: 4 }).slice(0, 5).map((n) => n.id)).not.toContain('f0');
    // When the lexical top 10 lies inside the dense pool, it gets its full weight.
    const agree = near.map((c, i) => ({ ...c, lexical: i < 10 ? 10 - i : 0 }));
    expect(rankingAgreement(agree)).toBe(1);
    expect(rankingAgreement(near.map((c) => ({ id: c.id, dense: c.dense })))).toBe(1);
  });

  it('builds the candidate union of two rankings', () => {
    expect(candidatesOf([{ id: 'a', score: 0.9 }], [{ id: 'a', score: 3 }, { id: 'b', score: 1 }])).toEqual([
      { id: 'a', dense: 0.9, lexical: 3 },
      { id: 'b', lexical: 1 },
    ]);
  });
});

describe('hybrid on the judged set', () => {
  it('raises paper→paper nDCG@10 above dense alone', () => {
    const project = openProject(corpusProject());
    const emb = readEmbeddings(project);
    const lex = buildLexicalIndex(readPapers(project));
    const judged = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/search/relevance.json'), 'utf8')) as { similar: { paper: string; grades: Record<string, number> }[] };
    const ndcg = (ids: string[], g: Record<string, number>) => {
      const gain = (x: number) => 2 ** x - 1;
      const dcg = ids.slice(0, 10).reduce((s, id, i) => s + gain(g[id] ?? 0) / Math.log2(i + 2), 0);
      const ideal = Object.values(g).sort((a, b) => b - a).slice(0, 10).reduce((s, x, i) => s + gain(x) / Math.log2(i + 2), 0);
      return dcg / ideal;
    };
    let dense = 0;
    let hybrid = 0;
    for (const q of judged.similar) {
      const row = emb.ids.indexOf(q.paper);
      const d = exactSearch(emb, emb.vectors.subarray(row * emb.dims, (row + 1) * emb.dims), 50, new Set([q.paper]));
      const query = lexicalQuery(lex, { paperId: q.paper });
      const l = lexicalScores(lex, query, emb.ids).map((score, i) => ({ id: emb.ids[i]!, score })).filter((n) => n.id !== q.paper && n.score > 0).sort((a, b) => b.score - a.score).slice(0, 50);
      const cands = candidatesOf(d, l);
      const exactLex = lexicalScores(lex, query, cands.map((c) => c.id));
      cands.forEach((c, i) => (c.lexical = exactLex[i]));
      dense += ndcg(d.map((n) => n.id), q.grades);
      hybrid += ndcg(fuseCandidates(cands).map((n) => n.id), q.grades);
    }
    expect(judged.similar.length).toBeGreaterThanOrEqual(40);
    expect(hybrid).toBeGreaterThan(dense);
  });
});
