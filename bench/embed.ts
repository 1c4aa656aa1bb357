// Benchmark: embedding the corpus with each vendored model. Abstracts per second (int8 at batch 8/16/32, fp32) against
// a raw Python onnxruntime session on the same file and sentence-transformers (MiniLM) at the same thread count; cold
// peak RSS per batch size (one fresh process each, the figure that chose the default batch size); int8/fp32 top-10
// agreement over the whole corpus; and the arithmetic headroom.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL, EMBED_DEFAULTS, MODEL_NAMES, embedTexts, type ModelName } from '../src/embed/index.js';
import { DEFAULT_MODEL_DIR, MODELS } from '../src/embed/model.js';
import { exactNeighbours } from '../src/index/index.js';
import { corpusTexts } from './corpus.js';
import { ROOT, coreCount, median, row, runPython, timeRepeats, tmpPath, type BenchResult, type BenchRow } from './lib.js';

/** Layers of each model (hidden 384, FFN 1536 for both). */
const LAYERS: Record<ModelName, number> = { 'bge-small-en-v1.5': 12, 'all-MiniLM-L6-v2': 6 };

/** FLOPs to embed one text of `tokens` word pieces: 2 per multiply-add, dense layers plus attention (QKᵀ and AV). */
export function flopsPerText(tokens: number, layers = 6): number {
  return 2 * layers * ((4 * 384 * 384 + 2 * 384 * 1536) * tokens + 2 * tokens * tokens * 384);
}

/** Peak RSS (MB) of a fresh process embedding the texts once with the given settings, as `npm start` would. */
function coldPeakRssMb(textsFile: string, model: ModelName, batchSize: number, threads: number): number {
  const rssFile = tmpPath(`embed-rss-${model}-${batchSize}.txt`);
  const script = `import { readFileSync } from 'node:fs'; import { embedTexts } from ${JSON.stringify(join(ROOT, 'dist', 'embed', 'index.js'))};
await embedTexts(JSON.parse(readFileSync(${JSON.stringify(textsFile)}, 'utf8')), { model: ${JSON.stringify(model)}, batchSize: ${batchSize}, threads: ${threads} });`;
  const res = spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'peak-rss.mjs'), '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, PEAK_RSS_FILE: rssFile } });
  if (res.status !== 0) throw new Error(`cold embed run failed: ${res.stderr.slice(-400)}`);
  return Number(readFileSync(rssFile, 'utf8'));
}

