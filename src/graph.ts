// Neighbour graphs handed between stages: one check that a precomputed kNN graph fits the rows, cut to k columns;
// and the spectral layout of UMAP's fuzzy graph that the themes' layouts and the map start from.

import { PapermapError } from './errors.js';
import { seededRandom } from './random.js';
import type { NeighbourGraph } from './records.js';

/** Checks a given graph (one row per paper, at least k neighbours each) and cuts it to k columns. */
export function takeGraph(graph: NeighbourGraph, n: number, k: number): NeighbourGraph {
  if (graph.indices.length !== n || graph.distances.length !== n) {
    throw new PapermapError('BAD_OPTION', `option 'knn' has ${graph.indices.length} rows, expected one per paper (${n})`, undefined, 'build the graph over the same embeddings');
  }
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = graph.indices[i] as number[];
    const dist = graph.distances[i] as number[];
    if (row.length < k || dist.length < k) {
      throw new PapermapError('BAD_OPTION', `option 'knn' row ${i} has ${row.length} neighbours, expected at least nNeighbors = ${k}`, undefined, 'build the graph with more neighbours or lower nNeighbors');
    }
    indices.push(row.slice(0, k));
    distances.push(dist.slice(0, k));
  }
  return { indices, distances };
}

/**
 * Spectral start (as umap-learn's `spectral_layout`): the eigenvectors 2..dims+1 of the normalised adjacency
 * D^-1/2 W D^-1/2 of UMAP's fuzzy graph W (the smallest non-trivial ones of the normalised Laplacian, Belkin & Niyogi
 * 2003), found by subspace iteration on (I + D^-1/2 W D^-1/2) / 2 with the trivial vector √d projected out, then scaled
 * so the largest coordinate is 10. The start vectors come from a fixed seed: the start depends on the graph alone.
 */
export function spectralLayout(graph: FuzzyGraph, m: number, dims: number, iterations = 150): number[][] {
  const rowsOf: number[] = [];
  const colsOf: number[] = [];
  const values: number[] = [];
  const degree = new Float64Array(m);
  const add = (value: number, row: number, col: number): void => {
    rowsOf.push(row);
    colsOf.push(col);
    values.push(value);
    degree[row] = (degree[row] as number) + value;
  };
  // The patched umap-js (patches/umap-js+1.4.0.patch) keeps the graph as typed arrays; the original as a sparse matrix.
  if (graph.vals && graph.rows && graph.cols) for (let e = 0; e < graph.vals.length; e++) add(graph.vals[e] as number, graph.rows[e] as number, graph.cols[e] as number);
  else graph.forEach?.(add);
  const inv = Float64Array.from(degree, (d) => (d > 0 ? 1 / Math.sqrt(d) : 0));
  // The edges by row (a stable counting sort: each row's edges keep their order, so its sums are the same numbers), as
  // typed arrays: number[] reads and scattered writes cost most of the iterations at 100,000 papers.
  const starts = new Int32Array(m + 1);
  for (const r of rowsOf) starts[r + 1] = (starts[r + 1] as number) + 1;
  for (let i = 0; i < m; i++) starts[i + 1] = (starts[i + 1] as number) + (starts[i] as number);
  const colsT = new Int32Array(values.length);
  const norm = new Float64Array(values.length);
  const next = starts.slice(0, m);
  rowsOf.forEach((r, e) => {
    const at = next[r] as number;
    next[r] = at + 1;
    colsT[at] = colsOf[e] as number;
    norm[at] = (values[e] as number) * (inv[r] as number) * (inv[colsOf[e] as number] as number);
  });
  const trivial = Float64Array.from(degree, (d) => Math.sqrt(d));
  const tNorm = Math.sqrt(trivial.reduce((s, v) => s + v * v, 0)) || 1;
  for (let i = 0; i < m; i++) trivial[i] = (trivial[i] as number) / tNorm;
  const random = seededRandom(0x5eed);
  let basis: Float64Array[] = Array.from({ length: dims }, () => Float64Array.from({ length: m }, () => random() - 0.5));
  const orthonormal = (vs: Float64Array[]): Float64Array[] => {
    const out: Float64Array[] = [];
    for (const v of vs) {
      const w = Float64Array.from(v);
      for (const u of [trivial, ...out]) {
        let p = 0;
        for (let i = 0; i < m; i++) p += (w[i] as number) * (u[i] as number);
        for (let i = 0; i < m; i++) w[i] = (w[i] as number) - p * (u[i] as number);
      }
      let n2 = 0;
      for (let i = 0; i < m; i++) n2 += (w[i] as number) ** 2;
      const n = Math.sqrt(n2) || 1;
      for (let i = 0; i < m; i++) w[i] = (w[i] as number) / n;
      out.push(w);
    }
    return out;
  };
  basis = orthonormal(basis);
  for (let it = 0; it < iterations; it++) {
    basis = orthonormal(
      halfSteps(basis, starts, colsT, norm),
    );
  }
  let max = 0;
  for (const v of basis) for (let i = 0; i < m; i++) max = Math.max(max, Math.abs(v[i] as number));
  const scale = max > 0 ? 10 / max : 1;
  return Array.from({ length: m }, (_, i) => basis.map((v) => (v[i] as number) * scale));
}

/** UMAP's fuzzy graph as umap-js holds it: typed edge arrays (patched) or a sparse matrix with forEach (original). */
export interface FuzzyGraph {
  rows?: ArrayLike<number>;
  cols?: ArrayLike<number>;
  vals?: ArrayLike<number>;
  forEach?(fn: (value: number, row: number, col: number) => void): void;
}

/**
 * (I + A) v / 2 for each v, for the sparse A given by rows (`starts`: row r's edges are [starts[r], starts[r + 1]) of
 * `cols` and `values`): each row's sum is taken in its edges' order, two vectors per pass over the edges (each pass's
 * reads of the edge arrays serve both).
 */
function halfSteps(vs: readonly Float64Array[], starts: Int32Array, cols: Int32Array, values: Float64Array): Float64Array[] {
  const m = starts.length - 1;
  const outs = vs.map((v) => new Float64Array(v.length));
  for (let at = 0; at < vs.length; at += 2) {
    const v = vs[at] as Float64Array;
    const out = outs[at] as Float64Array;
    const w = (vs[at + 1] ?? v) as Float64Array;
    const out2 = (outs[at + 1] ?? out) as Float64Array;
    const pair = at + 1 < vs.length;
    for (let r = 0; r < m; r++) {
      let s1 = (v[r] as number) / 2;
      let s2 = (w[r] as number) / 2;
      for (let e = starts[r] as number, end = starts[r + 1] as number; e < end; e++) {
        const c = cols[e] as number;
        const x = values[e] as number;
        s1 += (x * (v[c] as number)) / 2;
        s2 += (x * (w[c] as number)) / 2;
      }
      out[r] = s1;
      if (pair) out2[r] = s2;
    }
  }
  return outs;
}
