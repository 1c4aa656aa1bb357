// Test helper: seeded, clustered unit vectors shaped like real embeddings, for index tests that need many points.

import { seededGaussian } from '../../src/random.js';
import type { Embeddings } from '../../src/records.js';

/** `n` unit vectors in `clusters` noisy groups, ids `p0`, `p1`, …, offset by `firstId`. */
export function clusteredEmbeddings(n: number, dims: number, seed: number, clusters = 12, firstId = 0): Embeddings {
  const gauss = seededGaussian(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, gauss));
  const vectors = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = centres[i % clusters] as number[];
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (c[d] as number) + 1.2 * gauss();
      vectors[i * dims + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (vectors[i * dims + d] as number) / norm;
  }
  return { modelId: 'test/fp32', dims, ids: Array.from({ length: n }, (_, i) => `p${i + firstId}`), vectors };
}

/** Concatenates embeddings with the same model and dims. */
export function concat(a: Embeddings, b: Embeddings): Embeddings {
  const vectors = new Float32Array(a.vectors.length + b.vectors.length);
  vectors.set(a.vectors);
  vectors.set(b.vectors, a.vectors.length);
  return { ...a, ids: [...a.ids, ...b.ids], vectors };
}
