// The crash suite, used by test/project/crash-*.test.ts (two files, so vitest runs them side by side). Kill every
// writing command just before each of its flush and rename points in turn (PAPERMAP_CRASH_AT, see src/atomic.ts):
// whatever the point, readers then answer exactly as before the command (or, once the manifest rename
// has happened, exactly as after it), every file the manifest names matches its sha256, and a fresh run completes.

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshness, openProject, readPapers, verifyProject } from '../../src/project/index.js';
import { projectApi, searchCommand, similarCommand, summariseThemes, themesWords } from '../../src/pipeline/index.js';
import { readThemes } from '../../src/project/index.js';
import { buildServer } from '../../src/server/index.js';
import { oneFileProject } from './corpus-project.js';
import { papermap } from './cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NEW_BIB = join(ROOT, 'test/fixtures/bibtex-new/three-new-papers.bib');

/** What readers see: similar, search, themes --json and /api/similar, or the error code each gives. */
async function answers(dir: string, probeId: string): Promise<string> {
  const target = { project: dir };
  const out: Record<string, unknown> = {};
  const attempt = async (name: string, read: () => unknown) => {
    try {
      out[name] = await read();
    } catch (error) {
      out[name] = { error: (error as { code?: string }).code ?? String(error) };
    }
  };
  await attempt('similar', () => similarCommand(target, probeId, 5));
  await attempt('search', () => searchCommand(target, 'merging fine-tuned models without retraining', 5));
  await attempt('themes', () => {
    const project = openProject(dir);
    if (freshness(project, 'themes').state !== 'fresh') return { error: 'PROJECT_STALE' };
    return summariseThemes(readThemes(project), readPapers(project), themesWords(project));
  });
  await attempt('api', async () => {
    const app = buildServer(projectApi(target));
    const res = await app.inject({ method: 'GET', url: `/api/similar?id=${encodeURIComponent(probeId)}&k=5` });
    await app.close();
    return { status: res.statusCode, body: res.json() as unknown };
  });
  return JSON.stringify(out);
}

function damaged(dir: string): string[] {
  return verifyProject(openProject(dir)).filter((a) => !a.ok).map((a) => `${a.file}: ${a.problem}`);
}

/** The writing commands, each with what it needs to have something to write. */
export const CRASH_COMMANDS: { name: string; args: string[] }[] = [
  { name: 'run with new papers', args: ['run', NEW_BIB] },
  { name: 'ingest', args: ['ingest', NEW_BIB] },
  { name: 'ingest --replace', args: ['ingest', '--replace', NEW_BIB, join(ROOT, 'data/000_773b0f2d1a6b9c3e.txt')] },
  { name: 'embed', args: ['embed', '--model', 'all-MiniLM-L6-v2'] },
  { name: 'index --m 12', args: ['index', '--m', '12'] },
  { name: 'themes -k 5', args: ['themes', '-k', '5'] },
  { name: 'map --seed 7', args: ['map', '--seed', '7'] },
];

/**
 * Declares the crash tests for the named commands of CRASH_COMMANDS, over one small base project of their own. Each
 * phase's kill points (before and after the commit point) are shared over `strides.before` and `strides.after` tests, so
 * no test runs long: a command with many points (`run` writes every artefact) needs more tests than one that writes one.
 */
export function crashSuite(names: readonly string[], strides = { before: 3, after: 3 }): void {
  /** The paper whose neighbours readers ask for (its id is looked up once the base project exists). */
  let probeId = '';
  let scratch: string;
  let base: string;
  let before: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'papermap-crash-'));
    base = join(scratch, 'base');
    oneFileProject(base);
    if (names.includes('embed')) {
      // Warm the cache with the other model's vectors too, so the killed `embed --model` runs spend their time on the writes.
      const warm = join(scratch, 'warm');
      cpSync(base, warm, { recursive: true });
      expect(papermap(['embed', '--model', 'all-MiniLM-L6-v2', '-p', warm]).code).toBe(0);
      cpSync(join(warm, 'cache'), join(base, 'cache'), { recursive: true });
    }
    probeId = (readPapers(openProject(base))[0] as { id: string }).id;
    before = await answers(base, probeId);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe.each(CRASH_COMMANDS.filter((c) => names.includes(c.name)))('a writer killed at any point: $name', ({ name, args }) => {
    const slug = name.replace(/\W+/g, '-');
    let points: string[] = [];
    let commitAt = 0;
    let after = '';

    // An uninterrupted run lists the points and gives the state after the command.
    beforeAll(async () => {
      const full = join(scratch, `${slug}-full`);
      cpSync(base, full, { recursive: true });
      const trace = join(scratch, `${slug}.trace`);
      const done = papermap([...args, '-p', full], { env: { PAPERMAP_CRASH_TRACE: trace } });
      expect(done.code, done.stderr).toBe(0);
      points = readFileSync(trace, 'utf8').trim().split('\n');
      commitAt = points.findIndex((p) => p.endsWith('rename manifest.json')) + 1;
      expect(commitAt, `no commit among ${points.join(', ')}`).toBeGreaterThan(0);
      after = await answers(full, probeId);
    });

    async function killAt(point: number): Promise<void> {
      const dir = join(scratch, `${slug}-${point}`);
      cpSync(base, dir, { recursive: true });
      const killed = papermap([...args, '-p', dir], { env: { PAPERMAP_CRASH_AT: String(point) } });
      const where = `killed before point ${point} of ${points.length} (${points[point - 1]})`;
      expect(killed.signal, where).toBe('SIGKILL');
      expect(damaged(dir), where).toEqual([]);
      expect(await answers(dir, probeId), where).toBe(point <= commitAt ? before : after);
      if (point === commitAt) {
        // The dead writer's lock is taken over and the project can be brought up to date.
        const next = papermap(['run', '-p', dir, '--json']);
        expect(next.code, `${where}: ${next.stderr}`).toBe(0);
        expect(damaged(dir), where).toEqual([]);
      }
      rmSync(dir, { recursive: true, force: true });
    }

    // Each phase's kill points are shared out over its tests: points c+1, c+1+stride, … for test c.
    const { before: sb, after: sa } = strides;
    for (let c = 0; c < sb; c++) {
      it(`before the commit point (points ${c + 1}, ${c + 1 + sb}, …): the last commit stays whole, readers answer as before, the next run completes`, async () => {
        for (let point = c + 1; point <= commitAt; point += sb) await killAt(point);
      });
    }

    for (let c = 0; c < sa; c++) {
      it(`after the commit point (points ${c + 1}, ${c + 1 + sa}, … past it): the new commit is whole and readers answer as after the command`, async () => {
        for (let point = commitAt + 1 + c; point <= points.length; point += sa) await killAt(point);
      });
    }
  });
}
