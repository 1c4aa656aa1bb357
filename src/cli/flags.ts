// Flags that more than one command takes, with the same names and defaults as the pipeline's options.

import type { Command } from 'commander';
import { EMBED_DEFAULTS, MODEL_NAMES } from '../pipeline/index.js';
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
