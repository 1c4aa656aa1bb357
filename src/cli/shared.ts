// What every command shares: the project flags, --json output, strict number flags, and a progress bar on a TTY.

import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { Progress, Target } from '../pipeline/index.js';

/** Options every command accepts. */
export interface CommonFlags {
  project?: string;
  json?: boolean;
  wait?: boolean;
}

/** The default project directory, as `--help` shows it. */
export const DEFAULT_PROJECT = '.papermap';

/** Adds --project, --json and --wait to a command. */
export function withCommon(command: Command): Command {
  return command
    .option('-p, --project <dir>', `project directory holding papers, vectors, index, themes and map (default ${DEFAULT_PROJECT})`)
    .option('--json', 'print exactly one JSON document on stdout instead of text (errors too)')
    .option('--wait', 'when another papermap command is updating the project, wait for it instead of stopping');
}

/** The pipeline target the common flags name; waiting is announced on stderr. */
export function targetOf(flags: CommonFlags): Target {
  return {
    ...(flags.project !== undefined ? { project: flags.project } : {}),
    wait: flags.wait ?? false,
    onWait: (holder) => process.stderr.write(`papermap: waiting for '${holder.command}' (pid ${holder.pid}) to finish updating the project…\n`),
    onNote: (note) => process.stderr.write(`papermap: note: ${note}\n`),
  };
}

/** Writes one JSON document to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of text to stdout. */
export function printLines(lines: readonly string[]): void {
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}

/** Progress bars drawn on stderr when it is a TTY; nothing otherwise. */
export const progressBar: Progress = (label) => {
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
};

/** Parses a whole-number flag: plain decimal digits only ('1e1', '0x10', ' 5' and 'abc' are refused, echoing what was typed). */
export function toInt(value: string): number {
  if (!/^-?\d{1,9}$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a whole number`);
  return Number(value);
}

/** Parses a decimal number flag. */
export function toNumber(value: string): number {
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a number`);
  return Number(value);
}

/** Shortens a text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "1 file", "2 files". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Thrown after a command has printed its own result (with --json, its one document) but must still exit non-zero. */
export class ExitAfterOutput extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/**
 * Ends a command that found `error` after printing its result: with --json the result already is the one document,
 * so only the exit code is set; in text mode the error is rendered as usual.
 */
export function failAfterOutput(flags: CommonFlags, error: Error): never {
  if (flags.json) throw new ExitAfterOutput(1);
  throw error;
}
