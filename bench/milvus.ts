// Benchmark: the Milvus store against the local HNSW store on the same N vectors in one run — insert rate, index
// build, queries/s one at a time and 100 per request, recall@10 against exact search, memory.
//
//   npm run bench -- --only milvus                       N = 1,000,000 (PAPERMAP_BENCH_MILVUS_N to change it)
//   PAPERMAP_BENCH_MILVUS_N=100000 npx tsx bench/milvus.ts
//
// Uses PAPERMAP_MILVUS_ADDRESS when set, else starts the local test server (scripts/milvus.sh: PyPI milvus 2.3.5,
// standalone, embedded etcd) and stops it afterwards. Vectors: perturbed copies of the 15,000 real arXiv MiniLM
// embeddings (/work/wt/shared-corpora/arxiv15k-minilm, a papermap project) when present (PAPERMAP_BENCH_MILVUS_VECTORS to point
// elsewhere), else seeded synthetic clusters; the details say which.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIndex, exactSearch, INDEX_DEFAULTS, openLocalStore, openMilvusStore } from '../src/index/index.js';
import { seededGaussian } from '../src/random.js';
import type { Embeddings, Neighbour } from '../src/records.js';
import { median, ROOT, row, timeRepeats, type BenchResult, type BenchRow } from './lib.js';
import { ARXIV_PROJECTS, readProjectVectors } from './quality.js';

const K = 10;
const BATCH = 100;

/** The real vectors to copy from (a papermap project's, read through its manifest), or undefined when there are none. */
function realVectors(): Embeddings | undefined {
  for (const dir of [process.env.PAPERMAP_BENCH_MILVUS_VECTORS ?? ARXIV_PROJECTS.minilm, join(ROOT, 'bench', 'results', 'tmp', 'milvus-corpus')]) {
    const embeddings = readProjectVectors(dir);
    if (embeddings) return { ...embeddings, modelId: dir };
  }
  return undefined;
}

/**
 * `n` unit vectors: copy i is source vector (i mod S) plus Gaussian noise of norm ≈ 0.35 (cosine ≈ 0.94 to its
 * source), as bench/vectors.ts does. Without a source, S = 2,000 seeded random unit centres in 384 dimensions.
 */
function makeVectors(n: number, seed: number, source: Embeddings | undefined, firstId = 0): Embeddings {
  const dims = source?.dims ?? 384;
  const g = seededGaussian(seed);
  const src = source ?? randomCentres(2000, dims, 7);
  const sigma = 0.35 / Math.sqrt(dims);
  const vectors = new Float32Array(n * dims);
  const count = src.ids.length;
  for (let i = 0; i < n; i++) {
    const from = (i % count) * dims;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (src.vectors[from + d] as number) + sigma * g();
      vectors[i * dims + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (vectors[i * dims + d] as number) / norm;
  }
  return { modelId: src.modelId, dims, ids: Array.from({ length: n }, (_, i) => `v${i + firstId}`), vectors };
}

function randomCentres(n: number, dims: number, seed: number): Embeddings {
  const g = seededGaussian(seed);
  const vectors = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (vectors[i * dims + d] = g()) ** 2;
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (vectors[i * dims + d] as number) / Math.sqrt(norm);
  }
  return { modelId: 'synthetic', dims, ids: Array.from({ length: n }, (_, i) => `c${i}`), vectors };
}

/** Resident memory of the local test server's process group in bytes, when this bench started it. */
function serverRssBytes(): number | undefined {
  const pidFile = join(ROOT, '.venv-milvus', 'run', 'pid');
  if (!existsSync(pidFile)) return undefined;
  const res = spawnSync('ps', ['-o', 'rss=', '-g', readFileSync(pidFile, 'utf8').trim()], { encoding: 'utf8' });
  const kb = res.stdout.split('\n').filter(Boolean).reduce((s, x) => s + Number(x), 0);
  return kb > 0 ? kb * 1024 : undefined;
}

function recallOf(answers: Neighbour[][], truth: string[][]): number {
  const found = answers.reduce((s, hits, q) => s + hits.filter((h) => (truth[q] as string[]).includes(h.id)).length, 0);
  return found / (truth.length * K);
}

