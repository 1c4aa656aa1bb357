// The browser client as one script: esbuild bundles client/main into an IIFE once per process, for inlining.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lazyModule } from '../lazy.js';

const esbuild = lazyModule<typeof import('esbuild')>('esbuild');

let cached: string | undefined;

/**
 * The bundled client script. Compiled builds bundle dist/map/client/main.js; tests and tsx runs bundle the TypeScript
 * source. The output is deterministic, so the same data gives a byte-identical map.html.
 */
export function clientScript(): string {
  if (cached !== undefined) return cached;
  const compiled = fileURLToPath(new URL('./client/main.js', import.meta.url));
  const source = fileURLToPath(new URL('./client/main.ts', import.meta.url));
  const entry = existsSync(compiled) ? compiled : source;
  const result = esbuild().buildSync({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, charset: 'ascii', legalComments: 'none', logLevel: 'silent' });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the map client');
  cached = file.text;
  return cached;
}
