// One pipeline stage at one corpus size, in its own process so its peak memory (max RSS) is its own.
// Usage: tsx bench/scale-stage.ts <ingest|embed|index|themes|map> <n>   → prints {"ms":…, "maxRssMb":…, …}

import { embed } from '../src/embed/index.js';
import { buildIndex, neighbourGraph } from '../src/index/index.js';
import { ingest } from '../src/ingest/index.js';
import { projectMap } from '../src/map/index.js';
import { findThemes } from '../src/themes/index.js';
import { corpusPapers } from './corpus.js';
import { recombine, writeJsonl } from './generate.js';
import { tmpPath } from './lib.js';
import { peakRssMb } from './peak-rss.mjs';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

/** Texts actually embedded at any size; embedding cost is linear in texts, so larger sizes are extrapolated. */
export const EMBED_SAMPLE = 1000;

const [stage, nArg] = process.argv.slice(2);
const n = Number(nArg);
const real = await corpusPapers();
const papers = recombine(real, n, 7);
let measured = 0;
const extra: Record<string, unknown> = {};

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
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
  const vectors = perturbedCopies(await corpusEmbeddings(), n, 3);
  vectors.ids = papers.map((p) => p.id);
  if (stage === 'index') {
    measured = await timed(() => buildIndex(vectors));
  } else if (stage === 'themes') {
    measured = await timed(() => {
      const r = findThemes(vectors, papers);
      extra.k = r.k;
    });
  } else if (stage === 'map') {
    const index = buildIndex(vectors);
    measured = await timed(() => projectMap(vectors, { knn: neighbourGraph(index, vectors.ids, 15) }));
  } else {
    throw new Error(`unknown stage ${stage}`);
  }
}
process.stdout.write(`${JSON.stringify({ ms: Math.round(measured), maxRssMb: peakRssMb(), ...extra })}\n`);
