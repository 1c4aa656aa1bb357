// Exact (brute-force) cosine search over unit vectors: the ground truth for tests and benches.

import type { Embeddings, Neighbour, NeighbourGraph } from '../records.js';

/** Dot product of row `row` of `vectors` with `query` (both unit length, so this is the cosine). */
function dotRow(vectors: Float32Array, dims: number, row: number, query: Float32Array): number {
  let sum = 0;
  const off = row * dims;
  for (let d = 0; d < dims; d++) sum += (vectors[off + d] as number) * (query[d] as number);
  return sum;
}

/** Orders neighbours by score descending, then id, so ties never depend on input order. */
export function byScoreThenId(a: Neighbour, b: Neighbour): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The k rows of `embeddings` most similar to `query`, exactly, skipping ids in `exclude`. */
export function exactSearch(embeddings: Embeddings, query: Float32Array, k: number, exclude: ReadonlySet<string> = new Set()): Neighbour[] {
  // The k best so far, in byScoreThenId order: a row that cannot enter costs one dot product and no allocation
  // (sorting a list of every row made a 1M-row ground truth take seconds per query).
  const best: Neighbour[] = [];
  if (k <= 0) return best;
  for (let row = 0; row < embeddings.ids.length; row++) {
    const id = embeddings.ids[row] as string;
    if (exclude.has(id)) continue;
    const candidate = { id, score: dotRow(embeddings.vectors, embeddings.dims, row, query) };
    if (best.length === k && byScoreThenId(candidate, best[k - 1] as Neighbour) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byScoreThenId(best[mid] as Neighbour, candidate) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, candidate);
    if (best.length > k) best.pop();
  }
  return best;
}

/** The exact k-nearest-neighbour graph of every row (self excluded). O(n² · dims): for tests and modest n. */
export function exactNeighbours(embeddings: Embeddings, k: number): NeighbourGraph {
  const n = embeddings.ids.length;
  const { vectors, dims } = embeddings;
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const query = vectors.subarray(i * dims, (i + 1) * dims);
    const scored: { row: number; score: number }[] = [];
    for (let j = 0; j < n; j++) if (j !== i) scored.push({ row: j, score: dotRow(vectors, dims, j, query) });
    scored.sort((a, b) => b.score - a.score || a.row - b.row);
    const top = scored.slice(0, k);
    indices.push(top.map((s) => s.row));
    distances.push(top.map((s) => 1 - s.score));
  }
  return { indices, distances };
}
