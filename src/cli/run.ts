// `papermap run [paths…]` (what `npm start` runs): ingest → embed → index → themes → map, with a short summary.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { runAll, type ModelName } from '../pipeline/index.js';
import { describeEmbed, describeIndex, describeMap, describeThemes } from './describe.js';
import { withEmbedFlags } from './flags.js';
import { failAfterOutput, plural, printJson, printLines, progressBar, targetOf, withCommon, type CommonFlags } from './shared.js';

interface RunFlags extends CommonFlags {
  model?: ModelName;
  fp32?: boolean;
  batchSize?: number;
  threads?: number;
  keepGoing?: boolean;
}

/** Adds `papermap run` to the program. */
export function registerRun(program: Command): void {
  withEmbedFlags(withCommon(program.command('run')))
    .argument('[paths...]', 'files or folders of abstracts to add to the project (a new project needs at least one)')
    .description('run the whole pipeline (ingest, embed, index, themes, map) and commit once; each stage is skipped when its inputs are unchanged')
    .option('--keep-going', 'go on with the readable files when some cannot be read (the exit code is still 1)')
    .addHelpText('after', '\nThe project remembers the paths it has read, so `papermap run my-refs.bib` adds to what is there.\nUse `papermap ingest --replace <paths>` to start from other files.')
    .action(async (paths: string[], flags: RunFlags) => {
      const s = await runAll(targetOf(flags), paths, { model: flags.model, fp32: flags.fp32, batchSize: flags.batchSize, threads: flags.threads, keepGoing: flags.keepGoing, progress: progressBar });
      if (flags.json) {
        printJson(s);
      } else {
        printLines([
          `read ${plural(s.ingest.records, 'record')} from ${plural(s.ingest.files.length, 'file')}: ${plural(s.ingest.papers, 'unique paper')}, ${plural(s.ingest.duplicateGroups, 'duplicate group')} merged, ${s.ingest.skipped.length} skipped (details: papermap ingest --json)`,
          describeEmbed(s.embed),
          describeIndex(s.index),
          '',
          ...describeThemes(s.themes),
          '',
          describeMap(s.map),
          `done in ${(s.totalMs / 1000).toFixed(1)} s (${Object.entries(s.timingsMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`,
          `map: ${s.map.out}`,
        ]);
      }
      const first = s.ingest.failedFiles[0];
      if (first) {
        failAfterOutput(flags, new PapermapError('INPUT_UNREADABLE', `${plural(s.ingest.failedFiles.length, 'file')} could not be read, the first: ${first.message}`, { file: first.file }, 'the other files were processed; fix or remove the file and run again'));
      }
    });
}
