// projectMap: 2-D positions for the papers with umap-js, seeded and fed the index's nearest-neighbour graph.
//
// umap-js is patched (patches/umap-js+1.4.0.patch): without supervision its fuzzy graph, edge list and SGD run on typed
// arrays, the searchGraph that only transform() needs is built on first transform(), and a fit can start from a given
// layout (`initialEmbedding`), which `previous` uses so an update moves existing papers little.

import { availableParallelism } from 'node:os';
import { spectralLayout, takeGraph, type FuzzyGraph } from '../graph.js';
import { lazyModule } from '../lazy.js';
import { PapermapError } from '../errors.js';
import { intIn, numberIn, resolveOptions } from '../options.js';
import { seededRandom, seededSubsample } from '../random.js';
import { optimizeInShares, type SgdState } from './sgd.js';
import { placeAll, REFINE_EPOCHS, REFINE_LEARNING_RATE, sampleGraph } from './sample.js';
import type { Embeddings, MapPoint, NeighbourGraph } from '../records.js';

const umapJs = lazyModule<typeof import('umap-js')>('umap-js');

/** The precomputed neighbours UMAP takes (the index's graph). */
export type KnnGraph = NeighbourGraph;

/** The seed every map uses unless told otherwise; recorded in the manifest with the map. */
export const MAP_SEED = 42;

/** UMAP options. Defaults follow umap-learn's, which give readable, separated clusters of abstracts. */
export interface MapOptions {
  /** Neighbours per point in UMAP's fuzzy graph: larger keeps more global shape. Default 15; 2–100 (capped at n - 1). */
  nNeighbors: number;
  /** Smallest distance between points in the layout: smaller packs clusters tighter. Default 0.1; 0–1. */
  minDist: number;
  /** Scale of the embedded points, with minDist. Default 1; 0.1–10. */
  spread: number;
  /** Optimisation epochs; 0 lets umap-js choose by size (500 up to 2,500 points, down to 200 above 7,500). Default 0; 0–5000. */
  nEpochs: number;
  /**
   * Most papers UMAP lays out in full. Above it a seeded sample of this many is laid out, every other paper starts
   * among its laid-out neighbours, and REFINE_EPOCHS over the whole graph settle them (map/sample.ts), so the cost
   * grows as sample × epochs + papers × 30 instead of papers × epochs. Not used with `previous`. Default 1,000,000
   * (off for any corpus run here): at 100,000 real abstracts (TF-IDF vectors) 20,000 cut the map step's CPU from
   * 342 s to 94 s, but T(10) fell from 0.666 to 0.647 (60 refinement epochs at rate 1: 0.637), more than the 0.01
   * a default may lose. 100–10,000,000.
   */
  fitSample: number;
  /**
   * Papers from which the SGD epochs run in SGD_SHARES shares of the edge list (map/sgd.ts), on two threads where the
   * machine has two cores: the shares see each other's points one epoch late, so the layout differs from umap-js's
   * single pass (not in quality: see sgd.ts and the scale bench), but it is the same on any machine. Default 20,000;
   * 3–10,000,000 (above the corpus: umap-js's own pass).
   */
  sharesFrom: number;
  /** Threads the shares run on; the layout does not depend on it. Default 0: one per core (availableParallelism); 0–64. */
  threads: number;
  /**
   * Papers from which the layout starts from the spectral layout of UMAP's fuzzy graph (src/graph.ts spectralLayout,
   * umap-learn's default start) instead of umap-js's uniform random one, and runs SPECTRAL_EPOCHS epochs when nEpochs
   * is 0: from a start that already holds the graph's large-scale shape, fewer epochs settle the neighbourhoods (see
   * SPECTRAL_EPOCHS). Not used with `previous`. Default 20,000; 3–10,000,000 (above the corpus: off).
   */
  spectralFrom: number;
  /** Seed of the PRNG behind UMAP's initial layout and negative sampling. Default MAP_SEED (42). */
  seed: number;
  /**
   * Precomputed neighbours in row order of `embeddings.ids`, self excluded, at least nNeighbors per row (extra columns
   * are ignored). Default: none, and projectMap computes them exactly (O(n² · dims), fine up to about 10,000 papers).
   */
  knn: KnnGraph | undefined;
  /**
   * The last map's positions (any order; ids no longer present are ignored). Papers found there start where they were,
   * new papers at the mean position of their placed neighbours, and the layout is refined with a smaller learning rate
   * (PREVIOUS_LEARNING_RATE, for PREVIOUS_EPOCHS unless nEpochs is set) so existing papers move little. Default: none
   * (a fresh random start).
   */
  previous: readonly Pick<MapPoint, 'id' | 'x' | 'y'>[] | undefined;
  /** Called after each epoch with epochs done and the total. */
  onProgress: ((done: number, total: number) => void) | undefined;
}

