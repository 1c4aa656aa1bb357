// Seeded k-means over unit vectors: k-means++ centres, ml-kmeans's Lloyd iterations, restarts, lowest inertia kept.

import { lazyModule } from '../lazy.js';

const mlKmeans = lazyModule<typeof import('ml-kmeans')>('ml-kmeans');
function kmeans(...args: Parameters<typeof import('ml-kmeans').kmeans>): ReturnType<typeof import('ml-kmeans').kmeans> {
  return mlKmeans().kmeans(...args);
}

/** One k-means partition. */
export interface Partition {
  k: number;
  /** Cluster per row, 0..k-1, renumbered so that bigger clusters come first (ties: smallest first row). */
  assignment: number[];
  /** Centroid per cluster (mean of its rows, not normalised). */
  centroids: number[][];
  /** Sum of squared distances of rows to their centroid. */
  inertia: number;
}

/**
 * Splits a flat row-major array into rows of `dims` numbers, re-normalising each row to unit length (the norm summed
 * in row order; each row built once, in place: at 100,000 papers a copy per row was ~40 % of the time and its garbage).
 */
export function toRows(vectors: Float32Array, dims: number): number[][] {
  const rows: number[][] = [];
  for (let start = 0; start < vectors.length; start += dims) {
    const row: number[] = [];
    let s = 0;
    for (let i = start; i < start + dims; i++) {
      const v = vectors[i] as number;
      row.push(v);
      s += v * v;
    }
    const norm = Math.sqrt(s) || 1;
    for (let i = 0; i < dims; i++) row[i] = (row[i] as number) / norm;
    rows.push(row);
  }
  return rows;
}

/** Dot product of two rows of equal length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Squared Euclidean distance of two rows of equal length. */
export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s;
}

/**
 * A well-mixed 31-bit seed for restart `index` of a run seeded with `seed` (splitmix32 finaliser), so the restarts of
 * two neighbouring seeds (42 and 43) never share an initialisation.
 */
export function deriveSeed(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 1;
}

/** Rows copied into one row-major Float64Array (the same numbers: every sum over them is the same in float64). */
export function flatten(rows: readonly number[][]): { data: Float64Array; n: number; dims: number } {
  const n = rows.length;
  const dims = rows[0]?.length ?? 0;
  const data = new Float64Array(n * dims);
  rows.forEach((row, i) => data.set(row, i * dims));
  return { data, n, dims };
}

/**
 * Every pairwise dot product of m rows (row-major in `data`), as `distance ? 1 − a·b : a·b`, written symmetrically into
 * an m × m Float32Array with a zero diagonal. Each product is summed over the dimensions in order in float64, as a
 * plain loop would, but four rows go against each other row at once, so each row's numbers are loaded once per four:
 * about three times faster than one pair at a time on the fitted sample (6,000 × 384).
 */
export function pairwiseDots(data: Float64Array, m: number, dims: number, distance: boolean): Float32Array {
  const out = new Float32Array(m * m);
  pairwiseDotsRows(data, m, dims, distance, out, 0, m);
  return out;
}

/**
 * The rows [from, to) of pairwiseDots (each row i against the rows after it, both cells written); `from` a multiple
 * of four. Every product is the same number whichever call computes it, so the matrix can be filled in parts, by
 * several threads into one shared array.
 */
export function pairwiseDotsRows(data: Float64Array, m: number, dims: number, distance: boolean, out: Float32Array, from: number, to: number): void {
  const put = (i: number, j: number, s: number): void => {
    const v = distance ? 1 - s : s;
    out[i * m + j] = v;
    out[j * m + i] = v;
  };
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a0 = i * dims;
    const a1 = a0 + dims;
    const a2 = a1 + dims;
    const a3 = a2 + dims;
    for (let j = i + 1; j < m; j++) {
      const b = j * dims;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < dims; d++) {
        const x = data[b + d] as number;
        s0 += (data[a0 + d] as number) * x;
        s1 += (data[a1 + d] as number) * x;
        s2 += (data[a2 + d] as number) * x;
        s3 += (data[a3 + d] as number) * x;
      }
      put(i, j, s0);
      if (j > i + 1) put(i + 1, j, s1);
      if (j > i + 2) put(i + 2, j, s2);
      if (j > i + 3) put(i + 3, j, s3);
    }
  }
  for (; i < to; i++) {
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += (data[i * dims + d] as number) * (data[j * dims + d] as number);
      put(i, j, s);
    }
  }
}

/**
 * k-means (Lloyd 1982, run by ml-kmeans) from seeded k-means++ centres, `restarts` runs, best inertia kept. Deterministic for the same
 * rows, k, restarts and seed.
 */
export function kmeansBest(rows: readonly number[][], k: number, seed: number, restarts: number, maxIterations = 100): Partition {
  return canonicalise(bestOfRestarts([kmeansRestarts(rows, k, seed, 0, restarts, maxIterations)]), rows);
}

/**
 * Restarts [from, to) of kmeansBest (restart r starts from k-means++ with seed deriveSeed(seed, r)), the best by
 * inertia, not canonicalised: a range can run on another thread, and bestOfRestarts picks among the ranges' bests
 * as one pass over all restarts would.
 */
