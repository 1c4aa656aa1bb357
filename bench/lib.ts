// Shared by every benchmark: timing with medians, the Python peers' runner, and the result shape run.ts collects.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The Python of the git-ignored virtualenv made by scripts/setup-python.sh. */
export const PYTHON = join(ROOT, '.venv', 'bin', 'python');
/** Where results are written (latest.json and latest.md are committed; tmp/ is not). */
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const TMP_DIR = join(RESULTS_DIR, 'tmp');
/** Where the outside corpora (arXiv, CSFCube, …) and their embedded projects live (not in the repository). */
export const SHARED_CORPORA = process.env.PAPERMAP_CORPORA ?? '/work/wt/shared-corpora';

/** A script's `--name value` argument, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

/** One line of a results table: papermap against a peer measured in the same run. */
export interface BenchRow {
  bench: string;
  /** What is measured, e.g. 'embed abstracts/s (int8, batch 32)'. */
  metric: string;
  unit: string;
  papermap: number;
  peer?: string;
  peerValue?: number;
  /** papermap / peer for "higher is better" metrics, peer / papermap for times; > 1 means papermap is ahead. */
  ratio?: number;
  higherIsBetter: boolean;
  note?: string;
}

/** What one benchmark module returns. */
export interface BenchResult {
  rows: BenchRow[];
  /** Anything else worth keeping (raw timings, parameters). */
  details?: Record<string, unknown>;
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs `fn` `repeats` times and returns each wall time in ms. */
export async function timeRepeats(repeats: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Builds a row with its ratio oriented so that > 1 means papermap is better. */
export function row(r: Omit<BenchRow, 'ratio'>): BenchRow {
  const ratio = r.peerValue === undefined || r.peerValue === 0 || r.papermap === 0 ? undefined : r.higherIsBetter ? r.papermap / r.peerValue : r.peerValue / r.papermap;
  return { ...r, ...(ratio === undefined ? {} : { ratio: Math.round(ratio * 100) / 100 }) };
}

/** True when the Python peers' virtualenv exists (scripts/setup-python.sh). */
export function havePython(): boolean {
  return existsSync(PYTHON);
}

/**
 * Runs a Python peer script from bench/peers/ with JSON arguments on argv[1] and parses the one JSON document it prints
 * on stdout. Thread counts are pinned through the usual environment variables so peers use what papermap uses.
 */
export function runPython<T>(script: string, args: unknown, threads: number): T {
  if (!havePython()) throw new Error('the Python peers are not installed: run `bash scripts/setup-python.sh` first');
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), NUMBA_NUM_THREADS: String(threads), TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', CUDA_VISIBLE_DEVICES: '' };
  const res = spawnSync(PYTHON, [join(ROOT, 'bench', 'peers', script), JSON.stringify(args)], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`${script} failed (exit ${res.status}): ${res.stderr.split('\n').slice(-6).join('\n')}`);
  return JSON.parse(res.stdout) as T;
}

/** Core count of this machine, printed with every table. */
export function coreCount(): number {
  return cpus().length;
}

/** Makes bench/results/tmp and returns a path inside it. */
export function tmpPath(name: string): string {
  mkdirSync(TMP_DIR, { recursive: true });
  return join(TMP_DIR, name);
}

/** Writes a JSON file with a trailing newline. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function fmt(x: number | undefined): string {
  if (x === undefined) return '';
  if (Number.isNaN(x)) return '—';
  return Math.abs(x) >= 100 ? String(Math.round(x)) : String(Math.round(x * 1000) / 1000);
}

/** Which command produced each bench's rows, and when (`npm run bench -- --only X` replaces X's rows alone). */
export type BenchRuns = Record<string, { command: string; date: string; note?: string }>;

/** The results as a Markdown table, with the machine it ran on and the command behind each bench's rows. */
export function toMarkdown(rows: readonly BenchRow[], header: Record<string, string>, runs: BenchRuns = {}): string {
  const benches = [...new Set(rows.map((r) => r.bench))];
  const lines = [
    `Measured on ${header.cpu}, ${header.cores} cores, ${header.memory}; Node ${header.node}. Ratio > 1 means papermap is ahead of the peer. Each bench's rows come from:`,
    '',
    ...benches.map((b) => (runs[b] ? `- ${b}: \`${runs[b].command}\`, ${runs[b].date}${runs[b].note ? ` (${runs[b].note})` : ''}` : `- ${b}: \`${header.command}\`, ${header.date}`)),
    '',
    '| bench | metric | papermap | peer | peer value | ratio | note |',
    '|---|---|---:|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.bench} | ${r.metric} | ${fmt(r.papermap)} | ${r.peer ?? ''} | ${fmt(r.peerValue)} | ${r.ratio === undefined ? '' : `${r.ratio}×`} | ${(r.note ?? '').replace(/\|/g, '/')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
