// `papermap run [paths…]` (what `npm start` runs): ingest → embed → index → themes → map, with a short summary.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { openProject } from '../project/index.js';
import { describeEmbed, embedStep, withEmbedFlags, type EmbedFlags } from './embed.js';
import { describeIndex, indexStep } from './index-cmd.js';
import { ingestStep } from './ingest.js';
import { describeMap, mapStep } from './map.js';
import { describeThemes, themesStep } from './themes.js';
import { printJson, printLines, withCommon, type CommonFlags } from './shared.js';

/** Flags of `papermap run`. */
interface RunFlags extends CommonFlags, EmbedFlags {
  keepGoing?: boolean;
}

export function registerRun(program: Command): void {
  withEmbedFlags(withCommon(program.command('run')))
    .argument('[paths...]', 'files or folders of abstracts to add to the project (default: data)')
    .description('run the whole pipeline (ingest, embed, index, themes, map); each stage is skipped when its inputs are unchanged')
    .option('--keep-going', 'go on with the readable files when some cannot be read (the exit code is still 1)')
    .addHelpText('after', '\nThe project remembers the paths it has read, so `papermap run my-refs.bib` adds to what is there.\nUse `papermap ingest --replace <paths>` to start from other files.')
    .action(async (paths: string[], flags: RunFlags) => {
      const started = performance.now();
      const project = openProject(flags.project, { create: true });
      const timingsMs: Record<string, number> = {};
      const timed = async <T>(name: string, step: () => Promise<T> | T): Promise<T> => {
        const t0 = performance.now();
        const out = await step();
        timingsMs[name] = Math.round(performance.now() - t0);
        return out;
      };
      const inputs = paths.length || project.manifest.artefacts.papers ? paths : ['data'];
      const ingest = await timed('ingest', () => ingestStep(project, inputs, { keepGoing: flags.keepGoing }));
      const embed = await timed('embed', () => embedStep(project, flags));
      const index = await timed('index', () => indexStep(project));
      const themes = await timed('themes', () => themesStep(project, {}));
      const map = await timed('map', () => mapStep(project, {}));
      const totalMs = Math.round(performance.now() - started);
      if (flags.json) {
        printJson({ ingest, embed, index, themes, map, timingsMs, totalMs });
      } else {
        printLines([
          `read ${ingest.records} records from ${ingest.files.length} files: ${ingest.papers} unique papers, ${ingest.duplicateGroups} duplicate groups merged, ${ingest.skipped.length} skipped (details: papermap ingest --json)`,
          describeEmbed(embed),
          describeIndex(index),
          '',
          ...describeThemes(themes),
          '',
          describeMap(map),
          `done in ${(totalMs / 1000).toFixed(1)} s (${Object.entries(timingsMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`,
          `map: ${map.out}`,
        ]);
      }
      if (ingest.failedFiles.length) {
        const first = ingest.failedFiles[0] as { file: string; message: string };
        throw new PapermapError('INPUT_UNREADABLE', `${ingest.failedFiles.length} file(s) could not be read, the first: ${first.message}`, { file: first.file }, 'the other files were processed; fix or remove the file and run again');
      }
    });
}
