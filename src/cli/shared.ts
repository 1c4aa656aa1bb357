// What every command shares: the project flag, --json output, and a progress bar drawn only on a TTY.

import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DEFAULT_PROJECT_DIR } from '../project/index.js';

/** Options every command accepts. */
export interface CommonFlags {
  project: string;
  json?: boolean;
}

/** Adds --project and --json to a command. */
export function withCommon(command: Command): Command {
  return command
    .option('-p, --project <dir>', 'project directory holding papers, vectors, index, themes and map', DEFAULT_PROJECT_DIR)
    .option('--json', 'print exactly one JSON document on stdout instead of text');
}

/** Writes one JSON document to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of text to stdout. */
export function printLines(lines: readonly string[]): void {
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}

/** A progress callback that draws a bar on stderr when it is a TTY and stays quiet otherwise. */
export function progressBar(label: string): { onProgress: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    onProgress(done, total) {
      if (!bar) {
        bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr, clearOnComplete: true, hideCursor: true });
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Parses an integer flag; commander hands strings. */
export function toInt(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** Shortens a text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
