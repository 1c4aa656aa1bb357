// The scripts the map page inlines, each one module under src/ bundled by esbuild into one IIFE: the map's client, the
// export stage (exportPapers, the same code as `papermap export`) and the offline search (the code `search` and `similar`
// rank with). `npm run build` bundles them into dist/browser/ (scripts/bundle-browser.mjs), so a command that writes a
// map reads them there instead of bundling again (≈0.2 s of CPU per command); a run from source (tests, tsx), or from
// a build compiled after the bundles were made, bundles on first use, once per process. Either way the same bytes.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic.js';
import { lazyModule } from './lazy.js';

const esbuild = lazyModule<typeof import('esbuild')>('esbuild');

/** The page's scripts, by name: the module bundled (path under src/ without extension) and how. */
const SCRIPTS = {
  /** The map's client (map/client/main.ts), about 0.1 MB. */
  'map-client': { entry: 'map/client/main', minify: false, noFetch: false },
  /** Puts exportPapers on window.papermapExport, about 0.2 MB; citation-js's node-fetch import becomes a stub. */
  export: { entry: 'export/browser', minify: true, noFetch: true },
  /** Puts the offline search, related papers and explain/ on window.papermapSearch, about 15 kB. */
  search: { entry: 'pipeline/_page-search', minify: true, noFetch: false },
} as const;

export type BrowserScriptName = keyof typeof SCRIPTS;

/** The folder this module was loaded from: dist/ in a build, src/ from source. */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const COMPILED = existsSync(join(HERE, 'browser-script.js'));
/** Where the build keeps the bundled scripts. */
const BUNDLED_DIR = join(HERE, 'browser');

const cached = new Map<BrowserScriptName, string>();

/** The bundled script `name`. Deterministic: the same sources give the same bytes. */
export function browserScript(name: BrowserScriptName): string {
  let script = cached.get(name);
  if (script === undefined) {
    script = readBundled(name) ?? bundleBrowserScript(name);
    cached.set(name, script);
  }
  return script;
}

/** Bundles every script into dist/browser/ (the build's last step; see scripts/bundle-browser.mjs). */
export function writeBrowserScripts(): string[] {
  if (!COMPILED) throw new Error('writeBrowserScripts runs from the compiled build (dist/)');
  return (Object.keys(SCRIPTS) as BrowserScriptName[]).map((name) => {
    const file = join(BUNDLED_DIR, `${name}.js`);
    writeFileAtomic(file, bundleBrowserScript(name));
    return file;
  });
}

/** The build's bundle of `name`, if there is one made after the last compile (tsc rewrites its build info each time). */
function readBundled(name: BrowserScriptName): string | undefined {
  if (!COMPILED) return undefined;
  const file = join(BUNDLED_DIR, `${name}.js`);
  const buildInfo = join(HERE, '.tsbuildinfo');
  if (!existsSync(file) || !existsSync(buildInfo) || statSync(file).mtimeMs < statSync(buildInfo).mtimeMs) return undefined;
  return readFileSync(file, 'utf8');
}

/** Bundles the script `name` now, from the compiled modules in a build (from the TypeScript sources otherwise). */
export function bundleBrowserScript(name: BrowserScriptName): string {
  const { entry, minify, noFetch } = SCRIPTS[name];
  const ext = COMPILED ? 'js' : 'ts';
  const result = esbuild().buildSync({
    entryPoints: [join(HERE, `${entry}.${ext}`)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'silent',
    minify,
    ...(noFetch ? { alias: { 'node-fetch': join(HERE, `export/_no-fetch.${ext}`) } } : {}),
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for the page script '${name}'`);
  return file.text;
}
