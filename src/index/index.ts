// index: a persisted HNSW index over the papers' vectors, updated incrementally, answering "similar" and "search".

import { Worker } from 'node:worker_threads';
import { PapermapError } from '../errors.js';
import type { Embeddings, Neighbour, NeighbourGraph } from '../records.js';
import { intIn, resolveOptions } from '../options.js';
import { sha256 } from '../hash.js';
import { addVector, addVectors, addVectorsCapturing, createHnsw, loadHnsw, pointOf, searchHnsw, type Hnsw } from './hnsw.js';
import { byScoreThenId } from './exact.js';
import { workerEntry } from '../threads.js';
import type { GraphWorkerAnswer, GraphWorkerData } from './_graph-worker.js';

export { exactSearch, exactNeighbours, byScoreThenId } from './exact.js';
export type { NeighbourGraph } from '../records.js';

/** Index options. Defaults give recall@10 ≥ 0.99 against exact search on the bundled corpus (see bench/index.ts). */
export interface IndexOptions {
  /** Graph degree M: links per node. Default 16; 8–48. */
  m: number;
  /** Candidate list while building. Default 200; 50–800. */
  efConstruction: number;
  /** Candidate list while querying (raised to k when k is larger). Default 64; 10–1000. */
  efSearch: number;
  /** Seed of the level generator, for reproducible graphs. Default 100. */
  randomSeed: number;
  /**
   * Threads that build the graph (0: every core). Default 1: rows go in in order, so the graph and every answer are the
   * same on each run. Several threads insert concurrently like Python hnswlib's add_items (1.8× faster on two cores,
   * bench/index.ts), but the graph then depends on thread timing and an approximate answer can differ between runs.
   */
  threads: number;
}

export const INDEX_DEFAULTS: IndexOptions = { m: 16, efConstruction: 200, efSearch: 64, randomSeed: 100, threads: 1 };

const CHECKS = { m: intIn(2, 100), efConstruction: intIn(10, 4000), efSearch: intIn(1, 10000), randomSeed: intIn(0, 2 ** 31 - 1), threads: intIn(0, 256) };

/** The index in memory: the HNSW graph and, per HNSW label, the paper id (null once deleted) and a hash of its vector. */
export interface PaperIndex {
  modelId: string;
  dims: number;
  params: IndexOptions;
  hnsw: Hnsw;
  labels: (string | null)[];
  vectorHashes: (string | null)[];
  labelOf: Map<string, number>;
  /**
   * The papers' neighbour graph (CONSTRUCTION_GRAPH_K columns, rows in the order the index was built from) found while
   * building, kept by a fresh build of CONSTRUCTION_GRAPH_FROM papers or more (see constructionGraph); never saved
   * with the index, and absent on an index read back or updated.
   */
  graph?: NeighbourGraph;
}

/** What an update changed. */
export interface UpdateReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** True when the index was rebuilt from scratch (new model, or too many deleted slots). */
  rebuilt: boolean;
}

/** Share of deleted slots above which an update rebuilds instead of growing the graph further. */
const MAX_DELETED_SHARE = 0.25;

function rowVector(embeddings: Embeddings, row: number): Float32Array {
  return embeddings.vectors.subarray(row * embeddings.dims, (row + 1) * embeddings.dims);
}

/** A short hash of a vector's bytes: tells a changed embedding from an unchanged one. */
export function vectorHash(v: Float32Array): string {
  return sha256(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).slice(0, 16);
}

/** Papers from which a fresh build keeps the neighbour graph its construction found (PaperIndex.graph). */
export const CONSTRUCTION_GRAPH_FROM = 20000;
/** Columns of that graph: the neighbours the themes and the map ask for (15 each). */
export const CONSTRUCTION_GRAPH_K = 15;
/**
 * Construction candidates kept per inserted paper to make that graph from (8 bytes each, and as much again for the
 * reverse lists: ~200 MB at 100,000 papers while the graph is made; `papermap index` at 100k peaked at 2.2 GB either way,
 * in the BM25 build). Recall@15 of the graph against exact search, bundled corpus (bge) / 3,000 clustered test
 * vectors: 16 kept 0.84 / 0.83, 32 0.91 / 0.92, 64 0.96 / 0.98, 128 0.989 / 0.998 (a paper's true neighbour inserted
 * after it lists it only if it is among that neighbour's kept candidates).
 */
