// The local transformer: the only file that touches transformers.js' global `env` and the ONNX runtime.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PreTrainedTokenizer } from '@xenova/transformers';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import { PapermapError } from '../errors.js';
import { PACKAGE_ROOT } from '../package.js';
import { lazyModule } from '../lazy.js';

const ort = lazyModule<typeof import('onnxruntime-node')>('onnxruntime-node');

/** Where vendored models live; see models/<name>/PROVENANCE.md. */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models');

/** How a model turns its per-token vectors into one: the [CLS] token's, or the mean over real (unpadded) tokens. */
export type Pooling = 'cls' | 'mean';

/**
 * The vendored models, the pooling each is used with and, where that pooling is not the one the model's vectors first
 * had in papermap, a tag that makes its model id differ (so a cache or project made the old way is never mixed in).
 * MiniLM: mean pooling, as its sentence-transformers config says. bge: mean pooling too, although its card says [CLS]:
 * on the judged set of the bundled corpus mean-pooled bge int8 scored paper→paper nDCG@10 0.686 dense / 0.766 hybrid
 * against CLS 0.650 / 0.749 and MiniLM 0.627 / 0.699, and its int8 top-10 lists agree with fp32's at 0.912 (CLS 0.897,
 * under the 0.9 bar); see the README's model section.
 */
export const MODELS = {
  'bge-small-en-v1.5': { pooling: 'mean', tag: 'mean' },
  'all-MiniLM-L6-v2': { pooling: 'mean', tag: undefined },
} as const satisfies Record<string, { pooling: Pooling; tag: string | undefined }>;
/** A vendored model's folder name under models/. */
export type ModelName = keyof typeof MODELS;
/** The names of the vendored models. */
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];
/** The default model (see the README's model section for the measurement behind the choice). */
export const DEFAULT_MODEL: ModelName = 'bge-small-en-v1.5';

/** The id recorded in manifests and cache keys: `<name>/<int8|fp32>`, then `/<tag>` for a model that has one. */
export function modelId(name: ModelName, quantized: boolean): string {
  const tag: string | undefined = (MODELS as Record<string, { tag: string | undefined } | undefined>)[name]?.tag; // an unknown name is the option check's to reject
  return `${name}/${quantized ? 'int8' : 'fp32'}${tag ? `/${tag}` : ''}`;
}

/** transformers.js (only its tokenizers), loaded with the first model: importing it costs ~0.2 s that commands without a model skip. */
let transformers: typeof import('@xenova/transformers') | undefined;

async function loadTransformers(): Promise<typeof import('@xenova/transformers')> {
  if (!transformers) {
    transformers = await import('@xenova/transformers');
    // Set once: tokenizers come from disk only, never from a hub.
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.useBrowserCache = false;
  }
  return transformers;
}

/** A loaded model and tokenizer, ready to encode batches. */
export interface LoadedModel {
  /** modelId(): the id recorded in manifests and cache keys. */
  id: string;
  dims: number;
  /** Unit-length vectors of `texts`, row i for texts[i], in one buffer, pooled as the model was trained. */
  encode(texts: readonly string[]): Promise<Float32Array>;
  /** The same forward pass pooled each given way (for measuring pooling, bench/models.ts). */
  encodePooled(texts: readonly string[], poolings: readonly Pooling[]): Promise<Float32Array[]>;
}

const loaded = new Map<string, Promise<LoadedModel>>();

/**
 * Loads a vendored model once per process (by folder, name, variant and thread count).
 * Throws MODEL_MISSING when its files are absent.
 */
