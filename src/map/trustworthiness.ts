// Trustworthiness: how far a 2-D map's nearest neighbours are true neighbours in the embedding space.

import { PapermapError } from '../errors.js';
import type { Embeddings } from '../records.js';
import { seededRandom } from '../random.js';

/** Options of trustworthiness(). */
export interface TrustworthinessOptions {
  /** Neighbourhood size. Default 10. */
  k: number;
  /** Points whose neighbourhoods are checked; every point when ≥ n. Default 1,000 (the estimate's spread is then about ±0.005). */
  sample: number;
  /** Seed that picks the sample. Default 7. */
  seed: number;
}

const DEFAULTS: TrustworthinessOptions = { k: 10, sample: 1000, seed: 7 };

/**
 * Trustworthiness (Venna & Kaski 2001; sklearn.manifold.trustworthiness):
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k)
 * where Uᵢ are the k nearest points of i on the map that are not among its k nearest in the embedding space (cosine),
 * and r(i, j) is j's rank among i's neighbours in that space. 1 means every map neighbour is a true neighbour.
 * With `sample` < n the sum runs over a seeded sample of i and is scaled to n, an unbiased estimate of the same number.
 * `xy` holds x0, y0, x1, y1, … in the row order of `embeddings`.
 */
export function trustworthiness(embeddings: Embeddings, xy: ArrayLike<number>, options?: Partial<TrustworthinessOptions>): number {
  const { k, sample, seed } = { ...DEFAULTS, ...options };
  const n = embeddings.ids.length;
  const { vectors, dims } = embeddings;
  if (xy.length !== 2 * n) throw new PapermapError('BAD_OPTION', `map has ${xy.length / 2} points, expected ${n}`);
  if (!(k >= 1 && 2 * n - 3 * k - 1 > 0)) throw new PapermapError('BAD_OPTION', `k = ${k} is too large for ${n} points`);
  const rows = pickRows(n, Math.min(sample, n), seed);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  let penalty = 0;
  for (const i of rows) {
    const qi = i * dims;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      const rj = j * dims;
      for (let d = 0; d < dims; d++) dot += (vectors[qi + d] as number) * (vectors[rj + d] as number);
      high[j] = 1 - dot;
      const dx = (xy[2 * j] as number) - (xy[2 * i] as number);
      const dy = (xy[2 * j + 1] as number) - (xy[2 * i + 1] as number);
      low[j] = dx * dx + dy * dy;
    }
    for (const j of nearest(low, i, k)) {
      // Rank of j in the embedding space, 1-based, ties broken by row so equal vectors are not penalised twice.
      const dj = high[j] as number;
      let rank = 1;
      for (let m = 0; m < n; m++) {
        if (m === i || m === j) continue;
        const dm = high[m] as number;
        if (dm < dj || (dm === dj && m < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  const scaled = (penalty * n) / rows.length;
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * scaled;
}

/** The k rows with the smallest distance, i excluded, ties by row. */
function nearest(dist: Float64Array, i: number, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < dist.length; j++) {
    if (j === i) continue;
    if (best.length === k && (dist[j] as number) >= (dist[best[k - 1] as number] as number)) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(j);
    while (at > 0 && (dist[best[at - 1] as number] as number) > (dist[j] as number)) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = j;
  }
  return best;
}

/** `count` distinct rows out of n, by a seeded partial Fisher–Yates shuffle. */
function pickRows(n: number, count: number, seed: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [rows[i], rows[j]] = [rows[j] as number, rows[i] as number];
  }
  return rows.slice(0, count).sort((a, b) => a - b);
}