const CANDIDATES_KEPT = 128;

/**
 * Builds a new index over every row of `embeddings`, in row order (deterministic for a given seed). From
 * CONSTRUCTION_GRAPH_FROM rows (or with `keepGraph`) it also keeps the neighbour graph the construction found
 * (`graph`, see constructionGraph), when the hnswlib addon carries papermap's patch.
 */
export function buildIndex(embeddings: Embeddings, options?: Partial<IndexOptions>, keepGraph = embeddings.ids.length >= CONSTRUCTION_GRAPH_FROM): PaperIndex {
  const params = resolveOptions(INDEX_DEFAULTS, options, CHECKS);
  const hnsw = createHnsw(embeddings.dims, embeddings.ids.length, params);
  const index: PaperIndex = { modelId: embeddings.modelId, dims: embeddings.dims, params, hnsw, labels: [], vectorHashes: [], labelOf: new Map() };
  const captured = keepGraph ? addVectorsCapturing(hnsw, embeddings.vectors, embeddings.dims, 0, params.threads ?? 1, CANDIDATES_KEPT) : undefined;
  if (captured) {
    const graph = constructionGraph(captured, embeddings.ids.length, CONSTRUCTION_GRAPH_K);
    if (graph) index.graph = graph;
  } else {
    addVectors(hnsw, embeddings.vectors, embeddings.dims, 0, params.threads ?? 1);
  }
  embeddings.ids.forEach((id, row) => {
    index.labels.push(id);
    index.vectorHashes.push(vectorHash(rowVector(embeddings, row)));
    index.labelOf.set(id, row);
  });
  return index;
}

function insert(index: PaperIndex, id: string, vector: Float32Array): void {
  const label = index.labels.length;
  addVector(index.hnsw, vector, label);
  index.labels.push(id);
  index.vectorHashes.push(vectorHash(vector));
  index.labelOf.set(id, label);
}

function remove(index: PaperIndex, id: string): void {
  const label = index.labelOf.get(id);
  if (label === undefined) return;
  index.hnsw.markDelete(label);
  index.labels[label] = null;
  index.vectorHashes[label] = null;
  index.labelOf.delete(id);
}

/**
 * Adds paper `id` with `vector`, or replaces its vector when it changed. Returns what happened. The graph grows as
 * needed; a replaced vector leaves a deleted slot behind (see `compactIndex`).
 */
export function putVector(index: PaperIndex, id: string, vector: Float32Array): 'added' | 'changed' | 'unchanged' {
  if (vector.length !== index.dims) throw new PapermapError('BAD_OPTION', `vector of '${id}' has ${vector.length} dimensions, the index has ${index.dims}`);
  const label = index.labelOf.get(id);
  if (label === undefined) {
    insert(index, id, vector);
    return 'added';
  }
  if (index.vectorHashes[label] === vectorHash(vector)) return 'unchanged';
  remove(index, id);
  insert(index, id, vector);
  return 'changed';
}

/** Marks paper `id` deleted; returns false when it was not in the index. */
export function deleteVector(index: PaperIndex, id: string): boolean {
  if (!index.labelOf.has(id)) return false;
  remove(index, id);
  return true;
}

/** The index itself, or a rebuilt one without deleted slots once they pass 25% of the graph. */
export function compactIndex(index: PaperIndex): PaperIndex {
  const deleted = index.labels.length - index.labelOf.size;
  if (deleted <= MAX_DELETED_SHARE * index.labels.length) return index;
  const ids = [...index.labelOf.keys()];
  const vectors = new Float32Array(ids.length * index.dims);
  ids.forEach((id, row) => vectors.set(vectorOf(index, id), row * index.dims));
  return buildIndex({ modelId: index.modelId, dims: index.dims, ids, vectors }, index.params);
}

