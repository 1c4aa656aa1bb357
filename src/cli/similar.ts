// `papermap similar <paper>`: the papers most like one paper of the project.

import type { Command } from 'commander';
import { similarCommand } from '../pipeline/index.js';
import { hitLines } from './describe.js';
import { withK, withYears, type YearsFlag } from './flags.js';
import { printJson, printLines, targetOf, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap similar` to the program. */
export function registerSimilar(program: Command): void {
  withYears(withK(withCommon(program.command('similar')), 'number of papers, 1-1000', 10))
    .argument('<paper>', 'a paper id, DOI, arXiv id, or a fragment of its title (an ambiguous fragment lists the candidates)')
    .description('list the papers most similar to one paper (never the paper itself)')
    .action(async (ref: string, flags: CommonFlags & { k: number; years?: YearsFlag }) => {
      const answer = await similarCommand(targetOf(flags), ref, flags.k, flags.years);
      if (flags.json) printJson(answer);
      else printLines([`papers similar to: ${answer.paper.title ?? answer.paper.id} (${answer.paper.id})`, ...hitLines(answer.results)]);
    });
}
