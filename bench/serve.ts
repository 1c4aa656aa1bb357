// Load bench: `papermap serve` over the bundled corpus, driven by autocannon on loopback for a bounded time per route mix.
//
// The project is built in a temporary folder from the corpus (papermap's ingest, cached int8 vectors, HNSW index, map).
// The server is the real bin (dist/cli/main.js serve --port 0) in its own process; autocannon runs here with
// 10 connections for 10 s per scenario (3 s with --quick). Errors, timeouts and non-2xx answers must all be 0.
// Then a crowd: 200 connections for 30 s (5 s with --quick), 150 asking /api/similar and 50 /api/search at the same
// time (two autocannon instances, so each route has its own latency figures): no timeouts, no 5xx other than the
// deliberate 503 BUSY of a full embedding queue, and similar's p99 under 50 ms. Before the scenarios, each of the 200
// papers is asked for once on one connection: what a similar query costs the first time (later ones are kept answers).
// With PAPERMAP_BENCH_SERVE_BASELINE=<another papermap checkout, built> the same runs go to that checkout's server on
// the same project right after, as the peer (e.g. the commit before query embedding moved to a worker thread).
// Run alone: npx tsc -p tsconfig.json && npx tsx bench/serve.ts [--quick]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { indexCommand, mapCommand } from '../src/pipeline/index.js';
import { withWriter, writeEmbeddings, writePapers } from '../src/project/index.js';
import { corpusPapers } from './corpus.js';
import { ROOT, row, TMP_DIR, type BenchResult, type BenchRow } from './lib.js';
import { corpusEmbeddings } from './vectors.js';

interface Scenario {
  name: string;
  /** Paths requested in turn by every connection. */
  paths: string[];
}

interface Measured {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: number;
}

async function buildProject(): Promise<{ dir: string; ids: string[] }> {
  const dir = mkdtempSync(join(TMP_DIR, 'serve-project-'));
  const papers = await corpusPapers();
  const embeddings = await corpusEmbeddings();
  await withWriter(dir, { command: 'bench serve', create: true }, (project) => {
    writePapers(project, papers, []);
    writeEmbeddings(project, embeddings, { options: { model: embeddings.modelId } });
  });
  await indexCommand({ project: dir });
  await mapCommand({ project: dir });
  return { dir, ids: embeddings.ids };
}