/**
 * Brings `index` in line with `embeddings` without a rebuild: new ids are added (the graph grows as needed), ids whose
 * vector changed are deleted and re-added, ids no longer present are marked deleted. Rebuilds only when the model
 * differs or deleted slots pass 25% of the graph.
 */
export function updateIndex(index: PaperIndex, embeddings: Embeddings): { index: PaperIndex; report: UpdateReport } {
  if (index.modelId !== embeddings.modelId || index.dims !== embeddings.dims) {
    return { index: buildIndex(embeddings, index.params), report: { added: embeddings.ids.length, changed: 0, removed: index.labelOf.size, unchanged: 0, rebuilt: true } };
  }
  const report: UpdateReport = { added: 0, changed: 0, removed: 0, unchanged: 0, rebuilt: false };
  const present = new Set(embeddings.ids);
  for (const id of [...index.labelOf.keys()]) {
    if (!present.has(id)) {
      remove(index, id);
      report.removed += 1;
    }
  }
  embeddings.ids.forEach((id, row) => {
    const vector = rowVector(embeddings, row);
    const label = index.labelOf.get(id);
    if (label === undefined) {
      insert(index, id, vector);
      report.added += 1;
    } else if (index.vectorHashes[label] !== vectorHash(vector)) {
      remove(index, id);
      insert(index, id, vector);
      report.changed += 1;
    } else {
      report.unchanged += 1;
    }
  });
  const deleted = index.labels.length - index.labelOf.size;
  if (deleted > MAX_DELETED_SHARE * index.labels.length) {
    return { index: buildIndex(embeddings, index.params), report: { ...report, rebuilt: true } };
  }
  return { index, report };
}

/** Options of a query. */
export interface QueryOptions {
  /** Number of results. Default 10; 1–1000. */
  k: number;
  /** Paper ids never to return (the query paper itself, for instance). */
  exclude: readonly string[];
  /**
   * Only papers this accepts may be returned (a year range, for instance). Applied inside the graph walk (hnswlib's
   * filtered search), so k answers come back whenever k papers pass. Default: every paper.
   */
  accept: ((id: string) => boolean) | undefined;
}

const QUERY_DEFAULTS: QueryOptions = { k: 10, exclude: [], accept: undefined };
const QUERY_CHECKS = { k: intIn(1, 1000) };

/**
 * The query options, checked. The common shapes (nothing, or k with an exclusion list) skip the general merge, which
 * costs a measurable share of a query at thousands of queries a second.
 */
function queryOptions(options: Partial<QueryOptions> | undefined): Readonly<QueryOptions> {
  if (options === undefined) return QUERY_DEFAULTS;
  const keys = Object.keys(options);
  if (keys.every((key) => key === 'k' || key === 'exclude') && (options.k === undefined || (Number.isInteger(options.k) && options.k >= 1 && options.k <= 1000))) {
    return { ...QUERY_DEFAULTS, ...(options.k !== undefined ? { k: options.k } : {}), ...(options.exclude !== undefined ? { exclude: options.exclude } : {}) };
  }
  return resolveOptions(QUERY_DEFAULTS, options, QUERY_CHECKS);
}

/** The papers nearest to `vector`, best first (score descending, then id). */
export function search(index: PaperIndex, vector: Float32Array, options?: Partial<QueryOptions>): Neighbour[] {
  const opts = queryOptions(options);
  if (vector.length !== index.dims) throw new PapermapError('BAD_OPTION', `query vector has ${vector.length} dimensions, the index has ${index.dims}`);
  return searchWithEf(index, vector, opts.k, opts.exclude, index.params.efSearch, opts.accept);
}

/**
 * The k-nearest-neighbour graph of `rows` points from the candidates their insertion found (addVectorsCapturing: row i's
 * nearest among the points inserted before it): row i's neighbours are the k nearest of its own candidates and of the
 * later points that listed i among theirs, ties by row; distances 1 − cosine as neighbourGraph gives them. Each
 * insertion searched with the build's beam (efConstruction, 200), so the graph costs no search of its own (at 100,000
 * papers the queries of neighbourGraphParallel cost ~40 CPU-s). Undefined when some row has fewer than k neighbours
 * (too few points).
 */
