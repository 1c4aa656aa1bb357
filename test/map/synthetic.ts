// Synthetic embeddings for map tests: seeded Gaussian clusters on the unit sphere, with known cluster labels.

import type { Embeddings } from '../../src/records.js';
import { seededRandom } from '../../src/map/index.js';

/** `clusters` groups of `perCluster` unit vectors in `dims` dimensions, each a noisy copy of its group's centre. */
export function clusteredEmbeddings(clusters: number, perCluster: number, dims = 32, noise = 0.35, seed = 1): { embeddings: Embeddings; labels: number[] } {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, gauss));
  const n = clusters * perCluster;
  const vectors = new Float32Array(n * dims);
  const labels: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    const centre = centres[c] as number[];
    const row = centre.map((v) => v + noise * Math.sqrt(dims) * gauss() / Math.sqrt(dims) * 3);
    const norm = Math.hypot(...row);
    row.forEach((v, d) => (vectors[i * dims + d] = v / norm));
    labels.push(c);
    ids.push(`test:${String(i).padStart(4, '0')}`);
  }
  return { embeddings: { modelId: 'synthetic', dims, ids, vectors }, labels };
}
