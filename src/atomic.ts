// Durable file writes: write a new file, flush it, flush its folder; rename only through `renameDurable`.
//
// Every flush and rename passes a numbered crash point. With PAPERMAP_CRASH_AT=N in the environment the process
// SIGKILLs itself just before the N-th point (1-based); PAPERMAP_CRASH_TRACE=FILE appends one line per point passed.
// The crash tests use them to kill a writer before each point in turn (test/project/crash.test.ts). With
// PAPERMAP_STOP_AT=N it stops itself (SIGSTOP) there instead, until continued: every point is passed while the writer
// holds the project's lock, so the lock tests hold a writer mid-write that way (test/project/lock.test.ts).

import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

let crashPoints = 0;

/** Counts one flush or rename point; dies here when PAPERMAP_CRASH_AT names it, stops when PAPERMAP_STOP_AT does. */
export function crashPoint(label: string): void {
  crashPoints += 1;
  const trace = process.env.PAPERMAP_CRASH_TRACE;
  if (trace) appendFileSync(trace, `${crashPoints} ${label}\n`);
  if (process.env.PAPERMAP_CRASH_AT === String(crashPoints)) process.kill(process.pid, 'SIGKILL');
  if (process.env.PAPERMAP_STOP_AT === String(crashPoints)) process.kill(process.pid, 'SIGSTOP');
}

/** A temporary path in the same folder as `target`, so a rename onto `target` is atomic. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Flushes a file's data to disk. */
export function fsyncFile(file: string): void {
  crashPoint(`fsync ${basename(file)}`);
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder, so the names created or renamed in it survive a power loss. */
export function fsyncDir(dir: string): void {
  crashPoint(`fsync-dir ${basename(dir)}`);
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (error) {
    // Some file systems refuse fsync on a directory (EINVAL/EISDIR/EPERM); the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Renames `from` to `to` (atomic within one folder) and flushes the folder. */
export function renameDurable(from: string, to: string): void {
  crashPoint(`rename ${basename(to)}`);
  renameSync(from, to);
  fsyncDir(dirname(to));
}

/** Writes all of `data` to a new file at `path` (which must not matter if left half-written) and flushes it. */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
  } finally {
    closeSync(fd);
  }
  fsyncFile(path);
}

/**
 * Writes `data` to `target` so that readers see either the old file or the whole new one, never a part.
 * A crash mid-write leaves only a stray `.tmp` file beside the last good target.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const temp = tempPathFor(target);
  try {
    writeFileDurable(temp, data);
    renameDurable(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Lets `write` produce a file at a temporary path (for libraries that only save to a path, like hnswlib),
 * then flushes and renames it over `target`.
 */
export async function replaceAtomic(target: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    await write(temp);
    fsyncFile(temp);
    renameDurable(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
