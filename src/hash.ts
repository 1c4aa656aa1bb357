// Content hashing: one sha256 helper for the manifest, the embedding cache and record ids; one fast 32-bit hash.

import { createHash } from 'node:crypto';

/** sha256 of bytes or text, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** 32-bit FNV-1a of a string's UTF-16 code units: fast and well spread, for buckets and samples, not for integrity. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
