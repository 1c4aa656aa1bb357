// Benchmark: a million vectors in papermap's index on this machine: build time on every core, peak RSS, queries/s one
// at a time and recall@10 against exact search, and (with PAPERMAP_BENCH_MILLION_PEER=1) Python hnswlib with the same
// vectors, parameters and threads. No real set is that large, so the vectors are synthetic: clustered Gaussian
// (clusteredGaussian below), seeded.
// Usage: npm run bench -- --only index-million     (PAPERMAP_BENCH_MILLION_N=300000 for a smaller run)

import { writeFileSync } from 'node:fs';
import { INDEX_DEFAULTS, search, type PaperIndex } from '../src/index/index.js';
import { addVectors, createHnsw, hnswBuild } from '../src/index/hnsw.js';
import { seededGaussian, seededRandom } from '../src/random.js';
import type { Embeddings } from '../src/records.js';
import { coreCount, median, row, runPython, tmpPath, type BenchResult, type BenchRow } from './lib.js';
import { peakRssMb } from './peak-rss.mjs';

const K = 10;
const DIMS = 384;
/** Queries timed per pass (three passes) and queries checked against exact search. */
const QUERIES = 1000;
const TRUTH_QUERIES = 200;

/**
 * `n` unit vectors in `clusters` seeded Gaussian clusters, with a low intrinsic dimension as sentence embeddings have:
 * each cluster has a random unit centre, its own random `subspace`-dimensional basis and spread (0.3–0.7), and a point
 * is centre + spread · (Gaussian in that subspace) + a little isotropic noise (norm ≈ 0.05), renormalised. Points are
 * assigned to clusters uniformly at random. Rows `from..from+n` of the same seed are the same rows, so queries drawn
 * with another seed come from the same clusters only when `centreSeed` is the same.
 */
export function clusteredGaussian(n: number, seed: number, centreSeed = 1, clusters = 2000, subspace = 24): Float32Array {
  const g = seededGaussian(centreSeed);
  const unit = (v: Float32Array): Float32Array => {
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) / norm;
    return v;
  };
  const centres = Array.from({ length: clusters }, () => unit(Float32Array.from({ length: DIMS }, g)));
  const bases = Array.from({ length: clusters }, () => Array.from({ length: subspace }, () => unit(Float32Array.from({ length: DIMS }, g))));
  const spreads = Float32Array.from({ length: clusters }, () => 0.3 + 0.4 * ((Math.tanh(g()) + 1) / 2));
  const pick = seededRandom(seed);
  const noise = seededGaussian(seed + 7919);
  // The isotropic part is uniform with the same variance: 384 Gaussian draws per point would cost more than the rest.
  const jitter = seededRandom(seed + 104729);
  const out = new Float32Array(n * DIMS);
  const iso = 0.05 / Math.sqrt(DIMS);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(pick() * clusters);
    const v = out.subarray(i * DIMS, (i + 1) * DIMS);
    v.set(centres[c] as Float32Array);
    const s = (spreads[c] as number) / Math.sqrt(subspace);
    for (const b of bases[c] as Float32Array[]) {
      const z = s * noise();
      for (let d = 0; d < DIMS; d++) v[d] = (v[d] as number) + z * (b[d] as number);
    }
    for (let d = 0; d < DIMS; d++) v[d] = (v[d] as number) + iso * Math.sqrt(3) * (2 * jitter() - 1);
    unit(v);
  }
  return out;
}

/** Exact top-k rows by dot product (unit vectors: cosine), ties by row. */
function exactTop(vectors: Float32Array, query: Float32Array, k: number): number[] {
  const n = vectors.length / DIMS;
  const best: { row: number; score: number }[] = [];
  for (let r = 0; r < n; r++) {
    let s = 0;
    const off = r * DIMS;
    for (let d = 0; d < DIMS; d++) s += (vectors[off + d] as number) * (query[d] as number);
    if (best.length === k && s <= (best[k - 1] as { score: number }).score) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { score: number }).score < s) at--;
    best.splice(at, 0, { row: r, score: s });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.row);
}

