// One writer at a time: a second writer is refused at once with the holder named (or waits with --wait), a dead
// writer's lock is taken over, and readers never wait: during a write they see the last commit, after it the new one.
// A writer is held mid-write by having it stop itself (SIGSTOP) at its first flush, which it passes holding the lock
// (PAPERMAP_STOP_AT, src/atomic.ts), so "during" is not a race against the writer's speed or the test's own scheduling
// (stopping it from here once its lock file appeared could land after a quick write had ended), and a small real
// library (one seed file) keeps each write cheap.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { papermap } from '../helpers/cli.js';
import { oneFileProject } from '../helpers/corpus-project.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NEW_BIB = join(ROOT, 'test/fixtures/bibtex-new/three-new-papers.bib');

let scratch: string;
let base: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'papermap-lock-'));
  base = join(scratch, 'base');
  oneFileProject(base);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyOfBase(name: string): string {
  const dir = join(scratch, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

/** A process started in the background, with its exit code and its stderr so far. */
interface Started {
  child: ChildProcess;
  done: Promise<number | null>;
  stderr: () => string;
  stdout: () => string;
}

function start(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, done, stderr: () => err, stdout: () => out };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok(), what).toBe(true);
}

/** True while process `pid` is stopped (state T in /proc/<pid>/stat). */
function stopped(pid: number): boolean {
  try {
    return / T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
  } catch {
    return false;
  }
}

/** Starts a writing command that stops itself at its first flush, holding the project's lock: a write held mid-way. */
async function heldWriter(args: string[]): Promise<Started> {
  const dir = args[args.indexOf('-p') + 1] as string;
  const writer = start(args, { PAPERMAP_STOP_AT: '1' });
  await until('the writer never stopped at its first flush', () => stopped(writer.child.pid as number));
  expect(existsSync(join(dir, 'lock'))).toBe(true);
  return writer;
}

/** Lets a held writer go on and waits for it to end (a test that fails first kills it in its `finally`). */
async function release(writer: Started): Promise<number | null> {
  writer.child.kill('SIGCONT');
  return writer.done;
}

describe('the writer lock', () => {
  it('refuses a second writer at once, naming the first, and lets it wait with --wait', async () => {
    const dir = copyOfBase('busy');
    const first = await heldWriter(['run', NEW_BIB, '-p', dir]);
    try {
      const second = papermap(['ingest', NEW_BIB, '-p', dir, '--json']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`^papermap: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is being updated by 'papermap run' \\(pid ${first.child.pid}, since \\d\\d:\\d\\d:\\d\\d\\); wait for it, or pass --wait`));
      expect(JSON.parse(second.stdout)).toMatchObject({ error: { code: 'PROJECT_BUSY' } });
      const waiter = start(['themes', '-k', '4', '-p', dir, '--wait', '--json']);
      await until('the second writer never said it waits', () => waiter.stderr().includes("waiting for 'papermap run'"));
      expect(await release(first)).toBe(0);
      expect(await waiter.done, waiter.stderr()).toBe(0);
      expect(JSON.parse(waiter.stdout()).themes).toHaveLength(4);
      expect(papermap(['verify', '-p', dir]).code).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
    }
  });

  it('takes over the lock of a writer that no longer runs, with a note', () => {
    const dir = copyOfBase('dead');
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
    const dir = copyOfBase('readers');
    const probe = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generation: number }).generation;
    const before = papermap(['similar', 'AdaMerging', '-k', '5', '-p', dir, '--json']);
    expect(before.code, before.stderr).toBe(0);
    const writer = await heldWriter(['run', NEW_BIB, '-p', dir]);
    try {
      const during = papermap(['similar', 'AdaMerging', '-k', '5', '-p', dir, '--json']);
      const newDuring = papermap(['similar', 'Coral Reef Bleaching', '-p', dir, '--json']);
      expect(during.code, during.stderr).toBe(0);
      expect(during.stdout).toBe(before.stdout);
      expect(JSON.parse(newDuring.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(await release(writer)).toBe(0);
    } finally {
      writer.child.kill('SIGKILL');
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generation: number };
    expect(manifest.generation).toBeGreaterThan(probe);
    const newAfter = papermap(['similar', 'Coral Reef Bleaching', '-p', dir, '--json']);
    expect(newAfter.code, newAfter.stderr).toBe(0);
  });
});
