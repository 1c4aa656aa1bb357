// The embed step: vectors for exactly the project's papers, from the chosen model, unchanged papers from the cache.

import { join } from 'node:path';
import { embed, EMBED_DEFAULTS, modelId, recordedModel, type ModelName } from '../embed/index.js';
import { freshness, readPapers, requireArtefact, writeEmbeddings, type Project } from '../project/index.js';
import { NO_PROGRESS, type Progress } from './session.js';

/** Options of the embed step (also taken by the whole run). */
export interface EmbedStepOptions {
  /**
   * The vendored model ('bge-small-en-v1.5' | 'all-MiniLM-L6-v2'). Default: the model the project's vectors were made
   * with, so a project keeps its model until asked; a new project gets EMBED_DEFAULTS.model.
   */
  model?: ModelName;
  /** Use the fp32 model instead of int8. */
  fp32?: boolean;
  batchSize?: number;
  threads?: number;
  progress?: Progress;
}

/** What the embed step reports. */
export interface EmbedSummary {
  model: string;
  papers: number;
  cacheHits: number;
  embedded: number;
  elapsedMs: number;
  upToDate: boolean;
}

/** The model id the options select for a project, e.g. 'bge-small-en-v1.5/int8/mean' (the id the manifest records). */
export function selectedModelId(options: EmbedStepOptions, project?: Project): string {
  return modelId(selectedModel(options, project), !options.fp32);
}

function selectedModel(options: EmbedStepOptions, project: Project | undefined): ModelName {
  if (options.model) return options.model;
  // A project keeps its model, even when its vectors were made an older way (they are then made again).
  const recorded = project?.manifest.model?.id;
  return (recorded ? recordedModel(recorded) : undefined) ?? EMBED_DEFAULTS.model;
}

/** True when the project's vectors are those of its papers and of the selected model. */
export function embedUpToDate(project: Project, options: EmbedStepOptions): boolean {
  return freshness(project, 'vectors', { options: { model: selectedModelId(options, project) } }).state === 'fresh' && freshness(project, 'ids').state === 'fresh';
}

/** Stages vectors for the project's papers unless they are up to date. */
export async function embedStep(project: Project, options: EmbedStepOptions = {}): Promise<EmbedSummary> {
  requireArtefact(project, 'papers');
  const modelId = selectedModelId(options, project);
  if (embedUpToDate(project, options)) {
    const count = project.manifest.artefacts.ids ? countRows(project) : 0;
    return { model: modelId, papers: count, cacheHits: count, embedded: 0, elapsedMs: 0, upToDate: true };
  }
  const papers = readPapers(project);
  const bar = (options.progress ?? NO_PROGRESS)('embedding');
  try {
    const result = await embed(papers, { model: selectedModel(options, project), quantized: !options.fp32, batchSize: options.batchSize, threads: options.threads, cacheDir: join(project.dir, 'cache'), onProgress: bar.onProgress });
    writeEmbeddings(project, result.embeddings, { options: { model: result.embeddings.modelId } });
    return { model: result.embeddings.modelId, papers: papers.length, cacheHits: result.cacheHits, embedded: result.embedded, elapsedMs: Math.round(result.elapsedMs), upToDate: false };
  } finally {
    bar.stop();
  }
}

/** Rows of the vectors, from the manifest alone (no file read). */
export function countRows(project: Project): number {
  const entry = project.manifest.artefacts.vectors;
  const dims = project.manifest.model?.dims ?? 1;
  return entry ? entry.bytes / 4 / dims : 0;
}
