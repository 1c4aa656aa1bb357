// findThemes: separable groups come back as themes with their own words as names, deterministically for a seed.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedTexts } from '../../src/embed/index.js';
import type { Embeddings, Paper } from '../../src/records.js';
import { adjustedRandIndex, findThemes, THEME_DEFAULTS } from '../../src/themes/index.js';

interface Fixture {
  groups: Record<string, { title: string; abstract: string }[]>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/themes/three-separable-groups.json', import.meta.url), 'utf8')) as Fixture;
const groupNames = Object.keys(fixture.groups);
const papers: Paper[] = groupNames.flatMap((group) =>
  (fixture.groups[group] ?? []).map((p, i) => ({ id: `${group}-${i}`, title: p.title, abstract: p.abstract, authors: [], sources: [] })),
);
const truth = papers.map((p) => groupNames.indexOf(p.id.split('-')[0] as string));

/** Unit vectors in tight groups around orthogonal axes (row i belongs to group truth[i]), with seeded noise. */
function separableVectors(groups: readonly number[], dims: number, seed: number): Embeddings {
  let state = seed;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const vectors = new Float32Array(groups.length * dims);
  groups.forEach((g, i) => {
    const row = Array.from({ length: dims }, (_, d) => (d === g ? 1 : 0) + 0.2 * noise());
    const norm = Math.hypot(...row);
    row.forEach((v, d) => (vectors[i * dims + d] = v / norm));
  });
  return { modelId: 'test/synthetic', dims, ids: groups.map((_, i) => papers[i]?.id ?? `q${i}`), vectors };
}

describe('findThemes on well-separated synthetic vectors', () => {
  const embeddings = separableVectors(truth, 16, 7);

  it('chooses three themes and recovers the groups exactly', () => {
    const result = findThemes(embeddings, papers, { kMin: 2, kMax: 6 });
    expect(result.k).toBe(3);
    expect(adjustedRandIndex(result.assignment, truth)).toBe(1);
    expect(result.kScores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    expect(result.stability.meanAri).toBe(1);
    expect(result.stability.seeds).toHaveLength(THEME_DEFAULTS.kProbes);
  });

  it('gives an identical result for the same seed', () => {
    const a = findThemes(embeddings, papers, { kMin: 2, kMax: 6, seed: 11 });
    const b = findThemes(embeddings, papers, { kMin: 2, kMax: 6, seed: 11 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives the same result when worker threads run the layouts, the k probes, the final k-means restarts and the sub-theme splits', () => {
    const one = findThemes(embeddings, papers, { kMin: 2, kMax: 6, seed: 11, subThemeMinSize: 10, threads: 1 });
    const three = findThemes(embeddings, papers, { kMin: 2, kMax: 6, seed: 11, subThemeMinSize: 10, threads: 3 });
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
  });

  it('does not depend on the order of the papers list', () => {
    const a = findThemes(embeddings, papers, { k: 3 });
    const b = findThemes(embeddings, [...papers].reverse(), { k: 3 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('counts theme sizes per year when papers have dates', () => {
    const dated = papers.map((p, i) => ({ ...p, ...(i % 2 ? { year: 2023 } : { date: '2024-05-01' }) }));
    const result = findThemes(embeddings, dated, { k: 3 });
    expect(result.byYear.map((y) => y.year)).toEqual([2023, 2024]);
    expect(result.byYear.reduce((s, y) => s + y.sizes.reduce((a, b) => a + b, 0), 0)).toBe(papers.length);
    expect(findThemes(embeddings, papers, { k: 3 }).byYear).toEqual([]);
  });

  it('splits a large theme into sub-themes that partition it', () => {
    // Four groups of ten forced into two themes: a theme holding several groups gets them back as its sub-themes.
    const groups = Array.from({ length: 40 }, (_, i) => i % 4);
    const many: Paper[] = groups.map((g, i) => ({ ...(papers[(g % 3) * 6 + (i % 6)] as Paper), id: `q${i}` }));
    const vectors = separableVectors(groups, 16, 3);
    const result = findThemes({ ...vectors, ids: many.map((p) => p.id) }, many, { k: 2, subThemeMinSize: 10 });
    expect(result.subThemes.length).toBeGreaterThanOrEqual(2);
    for (const theme of result.themes) {
      const parts = result.subThemes.filter((s) => s.parentId === theme.id);
      if (!parts.length) continue;
      expect(parts.map((s) => s.size)).toEqual(new Array(theme.size / 10).fill(10));
      expect(parts.flatMap((s) => s.paperIds).sort()).toEqual([...theme.paperIds].sort());
    }
  });

  it('names the themes of a large corpus from a sample of each theme (labelSample) with their own words, as from all papers', () => {
    // 1,080 papers: the 18 hand-written abstracts 60 times over, each copy with its own vector in its group.
    const n = 1080;
    const groups = Array.from({ length: n }, (_, i) => truth[i % truth.length] as number);
    const big = separableVectors(groups, 16, 11);
    const bigPapers: Paper[] = big.ids.map((id, i) => ({ ...(papers[i % papers.length] as Paper), id }));
    const all = findThemes(big, bigPapers, { k: 3, labelSample: n });
    const sampled = findThemes(big, bigPapers, { k: 3, labelSample: 1000 });
    expect(sampled.assignment).toEqual(all.assignment);
    expect(sampled.themes.map((t) => t.size)).toEqual(all.themes.map((t) => t.size));
    const labelOf = (result: typeof all, group: string): string => result.themes[result.assignment[groups.indexOf(groupNames.indexOf(group))] as number]?.label ?? '';
    for (const result of [all, sampled]) {
      expect(labelOf(result, 'merging')).toMatch(/merging/);
      expect(labelOf(result, 'speech')).toMatch(/speech|acoustic/);
      expect(labelOf(result, 'robots')).toMatch(/robot/);
    }
  });

  it('rejects bad options with BAD_OPTION', () => {
    expect(() => findThemes(embeddings, papers, { k: 1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { k: papers.length })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { kMin: 8, kMax: 4 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { seed: 1.5 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { colour: 'red' } as never)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { reducedDims: 1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => findThemes(embeddings, papers, { knn: { indices: [[1]], distances: [[0.1]] } })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('says which vector has no paper', () => {
    expect(() => findThemes(embeddings, papers.slice(1), { k: 3 })).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
  });
});

describe('findThemes on real embeddings of hand-written groups', () => {
  let embeddings: Embeddings;
  beforeAll(async () => {
    const texts = papers.map((p) => `${p.title}. ${p.abstract}`);
    const out = await embedTexts(texts);
    embeddings = { modelId: out.modelId, dims: out.dims, ids: papers.map((p) => p.id), vectors: out.vectors };
  });

  it('recovers the three groups, and the same groups whatever the seed', () => {
    const result = findThemes(embeddings, papers, { kMin: 2, kMax: 6 });
    expect(result.k).toBe(3);
    expect(adjustedRandIndex(result.assignment, truth)).toBe(1);
    for (const seed of [43, 44, 45, 46]) {
      expect(adjustedRandIndex(findThemes(embeddings, papers, { k: 3, seed }).assignment, truth), `seed ${seed}`).toBe(1);
    }
  });

  it('names each group with its own words, no word twice', () => {
    const result = findThemes(embeddings, papers, { k: 3 });
    const labelOf = (group: string): string => result.themes[result.assignment[truth.indexOf(groupNames.indexOf(group))] as number]?.label ?? '';
    expect(labelOf('merging')).toMatch(/merging/);
    expect(labelOf('speech')).toMatch(/speech|acoustic/);
    expect(labelOf('robots')).toMatch(/robot/);
    for (const theme of result.themes) {
      const words = theme.terms.flatMap((t) => t.term.split(/[\s-]+/));
      expect(new Set(words).size).toBe(words.length);
      expect(theme.label).not.toMatch(/\b(we|propose|paper|novel|results?|methods?)\b/);
    }
  });

  it('picks as representatives the papers closest to the centre, three per theme', () => {
    const result = findThemes(embeddings, papers, { k: 3 });
    for (const theme of result.themes) {
      expect(theme.representativeIds).toEqual(theme.paperIds.slice(0, 3));
      expect(theme.size).toBe(theme.paperIds.length);
    }
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other names and low for unrelated ones', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1])).toBeLessThan(0.1);
  });
});
