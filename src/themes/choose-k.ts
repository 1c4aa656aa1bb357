// Choosing the number of themes: mean silhouette (cosine) of seeded k-means partitions over a range of k.

import { deriveSeed, dot, kmeansBest, type Partition } from './cluster.js';

/** Cosine distances between a (sampled) set of rows, reused by every silhouette in one run. */
export interface DistanceSample {
  /** Row numbers of the sample, ascending. */
  rows: number[];
  /** Cosine distance matrix, m × m, row-major. */
  distances: Float32Array;
}

/**
 * Picks up to `maxRows` rows (all of them when there are fewer; otherwise a seeded partial Fisher–Yates shuffle) and
 * computes their pairwise cosine distances 1 − a·b on unit rows. Silhouette is O(m²), so the sample bounds its cost
 * (as sklearn's `silhouette_score(sample_size=…)` does).
 */
export function distanceSample(rows: readonly number[][], maxRows: number, seed: number): DistanceSample {
  let picked = rows.map((_, i) => i);
  if (picked.length > maxRows) {
    let state = deriveSeed(seed, 7919);
    for (let i = 0; i < maxRows; i++) {
      state = deriveSeed(state, i);
      const j = i + (state % (picked.length - i));
      [picked[i], picked[j]] = [picked[j] as number, picked[i] as number];
    }
    picked = picked.slice(0, maxRows).sort((a, b) => a - b);
  }
  const m = picked.length;
  const distances = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const d = 1 - dot(rows[picked[i] as number] as number[], rows[picked[j] as number] as number[]);
      distances[i * m + j] = d;
      distances[j * m + i] = d;
    }
  }
  return { rows: picked, distances };
}

/**
 * Mean silhouette over the sampled rows (Rousseeuw 1987): s(i) = (b − a) / max(a, b), where a is the mean distance from
 * i to the other members of its cluster and b the smallest mean distance to another cluster. Rows alone in their
 * cluster score 0, and rows with a negative cluster (outliers) are left out. Returns 0 with fewer than two clusters.
 */
export function silhouette(sample: DistanceSample, assignment: readonly number[]): number {
  const m = sample.rows.length;
  const labels = sample.rows.map((r) => assignment[r] as number);
  const k = Math.max(-1, ...labels) + 1;
  if (k < 2) return 0;
  const sizes = new Array<number>(k).fill(0);
  for (const c of labels) if (c >= 0) sizes[c] = (sizes[c] as number) + 1;
  let total = 0;
  let counted = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    const own = labels[i] as number;
    if (own < 0) continue;
    counted++;
    if ((sizes[own] as number) < 2) continue;
    sums.fill(0);
    for (let j = 0; j < m; j++) {
      const c = labels[j] as number;
      if (c >= 0 && j !== i) sums[c] = (sums[c] as number) + (sample.distances[i * m + j] as number);
    }
    const a = (sums[own] as number) / ((sizes[own] as number) - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && (sizes[c] as number) > 0) b = Math.min(b, (sums[c] as number) / (sizes[c] as number));
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b);
  }
  return counted ? total / counted : 0;
}

/** Silhouette of one candidate k. */
export interface KScore {
  k: number;
  silhouette: number;
}

/**
 * Clusters at every k in [kMin, kMax] and returns the partition with the highest silhouette (ties: smaller k) and every
 * score. Silhouettes are rounded to 1e-6 before comparing, so float noise cannot flip the choice between machines.
 */
export function chooseK(
  rows: readonly number[][],
  sample: DistanceSample,
  range: { kMin: number; kMax: number },
  seed: number,
  restarts: number,
  onProgress?: (done: number, total: number) => void,
): { best: Partition; scores: KScore[] } {
  const kMax = Math.min(range.kMax, rows.length - 1);
  const kMin = Math.min(range.kMin, kMax);
  let best: { partition: Partition; score: number } | undefined;
  const scores: KScore[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const partition = kmeansBest(rows, k, seed, restarts);
    const score = round6(silhouette(sample, partition.assignment));
    scores.push({ k, silhouette: score });
    if (!best || score > best.score) best = { partition, score };
    onProgress?.(k - kMin + 1, kMax - kMin + 1);
  }
  return { best: (best as { partition: Partition }).partition, scores };
}

/** Rounds to 6 decimals (for comparisons and stable JSON). */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
