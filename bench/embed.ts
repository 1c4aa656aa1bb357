// Benchmark: abstracts per second embedding the corpus, papermap (int8/fp32, batch sizes, threads) against
// Python sentence-transformers on the same texts, same model and same thread count, plus the arithmetic headroom.

import { writeFileSync } from 'node:fs';
import { embedTexts } from '../src/embed/index.js';
import { corpusTexts } from './corpus.js';
import { coreCount, median, row, runPython, timeRepeats, tmpPath, type BenchResult, type BenchRow } from './lib.js';

/** Multiply-adds per token of all-MiniLM-L6-v2 (6 layers, hidden 384, FFN 1536) excluding attention scores. */
const DENSE_MACS_PER_TOKEN = 6 * (4 * 384 * 384 + 2 * 384 * 1536);

/** FLOPs to embed one text of `tokens` word pieces: 2 per multiply-add, dense layers plus attention (QKᵀ and AV). */
export function flopsPerText(tokens: number): number {
  return 2 * (DENSE_MACS_PER_TOKEN * tokens + 6 * 2 * tokens * tokens * 384);
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const all = await corpusTexts();
  const texts = opts.quick ? all.slice(0, 128) : all;
  const repeats = opts.quick ? 1 : 3;
  const threads = coreCount();
  const batchSizes = opts.quick ? [32] : [8, 32, 128];
  const textsFile = tmpPath('embed-texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));

  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = { texts: texts.length, repeats, threads };
  const peer = runPython<{ version: string; results: { batchSize: number; seconds: number[] }[]; sgemmGflops: number; meanTokens: number; tokens: number[] }>('embed_st.py', { textsFile, batchSizes, repeats, threads }, threads);
  details.peer = peer.version;
  const peerRate = new Map(peer.results.map((r) => [r.batchSize, texts.length / median(r.seconds)]));
  const flops = peer.tokens.reduce((s, t) => s + flopsPerText(t), 0) / texts.length;

  const measure = async (quantized: boolean, batchSize: number, th: number) => {
    await embedTexts(texts.slice(0, 8), { quantized, batchSize, threads: th }); // load + warm up
    const ms = await timeRepeats(repeats, () => embedTexts(texts, { quantized, batchSize, threads: th }));
    return texts.length / (median(ms) / 1000);
  };

  let best = 0;
  for (const quantized of [true, false]) {
    for (const batchSize of batchSizes) {
      const rate = await measure(quantized, batchSize, threads);
      best = Math.max(best, rate);
      rows.push(row({ bench: 'embed', metric: `abstracts/s, ${quantized ? 'int8' : 'fp32'}, batch ${batchSize}, ${threads} threads`, unit: 'abstracts/s', papermap: round(rate), peer: 'sentence-transformers fp32', peerValue: round(peerRate.get(batchSize) ?? 0), higherIsBetter: true }));
    }
  }
  if (!opts.quick && threads > 1) {
    const one = await measure(true, 32, 1);
    rows.push(row({ bench: 'embed', metric: 'abstracts/s, int8, batch 32, 1 thread', unit: 'abstracts/s', papermap: round(one), higherIsBetter: true, note: 'thread scaling' }));
  }
  const achieved = (best * flops) / 1e9;
  rows.push(row({ bench: 'embed', metric: 'GFLOP/s achieved (best papermap setting) vs fp32 sgemm peak of this machine', unit: 'GFLOP/s', papermap: round(achieved), peer: 'torch sgemm 2048³', peerValue: round(peer.sgemmGflops), higherIsBetter: true, note: `${round(flops / 1e9)} GFLOP per abstract (mean ${round(peer.meanTokens)} word pieces)` }));
  details.gflopPerAbstract = flops / 1e9;
  return { rows, details };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
