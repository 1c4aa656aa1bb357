// The offline search bundled for the browser (esbuild, once per process): the map page inlines it next to its table.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lazyModule } from '../lazy.js';

const esbuild = lazyModule<typeof import('esbuild')>('esbuild');

let cached: string | undefined;

/**
 * The script that puts openOfflineSearch and offlineSearch on window.papermapSearch: offline.ts with lexical.ts and
 * fusion.ts, the code `papermap search` ranks with. Deterministic; about 9 kB minified.
 */
export function searchScript(): string {
  if (cached !== undefined) return cached;
  const compiled = fileURLToPath(new URL('./browser.js', import.meta.url));
  const entry = existsSync(compiled) ? compiled : fileURLToPath(new URL('./browser.ts', import.meta.url));
  const result = esbuild().buildSync({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, charset: 'ascii', legalComments: 'none', logLevel: 'silent', minify: true });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the offline search script');
  cached = file.text;
  return cached;
}