function log(text: string): void {
  process.stderr.write(`bench milvus: ${text}\n`);
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const n = Number(process.env.PAPERMAP_BENCH_MILVUS_N ?? (opts.quick ? 20_000 : 1_000_000));
  const queryCount = opts.quick ? 100 : 300;
  let address = process.env.PAPERMAP_MILVUS_ADDRESS;
  const startedHere = !address;
  if (startedHere) {
    const res = spawnSync('bash', [join(ROOT, 'scripts', 'milvus.sh'), 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (res.status !== 0) throw new Error('could not start the Milvus test server (bash scripts/milvus.sh start)');
    address = '127.0.0.1:19530';
  }
  try {
    return await measure(n, queryCount, address as string, startedHere);
  } finally {
    if (startedHere) spawnSync('bash', [join(ROOT, 'scripts', 'milvus.sh'), 'stop'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

async function measure(n: number, queryCount: number, address: string, startedHere: boolean): Promise<BenchResult> {
  const real = realVectors();
  log(`making ${n.toLocaleString('en')} vectors from ${real ? `${real.ids.length} real embeddings` : 'synthetic clusters'}`);
  const base = makeVectors(n, 1, real);
  const queries = makeVectors(queryCount, 2, real, n);
  const { dims } = base;
  const qv = Array.from({ length: queryCount }, (_, i) => queries.vectors.subarray(i * dims, (i + 1) * dims));

  log('exact top-10 (brute force)');
  const truth = qv.map((q) => exactSearch(base, q, K).map((h) => h.id));

  // Milvus: insert, seal and index, then query (reads are Bounded once the last write is 6 s old).
  const collection = `bench_${n}`;
  const milvus = await openMilvusStore({ address, collection, dims });
  await milvus.drop();
  await milvus.close();
  const store = await openMilvusStore({ address, collection, dims });
  const rssBefore = startedHere ? serverRssBytes() : undefined;
  log('Milvus insert');
  let t0 = performance.now();
  const chunk = 20_000;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    await store.upsert(base.ids.slice(start, end).map((id, i) => ({ id, vector: base.vectors.subarray((start + i) * dims, (start + i + 1) * dims) })));
    if ((start / chunk) % 10 === 0) log(`  ${end.toLocaleString('en')} inserted`);
  }
  const milvusInsertS = (performance.now() - t0) / 1000;
  log('Milvus flush and index');
  t0 = performance.now();
  await store.waitIndexed(3 * 3600_000);
  const milvusIndexS = (performance.now() - t0) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 6500));
  const milvusCount = await store.count();
  log('Milvus queries');
  await store.search(qv[0] as Float32Array, { k: K }); // warm-up
  const singleMs: number[] = [];
  const milvusAnswers: Neighbour[][] = [];
  for (const q of qv) {
    const s = performance.now();
    milvusAnswers.push(await store.search(q, { k: K }));
    singleMs.push(performance.now() - s);
  }
  const milvusBatchedQps = queryCount / (median(await timeRepeats(3, async () => {
    for (let s = 0; s < queryCount; s += BATCH) await store.searchMany(qv.slice(s, s + BATCH), { k: K });
  })) / 1000);
  const milvusRss = startedHere ? serverRssBytes() : undefined;
  await store.drop();
  await store.close();

  // The local store: hnswlib-node HNSW with the same M, efConstruction and ef, built in this process.
  log('local HNSW build');
  const heapBefore = process.memoryUsage().rss;
  t0 = performance.now();
  const index = buildIndex(base, INDEX_DEFAULTS, false); // the index alone, as Milvus builds it
  const localBuildS = (performance.now() - t0) / 1000;
  const localRssDelta = process.memoryUsage().rss - heapBefore;
  const local = openLocalStore(index);
  const localSingleMs: number[] = [];
  const localAnswers: Neighbour[][] = [];
  for (const q of qv) {
    const s = performance.now();
    localAnswers.push(await local.search(q, { k: K }));
    localSingleMs.push(performance.now() - s);
  }
  const localBatchedQps = queryCount / (median(await timeRepeats(3, async () => {
    for (let s = 0; s < queryCount; s += BATCH) await local.searchMany(qv.slice(s, s + BATCH), { k: K });
  })) / 1000);

  const label = `N=${n.toLocaleString('en')}, ${dims} dims`;
  const peer = 'papermap local HNSW (hnswlib-node)';
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const rows: BenchRow[] = [
    row({ bench: 'milvus', metric: `insert vectors/s, ${label}`, unit: 'vec/s', papermap: Math.round(n / milvusInsertS), peer, peerValue: Math.round(n / localBuildS), higherIsBetter: true, note: 'Milvus: upserts of 2,000 rows, index built later; local: insert builds the graph' }),
    row({ bench: 'milvus', metric: `seconds until searchable with the index, ${label}`, unit: 's', papermap: Math.round(milvusInsertS + milvusIndexS), peer, peerValue: Math.round(localBuildS), higherIsBetter: false, note: `Milvus insert ${Math.round(milvusInsertS)} s + flush and HNSW build ${Math.round(milvusIndexS)} s` }),
    row({ bench: 'milvus', metric: `queries/s one at a time (k=10), ${label}`, unit: 'q/s', papermap: Math.round(1000 / median(singleMs)), peer, peerValue: Math.round(1000 / median(localSingleMs)), higherIsBetter: true, note: `from median latency over ${queryCount} queries; Milvus Bounded consistency over gRPC on 127.0.0.1` }),
    row({ bench: 'milvus', metric: `queries/s, ${BATCH} per request (k=10), ${label}`, unit: 'q/s', papermap: Math.round(milvusBatchedQps), peer, peerValue: Math.round(localBatchedQps), higherIsBetter: true, note: 'median of 3 passes; the local store answers a batch one query after another' }),
    row({ bench: 'milvus', metric: `recall@10 vs exact, ${label}`, unit: 'recall', papermap: r3(recallOf(milvusAnswers, truth)), peer, peerValue: r3(recallOf(localAnswers, truth)), higherIsBetter: true, note: `HNSW M ${INDEX_DEFAULTS.m}, efConstruction ${INDEX_DEFAULTS.efConstruction}, ef ${INDEX_DEFAULTS.efSearch} on both` }),
  ];
  if (milvusRss !== undefined) {
    rows.push(row({ bench: 'milvus', metric: `memory MB, ${label}`, unit: 'MB', papermap: Math.round(milvusRss / 2 ** 20), peer, peerValue: Math.round(localRssDelta / 2 ** 20), higherIsBetter: false, note: `Milvus server RSS after queries (${rssBefore ? Math.round(rssBefore / 2 ** 20) : '?'} MB empty); local: RSS growth of the build` }));
  }
  return {
    rows,
    details: {
      n, dims, queries: queryCount, batch: BATCH, k: K, address: startedHere ? 'local test server (PyPI milvus 2.3.5)' : address,
      vectors: real ? `perturbed copies (noise 0.35) of ${real.ids.length} real MiniLM embeddings from ${real.modelId}` : 'perturbed copies of 2,000 seeded random 384-d centres',
      milvusCount, milvusInsertS: r3(milvusInsertS), milvusIndexS: r3(milvusIndexS), localBuildS: r3(localBuildS),
      milvusMedianMs: r3(median(singleMs)), localMedianMs: r3(median(localSingleMs)),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