/**
 * SGD learning rate and epochs (when nEpochs is 0) when starting from a previous layout (umap-js's defaults are 1 and
 * 200–500). Measured on the bundled corpus with 1 % new papers (bench/map.ts "update" rows), existing papers' median
 * move as a share of the map's width / 90th percentile / T(10): rate 0.1 for 500 epochs 12.4 % / 19.0 % / 0.893;
 * 0.1 for 100: 4.7 % / 8.0 % / 0.886; 0.03 for 100: 2.2 % / 5.1 % / 0.891; 0.01 for 200: 2.0 % / 4.2 % / 0.891;
 * 0.01 for 50: 1.4 % / 2.9 % / 0.888. A fresh map: T(10) 0.891.
 */
export const PREVIOUS_LEARNING_RATE = 0.01;
/** Epochs of an update from a previous layout when nEpochs is 0 (see PREVIOUS_LEARNING_RATE). */
export const PREVIOUS_EPOCHS = 200;

/** Default map options (umap-learn's defaults, seed MAP_SEED). */
export const MAP_DEFAULTS: MapOptions = { nNeighbors: 15, minDist: 0.1, spread: 1, nEpochs: 0, fitSample: 1000000, sharesFrom: 20000, threads: 0, spectralFrom: 20000, seed: MAP_SEED, knn: undefined, previous: undefined, onProgress: undefined };

/**
 * Epochs from the spectral start when nEpochs is 0 (spectralFrom); umap-js's random start takes 200 at that size. At
 * 100,000 real abstracts (TF-IDF vectors, the scale bench), T(10) on two samples of 500 and 1,000 papers: random start
 * 200 epochs 0.6619 / 0.6563 (main before the faster SGD: 0.6645 / 0.6482), random 100 0.6465 / 0.6357, spectral 100
 * 0.6559 / 0.6427, spectral 130 0.6510 / 0.6463: the spectral start makes up most of what half the epochs lose, within
 * the 0.01 of T(10) a default may lose, for half the SGD (~88 of 176 CPU-s) and ~11 CPU-s of spectral iterations.
 */
export const SPECTRAL_EPOCHS = 100;

const CHECKS = { nNeighbors: intIn(2, 100), minDist: numberIn(0, 1), spread: numberIn(0.1, 10), nEpochs: intIn(0, 5000), fitSample: intIn(100, 10000000), sharesFrom: intIn(3, 10000000), threads: intIn(0, 64), spectralFrom: intIn(3, 10000000), seed: intIn(0, 2 ** 32 - 1) };

/** The options that shape a map, as recorded in the manifest (no graph, no callback). */
export type MapParams = Pick<MapOptions, 'nNeighbors' | 'minDist' | 'spread' | 'nEpochs' | 'fitSample' | 'sharesFrom' | 'spectralFrom' | 'seed'>;

