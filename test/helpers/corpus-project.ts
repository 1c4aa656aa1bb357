// Test helper: the shared corpus project (built once in test/global-setup.ts), or a private copy of it to change.

import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { papermap } from './cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;

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

/** Absolute path of the committed file of an artefact (e.g. 'papers'), read from the project's manifest. */
export function artefactFile(dir: string, name: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artefacts: Record<string, { file: string } | undefined> };
  const entry = manifest.artefacts[name];
  if (!entry) throw new Error(`${dir} has no ${name}`);
  return join(dir, entry.file);
}

/**
 * Builds at `dir` a small real project, the 57 papers of one seed file, with the real CLI (`papermap run`), for tests
 * that run many writers. The corpus project's vector cache makes its embedding all cache hits.
 */
export function oneFileProject(dir: string): void {
  cpSync(join(corpusProject(), 'cache'), join(dir, 'cache'), { recursive: true });
  const built = papermap(['run', join(ROOT, 'data/001_05a5f91c41eaf285.txt'), '-p', dir]);
  expect(built.code, built.stderr).toBe(0);
}
