// The project's writer lock: one writing command at a time, recorded in `<project>/lock` (pid, host, command, start).

import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PapermapError } from '../errors.js';

/** What the lock file records about its holder. */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  /** ISO time the holder took the lock. */
  since: string;
}

/** A held lock. */
export interface Lock {
  file: string;
  info: LockInfo;
  /** A note to show the user, e.g. that a dead holder's lock was taken over. */
  note?: string;
}

/** Options of `acquireLock`. */
export interface LockOptions {
  /** The command shown to a second writer, e.g. 'papermap run'. */
  command: string;
  /** Wait for the holder to finish instead of failing at once. */
  wait: boolean;
  /** How often to look again while waiting, in ms. Default 200. */
  pollMs?: number;
  /** Called once when this writer starts waiting. */
  onWait?: (holder: LockInfo) => void;
  /** How to spell the project in messages (as the user typed it). */
  shownAs?: string;
}

/** Name of the lock file inside the project directory. */
export const LOCK_FILE = 'lock';

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.host === 'string') return { pid: info.pid, host: info.host, command: String(info.command ?? '?'), since: String(info.since ?? '?') };
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Half-written by a holder that died between create and write: treat as a dead holder.
    return { pid: -1, host: hostname(), command: '?', since: '?' };
  }
}

function alive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true; // another machine's process cannot be checked: assume it runs
  if (info.pid <= 0) return false;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function clock(iso: string): string {
  return /T(\d\d:\d\d:\d\d)/.exec(iso)?.[1] ?? iso;
}

/**
 * Takes the writer lock of the project at `dir`, or throws PROJECT_BUSY naming the holder (with `wait`, waits for it).
 * A lock left by a process that no longer runs on this host is taken over, with a note.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<Lock> {
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), command: options.command, since: new Date().toISOString() };
  let note: string | undefined;
  let waiting = false;
  for (;;) {
    if (tryCreate(file, info)) return { file, info, ...(note ? { note } : {}) };
    const holder = readLock(file);
    if (!holder) continue; // released between our create and read
    if (!alive(holder)) {
      // Move the dead holder's lock aside; of several writers doing this at once, one rename succeeds.
      const aside = join(dir, `.lock.${process.pid}.stale.tmp`);
      try {
        renameSync(file, aside);
        rmSync(aside, { force: true });
        note = `took over the lock of '${holder.command}' (pid ${holder.pid}, since ${clock(holder.since)}), which is no longer running`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      continue;
    }
    if (!options.wait) {
      throw new PapermapError('PROJECT_BUSY', `${options.shownAs ?? dir} is being updated by '${holder.command}' (pid ${holder.pid}, since ${clock(holder.since)}); wait for it, or pass --wait`, undefined);
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(holder);
    }
    await new Promise((done) => setTimeout(done, options.pollMs ?? 200));
  }
}

/** Releases a lock this process holds (a lock another process took over is left alone). */
export function releaseLock(lock: Lock): void {
  const holder = readLock(lock.file);
  if (holder && holder.pid === lock.info.pid && holder.since === lock.info.since) rmSync(lock.file, { force: true });
}
