// The index step: build the HNSW index, or update it in place with only the new and changed papers.

import { buildIndex, indexSize, updateIndex, type IndexOptions, type UpdateReport } from '../index/index.js';
import { buildLexicalIndex } from '../index/lexical.js';
import { freshness, readEmbeddings, readIndex, readPapers, requireFresh, writeIndex, writeLexical, type Project } from '../project/index.js';
import { countRows } from './embed.js';

/** Options of the index step. Any HNSW parameter given rebuilds the index with it. */
export interface IndexStepOptions {
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

function params(options: IndexStepOptions): Partial<IndexOptions> {
  const out: Partial<IndexOptions> = {};
  if (options.m !== undefined) out.m = options.m;
  if (options.efConstruction !== undefined) out.efConstruction = options.efConstruction;
  if (options.efSearch !== undefined) out.efSearch = options.efSearch;
  return out;
}

/** True when the index matches the vectors (and, when given, the parameters). */
export function indexUpToDate(project: Project, options: IndexStepOptions = {}): boolean {
  if (options.rebuild) return false;
  const given = params(options);
  const f = freshness(project, 'index');
  if (f.state !== 'fresh' || freshness(project, 'indexLabels').state !== 'fresh' || freshness(project, 'lexical').state !== 'fresh') return false;
  return Object.entries(given).every(([k, v]) => (f.entry.options ?? {})[k] === v);
}

/**
 * Brings the index in line with the vectors: nothing when current, an incremental update when one exists, a build
 * otherwise, or when `rebuild` or a parameter is given.
 */
export function indexStep(project: Project, options: IndexStepOptions = {}): IndexSummary {
  const started = performance.now();
  requireFresh(project, 'vectors');
  requireFresh(project, 'ids');
  if (indexUpToDate(project, options)) {
    const n = countRows(project);
    return { papers: n, added: 0, changed: 0, removed: 0, unchanged: n, rebuilt: false, upToDate: true, elapsedMs: 0 };
  }
  // The BM25 index follows the papers, not the vectors: rebuilt (in well under a second per thousand papers) when stale.
  if (options.rebuild || freshness(project, 'lexical').state !== 'fresh') writeLexical(project, buildLexicalIndex(readPapers(project)));
  const hnswFresh = !options.rebuild && Object.keys(params(options)).length === 0 && freshness(project, 'index').state === 'fresh' && freshness(project, 'indexLabels').state === 'fresh';
  if (hnswFresh) {
    const n = countRows(project);
    return { papers: n, added: 0, changed: 0, removed: 0, unchanged: n, rebuilt: false, upToDate: false, elapsedMs: Math.round(performance.now() - started) };
  }
  const embeddings = readEmbeddings(project);
  const given = params(options);
  let result;
  if (options.rebuild || Object.keys(given).length > 0 || !project.manifest.artefacts.index) {
    result = { index: buildIndex(embeddings, given), report: { added: embeddings.ids.length, changed: 0, removed: 0, unchanged: 0, rebuilt: true } };
  } else {
    result = updateIndex(readIndex(project), embeddings);
  }
  writeIndex(project, result.index);
  return { papers: indexSize(result.index), ...result.report, upToDate: false, elapsedMs: Math.round(performance.now() - started) };
}
