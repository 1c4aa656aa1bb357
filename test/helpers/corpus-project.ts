// Test helper: the shared corpus project (built once in test/global-setup.ts), or a private copy of it to change.

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/** Path of the shared corpus project. Read it, never write it. */
export function corpusProject(): string {
  return inject('corpusProject');
}

/** A private copy of the corpus project that a test may change. */
export function copyOfCorpusProject(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'papermap-copy-')), 'project');
  cpSync(corpusProject(), dir, { recursive: true });
  return dir;
}
