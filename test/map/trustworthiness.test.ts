import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trustworthiness } from '../../src/map/index.js';

// Golden: sklearn.manifold.trustworthiness(X, Y, n_neighbors=5, metric='cosine') on this fixture (test/fixtures/map/make-trustworthiness.py).
const golden = JSON.parse(readFileSync(new URL('../fixtures/map/trustworthiness.json', import.meta.url), 'utf8')) as {
  dims: number;
  vectors: number[];
  xy: number[];
  k: number;
  sklearn: number;
};

describe('trustworthiness', () => {
  const embeddings = { modelId: 'fixture', dims: golden.dims, ids: golden.xy.filter((_, i) => i % 2 === 0).map((_, i) => `p${i}`), vectors: Float32Array.from(golden.vectors) };

  it('matches sklearn exactly on every point', () => {
    expect(trustworthiness(embeddings, golden.xy, { k: golden.k })).toBeCloseTo(golden.sklearn, 6);
  });

  it('estimates it from a sample', () => {
    expect(Math.abs(trustworthiness(embeddings, golden.xy, { k: golden.k, sample: 40 }) - golden.sklearn)).toBeLessThan(0.05);
  });

  it('is 1 for a layout that keeps every neighbourhood', () => {
    // Unevenly spaced angles in a plane, laid out at the same angles on a line: cosine distance grows with the gap.
    const n = 30;
    const vectors = new Float32Array(n * 2);
    const xy: number[] = [];
    let a = 0;
    for (let i = 0; i < n; i++) {
      a += 0.02 * (1 + ((i * 7) % 5) / 10);
      vectors[2 * i] = Math.cos(a);
      vectors[2 * i + 1] = Math.sin(a);
      xy.push(a, 0);
    }
    expect(trustworthiness({ modelId: 'line', dims: 2, ids: xy.filter((_, i) => i % 2 === 0).map(String), vectors }, xy, { k: 5 })).toBe(1);
  });

  it('rejects a map of another size', () => {
    expect(() => trustworthiness(embeddings, [0, 0], { k: 5 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
