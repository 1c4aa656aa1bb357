// `npm run bench`: runs every benchmark, then writes bench/results/latest.json and latest.md (the README's table).
// Usage: npm run bench [-- --quick] [-- --only embed,index]
// `--only quality` runs every quality figure in one run: the related papers' (bench 'quality') and the themes'
// ('themes-quality'); `--only related-quality` the related papers' alone.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { coreCount, havePython, RESULTS_DIR, ROOT, toMarkdown, writeJson, type BenchResult, type BenchRow, type BenchRuns } from './lib.js';

type BenchModule = { run(opts: { quick?: boolean }): Promise<BenchResult> };

/** Every benchmark, in the order of the pipeline. */
const BENCHES: Record<string, () => Promise<BenchModule>> = {
  embed: () => import('./embed.js'),
  'embed-path': () => import('./embed-path.js'),
  index: () => import('./index.js'),
  'index-million': () => import('./index-million.js'),
  graph: () => import('./graph.js'),
  native: () => import('./native.js'),
  search: () => import('./search.js'),
  quality: () => import('./quality.js'),
  'themes-quality': () => import('./themes-quality.js'),
  rerank: () => import('./rerank.js'),
  themes: () => import('./themes.js'),
  map: () => import('./map.js'),
  'offline-search': () => import('./offline-search.js'),
  serve: () => import('./serve.js'),
  ingest: () => import('./ingest.js'),
  e2e: () => import('./e2e.js'),
  scale: () => import('./scale.js'),
  milvus: () => import('./milvus.js'),
};

/** Names --only takes for several benches, or for one under another name. */
const GROUPS: Record<string, string[]> = { quality: ['quality', 'themes-quality'], 'related-quality': ['quality'] };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const named = args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? (args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : undefined);
  const only = named && [...new Set(named.flatMap((n) => GROUPS[n] ?? [n]))];
  const unknown = named?.filter((n) => !(n in BENCHES) && !(n in GROUPS)) ?? [];
  if (unknown.length) {
    process.stderr.write(`bench: no bench named ${unknown.join(', ')}; the benches: ${[...new Set([...Object.keys(BENCHES), ...Object.keys(GROUPS)])].join(', ')}\n`);
    process.exit(2);
  }
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  if (!havePython()) process.stderr.write('bench: the Python peers are not installed (bash scripts/setup-python.sh); peer columns will be empty\n');
  const failedFile = join(ROOT, '.venv', 'FAILED');
  if (existsSync(failedFile)) {
    for (const req of readFileSync(failedFile, 'utf8').split('\n').filter(Boolean)) {
      rows.push({ bench: 'peers', metric: `peer ${req} did not install`, unit: '', papermap: Number.NaN, higherIsBetter: true, note: 'see scripts/setup-python.sh output' });
    }
  }
  for (const [name, load] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    const t0 = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      const result = await (await load()).run({ quick });
      rows.push(...result.rows);
      details[name] = result.details ?? {};
    } catch (error) {
      rows.push({ bench: name, metric: 'failed', unit: '', papermap: Number.NaN, higherIsBetter: true, note: String((error as Error).message ?? error).split('\n')[0] });
    }
    process.stderr.write(`bench: ${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const header = {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: String(coreCount()),
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.versions.node,
    date: new Date().toISOString().slice(0, 10),
    command: `${['PAPERMAP_BENCH_SCALE_SIZES', 'PAPERMAP_BENCH_SCALE_STAGES', 'PAPERMAP_BENCH_SCALE_VECTORS', 'PAPERMAP_BENCH_MILLION_N', 'PAPERMAP_BENCH_MILVUS_N'].map((v) => (process.env[v] ? `${v}=${process.env[v]} ` : '')).join('')}npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
  };
  // With --only, the other benches' rows of the last full run are kept, so latest.md stays one whole table.
  const latest = join(RESULTS_DIR, 'latest.json');
  let allRows = rows;
  let allDetails = details;
  const ran: BenchRuns = Object.fromEntries([...new Set(rows.map((r) => r.bench))].map((b) => [b, { command: header.command, date: header.date }]));
  let runs = ran;
  if (only && existsSync(latest)) {
    const previous = JSON.parse(readFileSync(latest, 'utf8')) as { runs?: BenchRuns; rows: BenchRow[]; details: Record<string, unknown> };
    const order = Object.keys(BENCHES);
    // JSON keeps a missing figure (NaN) as null; read back it is still missing, not 0.
    const kept = previous.rows.filter((r) => !only.includes(r.bench)).map((r) => ({ ...r, papermap: r.papermap ?? Number.NaN }));
    allRows = [...kept, ...rows].sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
    allDetails = { ...previous.details, ...details };
    runs = { ...(previous.runs ?? {}), ...ran };
  }
  writeJson(latest, { header, runs, rows: allRows, details: allDetails });
  const md = toMarkdown(allRows, header, runs);
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
  process.stdout.write(md);
}

await main();
