#!/usr/bin/env node
// Regenerates test/fixtures/corpus-cache/: the vector cache that `papermap run data` fills with the default model
// (every paper of the bundled corpus, and the map's search vocabulary). The test suite's global setup puts it into the
// shared corpus project before running the same command, so the suite embeds nothing twice: embedding the corpus with
// bge-small on two cores took 106 of the setup's 130 s. The vectors are the real model's, made by the real CLI; the
// cache is papermap's own (content-addressed: a changed text or model misses it and is embedded afresh), and
// test/embed/corpus-cache.test.ts fails when it no longer covers the corpus or no longer matches what the model makes.
//
//   npm run build && node scripts/corpus-cache.mjs

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'test', 'fixtures', 'corpus-cache');
const dir = mkdtempSync(join(tmpdir(), 'papermap-corpus-cache-'));
try {
  const project = join(dir, 'project');
  const report = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'run', join(ROOT, 'data'), '-p', project, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  rmSync(OUT, { recursive: true, force: true });
  cpSync(join(project, 'cache'), OUT, { recursive: true });
  for (const file of readdirSync(OUT)) {
    const bytes = readFileSync(join(OUT, file));
    process.stdout.write(`${file}: ${bytes.byteLength} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')} (model ${report.embed.model}, ${report.embed.papers} papers)\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
