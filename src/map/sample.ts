// The layout of a large corpus: a seeded sample laid out by UMAP, every other paper placed among its laid-out neighbours.
//
// UMAP's SGD costs about the same per paper and epoch at any size, and at 100,000 papers its 200 epochs took ~70 % of
// the map step (CPU profile at 30,000 real abstracts: 65 of 91 s). umap-learn's own answer for points beyond a fitted
// set is `transform`: each new point starts at the membership-weighted mean of its fitted neighbours and a few epochs
// at a quarter of the learning rate settle it. The same here, with every paper's graph: the sample is laid out in
// full, the others start at the similarity-weighted mean of their placed neighbours, and a short refinement over the
// whole graph at a lower rate gives each its local neighbourhood. Cost: sample × epochs + n × REFINE_EPOCHS.

import type { Embeddings, NeighbourGraph } from '../records.js';
import { seededRandom } from '../random.js';

/** Epochs of the refinement over all papers after the others are placed (umap-learn's transform: 30 above 10,000). */
export const REFINE_EPOCHS = 30;
/** Learning rate of the refinement: a quarter of the fit's 1, as umap-learn's transform uses. */
export const REFINE_LEARNING_RATE = 0.25;

/**
 * The k nearest sampled papers of each sampled paper (cosine, exact on the candidates, ties by row), found among its
 * neighbours and their neighbours in the full graph: the sample's own neighbours lie a few steps out in the full
 * graph, so the two-step ball holds nearly all of them at a cost linear in the sample. A row with fewer than k
 * candidates there looks one step further, then takes seeded random sample members. Rows are positions in `sample`.
 */
export function sampleGraph(embeddings: Embeddings, knn: NeighbourGraph, sample: readonly number[], k: number, seed: number): NeighbourGraph {
  const n = embeddings.ids.length;
  const { vectors, dims } = embeddings;
  const at = new Int32Array(n).fill(-1);
  sample.forEach((row, s) => (at[row] = s));
  const random = seededRandom(seed);
  const seen = new Int32Array(n).fill(-1);
  const indices: number[][] = [];
  const distances: number[][] = [];
  sample.forEach((row, s) => {
    const found: number[] = [];
    let frontier = [row];
    seen[row] = s;
    for (let hop = 0; hop < 3 && (hop < 2 || found.length < k) && frontier.length; hop++) {
      const next: number[] = [];
      for (const i of frontier) {
        for (const j of knn.indices[i] as number[]) {
          if (seen[j] === s) continue;
          seen[j] = s;
          next.push(j);
          if ((at[j] as number) >= 0) found.push(j);
        }
      }
      frontier = next;
    }
    while (found.length < Math.min(k, sample.length - 1)) {
      const j = sample[Math.floor(random() * sample.length)] as number;
      if (seen[j] === s) continue;
      seen[j] = s;
      found.push(j);
    }
    const q = row * dims;
    const scored = found.map((j) => {
      let dot = 0;
      const o = j * dims;
      for (let d = 0; d < dims; d++) dot += (vectors[q + d] as number) * (vectors[o + d] as number);
      return { s: at[j] as number, dist: Math.max(0, 1 - dot) };
    });
    scored.sort((a, b) => a.dist - b.dist || a.s - b.s);
    const top = scored.slice(0, k);
    indices.push(top.map((t) => t.s));
    distances.push(top.map((t) => t.dist));
  });
  return { indices, distances };
}

/**
 * Starting places of every paper from the sample's layout (`xy`: x, y per sample position): a sampled paper where it
 * was laid out; another at the mean of its placed graph neighbours weighted by cosine similarity (in rounds, so a
 * paper whose neighbours were not sampled follows them once they are placed), plus a small seeded offset so papers
 * with the same neighbours do not coincide; one with no placed neighbour after the rounds, at a random sampled paper.
 */
export function placeAll(n: number, knn: NeighbourGraph, sample: readonly number[], xy: ArrayLike<number>, seed: number): number[][] {
  const out = new Float64Array(2 * n);
  const placed = new Uint8Array(n);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  sample.forEach((row, s) => {
    const x = xy[2 * s] as number;
    const y = xy[2 * s + 1] as number;
    out[2 * row] = x;
    out[2 * row + 1] = y;
    placed[row] = 1;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  });
  const random = seededRandom(seed);
  const jitter = 0.005 * Math.max(maxX - minX, maxY - minY, 1e-6);
  for (let round = 0; round < 4; round++) {
    const now: number[] = [];
    for (let i = 0; i < n; i++) {
      if (placed[i]) continue;
      let sx = 0, sy = 0, sw = 0;
      (knn.indices[i] as number[]).forEach((j, c) => {
        if (placed[j] !== 1) return;
        const w = Math.max(1e-3, 1 - ((knn.distances[i] as number[])[c] as number));
        sx += w * (out[2 * j] as number);
        sy += w * (out[2 * j + 1] as number);
        sw += w;
      });
      if (sw === 0) continue;
      out[2 * i] = sx / sw + jitter * (random() - 0.5);
      out[2 * i + 1] = sy / sw + jitter * (random() - 0.5);
      now.push(i);
    }
    // Placed after the round, so the order of rows within a round does not matter.
    for (const i of now) placed[i] = 1;
    if (!now.length) break;
  }
  for (let i = 0; i < n; i++) {
    if (placed[i]) continue;
    const j = sample[Math.floor(random() * sample.length)] as number;
    out[2 * i] = (out[2 * j] as number) + jitter * (random() - 0.5);
    out[2 * i + 1] = (out[2 * j + 1] as number) + jitter * (random() - 0.5);
  }
  return Array.from({ length: n }, (_, i) => [out[2 * i] as number, out[2 * i + 1] as number]);
}
