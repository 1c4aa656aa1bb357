// Atomic file writes: write a temporary file beside the target, flush it, then rename over the target.

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** A temporary path in the same folder as `target`, so a rename onto `target` is atomic. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Flushes the finished temporary file to disk and renames it over `target`; removes it on any failure. */
function commit(temp: string, target: string): void {
  const fd = openSync(temp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}

/**
 * Writes `data` to `target` so that readers see either the old file or the whole new one, never a part.
 * A crash mid-write leaves only a stray `.tmp` file beside the last good target.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const fd = openSync(temp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    } finally {
      closeSync(fd);
    }
    commit(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Lets `write` produce a file at a temporary path (for libraries that only save to a path, like hnswlib),
 * then flushes and renames it over `target`.
 */
export async function replaceAtomic(target: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    await write(temp);
    commit(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
