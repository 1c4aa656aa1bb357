// Benchmark: is building hnswlib-node for this CPU worth offering? The npm build compiles with -O3 and no -march
// (generic x86-64: SSE2 distance kernels); Python hnswlib builds from source with -O3 -march=native. This rebuilds
// hnswlib-node with CXXFLAGS=-march=native into node_modules/.papermap-native and compares both on the same vectors.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { median, ROOT, row, type BenchResult } from './lib.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

const NATIVE_DIR = join(ROOT, 'node_modules', '.papermap-native', 'hnswlib-node');

/** Rebuilds hnswlib-node with -march=native (once); returns an error text when the toolchain is missing. */
function buildNative(): string | undefined {
  if (existsSync(join(NATIVE_DIR, 'build', 'Release', 'addon.node'))) return undefined;
  // The node-gyp that npm itself ships, beside this Node (…/bin/node → …/lib/node_modules/npm).
  const nodeGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  rmSync(NATIVE_DIR, { recursive: true, force: true });
  mkdirSync(dirname(NATIVE_DIR), { recursive: true });
  cpSync(join(ROOT, 'node_modules', 'hnswlib-node'), NATIVE_DIR, { recursive: true });
  rmSync(join(NATIVE_DIR, 'build'), { recursive: true, force: true });
  const res = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${dirname(dirname(process.execPath))}`], { cwd: NATIVE_DIR, encoding: 'utf8', env: { ...process.env, CXXFLAGS: '-march=native' } });
  return res.status === 0 ? undefined : `node-gyp failed: ${res.stderr.split('\n').slice(-3).join(' ')}`;
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const failed = buildNative();
  if (failed) return { rows: [row({ bench: 'native', metric: 'hnswlib-node -march=native build', unit: '', papermap: Number.NaN, higherIsBetter: true, note: failed })] };
  const n = opts.quick ? 2000 : 10000;
  const base = perturbedCopies(await corpusEmbeddings(), n, 1);
  const queries = perturbedCopies(await corpusEmbeddings(), 500, 2);
  const rowsOf = (e: typeof base) => Array.from({ length: e.ids.length }, (_, i) => Array.from(e.vectors.subarray(i * e.dims, (i + 1) * e.dims)));
  const points = rowsOf(base);
  const qs = rowsOf(queries);
  const require = createRequire(import.meta.url);
  const measure = (path: string) => {
    const { HierarchicalNSW } = require(path) as typeof import('hnswlib-node');
    const builds: number[] = [];
    const rates: number[] = [];
    for (let r = 0; r < 3; r++) {
      const index = new HierarchicalNSW('cosine', base.dims);
      index.initIndex({ maxElements: n, m: 16, efConstruction: 200, randomSeed: 100 });
      let t0 = performance.now();
      points.forEach((p, i) => index.addPoint(p, i));
      builds.push((performance.now() - t0) / 1000);
      index.setEf(64);
      t0 = performance.now();
      for (const q of qs) index.searchKnn(q, 10);
      rates.push(qs.length / ((performance.now() - t0) / 1000));
    }
    return { build: median(builds), qps: median(rates) };
  };
  const generic = measure(join(ROOT, 'node_modules', 'hnswlib-node'));
  const native = measure(NATIVE_DIR);
  const label = `N=${n.toLocaleString('en')}`;
  return {
    rows: [
      row({ bench: 'native', metric: `hnswlib-node build seconds, -march=native vs npm build, ${label}`, unit: 's', papermap: Math.round(native.build * 100) / 100, peer: 'npm build (-O3, generic x86-64)', peerValue: Math.round(generic.build * 100) / 100, higherIsBetter: false }),
      row({ bench: 'native', metric: `hnswlib-node queries/s, -march=native vs npm build, ${label}`, unit: 'q/s', papermap: Math.round(native.qps), peer: 'npm build (-O3, generic x86-64)', peerValue: Math.round(generic.qps), higherIsBetter: true }),
    ],
    details: { generic, native, flags: { npm: '-O3 (node-gyp defaults, no -march)', native: '-O3 -march=native', pythonHnswlib: '-O3 -march=native (built from sdist by pip)' } },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
