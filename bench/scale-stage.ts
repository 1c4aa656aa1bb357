// One pipeline stage at one corpus size, in its own process so its peak memory (max RSS) is its own.
// Usage: tsx bench/scale-stage.ts <ingest|embed|index|themes|map> <n>   → prints {"ms":…, "maxRssMb":…, …}
//
// Papers: the first n of the real scale corpus (bench/scale-corpus.ts: arXiv listings and ACL Anthology abstracts in
// seeded-hash order, so the 1k, 10k and 100k sets are nested). Vectors cached by bench/scale-corpus.ts: the
// shared two cores embedded about 6 texts/s under the day's load, so 100k MiniLM vectors (4–5 hours) were out of
// reach; the TF-IDF random projection of the same real texts stands in, and the output says which set was used.

import { embed } from '../src/embed/index.js';
import { buildIndex, neighbourGraph } from '../src/index/index.js';
import { ingest } from '../src/ingest/index.js';
import { projectMap } from '../src/map/index.js';
import type { Embeddings } from '../src/records.js';
import { findThemes } from '../src/themes/index.js';
import { writeJsonl } from './generate.js';
import { tmpPath } from './lib.js';
import { peakRssMb } from './peak-rss.mjs';
import { scaleEmbeddings, scalePapers } from './scale-corpus.js';

/** Texts actually embedded at any size; embedding cost is linear in texts, so larger sizes are extrapolated. */
export const EMBED_SAMPLE = 1000;
/**
 * Cached vector set: TF-IDF random projection (default: every size has it, so growth exponents compare like with like)
 * or `minilm-int8-cut128` (MiniLM int8 on texts cut to 128 characters: as far as the shared cores got, 10k) through
 * PAPERMAP_BENCH_SCALE_VECTORS.
 */
const VECTOR_VARIANTS = [process.env.PAPERMAP_BENCH_SCALE_VECTORS ?? 'tfidf384'];

const [stage, nArg] = process.argv.slice(2);
const n = Number(nArg);
const papers = scalePapers(n);
let measured = 0;
const extra: Record<string, unknown> = {};

/** Wall time of fn; its CPU time (user + system, all threads) goes to `cpuMs`, the figure that holds on a shared machine. */
async function timed(fn: () => unknown): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  extra.cpuMs = Math.round(((extra.cpuMs as number | undefined) ?? 0) + (c.user + c.system) / 1000);
  return performance.now() - t0;
}

function vectors(): Embeddings {
  for (const variant of VECTOR_VARIANTS) {
    const e = scaleEmbeddings(n, variant);
    if (e) {
      extra.vectors = variant;
      return e;
    }
  }
  throw new Error(`no cached vectors for ${n} papers: run bench/scale-corpus.ts`);
}

if (stage === 'ingest') {
  const file = tmpPath(`scale-${n}.jsonl`);
  writeJsonl(papers, file);
  measured = await timed(async () => {
    const r = await ingest([file]);
    extra.papers = r.papers.length;
  });
} else if (stage === 'embed') {
  const sample = papers.slice(0, Math.min(n, EMBED_SAMPLE));
  await embed(sample.slice(0, 8));
  const ms = await timed(() => embed(sample));
  measured = (ms / sample.length) * n;
  extra.extrapolatedFrom = sample.length;
} else {
  const e = vectors();
  if (stage === 'index') {
    measured = await timed(() => buildIndex(e));
  } else if (stage === 'themes') {
    measured = await timed(() => {
      const r = findThemes(e, papers);
      extra.k = r.k;
    });
  } else if (stage === 'map') {
    // The pipeline's map step gets the index from the index step; the neighbour queries are the map's own cost.
    const index = buildIndex(e);
    let graphMs = 0;
    measured = await timed(() => {
      const t0 = performance.now();
      const knn = neighbourGraph(index, e.ids, 15, e);
      graphMs = performance.now() - t0;
      projectMap(e, { knn });
    });
    extra.graphMs = Math.round(graphMs);
  } else {
    throw new Error(`unknown stage ${stage}`);
  }
}
process.stdout.write(`${JSON.stringify({ ms: Math.round(measured), maxRssMb: peakRssMb(), ...extra })}\n`);
