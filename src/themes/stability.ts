// How much the themes depend on the seed: mean adjusted Rand index between partitions from different seeds.

import { kmeansBest } from './cluster.js';

/**
 * Adjusted Rand index of two labelings of the same rows (Hubert & Arabie 1985):
 *
 *   ARI = (Σ_ij C(n_ij, 2) − [Σ_i C(a_i, 2) · Σ_j C(b_j, 2)] / C(n, 2)) / (½[Σ_i C(a_i, 2) + Σ_j C(b_j, 2)] − [Σ_i C(a_i, 2) · Σ_j C(b_j, 2)] / C(n, 2))
 *
 * with n_ij the contingency table and a_i, b_j its row and column sums. 1 = identical partitions, ≈ 0 = chance.
 */
export function adjustedRandIndex(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const pairs = (x: number): number => (x * (x - 1)) / 2;
  const table = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const colSums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    table.set(`${x},${y}`, (table.get(`${x},${y}`) ?? 0) + 1);
    rowSums.set(x, (rowSums.get(x) ?? 0) + 1);
    colSums.set(y, (colSums.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const v of table.values()) index += pairs(v);
  let sumA = 0;
  for (const v of rowSums.values()) sumA += pairs(v);
  let sumB = 0;
  for (const v of colSums.values()) sumB += pairs(v);
  const expected = (sumA * sumB) / Math.max(1, pairs(n));
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Stability of k-means at a fixed k: the seeds used and the mean ARI over every pair of their partitions (a known partition for one seed is reused). */
export function stabilityAt(
  rows: readonly number[][],
  k: number,
  seeds: readonly number[],
  restarts: number,
  known: { seed: number; assignment: readonly number[] } | undefined,
  onRun?: () => void,
): { meanAri: number; seeds: number[] } {
  const partitions = seeds.map((seed) => {
    // The run the themes came from need not be repeated.
    if (known && known.seed === seed) return known.assignment;
    const p = kmeansBest(rows, k, seed, restarts).assignment;
    onRun?.();
    return p;
  });
  let sum = 0;
  let count = 0;
  for (let i = 0; i < partitions.length; i++) {
    for (let j = i + 1; j < partitions.length; j++) {
      sum += adjustedRandIndex(partitions[i] as number[], partitions[j] as number[]);
      count++;
    }
  }
  return { meanAri: count ? Math.round((sum / count) * 1e4) / 1e4 : 1, seeds: [...seeds] };
}
