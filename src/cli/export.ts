// `papermap export`: a theme, a similar/search result, some ids or every paper as BibTeX, RIS, CSL-JSON or CSV.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../atomic.js';
import { EXPORT_FORMATS, exportCommand } from '../pipeline/index.js';
import { withK } from './flags.js';
import { plural, printJson, targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

interface ExportFlags extends CommonFlags {
  theme?: number;
  similar?: string;
  search?: string;
  ids?: string;
  format: string;
  out?: string;
  k: number;
}

/** Adds `papermap export` to the program. */
export function registerExport(program: Command): void {
  withK(withCommon(program.command('export')), 'papers for --similar and --search, 1-1000', 20)
    .description('write papers for a reference manager (Zotero, JabRef, EndNote, Mendeley): a theme, a result, some ids, or every paper')
    .option('--theme <id>', 'the papers of one theme (ids as `papermap themes` lists them)', toInt)
    .option('--similar <paper>', 'the papers most similar to one paper (id, DOI, arXiv id or title fragment)')
    .option('--search <text>', 'the papers nearest in meaning to a text')
    .option('--ids <list>', 'papers by id, DOI or arXiv id, comma-separated')
    .option('--format <name>', `${EXPORT_FORMATS.join(' | ')}`, 'bibtex')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: ExportFlags) => {
      const selection = {
        ...(flags.theme !== undefined ? { theme: flags.theme } : {}),
        ...(flags.similar !== undefined ? { similar: flags.similar } : {}),
        ...(flags.search !== undefined ? { search: flags.search } : {}),
        ...(flags.ids !== undefined ? { ids: flags.ids.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        k: flags.k,
      };
      const answer = await exportCommand(targetOf(flags), selection, flags.format);
      if (flags.out) {
        const out = resolve(flags.out);
        writeFileAtomic(out, answer.text);
        if (flags.json) printJson({ format: answer.format, out, papers: answer.ids.length, ids: answer.ids });
        else process.stderr.write(`papermap: wrote ${plural(answer.ids.length, 'paper')} as ${answer.format} to ${out}\n`);
      } else if (flags.json) printJson({ format: answer.format, papers: answer.ids.length, ids: answer.ids, text: answer.text });
      else process.stdout.write(answer.text);
    });
}
