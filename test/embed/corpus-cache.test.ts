// The committed vector cache of the bundled corpus (test/fixtures/corpus-cache, scripts/corpus-cache.mjs), which the
// global setup gives the shared corpus project so that the suite embeds nothing twice: it must still cover the corpus,
// and still hold what the model makes.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCache, textKey, type VectorCache } from '../../src/embed/cache.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_DIR, embed, paperText } from '../../src/embed/index.js';
import { modelShape } from '../../src/embed/model.js';
import { ingest } from '../../src/ingest/index.js';
import type { Paper } from '../../src/records.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test', 'fixtures', 'corpus-cache');
const REGENERATE = 'regenerate it with `npm run build && node scripts/corpus-cache.mjs`';

describe('the committed vector cache of the bundled corpus', () => {
  const model = modelShape(DEFAULT_MODEL_DIR, DEFAULT_MODEL, true);
  let papers: Paper[];
  let cache: VectorCache;

  beforeAll(async () => {
    papers = (await ingest([join(ROOT, 'data')])).papers;
    cache = openCache(FIXTURE, model.id, model.dims);
  });

  it(`holds a vector for every paper of data/ under the default model's id (${DEFAULT_MODEL}, int8)`, () => {
    const missing = papers.filter((p) => !cache.entries.has(textKey(paperText(p)))).map((p) => p.id);
    expect(missing, `${missing.length} of ${papers.length} papers are not in the cache: ${REGENERATE}`).toEqual([]);
  });

  it('holds what the model makes here: every 64th paper embedded afresh has cosine ≥ 0.98 to its cached vector', async () => {
    const sample = papers.filter((_, i) => i % 64 === 0);
    const { embeddings } = await embed(sample);
    const dims = model.dims;
    expect(embeddings.dims).toBe(dims);
    sample.forEach((p, row) => {
      const cached = cache.entries.get(textKey(paperText(p)));
      expect(cached, `${p.id} not cached: ${REGENERATE}`).toBeDefined();
      let cos = 0;
      for (let d = 0; d < dims; d++) cos += (cached as Float32Array)[d]! * embeddings.vectors[row * dims + d]!;
      // int8 kernels differ between CPUs (AVX2, AVX-512, VNNI): the same file gives vectors a little apart. The bound is
      // the one int8 keeps to fp32 (int8-agreement.test.ts); another model, or other texts, land far below it.
      expect(cos, `${p.id}: ${REGENERATE}`).toBeGreaterThan(0.98);
    });
  });
});
