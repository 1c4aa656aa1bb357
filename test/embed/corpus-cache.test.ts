// The committed vector cache of the bundled corpus (test/fixtures/corpus-cache, scripts/corpus-cache.mjs), which the
// global setup gives the shared corpus project so that the suite embeds nothing twice: it must still cover the corpus,
// and still hold what the model makes.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache, textKey } from '../../src/embed/cache.js';
import { DEFAULT_MODEL, embed, modelId, paperText } from '../../src/embed/index.js';
import { ingest } from '../../src/ingest/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test', 'fixtures', 'corpus-cache');
const DIMS = 384;
const REGENERATE = 'regenerate it with `npm run build && node scripts/corpus-cache.mjs`';

describe('the committed vector cache of the bundled corpus', () => {
  it(`holds a vector for every paper of data/ under the default model's id (${DEFAULT_MODEL}, int8)`, async () => {
    const { papers } = await ingest([join(ROOT, 'data')]);
    const cache = openCache(FIXTURE, modelId(DEFAULT_MODEL, true), DIMS);
    const missing = papers.filter((p) => !cache.entries.has(textKey(paperText(p)))).map((p) => p.id);
    expect(missing, `${missing.length} of ${papers.length} papers are not in the cache: ${REGENERATE}`).toEqual([]);
  });

  it('holds what the model makes here: every 64th paper embedded afresh has cosine ≥ 0.98 to its cached vector', async () => {
    const { papers } = await ingest([join(ROOT, 'data')]);
    const sample = papers.filter((_, i) => i % 64 === 0);
    const cache = openCache(FIXTURE, modelId(DEFAULT_MODEL, true), DIMS);
    const { embeddings } = await embed(sample);
    expect(embeddings.dims).toBe(DIMS);
    sample.forEach((p, row) => {
      const cached = cache.entries.get(textKey(paperText(p)));
      expect(cached, `${p.id} not cached: ${REGENERATE}`).toBeDefined();
      let cos = 0;
      for (let d = 0; d < DIMS; d++) cos += (cached as Float32Array)[d]! * embeddings.vectors[row * DIMS + d]!;
      // int8 kernels differ between CPUs (AVX2, AVX-512, VNNI): the same file gives vectors a little apart. The bound is
      // the one int8 keeps to fp32 (int8-agreement.test.ts); another model, or other texts, land far below it.
      expect(cos, `${p.id}: ${REGENERATE}`).toBeGreaterThan(0.98);
    });
  });
});
