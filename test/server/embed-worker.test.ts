// The real server over the corpus project: searches are embedded in a worker, so similar answers while they run.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectApi } from '../../src/pipeline/index.js';
import { startServer } from '../../src/server/index.js';
import { artefactFile, corpusProject } from '../helpers/corpus-project.js';

/** Real abstracts of ~1,000–1,800 characters: each fills the model's 256 word pieces, the slowest query there is. */
const LONG_QUERIES = (JSON.parse(readFileSync(new URL('../fixtures/reference-embeddings.json', import.meta.url), 'utf8')) as { texts: string[] }).texts.filter((t) => t.length > 1000 && t.length < 2000).slice(0, 5);

let server: Awaited<ReturnType<typeof startServer>>;
let paperId = '';

beforeAll(async () => {
  // Not niced: on a machine busy with other (niced) jobs a niced worker would make this test slow, not different.
  const api = projectApi({ project: corpusProject() }, { embedWorker: { niceness: 0 } });
  // A deadline past the first search's model load, which can take seconds on a loaded machine.
  server = await startServer(api, { port: 0 }, { maxEmbedWaitMs: 60_000 });
  paperId = (JSON.parse(readFileSync(artefactFile(corpusProject(), 'ids'), 'utf8')) as string[])[0] ?? '';
  // the first search starts the worker and loads the model
  expect((await fetch(new URL(`/api/search?q=model%20merging&k=3`, server.url))).status).toBe(200);
});
afterAll(async () => {
  await server?.stop(); // closes the API and terminates its worker: vitest exits only if nothing is left running
});

async function timed(path: string): Promise<{ status: number; ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(new URL(path, server.url), { signal: AbortSignal.timeout(60_000) });
  const body = await response.json();
  return { status: response.status, ms: performance.now() - started, body };
}

describe('papermap server with its embedding worker', () => {
  it('answers similar while a queue of searches is being embedded, each similar far faster than one search', async () => {
    const started = performance.now();
    const finished: number[] = [];
    const searches = LONG_QUERIES.map((q) => timed(`/api/search?q=${encodeURIComponent(q.slice(0, 1000))}&k=5`).then((r) => (finished.push(performance.now() - started), r)));
    const similar: number[] = [];
    let searchesDone = false;
    void Promise.all(searches).then(() => (searchesDone = true));
    while (!searchesDone && similar.length < 200) {
      const r = await timed(`/api/similar?id=${encodeURIComponent(paperId)}&k=10`);
      expect(r.status).toBe(200);
      expect(r.body.results).toHaveLength(10);
      similar.push(r.ms);
    }
    const answers = await Promise.all(searches);
    expect(answers.every((a) => a.status === 200 && a.body.results.length === 5)).toBe(true);
    // one search at a time: the gaps between their answers are the embedding times
    const gaps = finished.sort((a, b) => a - b).map((t, i, all) => t - (all[i - 1] ?? 0));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    // Embedding on the main thread, a similar request would wait out the running inference: one similar per search
    // at most, and a similar latency of about half a search. Off the main thread it waits for nothing.
    expect(similar.length).toBeGreaterThanOrEqual(2 * LONG_QUERIES.length);
    expect(4 * median(similar)).toBeLessThan(median(gaps));
  });
});

describe('papermap server over a real project', () => {
  it('serves the themes with how they were grouped (the corpus: by meaning alone)', async () => {
    const r = await timed('/api/themes');
    expect(r.status).toBe(200);
    expect(r.body.words).toBe(false);
    expect(r.body.themes.length).toBeGreaterThan(5);
    expect(r.body.themes[0].paperIds).toBeUndefined();
  });
});
