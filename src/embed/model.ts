// The local transformer: the only file that touches transformers.js' global `env` and the ONNX runtime.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoModel, AutoTokenizer, Tensor, env, mean_pooling, type PreTrainedModel, type PreTrainedTokenizer } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import { PapermapError } from '../errors.js';
import { PACKAGE_ROOT } from '../package.js';

/** Where vendored models live; see models/<name>/PROVENANCE.md. */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models');
/** The default model: all-MiniLM-L6-v2, 384 dimensions. */
export const DEFAULT_MODEL = 'all-MiniLM-L6-v2';

// Set once: models come from disk only, never from a hub.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useBrowserCache = false;

/** A loaded model and tokenizer, ready to encode batches. */
export interface LoadedModel {
  /** `<name>/<int8|fp32>`: the id recorded in manifests and cache keys. */
  id: string;
  dims: number;
  encode(texts: readonly string[]): Promise<Float32Array>;
}

const loaded = new Map<string, Promise<LoadedModel>>();

/**
 * Loads a vendored model once per process (by folder, name, variant and thread count).
 * Throws MODEL_MISSING when its files are absent and MODEL_BACKEND when the native runtime is not the one in use.
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

async function load(modelDir: string, name: string, quantized: boolean, threads: number): Promise<LoadedModel> {
  const file = join(modelDir, name, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  if (!existsSync(file)) {
    throw new PapermapError('MODEL_MISSING', `model file not found: ${file}`, { file }, 'the model is committed under models/; see models/all-MiniLM-L6-v2/PROVENANCE.md to re-create it');
  }
  env.localModelPath = `${modelDir}/`;
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
  const model: PreTrainedModel = await AutoModel.from_pretrained(name, { quantized, local_files_only: true });
  const session = (model as unknown as { session: { handler?: object } }).session;
  const handlerName = session.handler?.constructor.name;
  if (handlerName !== 'OnnxruntimeSessionHandler') {
    throw new PapermapError('MODEL_BACKEND', `the ONNX model runs on '${handlerName ?? 'unknown'}', not the native onnxruntime-node backend`, { file }, 'reinstall with `npm ci` so onnxruntime-node\'s native binary is present');
  }
  if (threads > 0) {
    // transformers.js 2.17 passes no session options, so the thread count needs a session of our own.
    (model as unknown as { session: unknown }).session = await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    });
  }
  const dims = (model.config as unknown as { hidden_size: number }).hidden_size;
  return {
    id: `${name}/${quantized ? 'int8' : 'fp32'}`,
    dims,
    async encode(texts) {
      const inputs = tokenize(tokenizer, texts);
      const { last_hidden_state: hidden } = await model(inputs);
      return mean_pooling(hidden, inputs.attention_mask).normalize(2, -1).data as Float32Array;
    },
  };
}

/**
 * Tokenises a batch the way sentence-transformers does: [CLS] pieces [SEP], cut to the tokenizer's model_max_length
 * (256) with [SEP] kept last, padded to the longest. transformers.js 2.17's own truncation drops the final [SEP],
 * which moves embeddings of long abstracts away from the reference (cosine 0.996 instead of 0.99999).
 */
function tokenize(tokenizer: PreTrainedTokenizer, texts: readonly string[]): { input_ids: Tensor; attention_mask: Tensor; token_type_ids: Tensor } {
  const t = tokenizer as unknown as { model_max_length: number; pad_token_id: number; sep_token_id: number; encode(text: string): number[] };
  const rows = texts.map((text) => {
    const ids = t.encode(text);
    return ids.length > t.model_max_length ? [...ids.slice(0, t.model_max_length - 1), t.sep_token_id] : ids;
  });
  const width = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(t.pad_token_id));
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    row.forEach((id, j) => {
      ids[i * width + j] = BigInt(id);
      mask[i * width + j] = 1n;
    });
  });
  const dims = [rows.length, width];
  return {
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(rows.length * width), dims),
  };
}
