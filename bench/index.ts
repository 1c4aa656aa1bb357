// Benchmark: HNSW build time, queries/s, recall@10 and bytes per vector at 1k/10k/100k vectors, against exact search
// and Python hnswlib with the same parameters, vectors and thread count: builds at 1 thread (papermap's default, the
// same graph every run) and at every core (papermap's threads: 0, Python's add_items with num_threads); queries one
// at a time on one thread on both sides. The hnswlib-node addon is the one the install built (see hnswBuild()).
// A million vectors: bench/index-million.ts.

import { statSync, writeFileSync } from 'node:fs';
import { buildIndex, exactSearch, INDEX_DEFAULTS, search, writeIndexFile } from '../src/index/index.js';
import { hnswBuild } from '../src/index/hnsw.js';
import type { Embeddings } from '../src/records.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';
import { coreCount, row, runPython, tmpPath, type BenchResult, type BenchRow } from './lib.js';

const K = 10;

function f32File(name: string, v: Float32Array): string {
  const file = tmpPath(name);
  writeFileSync(file, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return file;
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const real = await corpusEmbeddings();
  const sizes = opts.quick ? [1000] : [1000, 10000, 100000];
  const queryCount = opts.quick ? 50 : 200;
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = { params: INDEX_DEFAULTS, k: K, queries: queryCount, vectors: 'perturbed copies of the corpus embeddings (noise norm 0.35), queries are fresh perturbed copies' };
  for (const n of sizes) {
    const base: Embeddings = n <= real.ids.length ? real : perturbedCopies(real, n, 1);
    const queries = perturbedCopies(real, queryCount, 2);
    const qv = (i: number) => queries.vectors.subarray(i * real.dims, (i + 1) * real.dims);

    let t0 = performance.now();
    const truth = Array.from({ length: queryCount }, (_, i) => exactSearch(base, qv(i), K).map((h) => h.id));
    const exactMs = performance.now() - t0;

    const cores = coreCount();
    t0 = performance.now();
    // keepGraph false: the same work as Python's add_items (from CONSTRUCTION_GRAPH_FROM papers a build also keeps its neighbour graph).
    const parallel = buildIndex(base, { threads: 0 }, false);
    const parallelMs = performance.now() - t0;
    const parallelAnswers = Array.from({ length: queryCount }, (_, i) => search(parallel, qv(i), { k: K }).map((h) => h.id));
    const parallelRecall = parallelAnswers.reduce((s, a, i) => s + a.filter((id) => (truth[i] as string[]).includes(id)).length, 0) / (queryCount * K);
    const rssBefore = process.memoryUsage().rss;
    t0 = performance.now();
    const index = buildIndex(base, {}, false);
    const buildMs = performance.now() - t0;
    const rssDelta = process.memoryUsage().rss - rssBefore;
    t0 = performance.now();
    const answers = Array.from({ length: queryCount }, (_, i) => search(index, qv(i), { k: K }).map((h) => h.id));
    const queryMs = performance.now() - t0;
    const recall = answers.reduce((s, a, i) => s + a.filter((id) => (truth[i] as string[]).includes(id)).length, 0) / (queryCount * K);
    const indexFile = tmpPath(`index-${n}.hnsw`);
    writeIndexFile(index, indexFile);
    const bytesPerVector = statSync(indexFile).size / n;

    const peerArgs = {
      base: f32File('base.f32', base.vectors), queries: f32File('queries.f32', queries.vectors), dims: real.dims,
      m: INDEX_DEFAULTS.m, efConstruction: INDEX_DEFAULTS.efConstruction, efSearch: INDEX_DEFAULTS.efSearch, seed: INDEX_DEFAULTS.randomSeed,
      k: K, truth: writeTruth(truth, base), indexFile: tmpPath(`peer-${n}.hnsw`),
    };
    type PeerAnswer = { version: string; buildSeconds: number; querySeconds: number; recall: number; indexBytes: number };
    const peer = runPython<PeerAnswer>('index_hnswlib.py', { ...peerArgs, threads: 1 }, 1);
    const peerParallel = runPython<PeerAnswer>('index_hnswlib.py', { ...peerArgs, threads: cores }, cores);
    details.peer = peer.version;
    details.addon = hnswBuild();
    const label = `N=${n.toLocaleString('en')}`;
    rows.push(row({ bench: 'index', metric: `build seconds, ${label}, 1 thread`, unit: 's', papermap: r3(buildMs / 1000), peer: 'Python hnswlib', peerValue: r3(peer.buildSeconds), higherIsBetter: false }));
    rows.push(row({ bench: 'index', metric: `build seconds, ${label}, ${cores} threads`, unit: 's', papermap: r3(parallelMs / 1000), peer: 'Python hnswlib', peerValue: r3(peerParallel.buildSeconds), higherIsBetter: false, note: `recall@10 ${r3(parallelRecall)} (Python ${r3(peerParallel.recall)})` }));
    rows.push(row({ bench: 'index', metric: `queries/s (k=10), ${label}`, unit: 'q/s', papermap: Math.round(queryCount / (queryMs / 1000)), peer: 'Python hnswlib', peerValue: Math.round(queryCount / peer.querySeconds), higherIsBetter: true }));
    rows.push(row({ bench: 'index', metric: `queries/s (k=10), ${label}, vs exact search`, unit: 'q/s', papermap: Math.round(queryCount / (queryMs / 1000)), peer: 'papermap exact (brute force)', peerValue: Math.round(queryCount / (exactMs / 1000)), higherIsBetter: true }));
    rows.push(row({ bench: 'index', metric: `recall@10 vs exact, ${label}`, unit: 'recall', papermap: r3(recall), peer: 'Python hnswlib', peerValue: r3(peer.recall), higherIsBetter: true }));
    rows.push(row({ bench: 'index', metric: `index bytes per vector, ${label}`, unit: 'B', papermap: Math.round(bytesPerVector), peer: 'Python hnswlib', peerValue: Math.round(peer.indexBytes / n), higherIsBetter: false, note: `RSS grew ${Math.round(rssDelta / n)} B/vector during build (includes the JS label table)` }));
  }
  return { rows, details };
}

/** Exact top-k as row numbers of `base`, for the Python peer. */
function writeTruth(truth: string[][], base: Embeddings): string {
  const rowOf = new Map(base.ids.map((id, i) => [id, i]));
  const file = tmpPath('truth.json');
  writeFileSync(file, JSON.stringify(truth.map((ids) => ids.map((id) => rowOf.get(id)))));
  return file;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
