import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMapProject } from '../map/fixture-project.js';
import { papermap } from '../helpers/cli.js';
import { artefactFile } from '../helpers/corpus-project.js';

let dir = '';

beforeAll(async () => {
  dir = await makeMapProject();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('papermap map', () => {
  it('writes <project>/map.html and map.json, records both, and prints the path', () => {
    const r = papermap(['map', '--project', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = join(dir, 'map.html');
    expect(r.stdout.trim().endsWith(out)).toBe(true);
    expect(existsSync(out)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.artefacts.map.seed).toBe(42);
    expect(manifest.artefacts.map.options).toEqual({ nNeighbors: 15, minDist: 0.1, spread: 1, nEpochs: 0, fitSample: 1000000, sharesFrom: 20000, spectralFrom: 20000, seed: 42 });
    expect(readFileSync(join(dir, manifest.artefacts.mapHtml.file), 'utf8')).toBe(readFileSync(out, 'utf8'));
    const map = JSON.parse(readFileSync(artefactFile(dir, 'map'), 'utf8'));
    expect(map.points).toHaveLength(26);
    expect(new Set(map.points.map((p: { theme: number }) => p.theme))).toEqual(new Set([0, 1, 2]));
  });

  it('escapes every untrusted string in the page', () => {
    const html = readFileSync(join(dir, 'map.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Mallory');
    // The data, the offline search's table and script, the export script (offline downloads) and the client.
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(html).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('says the map is up to date on a second run and prints the same --json twice', () => {
    const a = papermap(['map', '--project', dir, '--json']);
    const b = papermap(['map', '--project', dir, '--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).upToDate).toBe(true);
    expect(b.stdout).toBe(a.stdout);
  });

  it('makes byte-identical files from the same inputs and seed', () => {
    const first = readFileSync(join(dir, 'map.html'));
    const again = join(dir, 'again.html');
    const r = papermap(['map', '--project', dir, '--out', again]);
    expect(r.code).toBe(0);
    expect(readFileSync(again).equals(first)).toBe(true);
  });

  it('rejects an out-of-range option with exit 2 naming it', () => {
    const r = papermap(['map', '--project', dir, '--min-dist', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('minDist');
  });

  it('names the command to run when the project is missing', () => {
    const r = papermap(['map', '--project', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`papermap run <files> -p ${join(dir, 'nope')}`);
  });
});
