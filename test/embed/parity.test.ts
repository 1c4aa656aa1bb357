// Parity of papermap's embeddings with the Python reference (sentence-transformers) on seed abstracts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embedTexts } from '../../src/embed/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/reference-embeddings.json', import.meta.url), 'utf8')) as {
  texts: string[];
  embeddings: number[][];
};

function cosines(vectors: Float32Array, dims: number): number[] {
  return fixture.embeddings.map((ref, i) => ref.reduce((sum, x, k) => sum + x * (vectors[i * dims + k] as number), 0));
}

describe('embedding parity with sentence-transformers', () => {
  it('fp32 matches the reference with cosine ≥ 0.999 for every text, long ones truncated the same way', async () => {
    const { vectors, dims, modelId } = await embedTexts(fixture.texts, { quantized: false });
    expect(modelId).toBe('all-MiniLM-L6-v2/fp32');
    expect(dims).toBe(384);
    const cos = cosines(vectors, dims);
    expect(cos).toHaveLength(fixture.texts.length);
    for (const c of cos) expect(c).toBeGreaterThanOrEqual(0.999);
  });

  it('int8 stays close to the reference (cosine ≥ 0.99 for every text)', async () => {
    const { vectors, dims } = await embedTexts(fixture.texts, { quantized: true });
    for (const c of cosines(vectors, dims)) expect(c).toBeGreaterThanOrEqual(0.99);
  });

  it('gives the same vector for a text whatever batch it is in', async () => {
    const alone = await embedTexts([fixture.texts[3] as string], { quantized: false });
    const batched = await embedTexts(fixture.texts, { quantized: false, batchSize: 7 });
    const dot = Array.from(alone.vectors).reduce((s, x, k) => s + x * (batched.vectors[3 * 384 + k] as number), 0);
    expect(dot).toBeGreaterThan(0.99999);
  });
});
