// Benchmark: the pipeline's time and peak memory per stage at growing corpus sizes, and how each stage's cost grows
// (the exponent b of time ∝ N^b between consecutive sizes). Each stage runs in its own process with a time limit.
// Papers are real (arXiv + ACL Anthology, bench/scale-corpus.ts, which must have been run once); vectors are the
// cached sets scale-stage.ts names in each row's note: the TF-IDF stand-in every size has, and (themes and map, rows
// marked "MiniLM vectors") the model's own vectors where bench/scale-corpus.ts has embedded that far.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { OFFLINE_SEARCH_MAX_PAPERS } from '../src/pipeline/offline-search.js';
import { RESULTS_DIR, ROOT, row, type BenchResult, type BenchRow } from './lib.js';

const STAGES = ['ingest', 'embed', 'index', 'themes', 'map'] as const;

interface StageRun {
  ms?: number;
  cpuMs?: number;
  graphMs?: number;
  maxRssMb?: number;
  /** The map's project had no fresh themes, so the themes step ran first in the map's process (untimed, but in its peak RSS). */
  themesRunFirst?: boolean;
  timedOut?: boolean;
  error?: string;
}

function runStage(stage: string, n: number, limitS: number, variant: string): StageRun {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'scale-stage.ts'), stage, String(n)], { encoding: 'utf8', timeout: limitS * 1000, maxBuffer: 1 << 26, env: { ...process.env, PAPERMAP_BENCH_SCALE_VECTORS: variant } });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { timedOut: true };
  if (res.status !== 0) return { error: res.stderr.split('\n').filter(Boolean).slice(-3).join(' ') };
  return JSON.parse(res.stdout.trim().split('\n').at(-1) as string) as StageRun;
}

/** The vector set every size has (and the only one the ingest, embed and index rows use). */
const DEFAULT_VECTORS = 'tfidf384';

/** A table key: the stage for the default vectors, `stage@variant` for another cached set (themes and map only). */
function keyOf(stage: string, variant: string): string {
  return variant === DEFAULT_VECTORS ? stage : `${stage}@${variant}`;
}

function vectorsNote(variant: string): string {
  const what = variant === DEFAULT_VECTORS ? ' (TF-IDF random projection of the same texts: embedding 100k with the default model does not fit a session here)' : variant.startsWith('minilm-int8') ? ` (all-MiniLM-L6-v2 int8 through papermap's embed${/cut(\d+)/.test(variant) ? `, each text cut to ${/cut(\d+)/.exec(variant)?.[1]} characters at a word boundary to fit the embedding into a session (bench only)` : ''})` : '';
  return `real papers (arXiv + ACL Anthology), vectors ${variant}${what}`;
}

/** How a row names a vector set other than the default. */
function metricSuffix(variant: string): string {
  return variant === DEFAULT_VECTORS ? '' : `, ${variant.startsWith('minilm-int8') ? 'MiniLM vectors' : variant}`;
}

