// Content-addressed vector cache: (model id, sha256 of the prepared text) -> vector, one file per model on disk.

import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';

const HASH_BYTES = 32;

/** Vectors keyed by text hash, for one model. */
export interface VectorCache {
  file: string;
  dims: number;
  entries: Map<string, Float32Array>;
  /** Entries added since load; save() is a no-op when zero. */
  added: number;
}

/** sha256 of a prepared text, hex. */
export function textKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Cache file name for a model id such as 'all-MiniLM-L6-v2/int8'. */
function cacheFile(dir: string, modelId: string): string {
  return join(dir, `${modelId.replace(/[^A-Za-z0-9._-]+/g, '_')}.vec`);
}

/**
 * Loads the cache for `modelId` from `dir` (empty when absent). Records are [32-byte sha256][dims float32]; a torn
 * tail (which atomic saves should never leave) is ignored rather than trusted.
 */
export function openCache(dir: string, modelId: string, dims: number): VectorCache {
  const file = cacheFile(dir, modelId);
  const entries = new Map<string, Float32Array>();
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const recordBytes = HASH_BYTES + dims * 4;
    for (let off = 0; off + recordBytes <= buf.byteLength; off += recordBytes) {
      const key = buf.subarray(off, off + HASH_BYTES).toString('hex');
      const vec = new Float32Array(dims);
      new Uint8Array(vec.buffer).set(buf.subarray(off + HASH_BYTES, off + recordBytes));
      entries.set(key, vec);
    }
  }
  return { file, dims, entries, added: 0 };
}

/** Adds a vector under a text hash. */
export function putVector(cache: VectorCache, key: string, vector: Float32Array): void {
  if (!cache.entries.has(key)) cache.added += 1;
  cache.entries.set(key, vector);
}

/** Writes the whole cache atomically, keys sorted so the file is deterministic. */
export function saveCache(cache: VectorCache): void {
  if (cache.added === 0) return;
  const keys = [...cache.entries.keys()].sort();
  const recordBytes = HASH_BYTES + cache.dims * 4;
  const out = Buffer.alloc(keys.length * recordBytes);
  keys.forEach((key, i) => {
    const off = i * recordBytes;
    out.write(key, off, 'hex');
    const vec = cache.entries.get(key) as Float32Array;
    out.set(new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength), off + HASH_BYTES);
  });
  writeFileAtomic(cache.file, out);
  cache.added = 0;
}
