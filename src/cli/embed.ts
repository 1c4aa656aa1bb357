// `papermap embed`: embed the project's papers with the vendored model, reusing the vector cache.

import type { Command } from 'commander';
import { embedCommand, type ModelName } from '../pipeline/index.js';
import { describeEmbed } from './describe.js';
import { withEmbedFlags } from './flags.js';
import { printJson, printLines, progressBar, targetOf, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap embed` to the program. */
export function registerEmbed(program: Command): void {
  withEmbedFlags(withCommon(program.command('embed')))
    .description('embed every paper of the project with the local model; unchanged papers come from the cache')
    .action(async (flags: CommonFlags & { model?: ModelName; fp32?: boolean; batchSize?: number; threads?: number }) => {
      const summary = await embedCommand(targetOf(flags), { model: flags.model, fp32: flags.fp32, batchSize: flags.batchSize, threads: flags.threads, progress: progressBar });
      if (flags.json) printJson(summary);
      else printLines([describeEmbed(summary)]);
    });
}
