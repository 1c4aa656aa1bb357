// The neighbour-graph worker thread's entry (index.ts neighbourGraphParallel starts it): loads the saved HNSW index and
// answers the graph rows [from, to) with the same queries as the main thread, so the graph does not depend on the split.

import { parentPort, workerData } from 'node:worker_threads';
import { graphRows, readIndexFile, type IndexMeta } from './index.js';

/** What the worker is started with. */
export interface GraphWorkerData {
  meta: IndexMeta;
  file: string;
  ids: string[];
  k: number;
  from: number;
  to: number;
}

/** Its one answer: k neighbour rows and distances per row of [from, to), row-major (fewer than k leave -1 / NaN). */
export interface GraphWorkerAnswer {
  indices: Int32Array;
  distances: Float64Array;
  counts: Int32Array;
}

const data = workerData as GraphWorkerData;
const rows = graphRows(readIndexFile(data.meta, data.file), data.ids, data.k, data.from, data.to);
const span = data.to - data.from;
const answer: GraphWorkerAnswer = { indices: new Int32Array(span * data.k).fill(-1), distances: new Float64Array(span * data.k).fill(Number.NaN), counts: new Int32Array(span) };
rows.indices.forEach((row, r) => {
  answer.counts[r] = row.length;
  answer.indices.set(row, r * data.k);
  answer.distances.set(rows.distances[r] as number[], r * data.k);
});
parentPort?.postMessage(answer, [answer.indices.buffer as ArrayBuffer, answer.distances.buffer as ArrayBuffer, answer.counts.buffer as ArrayBuffer]);
