// The export stage bundled for the browser (esbuild, once per process): the map page inlines it for offline downloads.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lazyModule } from '../lazy.js';

const esbuild = lazyModule<typeof import('esbuild')>('esbuild');

let cached: string | undefined;

/**
 * The script that puts exportPapers on window.papermapExport: the same code as `papermap export`, so a download from the
 * page and the CLI give the same bytes. citation-js's node-fetch import is swapped for a stub (nothing is fetched).
 * Deterministic; about 0.2 MB minified.
 */
export function exportScript(): string {
  if (cached !== undefined) return cached;
  const compiled = fileURLToPath(new URL('./browser.js', import.meta.url));
  const here = existsSync(compiled) ? 'js' : 'ts';
  const entry = fileURLToPath(new URL(`./browser.${here}`, import.meta.url));
  const stub = fileURLToPath(new URL(`./_no-fetch.${here}`, import.meta.url));
  const result = esbuild().buildSync({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, charset: 'ascii', legalComments: 'none', logLevel: 'silent', minify: true, alias: { 'node-fetch': stub } });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the export script');
  cached = file.text;
  return cached;
}
