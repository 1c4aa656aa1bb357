// The bundled corpus as benchmarks see it: papers read by papermap's own ingest, and their prepared texts.

import { join } from 'node:path';
import { ingest } from '../src/ingest/index.js';
import { paperText } from '../src/embed/index.js';
import type { Paper } from '../src/records.js';
import { ROOT } from './lib.js';

let cached: Paper[] | undefined;

/** Papers of data/, de-duplicated, in papermap's order. */
export async function corpusPapers(): Promise<Paper[]> {
  cached ??= (await ingest([join(ROOT, 'data')])).papers;
  return cached;
}

/** The texts papermap embeds for the corpus (title + abstract), the same ones every peer gets. */
export async function corpusTexts(): Promise<string[]> {
  return (await corpusPapers()).map(paperText);
}
