// Test helper: run the real `papermap` bin (dist/cli/main.js) and capture stdout, stderr and the exit code.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  /** The signal that ended the process, if any (e.g. 'SIGKILL'). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `papermap <args>` from the repository root with stdin closed and no TTY. */
export function papermap(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const res = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  return { code: res.status ?? -1, signal: res.signal, stdout: res.stdout, stderr: res.stderr };
}
