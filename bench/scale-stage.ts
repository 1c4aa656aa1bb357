// One pipeline stage at one corpus size, in its own process so its peak memory (max RSS) is its own.
// Usage: tsx bench/scale-stage.ts <ingest|embed|index|themes|map|prepare> <n>   → prints {"ms":…, "maxRssMb":…, …}
//
// themes and map are the pipeline's own steps (`papermap themes`, `papermap map`: themesCommand and mapCommand) on a
// project whose papers, cached vectors and index were committed beforehand (bench/results/tmp/scale-project-<n>, made
// once, then copied for each run), so their time includes what the commands do: reading the papers and vectors, the
// index's neighbour graph, the stage itself, writing themes.json, map.json and the HTML map.
//
// Papers: the first n of the real scale corpus (bench/scale-corpus.ts: arXiv listings and ACL Anthology abstracts in
// seeded-hash order, so the 1k, 10k and 100k sets are nested). Vectors cached by bench/scale-corpus.ts: the
// shared two cores embedded about 6 texts/s under the day's load, so 100k MiniLM vectors (4–5 hours) were out of
// reach; the TF-IDF random projection of the same real texts stands in, and the output says which set was used.

import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { embed } from '../src/embed/index.js';
import { buildIndex } from '../src/index/index.js';
import { ingest } from '../src/ingest/index.js';
import { indexCommand, mapCommand, themesCommand, writeTarget } from '../src/pipeline/index.js';
import { writeEmbeddings, writePapers } from '../src/project/index.js';
import type { Embeddings } from '../src/records.js';
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
// Read only where a stage needs them: the themes and map stages read the committed project, and the bench's own copies
// of 100k papers and vectors would count in their peak memory.
const papers = (): ReturnType<typeof scalePapers> => scalePapers(n);
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
  writeJsonl(papers(), file);
  measured = await timed(async () => {
    const r = await ingest([file]);
    extra.papers = r.papers.length;
  });
} else if (stage === 'embed') {
  const sample = papers().slice(0, Math.min(n, EMBED_SAMPLE));
  await embed(sample.slice(0, 8));
  const ms = await timed(() => embed(sample));
  measured = (ms / sample.length) * n;
  extra.extrapolatedFrom = sample.length;
} else {
  if (stage === 'index') {
    measured = await timed(() => buildIndex(vectors())); // with its neighbour graph from CONSTRUCTION_GRAPH_FROM papers, as `papermap index` builds it
  } else if (stage === 'prepare') {
    // Not a stage: commits the project the themes and map steps run on (scale.ts runs it first, in its own process).
    await baseProject(vectors);
  } else if (stage === 'themes') {
    const dir = freshRun(await baseProject(vectors));
    measured = await timed(async () => {
      const r = await themesCommand({ project: dir });
      extra.k = r.k;
      extra.labels = r.themes.map((t) => t.label);
    });
  } else if (stage === 'map') {
    // The map colours papers by theme: it runs on the themes run's project, or on a fresh copy whose themes are made first (not timed).
    const run = runDir();
    if (!existsSync(join(run, 'manifest.json')) || manifestHas(run, 'map') || !manifestHas(run, 'themes')) {
      freshRun(await baseProject(vectors));
      await themesCommand({ project: run });
      extra.themesRunFirst = true;
    }
    measured = await timed(async () => {
      const r = await mapCommand({ project: run });
      extra.themes = r.themes;
    });
  } else {
    throw new Error(`unknown stage ${stage}`);
  }
}
/** The committed project of the first n papers with their cached vectors and index (made once, reused). */
async function baseProject(vectorsOf: () => Embeddings): Promise<string> {
  const dir = tmpPath(`scale-project-${projectName()}`);
  // Another process still making it (a run started by hand): wait for it rather than start again.
  while (!manifestHas(dir, 'index') && writerAlive(dir)) await new Promise((r) => setTimeout(r, 5000));
  if (manifestHas(dir, 'index')) {
    extra.vectors ??= VECTOR_VARIANTS[0];
    return dir;
  }
  // Made here, its memory counts in this process's peak: the row says so.
  extra.prepared = true;
  rmSync(dir, { recursive: true, force: true });
  await writeTarget({ project: dir }, 'bench scale', (project) => {
    writePapers(project, papers(), []);
    const e = vectorsOf();
    writeEmbeddings(project, e, { options: { model: e.modelId } });
  }, true);
  await indexCommand({ project: dir });
  return dir;
}

/** The projects' folder names: the size, and the vector set when it is not the TF-IDF stand-in. */
function projectName(): string {
  const variant = VECTOR_VARIANTS[0] as string;
  return variant === 'tfidf384' ? String(n) : `${variant}-${n}`;
}

function runDir(): string {
  return tmpPath(`scale-run-${projectName()}`);
}

/** A fresh copy of the base project to run the steps on. */
function freshRun(base: string): string {
  const dir = runDir();
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true });
  return dir;
}

function writerAlive(dir: string): boolean {
  try {
    process.kill((JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number }).pid, 0);
    return true;
  } catch {
    return false;
  }
}

function manifestHas(dir: string, artefact: string): boolean {
  const file = join(dir, 'manifest.json');
  return existsSync(file) && Boolean((JSON.parse(readFileSync(file, 'utf8')) as { artefacts: Record<string, unknown> }).artefacts[artefact]);
}

process.stdout.write(`${JSON.stringify({ ms: Math.round(measured), maxRssMb: peakRssMb(), ...extra })}\n`);
