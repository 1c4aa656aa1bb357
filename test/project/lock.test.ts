// One writer at a time: a second writer is refused at once with the holder named (or waits with --wait), a dead
// writer's lock is taken over, and readers never wait: during a write they see the last commit, after it the new one.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { papermap } from '../helpers/cli.js';
import { copyOfCorpusProject } from '../helpers/corpus-project.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NEW_BIB = join(ROOT, 'test/fixtures/bibtex-new/three-new-papers.bib');

/** Starts a writing command in the background; resolves once it holds the project's lock. */
async function startWriter(args: string[]): Promise<{ child: ChildProcess; done: Promise<number | null> }> {
  const dir = args[args.indexOf('-p') + 1] as string;
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 600 && !existsSync(join(dir, 'lock')); i++) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(join(dir, 'lock')), 'the writer never took the lock').toBe(true);
  return { child, done };
}

describe('the writer lock', () => {
  it('refuses a second writer at once, naming the first, and lets it wait with --wait', async () => {
    const dir = copyOfCorpusProject();
    const first = await startWriter(['run', NEW_BIB, '-p', dir]);
    const second = papermap(['ingest', NEW_BIB, '-p', dir, '--json']);
    expect(existsSync(join(dir, 'lock')), 'the first writer finished too soon for this test').toBe(true);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^papermap: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is being updated by 'papermap run' \\(pid \\d+, since \\d\\d:\\d\\d:\\d\\d\\); wait for it, or pass --wait`));
    expect(JSON.parse(second.stdout)).toMatchObject({ error: { code: 'PROJECT_BUSY' } });
    const waited = papermap(['themes', '-k', '4', '-p', dir, '--wait', '--json']);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toContain("waiting for 'papermap run'");
    expect(await first.done).toBe(0);
    expect(JSON.parse(waited.stdout).themes).toHaveLength(4);
    expect(papermap(['verify', '-p', dir]).code).toBe(0);
  });

  it('takes over the lock of a writer that no longer runs, with a note', () => {
    const dir = copyOfCorpusProject();
    // A process that has exited: its pid is not running (pids are not reused this quickly).
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid as number;
    writeFileSync(join(dir, 'lock'), `${JSON.stringify({ pid: deadPid, host: hostname(), command: 'papermap run', since: '2026-01-01T10:02:11.000Z' })}\n`);
    return new Promise<void>((resolve) => child.on('exit', () => resolve())).then(() => {
      const run = papermap(['map', '--seed', '9', '-p', dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`took over the lock of 'papermap run' (pid ${deadPid}, since 10:02:11)`);
      expect(existsSync(join(dir, 'lock'))).toBe(false);
    });
  });

  it('never makes a reader wait: during a write it sees the last commit, after the commit the new one', async () => {
    const dir = copyOfCorpusProject();
    const before = papermap(['similar', 'AdaMerging', '-k', '5', '-p', dir, '--json']);
    expect(before.code).toBe(0);
    const writer = await startWriter(['run', NEW_BIB, '-p', dir]);
    const during = papermap(['similar', 'AdaMerging', '-k', '5', '-p', dir, '--json']);
    const newDuring = papermap(['similar', 'Coral Reef Bleaching', '-p', dir, '--json']);
    expect(existsSync(join(dir, 'lock')), 'the writer finished too soon for this test').toBe(true);
    expect(during.code).toBe(0);
    expect(during.stdout).toBe(before.stdout);
    expect(JSON.parse(newDuring.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await writer.done).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generation: number };
    expect(manifest.generation).toBeGreaterThan(1);
    const newAfter = papermap(['similar', 'Coral Reef Bleaching', '-p', dir, '--json']);
    expect(newAfter.code, newAfter.stderr).toBe(0);
  });
});
