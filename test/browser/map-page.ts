// The map page the browser tests open: the fixture papers at UMAP positions of synthetic topic vectors, themes by topic.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserScript } from '../../src/browser-script.js';
import { projectMap, renderMap } from '../../src/map/index.js';
import type { Neighbour, Paper } from '../../src/records.js';
import { MAP_PAPERS } from '../map/fixture-project.js';
import { clusteredEmbeddings } from '../map/synthetic.js';

/** Topic of each fixture paper: 0 merging, 1 protein, 2 preference learning (the markup paper is about merging). */
export function topicOf(i: number): number {
  const p = MAP_PAPERS[i]!;
  if (/protein/i.test(p.title ?? '')) return 1;
  if (/prefer|feedback|reward|instruct|self-rewarding/i.test(`${p.title ?? ''} ${p.abstract}`)) return 2;
  return 0;
}

/**
 * The fixture papers as the page carries them: arXiv ids from their ids, and one paper with a DOI and a URL as well,
 * so the panel's three kinds of link show.
 */
export const PAGE_PAPERS: Paper[] = MAP_PAPERS.map((p) => ({
  ...p,
  ...(p.id.startsWith('arxiv:') ? { arxivId: p.id.slice(6) } : {}),
  ...(p.id === 'arxiv:2401.00009' ? { doi: '10.48550/arXiv.2401.00009', url: 'https://example.org/protein' } : {}),
}));

/** Renders the fixture map; returns the HTML and the path of a file holding it. */
export function fixtureMap(): { html: string; file: string } {
  const n = MAP_PAPERS.length;
  const { embeddings: base } = clusteredEmbeddings(3, n, 16, 0.3, 5);
  // Row i takes a vector from its topic's cluster (rows of cluster c are c, c + 3, c + 6, …).
  const dims = base.dims;
  const vectors = new Float32Array(n * dims);
  const used = [0, 0, 0];
  MAP_PAPERS.forEach((_, i) => {
    const t = topicOf(i);
    const row = t + 3 * (used[t] as number);
    used[t] = (used[t] as number) + 1;
    vectors.set(base.vectors.subarray(row * dims, (row + 1) * dims), i * dims);
  });
  const ids = MAP_PAPERS.map((p) => p.id);
  const embeddings = { modelId: 'synthetic', dims, ids, vectors };
  const points = projectMap(embeddings).map((p, i) => ({ ...p, theme: topicOf(i) }));
  const related = new Map<string, Neighbour[]>();
  ids.forEach((id, i) => {
    const scored = ids.map((other, j) => {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += (vectors[i * dims + d] as number) * (vectors[j * dims + d] as number);
      return { id: other, score: dot };
    });
    related.set(id, scored.filter((s) => s.id !== id).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, 5));
  });
  const themes = [{ id: 0, label: 'model merging' }, { id: 1, label: 'protein structure' }, { id: 2, label: 'preference learning' }];
  // Two areas above the themes, and the merging theme split in two sub-themes, so every level of labels shows.
  const areas = [{ label: 'machine learning', themeIds: [0, 2] }, { label: 'biology', themeIds: [1] }];
  const merging = ids.filter((_, i) => topicOf(i) === 0);
  const half = Math.ceil(merging.length / 2);
  const subThemes = [{ parentId: 0, label: 'weight averaging', paperIds: merging.slice(0, half) }, { parentId: 0, label: 'task vectors', paperIds: merging.slice(half) }];
  const html = renderMap({ points, papers: new Map(PAGE_PAPERS.map((p) => [p.id, p])), themes, areas, subThemes, related }, { title: 'fixture map', exportJs: browserScript('export') });
  const file = join(mkdtempSync(join(tmpdir(), 'papermap-browser-')), 'map.html');
  writeFileSync(file, html);
  return { html, file };
}
