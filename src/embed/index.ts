// embed: turn papers (or free text) into unit-length vectors with the vendored model, reusing cached vectors.

import type { Embeddings, Paper } from '../records.js';
import { intIn, oneOf, resolveOptions } from '../options.js';
import { PapermapError } from '../errors.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_DIR, MODEL_NAMES, loadModel, modelId, modelShape, type ModelName } from './model.js';
import { openCache, putVector, saveCache, textKey } from './cache.js';

export { DEFAULT_MODEL, DEFAULT_MODEL_DIR, MODEL_NAMES, modelId, type ModelName } from './model.js';
export { EMBED_WORKER_DEFAULTS, startEmbedWorker, type EmbedWorker, type EmbedWorkerOptions, type WorkerEmbedOptions } from './worker.js';

export interface EmbedOptions {
  /** Folder holding vendored models. Default: <papermap>/models */
  modelDir: string;
  /**
   * Model folder name under modelDir: 'bge-small-en-v1.5' or 'all-MiniLM-L6-v2' (both mean pooling),
   * 384 dimensions. Default: DEFAULT_MODEL (see bench/models.ts for the measurement behind it).
   */
  model: ModelName;
  /** Use the int8-quantised weights (true) or fp32 (false). Default: true (see README: faster, top-10 agreement ≥ 0.9). */
  quantized: boolean;
  /**
   * Texts per forward pass. Default 16, chosen by cold peak RSS (a fresh process embedding the longest corpus
   * abstracts, 256 word pieces, int8): bge 283 / 365 / 500 MB and MiniLM 235 / 309 / 487 MB at batch 8 / 16 / 32,
   * with no rate gain from 32 on two cores (bench/embed.ts). 8–64 suits two cores. int8 activations are quantised per
   * batch, so a text's int8 vector moves slightly with its batch (cosine ≥ 0.996 between batch 16 and 32).
   */
  batchSize: number;
  /** ONNX intra-op threads; 0 lets onnxruntime use every core. Default 0. */
  threads: number;
  /** Folder of the vector cache; undefined disables caching. Default: undefined. */
  cacheDir: string | undefined;
  /** Called after each batch with texts done so far and the total to embed (cache hits excluded). */
  onProgress: ((done: number, total: number) => void) | undefined;
}

export const EMBED_DEFAULTS: EmbedOptions = {
  modelDir: DEFAULT_MODEL_DIR,
  model: DEFAULT_MODEL,
  quantized: true,
  batchSize: 16,
  threads: 0,
  cacheDir: undefined,
  onProgress: undefined,
};

const CHECKS = { model: oneOf(...MODEL_NAMES), batchSize: intIn(1, 1024), threads: intIn(0, 256) };

/** What embed() did, besides the vectors. */
export interface EmbedResult {
  embeddings: Embeddings;
  /** Papers whose vector came from the cache. */
  cacheHits: number;
  /** Papers that went through the model. */
  embedded: number;
  elapsedMs: number;
}

/**
 * The text papermap embeds for a paper: "title. abstract" when a title exists, else the abstract.
 * Every caller (embed, search fixtures, benches) goes through this one function.
 */
export function paperText(paper: Pick<Paper, 'title' | 'abstract'>): string {
  const title = paper.title?.trim();
  if (!title) return paper.abstract.trim();
  return /[.!?]$/.test(title) ? `${title} ${paper.abstract.trim()}` : `${title}. ${paper.abstract.trim()}`;
}