export function constructionGraph(captured: { distances: Float32Array; labels: Uint32Array }, rows: number, k: number): NeighbourGraph | undefined {
  const kept = captured.labels.length / rows;
  // Reverse lists: for each listed point, the points that listed it (counted, then filled, as compressed rows).
  const counts = new Int32Array(rows + 1);
  for (let e = 0; e < captured.labels.length; e++) {
    const j = captured.labels[e] as number;
    if (j < rows) counts[j + 1] = (counts[j + 1] as number) + 1;
  }
  for (let i = 0; i < rows; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
  const fill = counts.slice(0, rows);
  const reverseRow = new Int32Array(counts[rows] as number);
  const reverseDist = new Float32Array(counts[rows] as number);
  for (let i = 0; i < rows; i++) {
    for (let t = i * kept; t < (i + 1) * kept; t++) {
      const j = captured.labels[t] as number;
      if (j >= rows) continue;
      const at = fill[j] as number;
      reverseRow[at] = i;
      reverseDist[at] = captured.distances[t] as number;
      fill[j] = at + 1;
    }
  }
  const indices: number[][] = [];
  const distances: number[][] = [];
  // Row i's k nearest so far, kept sorted by (distance, row) as candidates arrive; `seenBy[j] === i` once j was offered.
  const seenBy = new Int32Array(rows).fill(-1);
  const bestDist = new Float64Array(k);
  const bestRow = new Int32Array(k);
  let count = 0;
  const offer = (i: number, j: number, distance: number): void => {
    if (j === i || seenBy[j] === i) return;
    seenBy[j] = i;
    if (count === k) {
      const lastDist = bestDist[k - 1] as number;
      if (distance > lastDist || (distance === lastDist && j > (bestRow[k - 1] as number))) return;
    }
    let p = count < k ? count++ : k - 1;
    while (p > 0 && ((bestDist[p - 1] as number) > distance || ((bestDist[p - 1] as number) === distance && (bestRow[p - 1] as number) > j))) {
      bestDist[p] = bestDist[p - 1] as number;
      bestRow[p] = bestRow[p - 1] as number;
      p--;
    }
    bestDist[p] = distance;
    bestRow[p] = j;
  };
  for (let i = 0; i < rows; i++) {
    count = 0;
    for (let t = i * kept; t < (i + 1) * kept; t++) {
      const j = captured.labels[t] as number;
      if (j < rows) offer(i, j, captured.distances[t] as number);
    }
    for (let e = counts[i] as number; e < (counts[i + 1] as number); e++) offer(i, reverseRow[e] as number, reverseDist[e] as number);
    if (count < k) return undefined;
    indices.push(Array.from(bestRow));
    distances.push(Array.from(bestDist, (d) => Math.max(0, d)));
  }
  return { indices, distances };
}

/** Papers from which the neighbour graph's queries use the narrower beam of graphEf. */
export const GRAPH_BEAM_FROM = 20000;

/**
 * The beam of the neighbour graph's queries over `rows` papers. From GRAPH_BEAM_FROM papers, where the graph costs
 * tens of seconds, twice the neighbours asked for (32 for the map's 15 and the paper itself), at most the index's
 * efSearch: on 15,000 real arXiv abstracts (MiniLM) recall@15 against exact search was 0.985 at beam 32 and 0.996 at
 * 64, at 1.55× the rows a second, and the map's T(10) the same (bench/graph.ts). Below it, where the graph takes a
 * second or two, the index's efSearch: the themes of the bundled corpus, laid out from the graph itself, chose k = 16,
 * 13, 16, 9, 16 for seeds 42–46 from the beam-32 graph against 16, 16, 16, 15, 16 from the beam-64 one.
 */
export function graphEf(k: number, efSearch: number, rows: number): number {
  return rows >= GRAPH_BEAM_FROM ? Math.min(efSearch, 2 * (k + 1)) : efSearch;
}

function searchWithEf(index: PaperIndex, vector: Float32Array, k: number, excluded: readonly string[], ef: number, accept?: (id: string) => boolean): Neighbour[] {
  const exclude = new Set(excluded);
  const filter = accept ? (label: number) => { const id = index.labels[label]; return id !== null && id !== undefined && accept(id); } : undefined;
  const hits = searchHnsw(index.hnsw, vector, k + exclude.size, ef, filter);
  const out: Neighbour[] = [];
  for (const hit of hits) {
    const id = index.labels[hit.label];
    if (id && !exclude.has(id)) out.push({ id, score: hit.score });
  }
  return out.sort(byScoreThenId).slice(0, k);
}

/** The stored vector of a paper in the index. Throws NOT_FOUND for an unknown id. */
export function vectorOf(index: PaperIndex, id: string): Float32Array {
  const label = index.labelOf.get(id);
  if (label === undefined) throw new PapermapError('NOT_FOUND', `no paper with id '${id}' in the index`);
  return pointOf(index.hnsw, label);
}

/** The papers most similar to paper `id`, never the paper itself. */
export function similar(index: PaperIndex, id: string, options?: Partial<QueryOptions>): Neighbour[] {
  const vector = vectorOf(index, id);
  return search(index, vector, { ...options, exclude: [id, ...(options?.exclude ?? [])] });
}

/**
 * The k-nearest-neighbour graph in the row order of `ids` (self excluded), distances as 1 - cosine: what umap-js
 * takes as a precomputed kNN, so the map reuses the index instead of recomputing neighbours. With `embeddings` (the
 * rows of `ids`, as the index was built from) the queries are those rows themselves, with no read-back from the graph.
 */
export function neighbourGraph(index: PaperIndex, ids: readonly string[], k: number, embeddings?: Embeddings): NeighbourGraph {
  if (embeddings && embeddings.ids.length !== ids.length) throw new PapermapError('BAD_OPTION', `embeddings hold ${embeddings.ids.length} rows for ${ids.length} ids`);
  return graphRows(index, ids, k, 0, ids.length, embeddings);
}

/** Rows [from, to) of neighbourGraph (each row's answer depends on its own query alone). */
export function graphRows(index: PaperIndex, ids: readonly string[], k: number, from: number, to: number, embeddings?: Embeddings, efOverride?: number): NeighbourGraph {
  const rowOf = new Map(ids.map((id, row) => [id, row]));
  const want = Math.min(k, Math.max(1, ids.length - 1));
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let row = from; row < to; row++) {
    const id = ids[row] as string;
    const vector = embeddings ? rowVector(embeddings, row) : vectorOf(index, id);
    const hits = searchWithEf(index, vector, want, [id], efOverride ?? graphEf(want, index.params.efSearch, ids.length));
    indices.push(hits.map((h) => rowOf.get(h.id) as number));
    distances.push(hits.map((h) => Math.max(0, 1 - h.score)));
  }
  return { indices, distances };
}

