// Benchmark vectors: the corpus' real embeddings, and larger sets made of perturbed copies of them.

import { join } from 'node:path';
import { embed, type ModelName } from '../src/embed/index.js';
import { seededGaussian } from '../src/random.js';
import type { Embeddings } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { TMP_DIR } from './lib.js';

/** Real int8 embeddings of the corpus with `model` (default: papermap's; cached under bench/results/tmp/cache). */
export async function corpusEmbeddings(model?: ModelName): Promise<Embeddings> {
  const papers = await corpusPapers();
  return (await embed(papers, { cacheDir: join(TMP_DIR, 'cache'), ...(model ? { model } : {}) })).embeddings;
}

/**
 * `n` unit vectors derived from real ones: copy i is real vector (i mod N) plus Gaussian noise of total norm ≈ `noise`,
 * renormalised. With noise 0.35 a copy keeps cosine ≈ 0.94 to its source, so copies of one paper form a tight
 * cloud and the clouds keep the corpus' real geometry (themes, near-duplicates, outliers).
 */
export function perturbedCopies(base: Embeddings, n: number, seed: number, noise = 0.35): Embeddings {
  const { dims } = base;
  const g = seededGaussian(seed);
  const sigma = noise / Math.sqrt(dims);
  const vectors = new Float32Array(n * dims);
  const src = base.ids.length;
  for (let i = 0; i < n; i++) {
    const from = (i % src) * dims;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (base.vectors[from + d] as number) + sigma * g();
      vectors[i * dims + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (vectors[i * dims + d] as number) / norm;
  }
  return { modelId: base.modelId, dims, ids: Array.from({ length: n }, (_, i) => `v${i}`), vectors };
}