/** Merges and checks map options; returns the recordable parameters too. */
export function resolveMapOptions(options?: Partial<MapOptions>): { options: Readonly<MapOptions>; params: MapParams } {
  const opts = resolveOptions(MAP_DEFAULTS, options, CHECKS);
  const { nNeighbors, minDist, spread, nEpochs, fitSample, sharesFrom, spectralFrom, seed } = opts;
  return { options: opts, params: { nNeighbors, minDist, spread, nEpochs, fitSample, sharesFrom, spectralFrom, seed } };
}

/** Exact cosine neighbours, self excluded, ties by row: the fallback when no index graph is passed. */
function exactKnn(embeddings: Embeddings, k: number): KnnGraph {
  const { vectors, dims } = embeddings;
  const n = embeddings.ids.length;
  const indices: number[][] = [];
  const distances: number[][] = [];
  const scores = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const qi = i * dims;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      const rj = j * dims;
      for (let d = 0; d < dims; d++) dot += (vectors[qi + d] as number) * (vectors[rj + d] as number);
      scores[j] = j === i ? -Infinity : dot;
      order[j] = j;
    }
    const top = Array.from(order).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b).slice(0, k);
    indices.push(top);
    distances.push(top.map((j) => Math.max(0, 1 - (scores[j] as number))));
  }
  return { indices, distances };
}

/**
 * Starting positions from a previous map: a known paper where it was; a new one at the mean of its placed neighbours
 * (nearest first) plus a small seeded offset so two new papers with the same neighbours do not coincide; one with no
 * placed neighbour at a seeded random spot inside the previous layout's box. Undefined when nothing is known.
 */
function startFromPrevious(ids: readonly string[], previous: readonly Pick<MapPoint, 'id' | 'x' | 'y'>[], knn: KnnGraph, random: () => number): number[][] | undefined {
  const at = new Map(previous.map((p) => [p.id, p]));
  const known = ids.map((id) => at.get(id));
  if (!known.some(Boolean)) return undefined;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of known) {
    if (!p) continue;
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  }
  const jitter = 0.01 * Math.max(maxX - minX, maxY - minY, 1e-6);
  return ids.map((_, i) => {
    const p = known[i];
    if (p) return [p.x, p.y];
    let sx = 0, sy = 0, count = 0;
    for (const j of knn.indices[i] ?? []) {
      const q = known[j];
      if (q) {
        sx += q.x; sy += q.y; count += 1;
      }
    }
    if (count > 0) return [sx / count + jitter * (random() - 0.5), sy / count + jitter * (random() - 0.5)];
    return [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
  });
}

/** Rounds a coordinate so map.json is short and stable in its last digits. */
function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/**
 * Projects every paper to 2-D with UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426) as implemented by umap-js:
 * a fuzzy k-neighbour graph with memberships exp(-(d - ρᵢ)/σᵢ), symmetrised as A + Aᵀ - A∘Aᵀ, then laid out by SGD
 * on the cross-entropy between that graph and low-dimensional affinities 1 / (1 + a·|y|^(2b)).
 * The same embeddings, graph and seed give the same points. `theme` is -1: the caller assigns themes.
 */