/** Fewest papers for which neighbourGraphParallel starts threads: below it one thread answers sooner than two start. */
export const PARALLEL_GRAPH_MIN_ROWS = 20000;

/**
 * neighbourGraph of a saved index (`file`, as writeIndexFile wrote it) on `threads` threads: this thread answers the
 * first share of the rows while each worker thread loads its own copy of the index and answers its share. Every row
 * is the answer of the same query on the same graph, so the graph is the one neighbourGraph gives, to the bit, for any
 * number of threads. At 100,000 papers the queries take about 50 s on one core. Below PARALLEL_GRAPH_MIN_ROWS, or with
 * threads 1 (`minRows` lowers the threshold), it is neighbourGraph. Each worker holds a second copy of the index (168 MB at 100,000 papers of 384 dims).
 */
export async function neighbourGraphParallel(index: PaperIndex, file: string, ids: readonly string[], k: number, options: { threads: number; minRows?: number }): Promise<NeighbourGraph> {
  const n = ids.length;
  const parts = n < (options.minRows ?? PARALLEL_GRAPH_MIN_ROWS) ? 1 : Math.max(1, Math.min(options.threads, 16, n));
  if (parts === 1) return neighbourGraph(index, ids, k);
  const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.round((p * n) / parts));
  const meta = indexMeta(index);
  // Workers first, so they load their index while this thread answers its own share.
  const answers = bounds.slice(1, -1).map((from, w) => runGraphWorker({ meta, file, ids: [...ids], k, from, to: bounds[w + 2] as number }));
  // Keep a worker's failure from surfacing as an unhandled rejection while this thread is busy.
  answers.forEach((a) => a.catch(() => undefined));
  const own = graphRows(index, ids, k, 0, bounds[1] as number);
  const indices = own.indices;
  const distances = own.distances;
  for (const [w, pending] of answers.entries()) {
    const answer = await pending;
    const span = (bounds[w + 2] as number) - (bounds[w + 1] as number);
    for (let r = 0; r < span; r++) {
      const count = answer.counts[r] as number;
      indices.push(Array.from(answer.indices.subarray(r * k, r * k + count)));
      distances.push(Array.from(answer.distances.subarray(r * k, r * k + count)));
    }
  }
  return { indices, distances };
}

