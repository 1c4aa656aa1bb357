// Principal components: the subspace k-means runs in, so each distance costs `dims` instead of 384 multiplications.

import { deriveSeed, dot } from './cluster.js';

/**
 * Projects centred rows onto their top `dims` principal directions (Pearson 1901), found by orthogonal (subspace)
 * iteration on the covariance C = XᵀX / n (Golub & Van Loan, §8.2.4) from a seeded start:
 *
 *   Q ← orth(C · Q), repeated `iterations` times;  projection = (x − mean) · Q
 *
 * Euclidean distances in the projection depend only on the subspace, not on the basis found, so k-means there is
 * deterministic for the same seed. Returns the rows unchanged when dims ≥ their width.
 */
export function principalProjection(rows: readonly number[][], dims: number, seed: number, iterations = 30): number[][] {
  const width = rows[0]?.length ?? 0;
  if (dims >= width || rows.length === 0) return rows.map((r) => [...r]);
  const n = rows.length;
  const mean = new Array<number>(width).fill(0);
  for (const row of rows) for (let d = 0; d < width; d++) mean[d] = (mean[d] as number) + (row[d] as number) / n;
  const centred = rows.map((row) => row.map((v, d) => v - (mean[d] as number)));
  const cov = Array.from({ length: width }, () => new Float64Array(width));
  for (const row of centred) {
    for (let a = 0; a < width; a++) {
      const va = row[a] as number;
      if (va === 0) continue;
      const line = cov[a] as Float64Array;
      for (let b = a; b < width; b++) line[b] = (line[b] as number) + va * (row[b] as number);
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) (cov[a] as Float64Array)[b] = (cov[b] as Float64Array)[a] as number;
  let state = deriveSeed(seed, 104729);
  let basis = Array.from({ length: dims }, () =>
    Array.from({ length: width }, () => {
      state = deriveSeed(state, 1);
      return state / 2 ** 31 - 0.5;
    }),
  );
  basis = orthonormalise(basis);
  for (let it = 0; it < iterations; it++) {
    basis = orthonormalise(basis.map((q) => Array.from(cov, (line) => dotTyped(line, q))));
  }
  return centred.map((row) => basis.map((q) => dot(row, q)));
}

/** Modified Gram–Schmidt over the vectors in order. */
function orthonormalise(vectors: number[][]): number[][] {
  const out: number[][] = [];
  for (const v of vectors) {
    const w = [...v];
    for (const u of out) {
      const p = dot(w, u);
      for (let d = 0; d < w.length; d++) w[d] = (w[d] as number) - p * (u[d] as number);
    }
    const norm = Math.sqrt(dot(w, w)) || 1;
    out.push(w.map((x) => x / norm));
  }
  return out;
}

function dotTyped(a: Float64Array, b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
