// Builds one project from the bundled corpus with the real CLI (`papermap run data`), shared read-only by tests that
// need the whole pipeline's output. Tests that change a project copy it first (see test/helpers/corpus-project.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = new URL('..', import.meta.url).pathname;

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-corpus-'));
  const projectDir = join(dir, 'project');
  const started = performance.now();
  process.stderr.write('global setup: building the shared corpus project with `papermap run data` (about a minute on two cores)…\n');
  execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'run', join(ROOT, 'data'), '-p', projectDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write(`global setup: corpus project ready in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  project.provide('corpusProject', projectDir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    corpusProject: string;
  }
}
