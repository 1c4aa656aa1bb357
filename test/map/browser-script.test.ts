// The page's scripts come from the build's bundles (dist/browser/, made by `npm run build` and `pretest`), which are
// byte for byte what bundling the compiled modules gives now: a map written by the CLI does not depend on which it used.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('the page scripts of a build', () => {
  it('are bundled into dist/browser/ by the build and equal a fresh bundle of the compiled modules', () => {
    const script = `
      import { browserScript, bundleBrowserScript } from './dist/browser-script.js';
      const out = {};
      for (const name of ['map-client', 'export', 'search']) out[name] = { used: browserScript(name), fresh: bundleBrowserScript(name) };
      process.stdout.write(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, { used: string; fresh: string }>;
    for (const [name, { used, fresh }] of Object.entries(out)) {
      expect(fresh.length, name).toBeGreaterThan(5000);
      expect(readFileSync(join(ROOT, 'dist/browser', `${name}.js`), 'utf8'), `dist/browser/${name}.js`).toBe(fresh);
      expect(used, name).toBe(fresh);
    }
  });
});