function runGraphWorker(data: GraphWorkerData): Promise<GraphWorkerAnswer> {
  return new Promise((resolve, reject) => {
    // Plain node on the compiled entry (no test or tsx loaders).
    const worker = new Worker(workerEntry('index/_graph-worker.js'), { workerData: data, execArgv: [] });
    let answered = false;
    worker.once('message', (answer: GraphWorkerAnswer) => {
      answered = true;
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the neighbour-graph worker stopped (exit code ${code}) before answering`));
    });
  });
}

/** What a saved index needs beside the HNSW file: its model, parameters and the paper id and vector hash per label. */
export interface IndexMeta {
  modelId: string;
  dims: number;
  params: IndexOptions;
  labels: (string | null)[];
  vectorHashes: (string | null)[];
}

/** The sidecar record of an index, for the project store to persist beside the HNSW file. */
export function indexMeta(index: PaperIndex): IndexMeta {
  return { modelId: index.modelId, dims: index.dims, params: index.params, labels: index.labels, vectorHashes: index.vectorHashes };
}

/** Writes the HNSW graph to `file` (the caller makes the write atomic: a temporary path it then renames). */
export function writeIndexFile(index: PaperIndex, file: string): void {
  index.hnsw.writeIndexSync(file);
}

/** Rebuilds an index in memory from its sidecar record and the HNSW file written by `writeIndexFile`. */
export function readIndexFile(meta: IndexMeta, file: string): PaperIndex {
  const hnsw = loadHnsw(file, meta.dims, meta.params.efSearch);
  const labelOf = new Map<string, number>();
  meta.labels.forEach((id, label) => {
    if (id !== null) labelOf.set(id, label);
  });
  return { modelId: meta.modelId, dims: meta.dims, params: meta.params, hnsw, labels: meta.labels, vectorHashes: meta.vectorHashes, labelOf };
}

/** Number of live (not deleted) papers in the index. */
export function indexSize(index: PaperIndex): number {
  return index.labelOf.size;
}

export { openLocalStore, resolveStoreQuery, storeNeighbourGraph, storeRecords, syncStore, yearInRange, STORE_QUERY_DEFAULTS } from './store.js';
export type { LocalStore, StoreQueryOptions, StoreRecord, StoreState, VectorStore, YearRange } from './store.js';
export type { MilvusStore, MilvusStoreOptions } from './milvus.js';

/**
 * Opens the Milvus store (see milvus.ts). Loaded on first use, so commands on local projects never load the gRPC
 * client.
 */
export async function openMilvusStore(options: Partial<import('./milvus.js').MilvusStoreOptions> & { address: string }): Promise<import('./milvus.js').MilvusStore> {
  return (await import('./milvus.js')).openMilvusStore(options);
}
