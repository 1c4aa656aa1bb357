// The vector-store contract: one surface (upsert, remove, similar, search, count, close) over the local HNSW index and Milvus.

import { PapermapError } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import type { Embeddings, Neighbour, NeighbourGraph } from '../records.js';
import { buildIndex, compactIndex, deleteVector, indexSize, putVector, search as searchIndex, similar as similarIndex, vectorHash, INDEX_DEFAULTS, type IndexOptions, type PaperIndex, type UpdateReport } from './index.js';

/** One paper's entry in a store: its id, unit vector and, when known, its publication year. */
export interface StoreRecord {
  id: string;
  vector: Float32Array;
  year?: number;
}

/** An inclusive range of publication years; either end may be open. Papers without a year never pass a filter. */
export interface YearRange {
  from?: number;
  to?: number;
}

/** Options of a store query. */
export interface StoreQueryOptions {
  /** Number of results. Default 10; 1–1000. */
  k: number;
  /** Paper ids never to return (besides the query paper itself in `similar`). At most 1,000. */
  exclude: readonly string[];
  /** Only papers published in this range. Default: no filter. */
  years: YearRange | undefined;
}

export const STORE_QUERY_DEFAULTS: StoreQueryOptions = { k: 10, exclude: [], years: undefined };

const YEAR_MIN = 1000;
const YEAR_MAX = 9999;

const STORE_QUERY_CHECKS = {
  k: intIn(1, 1000),
  exclude: (v: readonly string[]) => (Array.isArray(v) && v.length <= 1000 ? undefined : 'a list of at most 1,000 ids'),
  years: (v: YearRange | undefined) => (v === undefined || (yearOk(v.from) && yearOk(v.to) && (v.from ?? YEAR_MIN) <= (v.to ?? YEAR_MAX)) ? undefined : `{ from?, to? } with integer years ${YEAR_MIN}–${YEAR_MAX}, from ≤ to`),
};

function yearOk(y: number | undefined): boolean {
  return y === undefined || (Number.isInteger(y) && y >= YEAR_MIN && y <= YEAR_MAX);
}

/** Merges query options with their defaults and checks them; every store calls this first. */
export function resolveStoreQuery(options?: Partial<StoreQueryOptions>): Readonly<StoreQueryOptions> {
  return resolveOptions(STORE_QUERY_DEFAULTS, options, STORE_QUERY_CHECKS);
}

/** True when `year` lies in `range` (an absent range accepts everything, an absent year nothing). */
export function yearInRange(year: number | undefined, range: YearRange | undefined): boolean {
  if (!range) return true;
  if (year === undefined) return false;
  return year >= (range.from ?? YEAR_MIN) && year <= (range.to ?? YEAR_MAX);
}

/**
 * A place vectors live and are searched. Every method is async so a remote store (Milvus) and the local one share it;
 * results are sorted by score descending, then id.
 */
export interface VectorStore {
  /** 'local' (HNSW in this process) or 'milvus'. */
  readonly kind: 'local' | 'milvus';
  readonly dims: number;
  /** Adds papers, or replaces the vector and year of papers already there. */
  upsert(records: readonly StoreRecord[]): Promise<void>;
  /** Removes papers by id; unknown ids are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  /** The papers nearest to paper `id`, never the paper itself. Throws NOT_FOUND for an unknown id. */
  similar(id: string, options?: Partial<StoreQueryOptions>): Promise<Neighbour[]>;
  /** The papers nearest to `vector` (unit length, `dims` long). */
  search(vector: Float32Array, options?: Partial<StoreQueryOptions>): Promise<Neighbour[]>;
  /** Several queries at once (one request for a remote store), answers in query order. */
  searchMany(vectors: readonly Float32Array[], options?: Partial<StoreQueryOptions>): Promise<Neighbour[][]>;
  /** Number of papers in the store. */
  count(): Promise<number>;
  /** Releases connections; the store is unusable afterwards. Data stays. */
  close(): Promise<void>;
}

/** A store over a PaperIndex in memory, plus the year of each paper for the year filter. */
export interface LocalStore extends VectorStore {
  readonly kind: 'local';
  /** The index as it is now (upserts may rebuild it, so read this after writes to persist it). */
  readonly index: PaperIndex;
  /** Year per paper id, for papers that have one. */
  readonly years: ReadonlyMap<string, number>;
}

/** Store records for every row of `embeddings`, with years from `years` where known. */
export function storeRecords(embeddings: Embeddings, years?: ReadonlyMap<string, number>): StoreRecord[] {
  const { dims } = embeddings;
  return embeddings.ids.map((id, row) => {
    const year = years?.get(id);
    return { id, vector: embeddings.vectors.subarray(row * dims, (row + 1) * dims), ...(year === undefined ? {} : { year }) };
  });
}

/**
 * The local store: wraps an existing index (from buildIndex or the project), or a new empty one for `dims`-long
 * vectors. The year filter runs inside hnswlib's graph walk, so a narrow range still returns k papers when k exist.
 */
