// pipeline: where the stages meet the project store. Each command of the CLI and each route of the server is one call here.

import { freshness, readPapers, readSkipped, verifyProject, type VerifyEntry } from '../project/index.js';
import { embedStep, embedUpToDate, type EmbedStepOptions, type EmbedSummary } from './embed.js';
import { indexStep, indexUpToDate, type IndexStepOptions, type IndexSummary } from './index-step.js';
import { ingestStep, type IngestStepOptions, type IngestSummary } from './ingest.js';
import { mapStep, mapUpToDate, type MapStepOptions, type MapSummary } from './map.js';
import { DEFAULT_RELATED_MODE, hitRows, openRelated, type HitRow, type RelatedMode, type Years } from './related.js';
import { readTarget, writeTarget, type Target } from './session.js';
import { projectApi } from './api.js';
import { summarisedThemesStep, themesUpToDate, type ThemesStepOptions, type ThemesSummary } from './themes.js';

export { runAll, type RunOptions, type RunSummary } from './run.js';
export { exportCommand, type ExportSelection, type ExportSummary } from './export.js';
export { EXPORT_FORMATS } from '../export/formats.js';
export { projectApi } from './api.js';
export { openRelated, resolvePaper, hitRows, MAX_QUERY_CHARS, RELATED_MODES, DEFAULT_RELATED_MODE, type Related, type Hit, type HitRow, type RelatedMode, type RelatedQuery, type Years } from './related.js';
export { MILVUS_ADDRESS_ENV, MILVUS_TOKEN_ENV, DEFAULT_COLLECTION } from './store.js';
export { themeOf, summariseThemes, themesWords, checkLevel, type ThemesSummary, type ThemesStepOptions, type PaperRef, type ThemeOf } from './themes.js';
export { MAP_RELATED_K, type MapStepOptions, type MapSummary } from './map.js';
export { selectedModelId, type EmbedStepOptions, type EmbedSummary } from './embed.js';
export type { IndexStepOptions, IndexSummary } from './index-step.js';
export type { IngestStepOptions, IngestSummary } from './ingest.js';
export { readTarget, writeTarget, NO_PROGRESS, type Target, type Progress } from './session.js';

/** `papermap ingest`: reads files into the project's papers as its one writer. */
export function ingestCommand(target: Target, paths: readonly string[], options: IngestStepOptions = {}): Promise<IngestSummary> {
  return writeTarget(target, 'papermap ingest', (project) => ingestStep(project, paths, options), true);
}

/** `papermap embed`: reads when the vectors are current, else embeds as the one writer. */
export async function embedCommand(target: Target, options: EmbedStepOptions = {}): Promise<EmbedSummary> {
  const project = readTarget(target);
  if (embedUpToDate(project, options)) return embedStep(project, options);
  return writeTarget(target, 'papermap embed', (p) => embedStep(p, options));
}

/** `papermap index`: reads when the index is current, else builds or updates it as the one writer. */
export async function indexCommand(target: Target, options: IndexStepOptions = {}): Promise<IndexSummary> {
  const project = readTarget(target);
  if (indexUpToDate(project, options)) return indexStep(project, options);
  return writeTarget(target, 'papermap index', (p) => indexStep(p, options));
}

/** `papermap themes`: the themes of the current vectors, built (as the one writer) only when not up to date. */
export async function themesCommand(target: Target, options: ThemesStepOptions = {}): Promise<ThemesSummary> {
  const project = readTarget(target);
  if (themesUpToDate(project, options)) return summarisedThemesStep(project, options);
  return writeTarget(target, 'papermap themes', (p) => summarisedThemesStep(p, options));
}

/** `papermap map`: the map of the current state, built (as the one writer) only when not up to date. */
export async function mapCommand(target: Target, options: MapStepOptions = {}): Promise<MapSummary> {
  const project = readTarget(target);
  if (mapUpToDate(project, options)) return mapStep(project, options);
  return writeTarget(target, 'papermap map', (p) => mapStep(p, options));
}

/** `papermap similar`: a paper and its nearest papers, with themes. */
export async function similarCommand(target: Target, ref: string, k: number, mode?: RelatedMode, years?: Years): Promise<{ paper: { id: string; title: string | null; year: number | null }; mode: RelatedMode; results: HitRow[] }> {
  const related = openRelated(readTarget(target));
  const used = mode ?? DEFAULT_RELATED_MODE;
  const { paper, neighbours } = await related.similar(ref, k, { mode: used, years }).finally(() => related.close());
  return { paper: { id: paper.id, title: paper.title ?? null, year: paper.year ?? null }, mode: used, results: hitRows(neighbours, related.themes) };
}

/** `papermap search`: the papers nearest in meaning to a text, with themes. */
export async function searchCommand(target: Target, text: string, k: number, mode?: RelatedMode, years?: Years): Promise<{ query: string; mode: RelatedMode; results: HitRow[] }> {
  const related = openRelated(readTarget(target));
  const used = mode ?? DEFAULT_RELATED_MODE;
  return { query: text, mode: used, results: hitRows(await related.search(text, k, { mode: used, years }).finally(() => related.close()), related.themes) };
}

/** What `papermap verify` reports. */
export interface VerifySummary {
  project: string;
  generation: number;
  ok: boolean;
  artefacts: VerifyEntry[];
  papers: number;
  skipped: number;
}

/** `papermap verify`: every artefact's size and sha256 against the manifest, and whether each is fresh. */
export function verifyCommand(target: Target): VerifySummary {
  const project = readTarget(target);
  const artefacts = verifyProject(project);
  const ok = artefacts.every((a) => a.ok);
  const papers = ok && freshness(project, 'papers').state !== 'missing' ? readPapers(project).length : 0;
  const skipped = ok ? readSkipped(project).length : 0;
  return { project: project.dir, generation: project.manifest.generation, ok, artefacts, papers, skipped };
}

/** Defaults the CLI shows in `--help`, from the stages that own them. */
export { EMBED_DEFAULTS, MODEL_NAMES, type ModelName } from '../embed/index.js';
export { INDEX_DEFAULTS } from '../index/index.js';
export { INGEST_DEFAULTS, skipLocation } from '../ingest/index.js';
export { MAP_DEFAULTS } from '../map/index.js';
export { THEME_DEFAULTS, DEFAULT_THEMES_SEED } from '../themes/index.js';

/** `papermap serve`: the server over the target project's last commit (new commits are picked up). */
export async function serveProject(target: Target, listen: { port: number; host: string }): Promise<{ url: string; projectDir: string; stop: () => Promise<void> }> {
  const api = projectApi(target);
  // fastify is loaded only by the command that serves.
  const { startServer } = await import('../server/index.js');
  const server = await startServer(api, listen);
  api.warm();
  // Closing the server closes the API and its embedding worker.
  return { url: server.url, projectDir: api.projectDir, stop: server.stop };
}
