// Benchmark: papermap's embedding path against the one it replaced. When issue 14 was filed papermap embedded through
// transformers.js's feature-extraction pipeline (its own session, mean pooling through Tensor calls, batches in input
// order); papermap now runs its own onnxruntime session, batches texts of similar length and mean-pools straight from
// the output buffer (src/embed/model.ts). Same int8 file, same texts (every 4th corpus abstract), same threads (the
// runtime's default, every core), batch 16, alternating runs, median of three.

import { env, pipeline } from '@xenova/transformers';
import { DEFAULT_MODEL_DIR, MODEL_NAMES, embedTexts, paperText } from '../src/embed/index.js';
import { corpusPapers } from './corpus.js';
import { coreCount, median, row, type BenchResult, type BenchRow } from './lib.js';

const BATCH = 16;
const REPEATS = 3;

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const papers = await corpusPapers();
  const texts = papers.filter((_, i) => i % (opts.quick ? 16 : 4) === 0).map(paperText);
  env.localModelPath = `${DEFAULT_MODEL_DIR}/`;
  env.allowRemoteModels = false;
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const model of MODEL_NAMES) {
    const extractor = await pipeline('feature-extraction', model, { quantized: true, local_files_only: true });
    const dims = (await embedTexts(texts.slice(0, 1), { model })).dims;
    const viaPipeline = async (): Promise<Float32Array> => {
      const out = new Float32Array(texts.length * dims);
      for (let i = 0; i < texts.length; i += BATCH) out.set((await extractor(texts.slice(i, i + BATCH), { pooling: 'mean', normalize: true })).data as Float32Array, i * dims);
      return out;
    };
    const viaPapermap = async (): Promise<Float32Array> => (await embedTexts(texts, { model, batchSize: BATCH })).vectors;
    await viaPapermap();
    await viaPipeline();
    const rates = { papermap: [] as number[], pipeline: [] as number[] };
    let ours: Float32Array = new Float32Array(0);
    let theirs: Float32Array = new Float32Array(0);
    for (let r = 0; r < REPEATS; r++) {
      let t = performance.now();
      ours = await viaPapermap();
      rates.papermap.push(texts.length / ((performance.now() - t) / 1000));
      t = performance.now();
      theirs = await viaPipeline();
      rates.pipeline.push(texts.length / ((performance.now() - t) / 1000));
    }
    let cosine = 0;
    for (let i = 0; i < texts.length; i++) for (let d = 0; d < dims; d++) cosine += (ours[i * dims + d] as number) * (theirs[i * dims + d] as number);
    cosine /= texts.length;
    const round = (v: number): number => Math.round(v * 100) / 100;
    rows.push(row({
      bench: 'embed-path',
      metric: `abstracts/s, ${model} int8, batch ${BATCH}, ${coreCount()} threads`,
      unit: 'abstracts/s',
      papermap: round(median(rates.papermap)),
      peer: 'transformers.js feature-extraction pipeline, same file (papermap\'s path when issue 14 was filed)',
      peerValue: round(median(rates.pipeline)),
      higherIsBetter: true,
      note: `${texts.length} corpus abstracts, median of ${REPEATS}; mean cosine between the two paths' vectors ${cosine.toFixed(4)} (papermap keeps the final [SEP] of long abstracts, as sentence-transformers does); target ≥ 1.2×`,
    }));
    details[model] = rates;
  }
  return { rows, details };
}
