// Choosing the number of themes by the stability of partitions, and the silhouette the areas and sub-themes use.

import { seededSubsample } from '../random.js';
import { deriveSeed, flatten, pairwiseDots } from './cluster.js';
import { runThemeJobs } from './jobs.js';
import { adjustedRandIndex } from './stability.js';

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
  const { data, n: m, dims } = flatten(picked.map((r) => rows[r] as number[]));
  const distances = pairwiseDots(data, m, dims, true);
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

/** How one candidate k fared: its stability (agreement of partitions across seeds and subsamples). */
export interface KScore {
  k: number;
  /** Mean adjusted Rand index over every pair of probe partitions, on the rows both probes hold. */
  stability: number;
  /**
   * Standard error of that mean: the standard deviation of the pairs' indices over √probes (pairs share probes, so the
   * probes, not the pairs, are the independent draws).
   */
  standardError: number;
}

/**
 * Chooses k by the agreement of partitions across seeds, subsamples and layouts (the stability criterion of Ben-Hur,
 * Elisseeff & Guyon 2002 and Lange et al. 2004): for each k, `probes` k-means runs, each seeded differently and fitted
 * on its own seeded 80 % subsample (at most `options.probeRows` rows) of the rows of one of the `spaces` (probe p uses space p mod their number: several
 * UMAP layouts of the same papers), are compared pairwise by adjusted Rand index on the rows two probes share; the
 * score is the mean. A k that matches real structure is found again whatever the start, sample and layout; one that
 * cuts a group in two cuts it differently each time. Comparing probes across layouts makes the score measure what a
 * user sees between two seeds, layout noise included. Each probe keeps the better of two k-means runs, so the score
 * measures the data rather than k-means's local optima. Stability alone favours the smallest k (two halves are always
 * found again), so the chosen k is the largest whose score is within `tolerance` standard errors of the best score
 * (the k-standard-error rule of Breiman et al. 1984, as the gap statistic uses it; the error is the median of the
 * candidates', as the best one's own is as noisy as its score): the finest partition that is as reproducible as any,
 * within what the probes can tell apart. A fixed margin let sampling noise pick k: on the bundled corpus the curve is
 * flat (0.66–0.76 for k = 8…16, errors 0.02–0.03) and moves ±0.03 between seeds, so seeds 42–46 chose 8, 8, 16, 16
 * and 15. The best score is itself the largest of m noisy ones, so the bar also subtracts the expected maximum of m
 * standard normals (1.49 errors for 9 candidates): measured against the raw best, a k on a flat curve passed only when
 * its noise was above −0.5 errors, and seeds 42–46 chose 11, 16, 16, 13, 14 on an AVX2-only CPU from the exact graph
 * (themes ARI between seeds 0.74); with it, 16 for every seed (0.81). From the index's graph, where two seeds' curves
 * really fall with k, 13, 16, 16, 11, 16 became 14, 16, 16, 13, 16 (ARI 0.82); arXiv's clear peak at k 8 stays chosen.
 * Scores are rounded to 1e-4 before comparing, so float noise cannot flip the choice.
 * The probes run on up to `options.threads` threads (0: one per core); the choice does not depend on it.
 */
export function chooseKByStability(
  spaces: readonly (readonly number[][])[],
  range: { kMin: number; kMax: number },
  seed: number,
  options: { probes: number; tolerance: number; threads: number; probeRows?: number },
  onProgress?: (done: number, total: number) => void,
): { k: number; scores: KScore[] } {
  const n = (spaces[0] as readonly number[][]).length;
  const kMax = Math.min(range.kMax, n - 1);
  const kMin = Math.min(range.kMin, kMax);
  const take = Math.min(Math.max(2, Math.round(0.8 * n)), options.probeRows ?? Infinity);
  const subsamples = Array.from({ length: options.probes }, (_, p) => Int32Array.from(seededSubsample(n, take, deriveSeed(seed, 1000 + p))));
  // Every probe of every k is a job of its own (themes/jobs.ts), run on up to `threads` threads.
  const context = { spaces: spaces.map((rows) => flatten(rows).data), dims: spaces.map((rows) => rows[0]?.length ?? 0) };
  const ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  const jobs = ks.flatMap((k) => subsamples.map((picked, p) => ({ kind: 'probe' as const, space: p % spaces.length, picked, k, seed: deriveSeed(seed, 2000 + p) })));
  const assignments = runThemeJobs(jobs, context, options.threads);
  const scores: KScore[] = [];
  ks.forEach((k, at) => {
    const labels = subsamples.map((picked, p) => {
      const assignment = assignments[at * subsamples.length + p] as Int32Array;
      const full = new Int32Array(n).fill(-1);
      picked.forEach((i, j) => (full[i] = assignment[j] as number));
      return full;
    });
    const indices: number[] = [];
    for (let a = 0; a < labels.length; a++) {
      for (let b = a + 1; b < labels.length; b++) {
        const la = labels[a] as Int32Array;
        const lb = labels[b] as Int32Array;
        const x: number[] = [];
        const y: number[] = [];
        for (let i = 0; i < n; i++) if ((la[i] as number) >= 0 && (lb[i] as number) >= 0) (x.push(la[i] as number), y.push(lb[i] as number));
        indices.push(adjustedRandIndex(x, y));
      }
    }
    const mean = indices.length ? indices.reduce((a, b) => a + b, 0) / indices.length : 1;
    const variance = indices.length > 1 ? indices.reduce((a, b) => a + (b - mean) ** 2, 0) / (indices.length - 1) : 0;
    const standardError = Math.sqrt(variance / labels.length);
    scores.push({ k, stability: Math.round(mean * 1e4) / 1e4, standardError: Math.round(standardError * 1e4) / 1e4 });
    onProgress?.(k - kMin + 1, kMax - kMin + 1);
  });
  return { k: kFromScores(scores, options.tolerance), scores };
}

/**
 * The k-standard-error rule over stability scores in ascending k: the largest k whose score reaches the best minus
 * (`tolerance` + E[max of m standard normals]) × the median standard error. The best score is the largest of m noisy
 * ones: where the curve is flat it overstates the best k's own stability by about that expected maximum (the winner's
 * curse), so the bar allows for it.
 */
export function kFromScores(scores: readonly KScore[], tolerance: number): number {
  const best = Math.max(...scores.map((s) => s.stability));
  const errors = scores.map((s) => s.standardError).sort((a, b) => a - b);
  const typicalError = errors[Math.floor(errors.length / 2)] as number;
  const bar = Math.round((best - (tolerance + expectedMaxOfNormals(scores.length)) * typicalError) * 1e4) / 1e4;
  let at = scores.length - 1;
  while (at > 0 && (scores[at] as KScore).stability < bar) at--;
  return (scores[at] as KScore).k;
}

/** Φ, the standard normal distribution function (erf by Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * E[max of m independent standard normals] = ∫ x · m φ(x) Φ(x)^(m−1) dx, summed in steps of 0.001 over [−10, 10] (0
 * for m = 1; 1.485 for 9, 1.929 for 23).
 */
export function expectedMaxOfNormals(m: number): number {
  if (m <= 1) return 0;
  const step = 1e-3;
  let sum = 0;
  for (let x = -10; x <= 10; x += step) sum += x * m * (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * normalCdf(x) ** (m - 1);
  return sum * step;
}

/** Rounds to 6 decimals (for comparisons and stable JSON). */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
