// hnswlib-node behind a small surface: create, add, delete, search, and atomic save/load.

import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** HNSW parameters (Malkov & Yashunin 2018): graph degree M, build beam efConstruction, query beam ef, RNG seed. */
export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
  randomSeed: number;
}

/** A new empty cosine index with room for `capacity` points. */
export function createHnsw(dims: number, capacity: number, params: HnswParams): Hnsw {
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: Math.max(1, capacity), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed });
  index.setEf(params.efSearch);
  return index;
}

/** Adds a vector under `label`, growing the index (doubling) when it is full. */
export function addVector(index: Hnsw, vector: Float32Array, label: number): void {
  if (index.getCurrentCount() >= index.getMaxElements()) index.resizeIndex(Math.max(16, index.getMaxElements() * 2));
  index.addPoint(Array.from(vector), label);
}

/**
 * The `k` nearest live labels and their cosine similarities, nearest first (fewer when the index is smaller, or when
 * fewer labels pass `filter`).
 */
export function searchHnsw(index: Hnsw, query: Float32Array, k: number, efSearch: number, filter?: (label: number) => boolean): { label: number; score: number }[] {
  const want = Math.min(k, index.getMaxElements());
  if (want === 0 || index.getCurrentCount() === 0) return [];
  index.setEf(Math.max(efSearch, want));
  const res = filter ? index.searchKnn(Array.from(query), want, filter) : index.searchKnn(Array.from(query), want);
  return res.neighbors.map((label, i) => ({ label, score: 1 - (res.distances[i] as number) }));
}

/** Loads an index saved by saveHnsw. */
export function loadHnsw(file: string, dims: number, efSearch: number): Hnsw {
  const index = new HierarchicalNSW('cosine', dims);
  index.readIndexSync(file);
  index.setEf(efSearch);
  return index;
}
