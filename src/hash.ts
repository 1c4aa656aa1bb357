// Content hashing: one sha256 helper for the manifest, the embedding cache and record ids.

import { createHash } from 'node:crypto';

/** sha256 of bytes or text, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
