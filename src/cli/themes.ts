// `papermap themes`: cluster the project's papers into named themes and areas (rebuilt only when out of date).

import type { Command } from 'commander';
import { checkLevel, themesCommand } from '../pipeline/index.js';
import { DEFAULT_THEMES_SEED, THEME_DEFAULTS } from '../pipeline/index.js';
import { describeThemes } from './describe.js';
import { withK } from './flags.js';
import { printJson, printLines, progressBar, targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap themes [-k N] [--seed S] [--level areas|themes|sub] [--[no-]words] [--refit] [--json] [-p dir]`. */
export function registerThemes(program: Command): void {
  withK(withCommon(program.command('themes')), `number of themes (default: chosen over ${THEME_DEFAULTS.kMin}-${THEME_DEFAULTS.kMax})`)
    .option('--seed <n>', `seed of k-means and sampling (default ${DEFAULT_THEMES_SEED})`, toInt)
    .option('--level <level>', 'what to print: areas, themes or sub', 'themes')
    .option('--words', 'group papers by the words they share as well as by meaning: method families that share a domain become themes of their own; for a library on one subject, not a broad collection, where its themes change between seeds (the project keeps the choice; the map follows it)')
    .option('--no-words', 'group papers by meaning alone (the default)')
    .option('--refit', 'cluster afresh instead of updating the previous themes (ids, names and colours start over)')
    .description('cluster the papers into research themes, name them, group them into areas')
    .action(async (flags: CommonFlags & { k?: number; seed?: number; level: string; words?: boolean; refit?: boolean }) => {
      const level = checkLevel(flags.level);
      const summary = await themesCommand(targetOf(flags), { k: flags.k, seed: flags.seed, words: flags.words, refit: flags.refit === true, progress: progressBar });
      if (flags.json) printJson(summary);
      else printLines(describeThemes(summary, level));
    });
}
