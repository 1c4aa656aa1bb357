// `papermap ingest`: read files and folders into the project's papers, remembering the paths so a re-run picks up changes.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { INGEST_DEFAULTS } from '../pipeline/index.js';
import { ingestCommand } from '../pipeline/index.js';
import { describeIngest } from './describe.js';
import { failAfterOutput, plural, printJson, printLines, progressBar, targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

interface IngestFlags extends CommonFlags {
  replace?: boolean;
  keepGoing?: boolean;
  minAbstractChars?: number;
}

/** Adds `papermap ingest` to the program. */
export function registerIngest(program: Command): void {
  withCommon(program.command('ingest'))
    .argument('[paths...]', 'files or folders (walked recursively) of abstracts: .bib, .ris, .csv, .tsv, .json, .jsonl, arXiv Atom .xml, or text')
    .description('read papers into the project, merge duplicates and report what was skipped; re-reads the paths remembered from earlier runs too')
    .option('--replace', 'forget the remembered paths and read only the ones given')
    .option('--keep-going', 'load the readable files even if some cannot be read; the exit code is still 1 when any file failed')
    .option('--min-abstract-chars <n>', `shortest abstract kept, in characters (default ${INGEST_DEFAULTS.minAbstractChars})`, toInt)
    .addHelpText(
      'after',
      '\nFormats are detected from content and file name. Text that is not UTF-8 is read as Windows-1252 when it decodes\n' +
        'cleanly (the report says so), otherwise the file is unreadable. An unreadable file stops the run with one line\n' +
        'naming it (exit 1) unless --keep-going is given. Nothing is changed in the project unless the command succeeds.',
    )
    .action(async (paths: string[], flags: IngestFlags) => {
      const summary = await ingestCommand(targetOf(flags), paths, { replace: flags.replace, keepGoing: flags.keepGoing, minAbstractChars: flags.minAbstractChars, progress: progressBar });
      if (flags.json) printJson(summary);
      else printLines(describeIngest(summary));
      const [first, ...rest] = summary.failedFiles;
      if (first) {
        failAfterOutput(flags, new PapermapError(
          first.code === 'INPUT_PARSE' ? 'INPUT_PARSE' : 'INPUT_UNREADABLE',
          `${first.message}${rest.length ? ` (and ${plural(rest.length, 'more unreadable file')}, listed above)` : ''}`,
          { file: first.file, ...(first.line ? { line: first.line } : {}) },
          'the other files were loaded; fix or leave out the unreadable ones and run `papermap ingest` again',
        ));
      }
    });
}