export function projectMap(embeddings: Embeddings, options?: Partial<MapOptions>): MapPoint[] {
  const { options: opts } = resolveMapOptions(options);
  const n = embeddings.ids.length;
  if (embeddings.vectors.length !== n * embeddings.dims) {
    throw new PapermapError('BAD_OPTION', `embeddings hold ${embeddings.vectors.length / embeddings.dims} rows but list ${n} ids`);
  }
  // UMAP needs more points than neighbours; two or fewer papers get fixed places.
  if (n <= 2) return embeddings.ids.map((id, i) => ({ id, x: i, y: 0, theme: -1 }));
  const k = Math.min(opts.nNeighbors, n - 1);
  const knn = opts.knn ? takeGraph(opts.knn, n, k) : exactKnn(embeddings, k);
  const random = seededRandom(opts.seed);
  const umapParams = { nComponents: 2, nNeighbors: k, minDist: opts.minDist, spread: opts.spread, random };
  let embedding: number[][];
  if (!opts.previous && n > opts.fitSample) {
    // A seeded sample laid out in full, the others placed among their neighbours, then all refined (map/sample.ts).
    const sample = seededSubsample(n, opts.fitSample, (opts.seed ^ 0x5a3e) >>> 0);
    let fitEpochs = 0;
    const sampled = fitLayout(sampleGraph(embeddings, knn, sample, k, opts.seed), { ...umapParams, nEpochs: opts.nEpochs }, { sharesFrom: opts.sharesFrom, threads: opts.threads, seed: opts.seed }, (done, total) => {
      fitEpochs = total;
      opts.onProgress?.(done, total + REFINE_EPOCHS);
    });
    const start = placeAll(n, knn, sample, sampled.flatMap((p) => [p[0] as number, p[1] as number]), opts.seed);
    embedding = fitLayout(knn, { ...umapParams, initialEmbedding: start, learningRate: REFINE_LEARNING_RATE, nEpochs: REFINE_EPOCHS }, { sharesFrom: opts.sharesFrom, threads: opts.threads, seed: opts.seed + 1 }, (done) => opts.onProgress?.(fitEpochs + done, fitEpochs + REFINE_EPOCHS));
  } else {
    const start = opts.previous ? startFromPrevious(embeddings.ids, opts.previous, knn, random) : undefined;
    const spectral = !start && n >= opts.spectralFrom;
    const nEpochs = opts.nEpochs || (spectral ? SPECTRAL_EPOCHS : 0);
    embedding = fitLayout(knn, { ...umapParams, nEpochs, ...(start ? { initialEmbedding: start, learningRate: PREVIOUS_LEARNING_RATE, nEpochs: opts.nEpochs || PREVIOUS_EPOCHS } : {}) }, { sharesFrom: opts.sharesFrom, threads: opts.threads, seed: opts.seed, spectral }, opts.onProgress);
  }
  return embeddings.ids.map((id, i) => {
    const p = embedding[i] as number[];
    return { id, x: round4(p[0] as number), y: round4(p[1] as number), theme: -1 };
  });
}

/**
 * One umap-js fit over a precomputed graph, stepped to the end; the 2-D rows. From `shares.sharesFrom` rows the epochs
 * run in shares on every core (map/sgd.ts) instead of umap-js's single pass.
 */
function fitLayout(
  knn: KnnGraph,
  params: ConstructorParameters<typeof import('umap-js').UMAP>[0] & { initialEmbedding?: number[][] },
  shares: { sharesFrom: number; threads: number; seed: number; spectral?: boolean },
  onProgress?: (done: number, total: number) => void,
): number[][] {
  const umap = new (umapJs().UMAP)(params);
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  // With a precomputed graph umap-js reads only the row count of X.
  const rows = Array.from({ length: knn.indices.length }, () => [] as number[]);
  const total = umap.initializeFit(rows);
  const state = (umap as unknown as { optimizationState: SgdState & { flat?: Float64Array } }).optimizationState;
  if (shares.spectral && state.flat) {
    // The spectral layout of the fuzzy graph umap-js has just built replaces its random start (the rows are views of state.flat).
    const start = spectralLayout((umap as unknown as { graph: FuzzyGraph }).graph, rows.length, 2);
    start.forEach((p, i) => (state.flat as Float64Array).set(p, 2 * i));
  }
  if (rows.length >= shares.sharesFrom && state.flat) {
    // The layout's rows are views of state.flat, which optimizeInShares updates in place.
    optimizeInShares(state, shares.seed, shares.threads || availableParallelism(), onProgress);
    return umap.getEmbedding();
  }
  for (let done = 0; done < total; ) {
    done = umap.step();
    onProgress?.(done, total);
  }
  return umap.getEmbedding();
}
