// `papermap search "<text>"`: the papers nearest in meaning to a free-text query.

import type { Command } from 'commander';
import { openProject } from '../project/index.js';
import { hitLines, hitRows, openRelated } from './related.js';
import { readThemeOf } from './themes.js';
import { printJson, printLines, toInt, withCommon, type CommonFlags } from './shared.js';

export function registerSearch(program: Command): void {
  withCommon(program.command('search'))
    .argument('<text>', 'what to look for, in words (embedded with the same model as the papers)')
    .description('find the papers nearest in meaning to a text')
    .option('-k, --k <n>', 'number of papers (1-1000)', toInt, 10)
    .action(async (text: string, flags: CommonFlags & { k: number }) => {
      const project = openProject(flags.project);
      const hits = await openRelated(project).search(text, flags.k);
      const rows = hitRows(hits, readThemeOf(project));
      if (flags.json) printJson({ query: text, results: rows });
      else printLines(hitLines(rows));
    });
}