/** Embeds papers in their given order, reusing cached vectors. Ids of the result follow `papers`. */
export async function embed(papers: readonly Paper[], options?: Partial<EmbedOptions>): Promise<EmbedResult> {
  const started = performance.now();
  const opts = resolveOptions(EMBED_DEFAULTS, options, CHECKS);
  // The model itself is loaded only when some text is not in the cache (loading costs ~0.5 s).
  const model = modelShape(opts.modelDir, opts.model, opts.quantized);
  const texts = papers.map(paperText);
  const keys = texts.map(textKey);
  const cache = opts.cacheDir ? openCache(opts.cacheDir, model.id, model.dims) : undefined;
  const vectors = new Float32Array(papers.length * model.dims);
  const todo: number[] = [];
  keys.forEach((key, i) => {
    const hit = cache?.entries.get(key);
    if (hit) vectors.set(hit, i * model.dims);
    else todo.push(i);
  });
  // Identical texts are embedded once.
  const seen = new Set<string>();
  const unique = todo.filter((i) => !seen.has(keys[i] as string) && !!seen.add(keys[i] as string));
  const fresh = unique.length ? await encodeSorted(await loadModel(opts.modelDir, opts.model, opts.quantized, opts.threads), unique.map((i) => texts[i] as string), opts) : new Float32Array(0);
  const rowOfKey = new Map<string, number>();
  unique.forEach((i, j) => {
    rowOfKey.set(keys[i] as string, j);
    if (cache) putVector(cache, keys[i] as string, fresh.slice(j * model.dims, (j + 1) * model.dims));
  });
  for (const i of todo) {
    const j = rowOfKey.get(keys[i] as string) as number;
    vectors.set(fresh.subarray(j * model.dims, (j + 1) * model.dims), i * model.dims);
  }
  if (cache) saveCache(cache);
  return {
    embeddings: { modelId: model.id, dims: model.dims, ids: papers.map((p) => p.id), vectors },
    cacheHits: papers.length - todo.length,
    embedded: unique.length,
    elapsedMs: performance.now() - started,
  };
}

/** Embeds free texts (queries) without the cache. Row i of the result belongs to texts[i]. */
export async function embedTexts(texts: readonly string[], options?: Partial<EmbedOptions>): Promise<{ modelId: string; dims: number; vectors: Float32Array }> {
  const opts = resolveOptions(EMBED_DEFAULTS, options, CHECKS);
  if (texts.some((t) => t.trim() === '')) throw new PapermapError('BAD_OPTION', 'cannot embed an empty text');
  const model = await loadModel(opts.modelDir, opts.model, opts.quantized, opts.threads);
  return { modelId: model.id, dims: model.dims, vectors: await encodeSorted(model, texts, opts) };
}

/**
 * The embed options that reproduce vectors of a recorded model id such as 'bge-small-en-v1.5/int8/mean'. An id this
 * papermap no longer makes (bge's [CLS] vectors were 'bge-small-en-v1.5/int8') is PROJECT_STALE.
 */
export function optionsForModelId(id: string): Pick<EmbedOptions, 'model' | 'quantized'> {
  const model = recordedModel(id);
  const quantized = id.split('/')[1] === 'int8';
  if (!model || modelId(model, quantized) !== id) throw new PapermapError('PROJECT_STALE', `the project's vectors were made by model '${id}', which this papermap does not make`, undefined, 'run `papermap embed` again');
  return { model, quantized };
}

/** The vendored model a recorded id names (its first part), whatever its variant or tag; undefined for none. */
export function recordedModel(id: string): ModelName | undefined {
  const name = id.split('/')[0] as ModelName;
  return MODEL_NAMES.includes(name) ? name : undefined;
}

/**
 * Encodes texts in batches of similar length (sorted by characters, a cheap proxy for word pieces) so short abstracts
 * are not padded to the longest one, then restores the input order.
 */
async function encodeSorted(model: Awaited<ReturnType<typeof loadModel>>, texts: readonly string[], opts: Readonly<EmbedOptions>): Promise<Float32Array> {
  const out = new Float32Array(texts.length * model.dims);
  const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length || a - b);
  for (let start = 0; start < order.length; start += opts.batchSize) {
    const batch = order.slice(start, start + opts.batchSize);
    const encoded = await model.encode(batch.map((i) => texts[i] as string));
    batch.forEach((i, j) => out.set(encoded.subarray(j * model.dims, (j + 1) * model.dims), i * model.dims));
    opts.onProgress?.(Math.min(start + opts.batchSize, order.length), order.length);
  }
  return out;
}
