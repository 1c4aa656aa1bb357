// hnswlib-node behind a small surface: create, add (one or a batch on several threads), search, read back, load.
//
// papermap patches hnswlib-node (patches/hnswlib-node+3.0.0.patch, compiled by scripts/build-hnswlib.mjs at install
// with -march=native): Float32Array input in one copy, `addPoints` running hnswlib's thread-safe addPoint on several
// threads (and keeping each point's nearest construction candidates when asked), `getPointF32`. When the install could not compile it, the npm build is used and this file falls back to
// number[] copies and one thread, with the same results.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** True when the patched addon is loaded (Float32Array input, threaded batch add). */
export const PATCHED_HNSW = typeof (HierarchicalNSW.prototype as Partial<Hnsw>).addPoints === 'function';

/** HNSW parameters (Malkov & Yashunin 2018): graph degree M, build beam efConstruction, query beam ef, RNG seed. */
export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
  randomSeed: number;
}

/** How the loaded hnswlib-node addon was built: compiler flags and whether it carries papermap's patch. */
export function hnswBuild(): { flags: string; patched: boolean } {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('hnswlib-node/package.json'));
    const file = join(dir, 'build', 'Release', 'papermap-build.json');
    if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as { flags: string }), patched: PATCHED_HNSW };
  } catch {
    // fall through: the npm build
  }
  return { flags: '-O3 (npm build)', patched: PATCHED_HNSW };
}

/** A new empty cosine index with room for `capacity` points. */
export function createHnsw(dims: number, capacity: number, params: HnswParams): Hnsw {
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: Math.max(1, capacity), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed });
  index.setEf(params.efSearch);
  return index;
}

function makeRoom(index: Hnsw, more: number): void {
  const need = index.getCurrentCount() + more;
  if (need > index.getMaxElements()) index.resizeIndex(Math.max(16, need, index.getMaxElements() * 2));
}

/** Adds a vector under `label`, growing the index (doubling) when it is full. */
export function addVector(index: Hnsw, vector: Float32Array, label: number): void {
  makeRoom(index, 1);
  index.addPoint(PATCHED_HNSW ? vector : Array.from(vector), label);
}

/**
 * Adds the rows of `vectors` (row-major, `dims` wide) under labels firstLabel, firstLabel + 1, …, on `threads` threads
 * (0: every core). One thread inserts in row order, so the graph is the same on every run; several threads insert
 * concurrently (as Python hnswlib's add_items does), so the graph, and rarely an approximate answer, varies by run.
 */
export function addVectors(index: Hnsw, vectors: Float32Array, dims: number, firstLabel: number, threads: number): void {
  const rows = vectors.length / dims;
  if (rows === 0) return;
  makeRoom(index, rows);
  if (PATCHED_HNSW) {
    index.addPoints(vectors, consecutive(firstLabel, rows), threads);
    return;
  }
  for (let i = 0; i < rows; i++) index.addPoint(Array.from(vectors.subarray(i * dims, (i + 1) * dims)), firstLabel + i);
}

function consecutive(first: number, rows: number): Uint32Array {
  const labels = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = first + i;
  return labels;
}

/** Marks a slot of captured candidates that the addon never wrote (an addon without the capture patch). */
const UNWRITTEN = 0xfffffffe;
/** Marks an unused slot of captured candidates (a point with fewer candidates than slots). */
export const NO_CANDIDATE = 0xffffffff;

/**
 * addVectors that also keeps, for row i, the `k` nearest of the candidates hnswlib's construction search found for it
 * at level 0 (efConstruction of them, among the points inserted before it, before its heuristic keeps M as links):
 * distances (1 − cosine) and labels, nearest first, unused slots NO_CANDIDATE. The graph built is the same as
 * addVectors builds. Undefined (and nothing added) when the loaded addon cannot capture.
 */
export function addVectorsCapturing(index: Hnsw, vectors: Float32Array, dims: number, firstLabel: number, threads: number, k: number): { distances: Float32Array; labels: Uint32Array } | undefined {
  const rows = vectors.length / dims;
  // An addon built before the capture patch ignores the argument: probed on a scratch index, so nothing is added twice.
  if (!PATCHED_HNSW || rows < 2 || !captureSupported(dims)) return undefined;
  const captured = { k, distances: new Float32Array(rows * k), labels: new Uint32Array(rows * k) };
  makeRoom(index, rows);
  index.addPoints(vectors, consecutive(firstLabel, rows), threads, false, captured);
  return { distances: captured.distances, labels: captured.labels };
}

let canCapture: boolean | undefined;

function captureSupported(dims: number): boolean {
  if (canCapture === undefined) {
    const probe = new HierarchicalNSW('cosine', dims);
    probe.initIndex({ maxElements: 2, m: 4, efConstruction: 10, randomSeed: 1 });
    const labels = new Uint32Array(2).fill(UNWRITTEN);
    const point = new Float32Array(2 * dims).fill(1);
    try {
      probe.addPoints(point, consecutive(0, 2), 1, false, { k: 1, distances: new Float32Array(2), labels });
      canCapture = labels[0] === NO_CANDIDATE && labels[1] === 0;
    } catch {
      canCapture = false;
    }
  }
  return canCapture;
}

/**
 * The `k` nearest live labels and their cosine similarities, nearest first (fewer when the index is smaller, or when
 * fewer labels pass `filter`).
 */
/** The query beam last set on each index by searchHnsw. */
const currentEf = new WeakMap<Hnsw, number>();

export function searchHnsw(index: Hnsw, query: Float32Array, k: number, efSearch: number, filter?: (label: number) => boolean): { label: number; score: number }[] {
  const want = Math.min(k, index.getMaxElements());
  if (want === 0 || index.getCurrentCount() === 0) return [];
  const ef = Math.max(efSearch, want);
  // setEf is an N-API call per query; most queries use the same beam, so it is set only when it changes.
  if (currentEf.get(index) !== ef) {
    index.setEf(ef);
    currentEf.set(index, ef);
  }
  const q = PATCHED_HNSW ? query : Array.from(query);
  const res = filter ? index.searchKnn(q, want, filter) : index.searchKnn(q, want);
  return res.neighbors.map((label, i) => ({ label, score: 1 - (res.distances[i] as number) }));
}

/** The stored (unit-length) vector of a label. */
export function pointOf(index: Hnsw, label: number): Float32Array {
  return PATCHED_HNSW ? index.getPointF32(label) : Float32Array.from(index.getPoint(label));
}

/** Loads an index written by writeIndexSync (index.ts writeIndexFile). */
export function loadHnsw(file: string, dims: number, efSearch: number): Hnsw {
  const index = new HierarchicalNSW('cosine', dims);
  index.readIndexSync(file);
  index.setEf(efSearch);
  return index;
}
