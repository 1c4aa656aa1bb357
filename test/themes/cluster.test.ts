// k-means: papermap's typed Lloyd iterations give ml-kmeans's clusters and centroids to the last bit.

import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { openProject, readEmbeddings } from '../../src/project/index.js';
import { flatten, kmeansPlusPlus, lloyd, toRows } from '../../src/themes/cluster.js';
import { corpusProject } from '../helpers/corpus-project.js';

const dir = corpusProject() as string | undefined;

describe.skipIf(!dir)('k-means on the bundled corpus vectors', () => {
  it('matches ml-kmeans exactly, in 384 dimensions and in 5', () => {
    const e = readEmbeddings(openProject(dir));
    const full = toRows(e.vectors, e.dims);
    // Five coordinates per paper: the low-dimensional case the themes stage clusters in.
    const low = full.map((row) => row.slice(0, 5));
    for (const rows of [full, low]) {
      const flat = flatten(rows);
      for (const [k, seed] of [[2, 1], [5, 2], [12, 3], [30, 4]] as const) {
        const initial = kmeansPlusPlus(flat, k, seed);
        const ours = lloyd(flat, initial, 100, 1e-6);
        const theirs = kmeans(rows, k, { initialization: initial.map((c) => [...c]), maxIterations: 100, tolerance: 1e-6 });
        expect(ours.clusters).toEqual(theirs.clusters);
        expect(ours.centroids).toEqual(theirs.centroids);
      }
    }
  });
});
