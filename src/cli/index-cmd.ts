// `papermap index`: build or incrementally update the project's HNSW index from its vectors.

import type { Command } from 'commander';
import { INDEX_DEFAULTS } from '../pipeline/index.js';
import { indexCommand } from '../pipeline/index.js';
import { describeIndex } from './describe.js';
import { printJson, printLines, targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

interface IndexFlags extends CommonFlags {
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  rebuild?: boolean;
}

/** Adds `papermap index` to the program. */
export function registerIndex(program: Command): void {
  withCommon(program.command('index'))
    .description('build the HNSW index of the project, or update it in place with only the new and changed papers')
    .option('--rebuild', 'build from scratch instead of updating')
    .option('--m <n>', `HNSW links per node (default ${INDEX_DEFAULTS.m})`, toInt)
    .option('--ef-construction <n>', `HNSW build beam (default ${INDEX_DEFAULTS.efConstruction})`, toInt)
    .option('--ef-search <n>', `HNSW query beam (default ${INDEX_DEFAULTS.efSearch})`, toInt)
    .action(async (flags: IndexFlags) => {
      const summary = await indexCommand(targetOf(flags), { m: flags.m, efConstruction: flags.efConstruction, efSearch: flags.efSearch, rebuild: flags.rebuild });
      if (flags.json) printJson(summary);
      else printLines([describeIndex(summary)]);
    });
}