export function kmeansRestarts(rows: readonly number[][], k: number, seed: number, from: number, to: number, maxIterations = 100): Partition | undefined {
  const flat = flatten(rows);
  let best: Partition | undefined;
  for (let r = from; r < to; r++) {
    const result = kmeans(rows as number[][], k, { initialization: kmeansPlusPlus(flat, k, deriveSeed(seed, r)), maxIterations, tolerance: 1e-6 });
    let inertia = 0;
    for (let i = 0; i < flat.n; i++) inertia += squaredDistance(rows[i] as number[], result.centroids[result.clusters[i] as number] as number[]);
    best = bestOfRestarts([best, { k, assignment: result.clusters, centroids: result.centroids, inertia }]);
  }
  return best;
}

/**
 * The best of partitions in restart order: strictly lower inertia only, so equal inertia keeps the earlier restart and
 * the choice does not depend on float noise order.
 */
export function bestOfRestarts(partitions: readonly (Partition | undefined)[]): Partition {
  let best: Partition | undefined;
  for (const p of partitions) if (p && (!best || p.inertia < best.inertia - 1e-9)) best = p;
  if (!best) throw new Error('k-means ran no restart');
  return best;
}

/**
 * Greedy k-means++ centres (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ⌊ln k⌋ candidates per centre): each
 * next centre is drawn with probability proportional to D(x)², the squared distance to the nearest centre so far,
 * keeping the candidate that lowers Σ D(x)² most. ml-kmeans has the same initialisation built in (`seed`), but its
 * ml-matrix version took about 160 of the 225 ms of one 12-cluster run on the corpus; this one takes a few ms.
 */
export function kmeansPlusPlus(flat: { data: Float64Array; n: number; dims: number }, k: number, seed: number): number[][] {
  const { data, n, dims } = flat;
  let state = seed >>> 0;
  // mulberry32: a small seeded uniform generator in [0, 1).
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const distanceTo = (i: number, j: number): number => {
    let s = 0;
    for (let a = i * dims, b = j * dims, end = a + dims; a < end; a++, b++) {
      const d = (data[a] as number) - (data[b] as number);
      s += d * d;
    }
    return s;
  };
  const rowOf = (i: number): number[] => Array.from(data.subarray(i * dims, (i + 1) * dims));
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random() * n);
  const centres: number[][] = [rowOf(first)];
  let closest: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = distanceTo(i, first);
  for (let c = 1; c < k; c++) {
    const total = closest.reduce((s, v) => s + v, 0);
    let best: { index: number; potential: number; distances: Float64Array } | undefined;
    for (let t = 0; t < trials; t++) {
      let index = 0;
      if (total > 0) {
        let x = random() * total;
        while (index < n - 1 && (x -= closest[index] as number) >= 0) index++;
      } else {
        index = Math.min(n - 1, c);
      }
      const distances = new Float64Array(n);
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.min(closest[i] as number, distanceTo(i, index));
        distances[i] = d;
        potential += d;
      }
      if (!best || potential < best.potential) best = { index, potential, distances };
    }
    const chosen = best as { index: number; distances: Float64Array };
    centres.push(rowOf(chosen.index));
    closest = chosen.distances;
  }
  return centres;
}

/** Renumbers clusters by size (descending, ties by first row) and drops empty clusters, recomputing centroids. */
export function canonicalise(partition: Partition, rows: readonly number[][]): Partition {
  const sizes = new Map<number, { size: number; first: number }>();
  partition.assignment.forEach((c, i) => {
    const s = sizes.get(c);
    if (s) s.size++;
    else sizes.set(c, { size: 1, first: i });
  });
  const order = [...sizes.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first).map(([c]) => c);
  const newId = new Map(order.map((c, i) => [c, i]));
  const assignment = partition.assignment.map((c) => newId.get(c) as number);
  const centroids = centroidsOf(rows, assignment, order.length);
  return { k: order.length, assignment, centroids, inertia: partition.inertia };
}

/** Mean row of each cluster 0..k-1 (rows with a negative cluster are ignored). */
export function centroidsOf(rows: readonly number[][], assignment: readonly number[], k: number): number[][] {
  const dims = rows[0]?.length ?? 0;
  const sums = Array.from({ length: k }, () => new Array<number>(dims).fill(0));
  const counts = new Array<number>(k).fill(0);
  rows.forEach((row, i) => {
    const c = assignment[i] as number;
    if (c < 0) return;
    const sum = sums[c] as number[];
    for (let d = 0; d < dims; d++) sum[d] = (sum[d] as number) + (row[d] as number);
    counts[c] = (counts[c] as number) + 1;
  });
  return sums.map((sum, c) => sum.map((v) => v / Math.max(1, counts[c] as number)));
}

/**
 * Member rows of one cluster ordered by cosine to its (normalised) centroid, closest first; ties by paper id, so the
 * order never depends on row order.
 */
export function rankByCentroid(rows: readonly number[][], ids: readonly string[], members: readonly number[], centroid: readonly number[]): number[] {
  const norm = Math.sqrt(dot(centroid, centroid)) || 1;
  const scored = members.map((i) => ({ i, score: Math.round((dot(rows[i] as number[], centroid) / norm) * 1e9) }));
  scored.sort((a, b) => b.score - a.score || ((ids[a.i] as string) < (ids[b.i] as string) ? -1 : 1));
  return scored.map((s) => s.i);
}
