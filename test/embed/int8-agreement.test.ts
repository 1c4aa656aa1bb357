// int8 agrees with fp32 on a sample of the corpus (every 8th paper). The whole-corpus figure is a bench row
// (bench/embed.ts, `npm run bench -- --only embed`); this sample keeps the test well under its timeout on two busy cores.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, MODEL_NAMES, embed, modelId } from '../../src/embed/index.js';
import { exactNeighbours } from '../../src/index/index.js';
import { ingest } from '../../src/ingest/index.js';
import type { Embeddings } from '../../src/records.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const EVERY = 8;

/** Mean overlap of the exact top-10 lists of each sampled paper among the sample, int8 against fp32. */
function agreement(a: Embeddings, b: Embeddings): number {
  const ga = exactNeighbours(a, 10);
  const gb = exactNeighbours(b, 10);
  let sum = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const s = new Set(ga.indices[i]);
    sum += (gb.indices[i] ?? []).filter((j) => s.has(j)).length / 10;
  }
  return sum / a.ids.length;
}

describe('int8 against fp32 on a sample of the corpus', () => {
  // The fp32 file of a model may be git-ignored (bge: 133 MB, re-created by scripts/vendor-model.sh); MiniLM's is committed.
  for (const model of MODEL_NAMES) {
    const fp32 = join(DEFAULT_MODEL_DIR, model, 'onnx', 'model.onnx');
    it.skipIf(!existsSync(fp32))(`${model}: per-paper cosine ≥ 0.98 and top-10 agreement ≥ 0.85 on every ${EVERY}th paper`, async () => {
      const { papers } = await ingest([join(ROOT, 'data')]);
      const sample = papers.filter((_, i) => i % EVERY === 0);
      expect(sample.length).toBeGreaterThanOrEqual(60);
      const { embeddings: int8 } = await embed(sample, { model, quantized: true });
      const { embeddings: full } = await embed(sample, { model, quantized: false });
      expect(int8.modelId).toBe(modelId(model, true));
      expect(full.ids).toEqual(int8.ids);
      for (let row = 0; row < int8.ids.length; row++) {
        let cos = 0;
        for (let d = 0; d < int8.dims; d++) cos += (int8.vectors[row * int8.dims + d] as number) * (full.vectors[row * full.dims + d] as number);
        expect(cos).toBeGreaterThanOrEqual(0.98);
      }
      expect(agreement(int8, full)).toBeGreaterThanOrEqual(0.85);
    });
  }
});
