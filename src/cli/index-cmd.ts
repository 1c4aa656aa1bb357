// `papermap index`: build or incrementally update the project's HNSW index from its vectors.

import type { Command } from 'commander';
import { buildIndex, indexSize, updateIndex, INDEX_DEFAULTS, type UpdateReport } from '../index/index.js';
import { isFresh, loadIndex, openProject, readEmbeddings, requireArtefact, saveIndex, type Project } from '../project/index.js';
import { printJson, printLines, toInt, withCommon, type CommonFlags } from './shared.js';

/** Flags of `papermap index`. */
export interface IndexFlags {
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  rebuild?: boolean;
}

/** What the index step reports. */
export interface IndexSummary extends UpdateReport {
  papers: number;
  upToDate: boolean;
  elapsedMs: number;
}

/**
 * Updates the index to match the project's vectors: nothing when it is current, an incremental update when an index
 * exists (only new or changed papers are inserted), a build otherwise or with `rebuild`.
 */
export async function indexStep(project: Project, flags: IndexFlags = {}): Promise<IndexSummary> {
  const started = performance.now();
  const vectorsHash = requireArtefact(project, 'vectors').sha256;
  const options = { m: flags.m, efConstruction: flags.efConstruction, efSearch: flags.efSearch };
  const paramsGiven = Object.values(options).some((v) => v !== undefined);
  if (!flags.rebuild && !paramsGiven && isFresh(project, 'index', { vectors: vectorsHash })) {
    const n = readEmbeddings(project).ids.length;
    return { papers: n, added: 0, changed: 0, removed: 0, unchanged: n, rebuilt: false, upToDate: true, elapsedMs: 0 };
  }
  const embeddings = readEmbeddings(project);
  let result;
  if (flags.rebuild || paramsGiven || !project.manifest.artefacts.index) {
    result = { index: buildIndex(embeddings, options), report: { added: embeddings.ids.length, changed: 0, removed: 0, unchanged: 0, rebuilt: true } };
  } else {
    result = updateIndex(loadIndex(project), embeddings);
  }
  await saveIndex(project, result.index, { vectors: vectorsHash });
  return { papers: indexSize(result.index), ...result.report, upToDate: false, elapsedMs: Math.round(performance.now() - started) };
}

/** One line describing an index summary. */
export function describeIndex(s: IndexSummary): string {
  if (s.upToDate) return `index up to date (${s.papers} papers)`;
  if (s.rebuilt) return `built the index over ${s.papers} papers in ${(s.elapsedMs / 1000).toFixed(1)} s`;
  return `updated the index: ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged (${s.papers} papers)`;
}

export function registerIndex(program: Command): void {
  withCommon(program.command('index'))
    .description('build the HNSW index of the project, or update it in place with only the new and changed papers')
    .option('--rebuild', 'build from scratch instead of updating')
    .option('--m <n>', `HNSW links per node (default ${INDEX_DEFAULTS.m})`, toInt)
    .option('--ef-construction <n>', `HNSW build beam (default ${INDEX_DEFAULTS.efConstruction})`, toInt)
    .option('--ef-search <n>', `HNSW query beam (default ${INDEX_DEFAULTS.efSearch})`, toInt)
    .action(async (flags: CommonFlags & IndexFlags) => {
      const summary = await indexStep(openProject(flags.project), flags);
      if (flags.json) printJson(summary);
      else printLines([describeIndex(summary)]);
    });
}
