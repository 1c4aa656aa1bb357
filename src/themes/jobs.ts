// The themes stage's independent k-means work as jobs that worker threads can run: the probes that choose k and the
// splits of large themes. A job's answer depends on the job alone, so the themes do not depend on the threads.

import { availableParallelism } from 'node:os';
import { runJobs, workerEntry } from '../threads.js';
import { bestOfRestarts, canonicalise, flatten, kmeansBest, kmeansRestarts, pairwiseDotsRows, type Partition } from './cluster.js';
import { splitSample } from './hierarchy.js';
import { layoutFrom } from './reduce.js';

/** One k-means probe: k clusters of the `picked` rows of space `space`, best of two runs (choose-k.ts). */
export interface ProbeJob {
  kind: 'probe';
  space: number;
  picked: Int32Array;
  k: number;
  seed: number;
}

/** One theme's split into sub-themes, found on a sample of its rows (hierarchy.ts splitSample). */
export interface SplitJob {
  kind: 'split';
  rows: Float64Array;
  dims: number;
  seed: number;
  restarts: number;
}

/** One UMAP layout of the run's graph from the spectral start (reduce.ts layoutFrom). */
export interface LayoutJob {
  kind: 'layout';
  seed: number;
  dims: number;
  epochs: number;
  start: Float64Array;
}

/** Rows [from, to) of the pairwise products of the run's rows (cluster.ts pairwiseDotsRows), into its shared matrix. */
export interface DotsJob {
  kind: 'dots';
  from: number;
  to: number;
}

/** Restarts [from, to) of the final k-means (cluster.ts kmeansRestarts) on the run's `rows` space. */
export interface RestartsJob {
  kind: 'restarts';
  k: number;
  seed: number;
  from: number;
  to: number;
}

export type ThemeJob = ProbeJob | SplitJob | LayoutJob | DotsJob | RestartsJob;

/** What every job of one run can read: the layouts the probes cluster (row-major) and their dimensions; the graph. */
export interface ThemeJobContext {
  spaces: Float64Array[];
  dims: number[];
  graph?: { indices: Int32Array; distances: Float64Array; k: number };
  /** Rows (row-major) and the m × m similarity matrix the dots jobs fill, both on shared memory. */
  dots?: { data: Float64Array; out: Float32Array; m: number; dims: number };
  /** The rows (row-major) the restarts jobs cluster. */
  rows?: { data: Float64Array; dims: number };
}

/** Rows of a row-major array as plain arrays (the same numbers). */
function rowsOf(data: Float64Array, dims: number, picked?: Int32Array): number[][] {
  const take = (i: number): number[] => Array.from(data.subarray(i * dims, (i + 1) * dims));
  if (picked) return Array.from(picked, take);
  return Array.from({ length: data.length / dims }, (_, i) => take(i));
}

/** Answers one job: a probe's assignment of its rows, or a split's part centres (null: the theme stays whole). */
export function runThemeJob(job: ThemeJob, context: ThemeJobContext): Int32Array | number[][] | Partition | null {
  if (job.kind === 'restarts') {
    const r = context.rows as NonNullable<ThemeJobContext['rows']>;
    return kmeansRestarts(rowsOf(r.data, r.dims), job.k, job.seed, job.from, job.to) ?? null;
  }
  if (job.kind === 'probe') {
    const rows = rowsOf(context.spaces[job.space] as Float64Array, context.dims[job.space] as number, job.picked);
    return Int32Array.from(kmeansBest(rows, job.k, job.seed, 2).assignment);
  }
  if (job.kind === 'dots') {
    const d = context.dots as NonNullable<ThemeJobContext['dots']>;
    pairwiseDotsRows(d.data, d.m, d.dims, false, d.out, job.from, job.to);
    return null;
  }
  if (job.kind === 'layout') {
    const g = context.graph as NonNullable<ThemeJobContext['graph']>;
    const graph = { indices: rowsOfInt(g.indices, g.k), distances: rowsOf(g.distances, g.k) };
    return layoutFrom(graph, job.dims, job.seed, job.epochs, job.start);
  }
  return splitSample(rowsOf(job.rows, job.dims), job.seed, job.restarts);
}

function rowsOfInt(data: Int32Array, k: number): number[][] {
  return Array.from({ length: data.length / k }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
}

/** Runs the jobs on up to `threads` threads (0: one per core), answers in job order. */
export function runThemeJobs<J extends ThemeJob>(jobs: readonly J[], context: ThemeJobContext, threads: number): AnswerOf<J>[] {
  return runJobs(workerEntry('themes/_jobs.js'), jobs, context, threads || availableParallelism(), runThemeJob) as AnswerOf<J>[];
}

/** The answer of a job kind: a probe's assignment, a layout's rows, a range's best restart, a split's part centres or null. */
type AnswerOf<J extends ThemeJob> = J extends ProbeJob ? Int32Array : J extends LayoutJob ? number[][] : J extends DotsJob ? null : J extends RestartsJob ? Partition | null : number[][] | null;

/**
 * Ranges the restarts of the final k-means are cut into, whatever the threads: each range is a job, and the best of
 * the ranges' bests is the partition one pass over every restart finds.
 */
const RESTART_RANGES = 4;

/** kmeansBest (the same partition) with its restarts run as RESTART_RANGES jobs on up to `threads` threads (0: one per core). */
export function kmeansBestOnThreads(rows: readonly number[][], k: number, seed: number, restarts: number, threads: number): Partition {
  const ranges = Math.max(1, Math.min(RESTART_RANGES, restarts));
  const jobs = Array.from({ length: ranges }, (_, r) => ({ kind: 'restarts' as const, k, seed, from: Math.floor((r * restarts) / ranges), to: Math.floor(((r + 1) * restarts) / ranges) }));
  const { data, dims } = flatten(rows);
  const answers = runThemeJobs(jobs, { spaces: [], dims: [], rows: { data, dims } }, threads);
  return canonicalise(bestOfRestarts(answers.map((a) => a ?? undefined)), rows);
}
