// The space themes are clustered in: a few UMAP dimensions over the papers' nearest-neighbour graph.

import { lazyModule } from '../lazy.js';
import { seededRandom } from '../random.js';
import type { NeighbourGraph } from '../records.js';
import { spectralLayout, type FuzzyGraph } from '../graph.js';
import { availableParallelism } from 'node:os';
import { dot, flatten, pairwiseDots } from './cluster.js';
import { runThemeJobs } from './jobs.js';

const umapJs = lazyModule<typeof import('umap-js')>('umap-js');

/**
 * Exact cosine neighbours of `rows` (unit vectors) among themselves, self excluded, ties by row; distances 1 − cos.
 * O(m² · dims): it serves the fitted sample (at most `fitSample` rows), never the whole of a large corpus. From 2,000
 * rows the products are computed on `threads` threads (0: one per core) into one shared matrix: the same numbers.
 */
export function exactGraph(rows: readonly number[][], k: number, threads = 1): NeighbourGraph {
  const { data, n: m, dims } = flatten(rows);
  const sims = threads === 1 || m < 2000 ? pairwiseDots(data, m, dims, false) : sharedDots(data, m, dims, threads || availableParallelism());
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < m; i++) {
    const top = topK(sims, i * m, m, i, k);
    indices.push(top);
    distances.push(top.map((j) => Math.max(0, 1 - (sims[i * m + j] as number))));
  }
  return { indices, distances };
}

/**
 * pairwiseDots (similarities) of m rows with the rows cut into `parts` ranges of about equal work (row i pairs with
 * the m − i − 1 rows after it), each a job (themes/jobs.ts) writing into one shared matrix.
 */
function sharedDots(data: Float64Array, m: number, dims: number, parts: number): Float32Array {
  const shared = new Float64Array(new SharedArrayBuffer(data.length * 8));
  shared.set(data);
  const out = new Float32Array(new SharedArrayBuffer(m * m * 4));
  const bounds = Array.from({ length: parts + 1 }, (_, p) => (p === parts ? m : Math.floor((m - m * Math.sqrt(1 - p / parts)) / 4) * 4));
  const jobs = bounds.slice(0, -1).map((from, p) => ({ kind: 'dots' as const, from, to: bounds[p + 1] as number }));
  runThemeJobs(jobs, { spaces: [], dims: [], dots: { data: shared, out, m, dims } }, parts);
  return out;
}

/** The k largest entries of row `self` (excluding column self), best first, ties by column. */
function topK(sims: Float32Array, offset: number, m: number, self: number, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < m; j++) {
    if (j === self) continue;
    const s = sims[offset + j] as number;
    if (best.length === k && s <= (sims[offset + (best[k - 1] as number)] as number)) continue;
    let at = best.length;
    while (at > 0 && (sims[offset + (best[at - 1] as number)] as number) < s) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426; umap-js) of the rows to `dims` dimensions from a precomputed
 * k-neighbour graph, with min_dist 0 as BERTopic and the UMAP documentation advise for clustering: the fuzzy graph
 * memberships exp(−(d − ρᵢ)/σᵢ), symmetrised A + Aᵀ − A∘Aᵀ, are laid out by SGD on the cross-entropy against
 * 1 / (1 + a·|y|^(2b)). Density-separated groups come out as compact blobs, which k-means then finds far more reliably
 * than in 384 cosine dimensions where every distance is about the same. One layout per seed, seeded through src/random.ts. 200 epochs (umap-learn's
 * count for large data) at every size: clusters are settled by then, and the cost stays linear in the papers.
 */
export function umapReduce(graph: NeighbourGraph, dims: number, seeds: readonly number[], nEpochs = 200, threads = 1): number[][][] {
  const m = graph.indices.length;
  const k = graph.indices[0]?.length ?? 0;
  if (m <= dims + 1 || k < 2) return seeds.map(() => Array.from({ length: m }, (_, i) => Array.from({ length: dims }, (_, d) => (d === 0 ? i : 0))));
  // umap-js starts from uniform random points; umap-learn's default is a spectral start, which makes the layout depend
  // far less on the seed. The start depends on the fuzzy graph alone (umap-js builds it in initializeFit): computed
  // once for every seed.
  const fuzzy = fittedUmap(graph, dims, 0, nEpochs).graph;
  const start = spectralLayout(fuzzy, m, dims);
  const flatStart = new Float64Array(m * dims);
  start.forEach((row, i) => flatStart.set(row, i * dims));
  // Each layout is a job of its own (themes/jobs.ts), run on up to `threads` threads: the same layouts on any number.
  const context = { spaces: [], dims: [], graph: flatGraph(graph) };
  return runThemeJobs(seeds.map((seed) => ({ kind: 'layout' as const, seed, dims, epochs: nEpochs, start: flatStart })), context, threads);
}

/** A neighbour graph as row-major typed arrays, to hand to a worker thread. */
export function flatGraph(graph: NeighbourGraph): { indices: Int32Array; distances: Float64Array; k: number } {
  const k = graph.indices[0]?.length ?? 0;
  const indices = new Int32Array(graph.indices.length * k);
  const distances = new Float64Array(graph.indices.length * k);
  graph.indices.forEach((row, i) => {
    indices.set(row, i * k);
    distances.set(graph.distances[i] as number[], i * k);
  });
  return { indices, distances, k };
}

/** A umap-js model over the graph, fitted up to its first epoch (the fuzzy graph built, a random start drawn). */
function fittedUmap(graph: NeighbourGraph, dims: number, seed: number, nEpochs: number): { umap: InstanceType<ReturnType<typeof umapJs>['UMAP']>; graph: FuzzyGraph; embedding: number[][]; total: number } {
  const m = graph.indices.length;
  const umap = new (umapJs().UMAP)({ nComponents: dims, nNeighbors: graph.indices[0]?.length ?? 0, minDist: 0, spread: 1, nEpochs, random: seededRandom(seed) });
  umap.setPrecomputedKNN(graph.indices, graph.distances);
  // With a precomputed graph umap-js reads only the number of rows of X.
  const total = umap.initializeFit(Array.from({ length: m }, () => [] as number[]));
  const inner = umap as unknown as { graph: FuzzyGraph; embedding: number[][] };
  return { umap, graph: inner.graph, embedding: inner.embedding, total };
}

/**
 * One UMAP layout of the graph from the spectral start (row-major `start`), seeded by `seed`, coordinates rounded to
 * 1e-6. umap-js keeps the layout in `embedding` (rows its optimiser moves, views of one array when patched), so the
 * start is written into those rows before the first epoch.
 */
export function layoutFrom(graph: NeighbourGraph, dims: number, seed: number, nEpochs: number, start: Float64Array): number[][] {
  const fit = fittedUmap(graph, dims, seed, nEpochs);
  fit.embedding.forEach((point, i) => point.forEach((_, d) => (point[d] = start[i * dims + d] as number)));
  for (let done = 0; done < fit.total; ) done = fit.umap.step();
  // Plain arrays: the patched umap-js hands back views of one typed array.
  return fit.umap.getEmbedding().map((p) => Array.from(p, (v) => Math.round(v * 1e6) / 1e6));
}

/** Cosine of a unit row to a (not normalised) centre. */
export function cosineTo(row: readonly number[], centre: readonly number[]): number {
  return dot(row, centre) / (Math.sqrt(dot(centre, centre)) || 1);
}