/** Mean overlap of exact top-10 lists (self excluded) under two embeddings of the same texts. */
function top10Agreement(a: Float32Array, b: Float32Array, n: number): number {
  const ids = Array.from({ length: n }, (_, i) => String(i));
  const ga = exactNeighbours({ modelId: 'a', dims: 384, ids, vectors: a }, 10);
  const gb = exactNeighbours({ modelId: 'b', dims: 384, ids, vectors: b }, 10);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = new Set(ga.indices[i]);
    sum += (gb.indices[i] ?? []).filter((j) => s.has(j)).length / 10;
  }
  return sum / n;
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const all = await corpusTexts();
  const texts = opts.quick ? all.slice(0, 128) : all;
  const repeats = opts.quick ? 1 : 3;
  const threads = coreCount();
  const batchSizes = opts.quick ? [16] : [8, 16, 32];
  const textsFile = tmpPath('embed-texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));
  if (!existsSync(join(ROOT, 'dist', 'embed', 'index.js'))) throw new Error('build first: npx tsc -p tsconfig.json');

  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = { texts: texts.length, repeats, threads, defaultModel: DEFAULT_MODEL, defaultBatchSize: EMBED_DEFAULTS.batchSize };
  const st = runPython<{ version: string; results: { batchSize: number; seconds: number[] }[]; sgemmGflops: number; meanTokens: number; tokens: number[] }>('embed_st.py', { textsFile, batchSizes, repeats, threads }, threads);
  details.sentenceTransformers = st.version;
  const stRate = new Map(st.results.map((r) => [r.batchSize, texts.length / median(r.seconds)]));

  const measure = async (model: ModelName, quantized: boolean, batchSize: number, th: number) => {
    await embedTexts(texts.slice(0, 8), { model, quantized, batchSize, threads: th }); // load + warm up
    const ms = await timeRepeats(repeats, () => embedTexts(texts, { model, quantized, batchSize, threads: th }));
    return texts.length / (median(ms) / 1000);
  };

  for (const model of MODEL_NAMES) {
    const pooling = MODELS[model].pooling;
    const ort = runPython<{ version: string; results: { batchSize: number; seconds: number[] }[] }>('embed_ort.py', { model, file: 'model_quantized.onnx', pooling, textsFile, batchSizes, repeats, threads }, threads);
    details.ort = ort.version;
    const ortRate = new Map(ort.results.map((r) => [r.batchSize, texts.length / median(r.seconds)]));
    let best = 0;
    for (const batchSize of batchSizes) {
      const rate = await measure(model, true, batchSize, threads);
      best = Math.max(best, rate);
      rows.push(row({ bench: 'embed', metric: `abstracts/s, ${model} int8, batch ${batchSize}, ${threads} threads`, unit: 'abstracts/s', papermap: round(rate), peer: 'Python onnxruntime, same file', peerValue: round(ortRate.get(batchSize) ?? 0), higherIsBetter: true }));
      if (model === 'all-MiniLM-L6-v2') rows.push(row({ bench: 'embed', metric: `abstracts/s, ${model} int8, batch ${batchSize}, ${threads} threads`, unit: 'abstracts/s', papermap: round(rate), peer: 'sentence-transformers fp32', peerValue: round(stRate.get(batchSize) ?? 0), higherIsBetter: true }));
      if (!opts.quick) rows.push(row({ bench: 'embed', metric: `cold peak RSS embedding the corpus, ${model} int8, batch ${batchSize}, MB`, unit: 'MB', papermap: coldPeakRssMb(textsFile, model, batchSize, 0), higherIsBetter: false, note: 'fresh process, load + embed' }));
    }
    const fp32File = join(DEFAULT_MODEL_DIR, model, 'onnx', 'model.onnx');
    if (existsSync(fp32File)) {
      const fp32Rate = await measure(model, false, EMBED_DEFAULTS.batchSize, threads);
      rows.push(row({ bench: 'embed', metric: `abstracts/s, ${model} fp32, batch ${EMBED_DEFAULTS.batchSize}, ${threads} threads`, unit: 'abstracts/s', papermap: round(fp32Rate), ...(model === 'all-MiniLM-L6-v2' ? { peer: 'sentence-transformers fp32', peerValue: round(stRate.get(EMBED_DEFAULTS.batchSize) ?? 0) } : {}), higherIsBetter: true }));
      // The whole corpus, not the sample test/embed/int8-agreement.test.ts checks.
      const int8 = await embedTexts(all, { model, quantized: true });
      const fp32 = await embedTexts(all, { model, quantized: false });
      let minCos = 1;
      for (let i = 0; i < all.length; i++) {
        let c = 0;
        for (let d = 0; d < 384; d++) c += (int8.vectors[i * 384 + d] as number) * (fp32.vectors[i * 384 + d] as number);
        minCos = Math.min(minCos, c);
      }
      rows.push(row({ bench: 'embed', metric: `int8 vs fp32 top-10 agreement, whole corpus (${all.length}), ${model}`, unit: 'agreement', papermap: Math.round(top10Agreement(int8.vectors, fp32.vectors, all.length) * 1000) / 1000, higherIsBetter: true, note: `min per-paper cosine ${minCos.toFixed(4)}; bar 0.9` }));
    } else {
      rows.push(row({ bench: 'embed', metric: `int8 vs fp32, ${model}`, unit: '', papermap: Number.NaN, higherIsBetter: true, note: `fp32 file not vendored; see models/${model}/PROVENANCE.md` }));
    }
    if (!opts.quick && threads > 1) {
      const one = await measure(model, true, EMBED_DEFAULTS.batchSize, 1);
      rows.push(row({ bench: 'embed', metric: `abstracts/s, ${model} int8, batch ${EMBED_DEFAULTS.batchSize}, 1 thread`, unit: 'abstracts/s', papermap: round(one), higherIsBetter: true, note: 'thread scaling' }));
    }
    const flops = st.tokens.reduce((s, t) => s + flopsPerText(t, LAYERS[model]), 0) / texts.length;
    rows.push(row({ bench: 'embed', metric: `GFLOP/s achieved, ${model} int8 (best batch) vs fp32 sgemm peak of this machine`, unit: 'GFLOP/s', papermap: round((best * flops) / 1e9), peer: 'torch sgemm 2048³', peerValue: round(st.sgemmGflops), higherIsBetter: true, note: `${round(flops / 1e9)} GFLOP per abstract (mean ${round(st.meanTokens)} word pieces)` }));
  }
  return { rows, details };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
}
