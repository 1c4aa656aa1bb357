// `papermap similar <paper>`: the papers most like one paper of the project.

import type { Command } from 'commander';
import { openProject } from '../project/index.js';
import { hitLines, hitRows, openRelated } from './related.js';
import { readThemeOf } from './themes.js';
import { printJson, printLines, toInt, withCommon, type CommonFlags } from './shared.js';

export function registerSimilar(program: Command): void {
  withCommon(program.command('similar'))
    .argument('<paper>', 'a paper id, DOI, arXiv id, or a fragment of its title (an ambiguous fragment lists the candidates)')
    .description('list the papers most similar to one paper (never the paper itself)')
    .option('-k, --k <n>', 'number of papers (1-1000)', toInt, 10)
    .action(async (ref: string, flags: CommonFlags & { k: number }) => {
      const project = openProject(flags.project);
      const related = openRelated(project);
      const { paper, neighbours } = related.similar(ref, flags.k);
      const rows = hitRows(neighbours, readThemeOf(project));
      if (flags.json) printJson({ paper: { id: paper.id, title: paper.title ?? null, year: paper.year ?? null }, results: rows });
      else printLines([`papers similar to: ${paper.title ?? paper.abstract.slice(0, 80)} (${paper.id})`, ...hitLines(rows)]);
    });
}
