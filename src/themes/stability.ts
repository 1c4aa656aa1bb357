// Agreement of two partitions: the adjusted Rand index behind the choice of k and the stability figures.

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