export function openLocalStore(from: PaperIndex | { modelId: string; dims: number; params?: Partial<IndexOptions> }, years?: ReadonlyMap<string, number>): LocalStore {
  let index: PaperIndex = 'hnsw' in from ? from : buildIndex({ modelId: from.modelId, dims: from.dims, ids: [], vectors: new Float32Array(0) }, { ...INDEX_DEFAULTS, ...from.params });
  const yearOf = new Map(years ?? []);
  const dims = index.dims;

  const accept = (range: YearRange | undefined) => (range ? (id: string) => yearInRange(yearOf.get(id), range) : undefined);
  const checkVector = (v: Float32Array) => {
    if (v.length !== dims) throw new PapermapError('BAD_OPTION', `vector has ${v.length} dimensions, the store has ${dims}`);
  };

  return {
    kind: 'local',
    dims,
    get index() {
      return index;
    },
    years: yearOf,
    async upsert(records) {
      records.forEach((r) => checkVector(r.vector));
      for (const r of records) {
        putVector(index, r.id, r.vector);
        if (r.year === undefined) yearOf.delete(r.id);
        else yearOf.set(r.id, r.year);
      }
      index = compactIndex(index);
    },
    async remove(ids) {
      for (const id of ids) {
        deleteVector(index, id);
        yearOf.delete(id);
      }
      index = compactIndex(index);
    },
    async similar(id, options) {
      const opts = resolveStoreQuery(options);
      return similarIndex(index, id, { k: opts.k, exclude: opts.exclude, accept: accept(opts.years) });
    },
    async search(vector, options) {
      const opts = resolveStoreQuery(options);
      return searchIndex(index, vector, { k: opts.k, exclude: opts.exclude, accept: accept(opts.years) });
    },
    async searchMany(vectors, options) {
      const opts = resolveStoreQuery(options);
      return vectors.map((v) => searchIndex(index, v, { k: opts.k, exclude: opts.exclude, accept: accept(opts.years) }));
    },
    async count() {
      return indexSize(index);
    },
    async close() {},
  };
}

/** What papermap last wrote to a store: per paper id, its vector hash and year (null when unknown). */
export interface StoreState {
  ids: string[];
  vectorHashes: string[];
  years: (number | null)[];
}

/**
 * Brings `store` in line with `embeddings` and `years`: upserts papers that are new or whose vector or year changed
 * since `previous` (what the last sync wrote), removes papers no longer present. Without `previous` every paper is
 * upserted (the caller empties the store first for a rebuild). Returns the new state to keep for the next sync.
 */
export async function syncStore(store: VectorStore, embeddings: Embeddings, years: ReadonlyMap<string, number>, previous?: StoreState, batchSize = 10_000): Promise<{ state: StoreState; report: UpdateReport }> {
  if (embeddings.dims !== store.dims) throw new PapermapError('BAD_OPTION', `the vectors have ${embeddings.dims} dimensions, the store has ${store.dims}`, undefined, 'rebuild the index (papermap index --rebuild) or choose another collection');
  const before = new Map<string, { hash: string; year: number | null }>();
  previous?.ids.forEach((id, i) => before.set(id, { hash: previous.vectorHashes[i] as string, year: previous.years[i] ?? null }));
  const state: StoreState = { ids: [], vectorHashes: [], years: [] };
  const report: UpdateReport = { added: 0, changed: 0, removed: 0, unchanged: 0, rebuilt: previous === undefined };
  let pending: StoreRecord[] = [];
  const { dims } = embeddings;
  for (let row = 0; row < embeddings.ids.length; row++) {
    const id = embeddings.ids[row] as string;
    const vector = embeddings.vectors.subarray(row * dims, (row + 1) * dims);
    const hash = vectorHash(vector);
    const year = years.get(id) ?? null;
    state.ids.push(id);
    state.vectorHashes.push(hash);
    state.years.push(year);
    const old = before.get(id);
    before.delete(id);
    if (old && old.hash === hash && old.year === year) {
      report.unchanged += 1;
      continue;
    }
    if (old) report.changed += 1;
    else report.added += 1;
    pending.push({ id, vector, ...(year === null ? {} : { year }) });
    if (pending.length >= batchSize) {
      await store.upsert(pending);
      pending = [];
    }
  }
  if (pending.length) await store.upsert(pending);
  const gone = [...before.keys()];
  if (gone.length) await store.remove(gone);
  report.removed = gone.length;
  return { state, report };
}

/**
 * The k-nearest-neighbour graph of `ids` (rows of `embeddings`) from a store, self excluded, distances 1 − cosine:
 * what the map's UMAP takes as precomputed neighbours. Queries go 100 per request.
 */
export async function storeNeighbourGraph(store: VectorStore, embeddings: Embeddings, k: number): Promise<NeighbourGraph> {
  const { ids, dims } = embeddings;
  const rowOf = new Map(ids.map((id, row) => [id, row]));
  const want = Math.min(k, Math.max(1, ids.length - 1));
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let start = 0; start < ids.length; start += 100) {
    const end = Math.min(ids.length, start + 100);
    const queries = Array.from({ length: end - start }, (_, i) => embeddings.vectors.subarray((start + i) * dims, (start + i + 1) * dims));
    const answers = await store.searchMany(queries, { k: Math.min(1000, want + 1) });
    answers.forEach((hits, i) => {
      const self = ids[start + i];
      const kept = hits.filter((h) => h.id !== self && rowOf.has(h.id)).slice(0, want);
      indices.push(kept.map((h) => rowOf.get(h.id) as number));
      distances.push(kept.map((h) => Math.max(0, 1 - h.score)));
    });
  }
  return { indices, distances };
}
