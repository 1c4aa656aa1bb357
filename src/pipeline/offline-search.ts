// The map page's search by meaning without a server: the corpus's words and word pairs embedded with the project's
// model (through the project's vector cache, so only new words cost time) and packed with the papers' vectors.

import { join } from 'node:path';
import { embed, optionsForModelId, recordedModel } from '../embed/index.js';
import { buildOfflineSearch, OFFLINE_SEARCH_DEFAULTS, offlineVocabulary, type OfflineSearchData } from '../index/offline.js';
import type { Project } from '../project/index.js';
import type { Embeddings, Paper } from '../records.js';
import { NO_PROGRESS, type Progress } from './session.js';

/**
 * Largest map that carries the offline search, for the 15 MB budget: the word table is at most 6.7 MB (13,000 terms,
 * int8 in base64) and the papers add 0.5 MB per 1,000 (12.1 MB measured at 10,000 real arXiv papers), so 15,000 papers
 * add about 14.4 MB; larger maps search text offline and by meaning when served.
 */
export const OFFLINE_SEARCH_MAX_PAPERS = 15000;

/** What the map records about its offline search, so a change of the table's recipe rebuilds the page. */
export const OFFLINE_SEARCH_RECIPE = { format: 'papermap-offline-search/2', ...OFFLINE_SEARCH_DEFAULTS, maxPapers: OFFLINE_SEARCH_MAX_PAPERS };

/**
 * The offline search's table for the papers `ids` (the map's order), or undefined above OFFLINE_SEARCH_MAX_PAPERS and
 * for vectors made by no model papermap vendors (made elsewhere: nothing can embed the words in their space).
 * Embedding the vocabulary (about 6,000 terms for the bundled corpus) runs once; later maps read it from the cache.
 */
export async function offlineSearchTable(project: Project, ids: readonly string[], embeddings: Embeddings, papers: ReadonlyMap<string, Paper>, progress: Progress = NO_PROGRESS): Promise<OfflineSearchData | undefined> {
  if (ids.length === 0 || ids.length > OFFLINE_SEARCH_MAX_PAPERS || !recordedModel(embeddings.modelId)) return undefined;
  const vocabulary = offlineVocabulary(ids.flatMap((id) => papers.get(id) ?? []));
  const bar = progress('vocabulary');
  try {
    // Each term goes through embed() as a paper of just that text, so the project's cache keeps its vector.
    const terms: Paper[] = vocabulary.texts.map((text, i) => ({ id: `term:${i}`, abstract: text, authors: [], sources: [] }));
    const { embeddings: termVectors } = await embed(terms, { ...optionsForModelId(embeddings.modelId), batchSize: 64, cacheDir: join(project.dir, 'cache'), onProgress: bar.onProgress });
    return buildOfflineSearch(ids, embeddings, vocabulary, termVectors.vectors);
  } finally {
    bar.stop();
  }
}