export function loadModel(modelDir: string, name: string, quantized: boolean, threads: number): Promise<LoadedModel> {
  const key = JSON.stringify([resolve(modelDir), name, quantized, threads]);
  let model = loaded.get(key);
  if (!model) {
    model = load(resolve(modelDir), name, quantized, threads);
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}

/**
 * The id and dimensions of a vendored model's vectors, and its weights file, from its config alone (no runtime, no
 * weights read): enough to open its vector cache, so a run whose papers are all cached never loads the model. Throws
 * MODEL_MISSING when the config or the weights file is absent.
 */
export function modelShape(modelDir: string, name: ModelName, quantized: boolean): { id: string; dims: number; file: string } {
  const file = join(modelDir, name, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  if (!existsSync(file)) {
    const hint = quantized
      ? `the int8 models are committed under models/; see models/${name}/PROVENANCE.md to re-create it`
      : `the fp32 file is not committed; re-create it with the commands in models/${name}/PROVENANCE.md (or use int8, the default)`;
    throw new PapermapError('MODEL_MISSING', `model file not found: ${file}`, { file }, hint);
  }
  const config = join(modelDir, name, 'config.json');
  if (!existsSync(config)) throw new PapermapError('MODEL_MISSING', `model config not found: ${config}`, { file: config }, `see models/${name}/PROVENANCE.md`);
  return { id: modelId(name, quantized), dims: (JSON.parse(readFileSync(config, 'utf8')) as { hidden_size: number }).hidden_size, file };
}

async function load(modelDir: string, name: string, quantized: boolean, threads: number): Promise<LoadedModel> {
  const { id, dims, file } = modelShape(modelDir, name as ModelName, quantized);
  const pooling: Pooling = (MODELS as Record<string, { pooling: Pooling }>)[name]?.pooling ?? 'mean';
  const { AutoTokenizer, env } = await loadTransformers();
  env.localModelPath = `${modelDir}/`;
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
  // Our own session on the file (transformers.js 2.17 reads the model into a JS buffer first and passes no session
  // options): one inter-op thread, the given intra-op threads, and no memory-pattern planning, which otherwise keeps
  // a plan per batch shape (every padded width is a new shape) and grows RSS with no speed gain here.
  const session = await ort().InferenceSession.create(file, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    enableMemPattern: false,
    interOpNumThreads: 1,
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
  });
  const encodePooled = async (texts: readonly string[], poolings: readonly Pooling[]): Promise<Float32Array[]> => {
    const { feeds, mask, width } = tokenize(tokenizer, texts);
    const outputs = await session.run(feeds);
    const hidden = (outputs.last_hidden_state as OrtTensor).data as Float32Array;
    return poolings.map((p) => pool(hidden, mask, texts.length, width, dims, p));
  };
  return {
    id,
    dims,
    encodePooled,
    encode: async (texts) => (await encodePooled(texts, [pooling]))[0] as Float32Array,
  };
}

/**
 * Pools the runtime's [rows, width, dims] output straight from its buffer into unit-length rows: the [CLS] vector
 * (position 0), or the mean over positions whose attention mask is 1 (sentence-transformers' mean pooling,
 * Σ_t m_t·h_t / Σ_t m_t), then v / ‖v‖₂. No intermediate tensors are made.
 */
export function pool(hidden: Float32Array, mask: Uint8Array, rows: number, width: number, dims: number, pooling: Pooling): Float32Array {
  const out = new Float32Array(rows * dims);
  const acc = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    let count = 0;
    const last = pooling === 'cls' ? 1 : width;
    for (let t = 0; t < last; t++) {
      if (!mask[r * width + t]) continue;
      count += 1;
      const base = (r * width + t) * dims;
      for (let d = 0; d < dims; d++) acc[d] = (acc[d] as number) + (hidden[base + d] as number);
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (acc[d] as number) / Math.max(count, 1);
      acc[d] = v;
      norm += v * v;
    }
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < dims; d++) out[r * dims + d] = (acc[d] as number) * scale;
  }
  return out;
}

/**
 * Tokenises a batch the way sentence-transformers does: [CLS] pieces [SEP], cut to the tokenizer's model_max_length
 * (256) with [SEP] kept last, padded to the longest. transformers.js 2.17's own truncation drops the final [SEP],
 * which moves embeddings of long abstracts away from the reference (cosine 0.996 instead of 0.99999).
 */
function tokenize(tokenizer: PreTrainedTokenizer, texts: readonly string[]): { feeds: Record<string, OrtTensor>; mask: Uint8Array; width: number } {
  const t = tokenizer as unknown as { model_max_length: number; pad_token_id: number; sep_token_id: number; encode(text: string): number[] };
  const rows = texts.map((text) => {
    const ids = t.encode(text);
    return ids.length > t.model_max_length ? [...ids.slice(0, t.model_max_length - 1), t.sep_token_id] : ids;
  });
  const width = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(t.pad_token_id));
  const attention = new BigInt64Array(rows.length * width);
  const mask = new Uint8Array(rows.length * width);
  rows.forEach((row, i) => {
    row.forEach((id, j) => {
      ids[i * width + j] = BigInt(id);
      attention[i * width + j] = 1n;
      mask[i * width + j] = 1;
    });
  });
  const dims = [rows.length, width];
  return {
    feeds: {
      input_ids: new (ort().Tensor)('int64', ids, dims),
      attention_mask: new (ort().Tensor)('int64', attention, dims),
      token_type_ids: new (ort().Tensor)('int64', new BigInt64Array(rows.length * width), dims),
    },
    mask,
    width,
  };
}
