// Benchmark: what the install-time rebuild of hnswlib-node buys. scripts/build-hnswlib.mjs (npm postinstall) compiles
// the patched addon with -O3 -march=native and keeps the addon npm built at install (-O3, generic x86-64, unpatched)
// as build/Release/addon.npm.node; this loads both and compares them on the same vectors, one thread each, each with
// its own input path (Float32Array views for the patched build, number[] copies for the npm one).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hnswBuild } from '../src/index/hnsw.js';
import { median, row, type BenchResult } from './lib.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

type Addon = typeof import('hnswlib-node');

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const require = createRequire(import.meta.url);
  const release = join(dirname(require.resolve('hnswlib-node/package.json')), 'build', 'Release');
  const build = hnswBuild();
  if (!build.patched || !existsSync(join(release, 'addon.npm.node'))) {
    return { rows: [row({ bench: 'native', metric: 'hnswlib-node rebuilt at install', unit: '', papermap: Number.NaN, higherIsBetter: true, note: `not available: addon ${build.flags}, patched ${build.patched} (see npm install's postinstall output)` })] };
  }
  const n = opts.quick ? 2000 : 10000;
  const base = perturbedCopies(await corpusEmbeddings(), n, 1);
  const queries = perturbedCopies(await corpusEmbeddings(), 500, 2);
  const dims = base.dims;
  const row32 = (v: Float32Array, i: number) => v.subarray(i * dims, (i + 1) * dims);
  const measure = (addon: Addon, typed: boolean) => {
    const builds: number[] = [];
    const rates: number[] = [];
    for (let r = 0; r < 3; r++) {
      const index = new addon.HierarchicalNSW('cosine', dims);
      index.initIndex({ maxElements: n, m: 16, efConstruction: 200, randomSeed: 100 });
      let t0 = performance.now();
      for (let i = 0; i < n; i++) index.addPoint(typed ? row32(base.vectors, i) : Array.from(row32(base.vectors, i)), i);
      builds.push((performance.now() - t0) / 1000);
      index.setEf(64);
      t0 = performance.now();
      for (let i = 0; i < 500; i++) index.searchKnn(typed ? row32(queries.vectors, i) : Array.from(row32(queries.vectors, i)), 10);
      rates.push(500 / ((performance.now() - t0) / 1000));
    }
    return { build: median(builds), qps: median(rates) };
  };
  const npmBuild = measure(require(join(release, 'addon.npm.node')) as Addon, false);
  const installed = measure(require(join(release, 'addon.node')) as Addon, true);
  const label = `N=${n.toLocaleString('en')}`;
  const peer = 'npm build (-O3, generic x86-64, number[] input)';
  return {
    rows: [
      row({ bench: 'native', metric: `hnswlib-node build seconds, patched ${build.flags} vs npm build, ${label}`, unit: 's', papermap: Math.round(installed.build * 100) / 100, peer, peerValue: Math.round(npmBuild.build * 100) / 100, higherIsBetter: false, note: 'one thread, addPoint per row' }),
      row({ bench: 'native', metric: `hnswlib-node queries/s, patched ${build.flags} vs npm build, ${label}`, unit: 'q/s', papermap: Math.round(installed.qps), peer, peerValue: Math.round(npmBuild.qps), higherIsBetter: true }),
    ],
    details: { installed, npmBuild, flags: { installed: build.flags, npm: '-O3 (node-gyp defaults, no -march)', pythonHnswlib: '-O3 -march=native (built from sdist by pip)' } },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
