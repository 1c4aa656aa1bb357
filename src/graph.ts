// Neighbour graphs handed between stages: one check that a precomputed kNN graph fits the rows, cut to k columns.

import { PapermapError } from './errors.js';
import type { NeighbourGraph } from './records.js';

/** Checks a given graph (one row per paper, at least k neighbours each) and cuts it to k columns. */
export function takeGraph(graph: NeighbourGraph, n: number, k: number): NeighbourGraph {
  if (graph.indices.length !== n || graph.distances.length !== n) {
    throw new PapermapError('BAD_OPTION', `option 'knn' has ${graph.indices.length} rows, expected one per paper (${n})`, undefined, 'build the graph over the same embeddings');
  }
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = graph.indices[i] as number[];
    const dist = graph.distances[i] as number[];
    if (row.length < k || dist.length < k) {
      throw new PapermapError('BAD_OPTION', `option 'knn' row ${i} has ${row.length} neighbours, expected at least nNeighbors = ${k}`, undefined, 'build the graph with more neighbours or lower nNeighbors');
    }
    indices.push(row.slice(0, k));
    distances.push(dist.slice(0, k));
  }
  return { indices, distances };
}
