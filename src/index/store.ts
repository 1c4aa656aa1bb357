// The vector-store contract: one surface (upsert, remove, similar, search, count, close) over the local HNSW index and Milvus.

import { PapermapError } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import type { Embeddings, Neighbour } from '../records.js';
import { buildIndex, compactIndex, deleteVector, indexSize, putVector, search as searchIndex, similar as similarIndex, INDEX_DEFAULTS, type IndexOptions, type PaperIndex } from './index.js';

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