export async function run(): Promise<BenchResult> {
  const n = Number(process.env.PAPERMAP_BENCH_MILLION_N ?? 1_000_000);
  let t0 = performance.now();
  const vectors = clusteredGaussian(n, 1);
  const queries = clusteredGaussian(QUERIES, 2);
  process.stderr.write(`million: ${n} vectors made in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const qv = (i: number) => queries.subarray(i * DIMS, (i + 1) * DIMS);
  const ids = Array.from({ length: n }, (_, i) => `v${i}`);
  const base: Embeddings = { modelId: 'synthetic', dims: DIMS, ids, vectors };
  // Built in slices of 100,000 rows (one threaded batch each) so a progress line shows how far a slow run got.
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const hnsw = createHnsw(DIMS, n, INDEX_DEFAULTS);
  const step = 100_000;
  for (let from = 0; from < n; from += step) {
    addVectors(hnsw, vectors.subarray(from * DIMS, Math.min(n, from + step) * DIMS), DIMS, from, 0);
    process.stderr.write(`million: ${Math.min(n, from + step)} rows in ${((performance.now() - t0) / 60000).toFixed(1)} min, peak RSS ${peakRssMb()} MB\n`);
  }
  const buildMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const buildRssMb = peakRssMb();
  const index: PaperIndex = { modelId: base.modelId, dims: DIMS, params: { ...INDEX_DEFAULTS, threads: 0 }, hnsw, labels: ids, vectorHashes: [], labelOf: new Map() };
  t0 = performance.now();
  const truth = Array.from({ length: TRUTH_QUERIES }, (_, i) => new Set(exactTop(vectors, qv(i), K).map((r) => `v${r}`)));
  const exactMs = (performance.now() - t0) / TRUTH_QUERIES;
  const measure = (efSearch: number): { rate: number; recall: number } => {
    index.params = { ...index.params, efSearch };
    const rates: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      for (let i = 0; i < QUERIES; i++) search(index, qv(i), { k: K });
      rates.push(QUERIES / ((performance.now() - t) / 1000));
    }
    let hits = 0;
    for (let i = 0; i < TRUTH_QUERIES; i++) hits += search(index, qv(i), { k: K }).filter((h) => (truth[i] as Set<string>).has(h.id)).length;
    return { rate: Math.round(median(rates)), recall: r3(hits / (TRUTH_QUERIES * K)) };
  };
  const efs = [INDEX_DEFAULTS.efSearch, 128];
  const results = efs.map((ef) => ({ ef, ...measure(ef) }));
  process.stderr.write(`million: ${JSON.stringify({ buildMs, results })}\n`);
  const label = `N=${n.toLocaleString('en')}`;
  const cores = coreCount();
  let peer: { version: string; buildSeconds: number; querySeconds: number; recall: number } | undefined;
  if (process.env.PAPERMAP_BENCH_MILLION_PEER === '1') {
    const baseFile = tmpPath('million-base.f32');
    writeFileSync(baseFile, new Uint8Array(vectors.buffer));
    const queryFile = tmpPath('million-queries.f32');
    writeFileSync(queryFile, new Uint8Array(queries.buffer, 0, TRUTH_QUERIES * DIMS * 4));
    const truthFile = tmpPath('million-truth.json');
    writeFileSync(truthFile, JSON.stringify(truth.map((s) => [...s].map((id) => Number(id.slice(1))))));
    peer = runPython('index_hnswlib.py', { base: baseFile, queries: queryFile, dims: DIMS, m: INDEX_DEFAULTS.m, efConstruction: INDEX_DEFAULTS.efConstruction, efSearch: INDEX_DEFAULTS.efSearch, seed: INDEX_DEFAULTS.randomSeed, k: K, truth: truthFile, indexFile: tmpPath('million-peer.hnsw'), threads: cores }, cores);
  }
  const data = `synthetic: ${n.toLocaleString('en')} seeded clustered Gaussian vectors (2,000 clusters, 24-d subspaces), queries fresh from the same clusters`;
  const rows: BenchRow[] = [
    row({ bench: 'index-million', metric: `build minutes, ${label}, ${cores} threads`, unit: 'min', papermap: Math.round(buildMs / 600) / 100, ...(peer ? { peer: 'Python hnswlib', peerValue: Math.round(peer.buildSeconds / 0.6) / 100 } : {}), higherIsBetter: false, note: `${data}; target < 25 min; CPU ${((cpu.user + cpu.system) / 60e6).toFixed(1)} min; M 16, efConstruction 200; addon ${hnswBuild().flags}` }),
    ...results.map((r) => row({ bench: 'index-million', metric: `queries/s (k=10), ${label}, one thread, efSearch ${r.ef}`, unit: 'q/s', papermap: r.rate, ...(peer && r.ef === INDEX_DEFAULTS.efSearch ? { peer: 'Python hnswlib', peerValue: Math.round(TRUTH_QUERIES / peer.querySeconds) } : {}), higherIsBetter: true, note: `median of 3 passes of ${QUERIES} queries; target ≥ 1,000 q/s at recall@10 ≥ 0.95; exact search ${exactMs.toFixed(0)} ms/query` })),
    ...results.map((r) => row({ bench: 'index-million', metric: `recall@10 vs exact, ${label}, efSearch ${r.ef}`, unit: 'recall', papermap: r.recall, ...(peer && r.ef === INDEX_DEFAULTS.efSearch ? { peer: 'Python hnswlib', peerValue: r3(peer.recall) } : {}), higherIsBetter: true, note: `${TRUTH_QUERIES} queries` })),
    row({ bench: 'index-million', metric: `peak RSS MB, ${label}`, unit: 'MB', papermap: buildRssMb, higherIsBetter: false, note: `after the build: vectors (${Math.round((n * DIMS * 4) / 1e6)} MB Float32Array) + graph, one process` }),
  ];
  return { rows, details: { n, buildMs, cpuMs: (cpu.user + cpu.system) / 1000, results, peer, exactMsPerQuery: exactMs } };
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
