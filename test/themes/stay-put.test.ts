// Themes that stay put: an update keeps ids, names and colours, marks emerging themes, reports vanished ones.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Embeddings, Paper } from '../../src/records.js';
import { idSample } from '../../src/random.js';
import { findThemes, themeLevel, THEME_LEVELS, type ThemesResult } from '../../src/themes/index.js';

interface Fixture {
  groups: Record<string, { title: string; abstract: string }[]>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/themes/three-separable-groups.json', import.meta.url), 'utf8')) as Fixture;
const texts = Object.values(fixture.groups).flat();

/** `perGroup` papers in each of `groups` tight groups around orthogonal axes (seeded noise); ids name the group. */
function corpus(groups: readonly number[], perGroup: number, seed = 5): { embeddings: Embeddings; papers: Paper[]; groupOf: Map<string, number> } {
  const dims = 16;
  let state = seed;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const ids: string[] = [];
  const papers: Paper[] = [];
  const groupOf = new Map<string, number>();
  const vectors = new Float32Array(groups.length * perGroup * dims);
  let r = 0;
  for (const g of groups) {
    for (let i = 0; i < perGroup; i++, r++) {
      const id = `g${g}-${i}`;
      const text = texts[(g * 5 + i) % texts.length] as { title: string; abstract: string };
      ids.push(id);
      groupOf.set(id, g);
      papers.push({ id, title: text.title, abstract: text.abstract, authors: [], sources: [] });
      const row = Array.from({ length: dims }, (_, d) => (d === g ? 1 : 0) + 0.2 * noise());
      const norm = Math.hypot(...row);
      row.forEach((v, d) => (vectors[r * dims + d] = v / norm));
    }
  }
  return { embeddings: { modelId: 'test/synthetic', dims, ids, vectors }, papers, groupOf };
}

/** The same corpus without some ids. */
function without(c: ReturnType<typeof corpus>, drop: (id: string) => boolean): ReturnType<typeof corpus> {
  const keep = c.embeddings.ids.map((id, i) => [id, i] as const).filter(([id]) => !drop(id));
  const dims = c.embeddings.dims;
  const vectors = new Float32Array(keep.length * dims);
  keep.forEach(([, i], j) => vectors.set(c.embeddings.vectors.subarray(i * dims, (i + 1) * dims), j * dims));
  return { embeddings: { ...c.embeddings, ids: keep.map(([id]) => id), vectors }, papers: c.papers.filter((p) => !drop(p.id)), groupOf: c.groupOf };
}

const themeOf = (r: ThemesResult, id: string): number => r.themes.find((t) => t.paperIds.includes(id))?.id ?? -1;
const identity = (r: ThemesResult) => r.themes.filter((t) => !t.emerging).map((t) => ({ id: t.id, label: t.label, colour: t.colour }));

describe('findThemes with the previous themes', () => {
  const full = corpus([0, 1, 2, 3], 12);
  const base = findThemes(without(full, (id) => id.endsWith('-11')).embeddings, full.papers, { kMin: 2, kMax: 6 });

  it('places added papers in their group\'s theme and keeps every old paper, id, name and colour', () => {
    const grown = findThemes(full.embeddings, full.papers, { kMin: 2, kMax: 6, previous: base });
    expect(grown.origin.mode).toBe('update');
    expect(grown.origin.keptShare).toBe(1);
    expect(identity(grown)).toEqual(identity(base));
    for (const g of [0, 1, 2, 3]) expect(themeOf(grown, `g${g}-11`)).toBe(themeOf(grown, `g${g}-0`));
    expect(grown.origin.emerging).toEqual([]);
  });

  it('marks a new group of papers as an emerging theme formed by those papers', () => {
    // 48 papers in four groups, then ten papers of a fifth group (17 % new: an update, not a re-clustering).
    const before = findThemes(full.embeddings, full.papers, { kMin: 2, kMax: 6 });
    const bigger = without(corpus([0, 1, 2, 3, 4], 12), (id) => id === 'g4-10' || id === 'g4-11');
    const grown = findThemes(bigger.embeddings, bigger.papers, { kMin: 2, kMax: 6, previous: before });
    expect(grown.origin.mode).toBe('update');
    const fresh = bigger.embeddings.ids.filter((id) => id.startsWith('g4-'));
    const emerging = grown.themes.filter((t) => t.emerging);
    expect(emerging).toHaveLength(1);
    expect(emerging[0]?.formedBy).toEqual([...fresh].sort());
    expect(emerging[0]?.id).toBeGreaterThan(Math.max(...before.themes.map((t) => t.id)));
    expect(identity(grown)).toEqual(identity(before));
  });

  it('reports a theme whose papers are gone as vanished', () => {
    const gone = themeOf(base, 'g2-0');
    const shrunk = without(full, (id) => id.startsWith('g2-'));
    const after = findThemes(shrunk.embeddings, shrunk.papers, { kMin: 2, kMax: 6, previous: base });
    expect(after.origin.vanished.map((v) => v.id)).toEqual([gone]);
    expect(after.themes.map((t) => t.id)).not.toContain(gone);
  });

  it('re-clusters and matches ids by shared papers when much is new, and starts afresh with refit', () => {
    const rematched = findThemes(full.embeddings, full.papers, { kMin: 2, kMax: 6, previous: base, updateShare: 0 });
    expect(rematched.origin.mode).toBe('rematch');
    expect(rematched.origin.keptShare).toBe(1);
    expect(identity(rematched)).toEqual(identity(base));
    const refit = findThemes(full.embeddings, full.papers, { kMin: 2, kMax: 6, previous: base, refit: true });
    expect(refit.origin.mode).toBe('fit');
    expect(refit.themes.every((t) => !t.emerging)).toBe(true);
  });

  it('shows the same papers at every level of the tree', () => {
    const all = [...full.embeddings.ids].sort();
    for (const level of THEME_LEVELS) {
      const view = themeLevel(base, level);
      expect(view.groups.flatMap((g) => g.paperIds).sort(), level).toEqual([...base.themes.flatMap((t) => t.paperIds)].sort());
    }
    expect(themeLevel(base, 'themes').groups.flatMap((g) => g.paperIds).length).toBe(all.length - 4);
  });
});

describe('the papers themes are fitted on above fitSample', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `arxiv:2401.${String(i).padStart(5, '0')}`);
  const picked = (list: readonly string[], take: number): Set<string> => new Set(idSample(list, take).map((i) => list[i] as string));

  it('are the same whatever the seed or the order of the papers', () => {
    const reversed = [...ids].reverse();
    expect(picked(reversed, 1000)).toEqual(picked(ids, 1000));
    expect(idSample(ids, 1000)).toHaveLength(1000);
    expect(idSample(ids, 6000)).toEqual(ids.map((_, i) => i));
  });

  it('mostly stay the same when 1 % more papers arrive', () => {
    const grown = [...ids, ...Array.from({ length: 50 }, (_, i) => `doi:10.1000/new-${i}`)];
    const before = picked(ids, 1000);
    const after = picked(grown, 1000);
    const kept = [...before].filter((id) => after.has(id)).length;
    expect(kept / before.size).toBeGreaterThanOrEqual(0.97);
  });
});
