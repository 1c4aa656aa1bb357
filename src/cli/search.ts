// `papermap search "<text>"`: the papers nearest in meaning to a free-text query.

import type { Command } from 'commander';
import { searchCommand } from '../pipeline/index.js';
import { hitLines } from './describe.js';
import { withK, withYears, type YearsFlag } from './flags.js';
import { printJson, printLines, targetOf, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap search` to the program. */
export function registerSearch(program: Command): void {
  withYears(withK(withCommon(program.command('search')), 'number of papers, 1-1000', 10))
    .argument('<text>', 'what to look for, in words (embedded with the same model as the papers)')
    .description('find the papers nearest in meaning to a text')
    .action(async (text: string, flags: CommonFlags & { k: number; years?: YearsFlag }) => {
      const answer = await searchCommand(targetOf(flags), text, flags.k, flags.years);
      if (flags.json) printJson(answer);
      else printLines(hitLines(answer.results));
    });
}
