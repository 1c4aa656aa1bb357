// The whole run (what `npm start` does): ingest → embed → index → themes → map as one writer and one commit.

import { PapermapError } from '../errors.js';
import { embedStep, type EmbedStepOptions, type EmbedSummary } from './embed.js';
import { indexStep, type IndexSummary } from './index-step.js';
import { ingestStep, type IngestSummary } from './ingest.js';
import { mapStep, type MapSummary } from './map.js';
import { writeTarget, type Progress, type Target } from './session.js';
import { summarisedThemesStep, type ThemesSummary } from './themes.js';

/** Options of the whole run. */
export interface RunOptions extends EmbedStepOptions {
  keepGoing?: boolean;
  progress?: Progress;
}

/** What the whole run reports. */
export interface RunSummary {
  ingest: IngestSummary;
  embed: EmbedSummary;
  index: IndexSummary;
  themes: ThemesSummary;
  map: MapSummary;
  timingsMs: Record<string, number>;
  totalMs: number;
}

/**
 * Runs every stage over the target project as its one writer, each stage skipped when its inputs are unchanged, and
 * commits once at the end: a crash or an error anywhere leaves the previous commit in place. `paths` are added to
 * the remembered ones; a new project with no paths given is an error that says what to pass.
 */
export async function runAll(target: Target, paths: readonly string[], options: RunOptions = {}): Promise<RunSummary> {
  const started = performance.now();
  return writeTarget(
    target,
    'papermap run',
    async (project) => {
      if (paths.length === 0 && !project.manifest.sources?.paths.length) {
        throw new PapermapError('BAD_OPTION', `${target.project ?? '.papermap'} has no papers yet and no files were given`, undefined, `give the files or folders to read, e.g. \`papermap run data${target.project ? ` -p ${target.project}` : ''}\` (npm start reads the bundled corpus in data/)`);
      }
      const timingsMs: Record<string, number> = {};
      const timed = async <T>(name: string, step: () => Promise<T> | T): Promise<T> => {
        const t0 = performance.now();
        const out = await step();
        timingsMs[name] = Math.round(performance.now() - t0);
        return out;
      };
      const ingest = await timed('ingest', () => ingestStep(project, paths, { keepGoing: options.keepGoing, progress: options.progress }));
      const embed = await timed('embed', () => embedStep(project, options));
      const index = await timed('index', () => indexStep(project));
      const themes = await timed('themes', () => summarisedThemesStep(project, { progress: options.progress }));
      const map = await timed('map', () => mapStep(project, { progress: options.progress }));
      return { ingest, embed, index, themes, map, timingsMs, totalMs: Math.round(performance.now() - started) };
    },
    true,
  );
}
