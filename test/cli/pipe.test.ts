// `papermap … | head`: a reader that closes the pipe early is no error (no stack trace, exit 0).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed by the reader', () => {
  it.each(['--help', 'similar --help', '--version'])('papermap %s exits 0 without a stack trace', async (args) => {
    const r = await withClosedStdout(args.split(' '));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