export async function run(opts: { quick?: boolean; limitS?: number } = {}): Promise<BenchResult> {
  // PAPERMAP_BENCH_SCALE_SIZES=10000,30000,100000 measures those sizes instead.
  const sizes = process.env.PAPERMAP_BENCH_SCALE_SIZES?.split(',').map(Number) ?? (opts.quick ? [1000, 10000] : [1000, 10000, 100000]);
  // PAPERMAP_BENCH_SCALE_VECTORS=tfidf384,minilm-int8-cut600 runs the themes and map stages on each cached set.
  const variants = (process.env.PAPERMAP_BENCH_SCALE_VECTORS ?? DEFAULT_VECTORS).split(',');
  const limitS = opts.limitS ?? Number(process.env.PAPERMAP_BENCH_SCALE_LIMIT_S ?? 600);
  // PAPERMAP_BENCH_SCALE_STAGES=ingest,index re-measures only those stages and keeps the others from the last results.
  const rerun = process.env.PAPERMAP_BENCH_SCALE_STAGES?.split(',');
  const previous = rerun && existsSync(join(RESULTS_DIR, 'latest.json')) ? (JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8')) as { details?: { scale?: { table?: Record<string, Record<number, StageRun>> } } }).details?.scale?.table : undefined;
  const table: Record<string, Record<number, StageRun>> = {};
  const prepared = new Set<string>();
  for (const stage of STAGES) {
    for (const variant of stage === 'themes' || stage === 'map' ? variants : [variants[0] as string]) {
      if (rerun && !rerun.includes(stage)) continue;
      const key = keyOf(stage, variant);
      table[key] = {};
      for (const n of sizes) {
        // The project the themes and map steps run on is committed first, in its own process (not timed).
        if ((stage === 'themes' || stage === 'map') && !prepared.has(`${variant} ${n}`)) {
          const p = runStage('prepare', n, 3600, variant);
          if (p.error || p.timedOut) throw new Error(`scale: preparing the ${n}-paper project (${variant}) failed: ${p.error ?? 'timed out'}`);
          prepared.add(`${variant} ${n}`);
        }
        const prev = table[key][sizes[sizes.indexOf(n) - 1] ?? -1];
        // A stage that already timed out at a smaller size is not tried larger.
        table[key][n] = prev?.timedOut ? { timedOut: true } : runStage(stage, n, limitS, variant);
        process.stderr.write(`scale: ${key} N=${n}: ${JSON.stringify(table[key][n])}\n`);
      }
    }
  }
  // Stages (and vector sets) not measured this time keep their last results.
  for (const [key, runs] of Object.entries(previous ?? {})) if (!(key in table)) table[key] = runs;
  const rows: BenchRow[] = [];
  const growth: Record<string, number[]> = {};
  const keys = STAGES.flatMap((stage) => Object.keys(table).filter((key) => key.split('@')[0] === stage));
  for (const key of keys) {
    const [stage, variant = DEFAULT_VECTORS] = key.split('@') as [string, string?];
    const suffix = metricSuffix(variant);
    growth[key] = [];
    const cpuGrowth: number[] = [];
    // A stage kept from the last results may have been measured at other sizes.
    const measured = Object.keys(table[key] as object).map(Number).sort((a, b) => a - b);
    measured.forEach((n, i) => {
      const r = table[key]?.[n] as StageRun;
      // Runs kept from results older than the CPU-time probe predate the real corpus: their note names no source.
      const note = r.timedOut ? `over ${limitS} s` : r.error ? `failed: ${r.error}` : stage === 'embed' ? `extrapolated from 1,000 real texts; peak RSS ${r.maxRssMb} MB` : `peak RSS ${r.maxRssMb} MB${r.cpuMs !== undefined ? `; CPU ${(r.cpuMs / 1000).toFixed(1)} s; ${stage === 'ingest' ? 'real papers' : vectorsNote(variant)}` : ''}${r.graphMs !== undefined ? `; kNN graph ${(r.graphMs / 1000).toFixed(1)} s of it` : ''}${stage === 'themes' || stage === 'map' ? `; the pipeline's ${stage} step (papermap ${stage}) on a committed project, ${availableParallelism()} cores` : ''}${r.themesRunFirst ? '; the peak RSS includes the themes step run first (untimed) in the same process' : ''}${stage === 'map' && n <= OFFLINE_SEARCH_MAX_PAPERS && variant === 'tfidf384' ? '; no offline search table in the page (no model embeds words into the TF-IDF space)' : ''}`;
      rows.push(row({ bench: 'scale', metric: `${stage} seconds, N=${n.toLocaleString('en')}${suffix}`, unit: 's', papermap: r.ms === undefined ? Number.NaN : Math.round(r.ms / 100) / 10, higherIsBetter: false, note }));
      const before = table[key]?.[measured[i - 1] ?? -1];
      if (before?.ms && r.ms) growth[key]?.push(exponent(before, r, measured[i - 1] as number, n));
      if (before?.cpuMs && r.cpuMs) cpuGrowth.push(exponent(before, r, measured[i - 1] as number, n, 'cpuMs'));
    });
    const first = table[key]?.[measured[0] as number];
    const lastRun = table[key]?.[measured.at(-1) as number];
    const span = `${(measured[0] as number).toLocaleString('en')} → ${(measured.at(-1) as number).toLocaleString('en')}`;
    const overall = first?.ms && lastRun?.ms && measured.length > 2 ? `; ${span}: ${exponent(first, lastRun, measured[0] as number, measured.at(-1) as number)}` : '';
    const overallCpu = first?.cpuMs && lastRun?.cpuMs && measured.length > 2 ? `; ${span}: ${exponent(first, lastRun, measured[0] as number, measured.at(-1) as number, 'cpuMs')}` : '';
    // On a shared machine CPU time is the figure that holds, so the row's value is the CPU exponent when there is one.
    const value = cpuGrowth.length ? cpuGrowth.at(-1) : growth[key]?.at(-1);
    rows.push(row({ bench: 'scale', metric: `${stage} growth exponent b (time ∝ N^b), per size step${suffix}`, unit: 'b', papermap: value ?? Number.NaN, higherIsBetter: false, note: `${cpuGrowth.length ? `CPU time: ${cpuGrowth.join(', ')}${overallCpu}; wall time: ` : ''}${(growth[key] ?? []).join(', ')}${overall}` }));
  }
  const last = sizes.at(-1) as number;
  for (const variant of [DEFAULT_VECTORS, ...variants.filter((v) => v !== DEFAULT_VECTORS)]) {
    const themes = table[keyOf('themes', variant)]?.[last];
    const map = table[keyOf('map', variant)]?.[last];
    if (themes?.ms === undefined || map?.ms === undefined) continue;
    rows.push(row({ bench: 'scale', metric: `themes + map seconds from cached vectors, N=${last.toLocaleString('en')}${metricSuffix(variant)}`, unit: 's', papermap: Math.round((themes.ms + map.ms) / 100) / 10, higherIsBetter: false, note: `target < 120 s and < 3 GiB; CPU ${(((themes.cpuMs ?? Number.NaN) + (map.cpuMs ?? Number.NaN)) / 1000).toFixed(1)} s; peak RSS themes ${themes.maxRssMb} MB, map ${map.maxRssMb} MB (separate processes); ${vectorsNote(variant)}` }));
  }
  return { rows, details: { sizes, limitS, table, growth, vectors: variants } };
}

/** b in time ∝ N^b between two sizes, from wall time (or CPU time). */
function exponent(a: StageRun, b: StageRun, na: number, nb: number, field: 'ms' | 'cpuMs' = 'ms'): number {
  return Math.round((Math.log((b[field] as number) / (a[field] as number)) / Math.log(nb / na)) * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, note }) => ({ metric, papermap, note })));
}
