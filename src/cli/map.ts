// `papermap map`: lay the papers out in 2-D with UMAP over the index's neighbours and write the one-file HTML map.

import type { Command } from 'commander';
import { MAP_DEFAULTS } from '../pipeline/index.js';
import { mapCommand } from '../pipeline/index.js';
import { describeMap } from './describe.js';
import { printJson, printLines, progressBar, targetOf, toInt, toNumber, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap map` to the program. */
export function registerMap(program: Command): void {
  withCommon(program.command('map'))
    .description('lay the papers out in 2-D (UMAP) and write an interactive, self-contained HTML map')
    .option('--out <file>', 'also write the HTML map here (the project keeps <project>/map.html)')
    .option('--n-neighbors <n>', `UMAP neighbours per paper, 2-100 (default ${MAP_DEFAULTS.nNeighbors})`, toInt)
    .option('--min-dist <d>', `UMAP minimum distance, 0-1 (default ${MAP_DEFAULTS.minDist})`, toNumber)
    .option('--seed <n>', `UMAP seed (default ${MAP_DEFAULTS.seed})`, toInt)
    .option('--refit', 'lay the map out afresh instead of starting papers where the last map had them')
    .action(async (flags: CommonFlags & { out?: string; nNeighbors?: number; minDist?: number; seed?: number; refit?: boolean }) => {
      const summary = await mapCommand(targetOf(flags), { out: flags.out, nNeighbors: flags.nNeighbors, minDist: flags.minDist, seed: flags.seed, refit: flags.refit, progress: progressBar });
      if (flags.json) printJson(summary);
      else printLines([describeMap(summary)]);
    });
}