function startServe(root: string, dir: string): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'serve', '--project', dir, '--port', '0']);
  let out = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`papermap serve did not start: ${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ url: m[1] as string, stop: () => (child.kill('SIGTERM'), exited) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then(() => reject(new Error(`papermap serve exited: ${out}`)));
  });
}

interface CrowdMeasured {
  route: string;
  connections: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  timeouts: number;
  errors: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
}

/** Two route mixes at once against one server; each autocannon instance reports its own latencies and statuses. */
async function crowd(url: string, mixes: { route: string; connections: number; paths: string[] }[], seconds: number): Promise<CrowdMeasured[]> {
  const runs = mixes.map(async (mix) => {
    let next = 0;
    const result = await autocannon({
      url,
      connections: mix.connections,
      duration: seconds,
      timeout: 20,
      requests: [{ method: 'GET', setupRequest: (request: Record<string, unknown>) => ({ ...request, path: mix.paths[next++ % mix.paths.length] }) }],
    });
    const statuses: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (stat as { count: number }).count;
    return { route: mix.route, connections: mix.connections, requests: result.requests.total, p50Ms: result.latency.p50, p99Ms: result.latency.p99, maxMs: result.latency.max, timeouts: result.timeouts, errors: result.errors, statuses };
  });
  return Promise.all(runs);
}

async function load(url: string, scenario: Scenario, seconds: number): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: 10,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: (request: Record<string, unknown>) => ({ ...request, path: scenario.paths[next++ % scenario.paths.length] }) }],
  });
  return {
    scenario: scenario.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** Latencies of one request per path, one at a time. */
async function oneByOne(url: string, paths: readonly string[]): Promise<{ p50Ms: number; p99Ms: number; requests: number; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  for (const path of paths) {
    const started = performance.now();
    const response = await fetch(`${url}${path.slice(1)}`);
    await response.arrayBuffer();
    ms.push(performance.now() - started);
    if (!response.ok) failed++;
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round((ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] as number) * 10) / 10;
  return { p50Ms: at(0.5), p99Ms: at(0.99), requests: ms.length, failed };
}

interface ServerRun {
  cold: Awaited<ReturnType<typeof oneByOne>>;
  measured: Measured[];
  crowded: CrowdMeasured[];
  /** 1-minute load average when the crowd started. */
  crowdLoad: number;
  exitCode: number | null;
}

/** Starts the server of the checkout at `root` on the project and runs everything against it. */
async function measureServer(root: string, dir: string, scenarios: Scenario[], seconds: number, crowdSeconds: number): Promise<ServerRun> {
  const server = await startServe(root, dir);
  let run: Omit<ServerRun, 'exitCode'> | undefined;
  try {
    // Loads the model before timing; a server whose model is still loading may answer 503 + Retry-After meanwhile.
    for (let attempt = 0; attempt < 60 && (await fetch(`${server.url}api/search?q=warm%20up&k=1`)).status === 503; attempt++) await new Promise((done) => setTimeout(done, 1000));
    const cold = await oneByOne(server.url, (scenarios[0] as Scenario).paths.filter((p) => p.startsWith('/api/similar')));
    const measured: Measured[] = [];
    for (const scenario of scenarios) measured.push(await load(server.url, scenario, seconds));
    const crowdLoad = Math.round((loadavg()[0] as number) * 10) / 10;
    const crowded = await crowd(
      server.url,
      [
        { route: 'similar', connections: 150, paths: (scenarios[0] as Scenario).paths.filter((p) => p.startsWith('/api/similar')) },
        { route: 'search', connections: 50, paths: (scenarios[1] as Scenario).paths },
      ],
      crowdSeconds,
    );
    run = { cold, measured, crowded, crowdLoad };
  } finally {
    const exitCode = await server.stop();
    if (run) return { ...run, exitCode };
  }
  throw new Error('unreachable');
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const seconds = opts.quick ? 3 : 10;
  const crowdSeconds = opts.quick ? 5 : 30;
  const { dir, ids } = await buildProject();
  const pick = (count: number) => Array.from({ length: count }, (_, i) => ids[(i * 7919) % ids.length] as string);
  const queries = ['model merging of fine-tuned language models', 'protein structure prediction', 'reinforcement learning from human feedback', 'efficient attention for long context', 'diffusion models for image generation', 'graph neural networks', 'retrieval augmented generation', 'multi-task learning'];
  const scenarios: Scenario[] = [
    { name: 'similar + paper (k=10)', paths: pick(200).flatMap((id) => [`/api/similar?id=${encodeURIComponent(id)}&k=10`, `/api/papers/${encodeURIComponent(id)}`]) },
    { name: 'semantic search (embeds the query)', paths: queries.map((q) => `/api/search?q=${encodeURIComponent(q)}&k=10`) },
    { name: 'map page', paths: ['/'] },
  ];
  const baselineRoot = process.env.PAPERMAP_BENCH_SERVE_BASELINE;
  const peer = baselineRoot ? `papermap at ${baselineRoot.split('/').pop()}` : undefined;
  let ours: ServerRun;
  let theirs: ServerRun | undefined;
  try {
    ours = await measureServer(ROOT, dir, scenarios, seconds, crowdSeconds);
    if (baselineRoot) theirs = await measureServer(baselineRoot, dir, scenarios, seconds, crowdSeconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: BenchRow[] = [];
  const vs = (value: number | undefined) => (peer && value !== undefined ? { peer, peerValue: value } : {});
  const coldNote = (c: ServerRun['cold']) => `p99 ${c.p99Ms} ms, ${c.requests} papers, failed ${c.failed}`;
  rows.push(row({ bench: 'serve', metric: 'similar (k=10), first query per paper, one connection: p50 ms', unit: 'ms', papermap: ours.cold.p50Ms, ...vs(theirs?.cold.p50Ms), higherIsBetter: false, note: `${coldNote(ours.cold)}${theirs ? `; peer ${coldNote(theirs.cold)}` : ''}` }));
  ours.measured.forEach((m, i) => {
    const p = theirs?.measured[i];
    const failures = (x: Measured) => x.errors + x.timeouts + x.non2xx;
    const note = (x: Measured) => `p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, ${x.requests} requests, errors ${x.errors}, timeouts ${x.timeouts}, non-2xx ${x.non2xx}`;
    rows.push(row({ bench: 'serve', metric: `${m.scenario}: requests/s (10 connections, ${seconds} s)`, unit: 'req/s', papermap: m.requestsPerSecond, ...vs(p?.requestsPerSecond), higherIsBetter: true, note: `${note(m)}${p ? `; peer ${note(p)}` : ''}` }));
    rows.push(row({ bench: 'serve', metric: `${m.scenario}: failed requests`, unit: 'count', papermap: failures(m), ...vs(p ? failures(p) : undefined), higherIsBetter: false }));
  });
  ours.crowded.forEach((c, i) => {
    const p = theirs?.crowded[i];
    const fiveXx = (x: CrowdMeasured) => Object.entries(x.statuses).filter(([code]) => code.startsWith('5') && code !== '503').reduce((n, [, count]) => n + count, 0);
    const note = (x: CrowdMeasured, load: number) => `${x.connections} of 200 connections, ${crowdSeconds} s, load ${load}: p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, max ${x.maxMs} ms, ${x.requests} requests, statuses ${JSON.stringify(x.statuses)}, timeouts ${x.timeouts}, errors ${x.errors}`;
    rows.push(row({ bench: 'serve', metric: `crowd (similar + search at once): ${c.route} p99`, unit: 'ms', papermap: c.p99Ms, ...vs(p?.p99Ms), higherIsBetter: false, note: `${note(c, ours.crowdLoad)}${p && theirs ? `; peer ${note(p, theirs.crowdLoad)}` : ''}` }));
    rows.push(row({ bench: 'serve', metric: `crowd (similar + search at once): ${c.route} timeouts, errors and 5xx other than 503`, unit: 'count', papermap: c.timeouts + c.errors + fiveXx(c), ...vs(p ? p.timeouts + p.errors + fiveXx(p) : undefined), higherIsBetter: false }));
  });
  // Latencies under a closed-loop crowd scale with the CPU the server gets: the machine's load is part of the figure.
  return { rows, details: { connections: 10, seconds, corpusPapers: ids.length, ours, ...(theirs ? { peer, theirs } : {}), loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), serverExitCode: ours.exitCode } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  for (const r of result.rows) console.log(`${r.metric}: ${r.papermap}${r.peerValue !== undefined ? ` vs ${r.peerValue}` : ''}${r.note ? `  (${r.note})` : ''}`);
  console.log(`server exit code after SIGTERM: ${String(result.details?.serverExitCode)}; load average ${JSON.stringify(result.details?.loadAverage)}`);
}
