// `papermap embed`: embed the project's papers with the vendored model, reusing the vector cache.

import { join } from 'node:path';
import type { Command } from 'commander';
import { embed, EMBED_DEFAULTS } from '../embed/index.js';
import { isFresh, openProject, readPapers, requireArtefact, saveEmbeddings, type Project } from '../project/index.js';
import { printJson, printLines, progressBar, toInt, withCommon, type CommonFlags } from './shared.js';

/** Flags of `papermap embed` (also taken by `papermap run`). */
export interface EmbedFlags {
  fp32?: boolean;
  batchSize?: number;
  threads?: number;
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

/** Embeds the project's papers unless vectors for exactly these papers and this model exist. */
export async function embedStep(project: Project, flags: EmbedFlags): Promise<EmbedSummary> {
  const papersHash = requireArtefact(project, 'papers').sha256;
  const quantized = !flags.fp32;
  const modelId = `${EMBED_DEFAULTS.model}/${quantized ? 'int8' : 'fp32'}`;
  if (isFresh(project, 'vectors', { papers: papersHash, model: modelId })) {
    const count = readPapers(project).length;
    return { model: modelId, papers: count, cacheHits: count, embedded: 0, elapsedMs: 0, upToDate: true };
  }
  const papers = readPapers(project);
  const bar = progressBar('embedding');
  try {
    const result = await embed(papers, {
      quantized,
      batchSize: flags.batchSize,
      threads: flags.threads,
      cacheDir: join(project.dir, 'cache'),
      onProgress: bar.onProgress,
    });
    saveEmbeddings(project, result.embeddings, { papers: papersHash, model: result.embeddings.modelId });
    return { model: result.embeddings.modelId, papers: papers.length, cacheHits: result.cacheHits, embedded: result.embedded, elapsedMs: Math.round(result.elapsedMs), upToDate: false };
  } finally {
    bar.stop();
  }
}

/** One line describing an embed summary. */
export function describeEmbed(s: EmbedSummary): string {
  return `embedded ${s.embedded} papers with ${s.model} (${s.cacheHits} cache hits) in ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

/** Adds the embed flags to a command. */
export function withEmbedFlags(command: Command): Command {
  return command
    .option('--fp32', 'use the fp32 model instead of the int8 one (slower, closest to the Python reference)')
    .option('--batch-size <n>', `texts per forward pass, 8-128 suits two cores (default ${EMBED_DEFAULTS.batchSize})`, toInt)
    .option('--threads <n>', 'ONNX threads; 0 uses every core (default 0)', toInt);
}

export function registerEmbed(program: Command): void {
  withEmbedFlags(withCommon(program.command('embed')))
    .description('embed every paper of the project with the local model; unchanged papers come from the cache')
    .action(async (flags: CommonFlags & EmbedFlags) => {
      const summary = await embedStep(openProject(flags.project), flags);
      if (flags.json) printJson(summary);
      else printLines([describeEmbed(summary)]);
    });
}
