// Benchmark: the whole pipeline (`papermap run data`: ingest → embed → index → themes → map) on the bundled corpus,
// wall time and peak RSS, cold (empty cache), warm (embedding cache full, every other stage recomputed) and as a
// no-op re-run, against BERTopic's fit (embedding included) on the same texts, same model and threads, same run.

import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusTexts } from './corpus.js';
import { coreCount, median, ROOT, row, runPython, tmpPath, type BenchResult } from './lib.js';

interface Measured {
  seconds: number;
  maxRssMb: number;
}

/** Runs `papermap run data -p <dir>` in a fresh process; returns wall seconds and peak RSS. */
function runPipeline(projectDir: string): Measured {
  const rssFile = tmpPath('e2e-rss.txt');
  const t0 = performance.now();
  const res = spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'peak-rss.mjs'), join(ROOT, 'dist', 'cli', 'main.js'), 'run', join(ROOT, 'data'), '-p', projectDir], { encoding: 'utf8', env: { ...process.env, PEAK_RSS_FILE: rssFile } });
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`papermap run failed: ${res.stderr}`);
  return { seconds, maxRssMb: Number(readFileSync(rssFile, 'utf8')) };
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const repeats = opts.quick ? 1 : 3;
  const cold: Measured[] = [];
  const warm: Measured[] = [];
  const noop: Measured[] = [];
  for (let i = 0; i < repeats; i++) {
    const dir = tmpPath(`e2e-project-${i}`);
    rmSync(dir, { recursive: true, force: true });
    cold.push(runPipeline(dir));
    noop.push(runPipeline(dir));
    const warmDir = tmpPath(`e2e-warm-${i}`);
    rmSync(warmDir, { recursive: true, force: true });
    cpSync(join(dir, 'cache'), join(warmDir, 'cache'), { recursive: true });
    warm.push(runPipeline(warmDir));
  }
  const textsFile = tmpPath('e2e-texts.json');
  writeFileSync(textsFile, JSON.stringify(await corpusTexts()));
  const peer: (Measured & { topics: number; version: string })[] = [];
  for (let i = 0; i < repeats; i++) peer.push(runPython('e2e_bertopic.py', { textsFile, threads: coreCount() }, coreCount()));
  const med = (xs: Measured[], key: keyof Measured) => Math.round(median(xs.map((x) => x[key])) * 10) / 10;
  const peerS = med(peer, 'seconds');
  const peerMb = med(peer, 'maxRssMb');
  const rows = [
    row({ bench: 'e2e', metric: 'whole pipeline, cold (empty cache), seconds', unit: 's', papermap: med(cold, 'seconds'), peer: 'BERTopic fit_transform', peerValue: peerS, higherIsBetter: false }),
    row({ bench: 'e2e', metric: 'whole pipeline, warm (embedding cache full), seconds', unit: 's', papermap: med(warm, 'seconds'), peer: 'BERTopic fit_transform', peerValue: peerS, higherIsBetter: false }),
    row({ bench: 'e2e', metric: 'no-op re-run (nothing changed), seconds', unit: 's', papermap: med(noop, 'seconds'), peer: 'BERTopic fit_transform', peerValue: peerS, higherIsBetter: false }),
    row({ bench: 'e2e', metric: 'peak RSS, cold, MB', unit: 'MB', papermap: med(cold, 'maxRssMb'), peer: 'BERTopic fit_transform', peerValue: peerMb, higherIsBetter: false }),
  ];
  return { rows, details: { repeats, cold, warm, noop, peer } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
