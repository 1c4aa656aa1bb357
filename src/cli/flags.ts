// Flags that more than one command takes, with the same names and defaults as the pipeline's options.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_RELATED_MODE, EMBED_DEFAULTS, MODEL_NAMES, RELATED_MODES } from '../pipeline/index.js';
import { toInt } from './shared.js';

/** Adds the embed flags (`embed` and `run`). */
export function withEmbedFlags(command: Command): Command {
  return command
    .option('--model <name>', `the vendored model: ${MODEL_NAMES.join(' | ')} (default: the project's model, else ${EMBED_DEFAULTS.model})`)
    .option('--fp32', 'use the fp32 model instead of the int8 one (slower, closest to the Python reference)')
    .option('--batch-size <n>', `texts per forward pass, 8-128 suits two cores (default ${EMBED_DEFAULTS.batchSize})`, toInt)
    .option('--threads <n>', 'ONNX threads; 0 uses every core (default 0)', toInt);
}

/** Adds `-k, --k <n>`: how many results (similar, search) or themes. */
export function withK(command: Command, what: string, defaultValue?: number): Command {
  return defaultValue === undefined ? command.option('-k, --k <n>', what, toInt) : command.option('-k, --k <n>', what, toInt, defaultValue);
}

/** A year range as the pipeline takes it. */
export type YearsFlag = { from?: number; to?: number };

/** Parses `--years`: 2019 (that year), 2019-2021, 2019- (from) or -2021 (up to). */
export function toYears(value: string): YearsFlag {
  const m = /^(\d{4})?(-)?(\d{4})?$/.exec(value.trim());
  if (!m || (!m[1] && !m[3])) throw new InvalidArgumentError(`'${value}' is not a year range: give 2019, 2019-2021, 2019- or -2021`);
  const from = m[1] ? Number(m[1]) : undefined;
  const to = m[3] ? Number(m[3]) : m[2] ? undefined : from;
  if (from !== undefined && to !== undefined && from > to) throw new InvalidArgumentError(`'${value}' ends before it starts: give the earlier year first, e.g. ${to}-${from}`);
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** Adds `--years <range>`: only papers published in that range (similar, search). */
export function withYears(command: Command): Command {
  return command.option('--years <range>', 'only papers published in these years: 2019, 2019-2021, 2019- or -2021 (papers without a year are left out)', toYears);
}

/** Adds `--mode <mode>`: how similar and search rank (dense, lexical or hybrid). */
export function withMode(command: Command): Command {
  return command.addOption(
    new Option('--mode <mode>', 'ranking: dense (embeddings), lexical (BM25 words) or hybrid (both fused; best on the judged set)').choices([...RELATED_MODES]).default(DEFAULT_RELATED_MODE),
  );
}
