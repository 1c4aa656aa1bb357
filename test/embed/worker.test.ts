// The embedding worker gives exactly the vectors of embedTexts in this thread, reports model errors by code, and ends.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embedTexts, startEmbedWorker } from '../../src/embed/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/reference-embeddings.json', import.meta.url), 'utf8')) as { texts: string[] };

describe('embedding worker', () => {
  it('embeds a query into the same bytes as embedTexts on the main thread, for short and truncated long texts', async () => {
    const worker = startEmbedWorker();
    try {
      // one query at a time, as searches are embedded; the fixture's last texts are longer than 256 word pieces
      for (const text of [fixture.texts[0] as string, fixture.texts.at(-1) as string, 'model merging']) {
        const off = await worker.embedTexts([text], { model: 'all-MiniLM-L6-v2', quantized: true });
        const here = await embedTexts([text], { model: 'all-MiniLM-L6-v2', quantized: true });
        expect(off.modelId).toBe('all-MiniLM-L6-v2/int8');
        expect(off.dims).toBe(384);
        expect(Buffer.from(off.vectors.buffer, off.vectors.byteOffset, off.vectors.byteLength).equals(Buffer.from(here.vectors.buffer, here.vectors.byteOffset, here.vectors.byteLength))).toBe(true);
      }
    } finally {
      await worker.close();
    }
  });

  it('closes while a query is being embedded without taking the process down (terminate mid-inference aborts it)', async () => {
    const worker = startEmbedWorker({ niceness: 0 });
    const long = fixture.texts.at(-1) as string;
    await worker.embedTexts(['load the model']);
    const inFlight = Array.from({ length: 4 }, (_, i) => worker.embedTexts([`${i} ${long}`]).then(() => 'embedded', (error: { code?: string }) => error.code));
    await new Promise((done) => setTimeout(done, 20));
    await worker.close();
    const outcomes = await Promise.all(inFlight);
    // calls still waiting when it closed are rejected, not left hanging
    expect(outcomes.at(-1)).toBe('MODEL_BACKEND');
    for (const outcome of outcomes) expect(['embedded', 'MODEL_BACKEND']).toContain(outcome);
  });

  it('rethrows the model errors of the worker with their code, and refuses calls once closed', async () => {
    const worker = startEmbedWorker();
    try {
      await expect(worker.embedTexts(['text'], { modelDir: '/nonexistent/models' })).rejects.toMatchObject({ code: 'MODEL_MISSING' });
      await expect(worker.embedTexts(['  '])).rejects.toMatchObject({ code: 'BAD_OPTION' });
    } finally {
      await worker.close();
    }
    await expect(worker.embedTexts(['text'])).rejects.toMatchObject({ code: 'MODEL_BACKEND' });
    expect(() => startEmbedWorker({ niceness: 40 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
