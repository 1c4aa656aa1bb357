// Install step (npm postinstall): applies patches/ (patch-package), then compiles hnswlib-node's patched addon for
// this machine's instruction set (-O3 -march=native), falling back to a portable -O3 build of the same source, and
// finally to the build npm made at install (unpatched; src/index/hnsw.ts detects that and copies element by element).
// It never downloads anything and never fails the install: every failure is one line on stderr and exit code 0.
//
//   node scripts/build-hnswlib.mjs [--portable]     (PAPERMAP_HNSW_MARCH=<arch> overrides `native`)
//
// Why: the npm build of hnswlib-node compiles for generic x86-64 (SSE2 distance kernels) while Python's hnswlib is
// built with -march=native; the patch adds Float32Array input (one memcpy instead of one N-API call per element) and
// a multi-threaded batch add (hnswlib's addPoint is thread-safe; Python's add_items runs it in parallel), and a batch add
// that keeps each point's nearest construction candidates (the neighbour graph of a fresh index, src/index/index.ts).

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

function say(line) {
  process.stderr.write(`papermap postinstall: ${line}\n`);
}

function applyPatches() {
  let bin;
  try {
    bin = join(dirname(require.resolve('patch-package/package.json')), 'index.js');
  } catch {
    say('patch-package is not installed (production install?); hnswlib-node stays unpatched');
    return false;
  }
  const res = spawnSync(process.execPath, [bin], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) {
    say(`patch-package failed, hnswlib-node stays unpatched: ${(res.stderr || res.stdout).trim().split('\n').slice(-2).join(' ')}`);
    return false;
  }
  return true;
}

/** Compiles the addon with the given -march (or none) to `out`; returns an error text or undefined. */
function compile(pkgDir, march, out) {
  const nodeInclude = join(dirname(process.execPath), '..', 'include', 'node');
  if (!existsSync(join(nodeInclude, 'node_api.h'))) return `no Node headers at ${nodeInclude}`;
  let addonApi;
  try {
    addonApi = dirname(createRequire(join(pkgDir, 'package.json')).resolve('node-addon-api/package.json'));
  } catch {
    return 'node-addon-api not found';
  }
  const cxx = process.env.CXX || 'c++';
  const args = [
    '-O3', ...(march ? [`-march=${march}`] : []), '-std=c++17', '-shared', '-fPIC', '-fexceptions', '-fvisibility=hidden', '-pthread',
    '-DNAPI_DISABLE_CPP_EXCEPTIONS', '-DBUILDING_NODE_EXTENSION', '-DNODE_GYP_MODULE_NAME=addon',
    `-I${nodeInclude}`, `-I${addonApi}`, join(pkgDir, 'src', 'addon.cc'), '-o', out,
  ];
  const res = spawnSync(cxx, args, { encoding: 'utf8' });
  if (res.error) return `${cxx}: ${res.error.message}`;
  if (res.status !== 0) return `${cxx} exited ${res.status}: ${res.stderr.trim().split('\n').slice(-2).join(' ')}`;
  return undefined;
}

/** Loads a compiled addon in a child process and checks the patched calls give the right neighbours. */
function works(file) {
  const probe = `
    const { HierarchicalNSW } = require(${JSON.stringify(file)});
    const dim = 16, n = 200, data = new Float32Array(n * dim);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 12.9898) * 43758.5453 % 1;
    const index = new HierarchicalNSW('cosine', dim);
    index.initIndex({ maxElements: n, m: 8, efConstruction: 50, randomSeed: 1 });
    index.addPoints(data, Uint32Array.from({ length: n }, (_, i) => i), 2);
    index.setEf(50);
    let ok = index.getCurrentCount() === n;
    for (let i = 0; i < n; i += 17) ok = ok && index.searchKnn(data.subarray(i * dim, (i + 1) * dim), 1).neighbors[0] === i;
    ok = ok && index.getPointF32(3) instanceof Float32Array;
    const captured = new HierarchicalNSW('cosine', dim), k = 4, labels = new Uint32Array(n * k);
    captured.initIndex({ maxElements: n, m: 8, efConstruction: 50, randomSeed: 1 });
    captured.addPoints(data, Uint32Array.from({ length: n }, (_, i) => i), 1, false, { k, distances: new Float32Array(n * k), labels });
    ok = ok && labels[0] === 0xFFFFFFFF && labels[k] === 0 && labels.subarray(k * (n - 1)).every((l) => l < n - 1);
    process.exit(ok ? 0 : 1);`;
  return spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).status === 0;
}

function main() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('hnswlib-node/package.json'));
  } catch {
    say('hnswlib-node is not installed; nothing to build');
    return;
  }
  const patched = process.argv.includes('--no-patch') ? true : applyPatches();
  if (!patched) return;
  const release = join(pkgDir, 'build', 'Release');
  mkdirSync(release, { recursive: true });
  const target = join(release, 'addon.node');
  // Keep the build npm made, so a later failed rebuild still leaves a working module.
  if (existsSync(target) && !existsSync(join(release, 'addon.npm.node'))) copyFileSync(target, join(release, 'addon.npm.node'));
  const marches = process.argv.includes('--portable') ? [''] : [process.env.PAPERMAP_HNSW_MARCH || 'native', ''];
  for (const march of marches) {
    const out = join(release, `addon.${march || 'portable'}.tmp.node`);
    const failed = compile(pkgDir, march, out);
    if (failed) {
      say(`hnswlib-node ${march ? `-march=${march}` : 'portable'} build failed: ${failed}`);
      continue;
    }
    if (!works(out)) {
      say(`hnswlib-node ${march ? `-march=${march}` : 'portable'} build does not load or answer correctly; not used`);
      continue;
    }
    renameSync(out, target);
    writeFileSync(join(release, 'papermap-build.json'), `${JSON.stringify({ flags: `-O3${march ? ` -march=${march}` : ''}`, patched: true })}\n`);
    say(`hnswlib-node built with -O3${march ? ` -march=${march}` : ''} (patched: Float32Array input, threaded addPoints, construction candidates)`);
    return;
  }
  say('hnswlib-node keeps the build npm made (unpatched: number[] input, one thread)');
}

try {
  main();
} catch (err) {
  say(`skipped: ${err instanceof Error ? err.message : String(err)}`);
}
