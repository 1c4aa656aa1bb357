// Builds one project from the bundled corpus with the real CLI (`papermap run data`), shared read-only by tests that
// need the whole pipeline's output. Tests that change a project copy it first (see test/helpers/corpus-project.ts).
// The project starts with the committed vector cache of the corpus (test/fixtures/corpus-cache, made by
// scripts/corpus-cache.mjs with the same command), so the run embeds nothing: embedding the 507 papers and the map's
// vocabulary again took 110 of the setup's 130 s on two cores. test/embed/corpus-cache.test.ts keeps that cache honest.
// Every temporary folder of the run (the tests' copies of projects, browser profiles, the CLI's own) is made under one
// folder, TMPDIR for the workers and the processes they start, removed when the run ends: a run left ~250 MB in /tmp.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = new URL('..', import.meta.url).pathname;

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-test-'));
  process.env.TMPDIR = dir;
  const projectDir = join(dir, 'project');
  const started = performance.now();
  process.stderr.write('global setup: building the shared corpus project with `papermap run data`…\n');
  cpSync(join(ROOT, 'test', 'fixtures', 'corpus-cache'), join(projectDir, 'cache'), { recursive: true });
  const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'run', join(ROOT, 'data'), '-p', projectDir, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  const embedded = (JSON.parse(out) as { embed: { embedded: number } }).embed.embedded;
  const note = embedded > 0 ? ` (${embedded} papers missed the committed vector cache: regenerate it with \`node scripts/corpus-cache.mjs\`)` : '';
  process.stderr.write(`global setup: corpus project ready in ${((performance.now() - started) / 1000).toFixed(0)} s${note}\n`);
  project.provide('corpusProject', projectDir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    corpusProject: string;
  }
}
