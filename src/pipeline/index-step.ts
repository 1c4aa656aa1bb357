// The index step: build the HNSW index or sync the Milvus collection, updating in place with only the new, changed and removed papers.

import { buildIndex, indexSize, openMilvusStore, syncStore, updateIndex, INDEX_DEFAULTS, type IndexOptions, type UpdateReport } from '../index/index.js';
import { buildLexicalIndex } from '../index/lexical.js';
import { freshness, readEmbeddings, readIndex, readPapers, requireFresh, writeIndex, writeKnn, writeLexical, type Project } from '../project/index.js';
import { countRows } from './embed.js';
import { chooseStore, readMilvusIndex, recordedStore, storeOptions, writeMilvusIndex, yearsOf, type StoreFlags } from './store.js';

/** Options of the index step. Any HNSW parameter given rebuilds the index with it; store flags choose where it lives. */
export interface IndexStepOptions extends StoreFlags {
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
  /** 'local', or 'milvus <address>/<collection>'. */
  store: string;
}

function params(options: IndexStepOptions): Partial<IndexOptions> {
  const out: Partial<IndexOptions> = {};
  if (options.m !== undefined) out.m = options.m;
  if (options.efConstruction !== undefined) out.efConstruction = options.efConstruction;
  if (options.efSearch !== undefined) out.efSearch = options.efSearch;
  return out;
}

function storeLabel(project: Project, options: IndexStepOptions): string {
  const choice = chooseStore(project, options);
  return choice.store === 'local' ? 'local' : `milvus ${choice.address}/${choice.collection}`;
}

/** True when the index matches the vectors, the store chosen and (when given) the parameters. */
export function indexUpToDate(project: Project, options: IndexStepOptions = {}): boolean {
  if (options.rebuild) return false;
  const given = { ...params(options), ...storeOptions(chooseStore(project, options)) };
  const f = freshness(project, 'index');
  if (f.state !== 'fresh' || freshness(project, 'indexLabels').state !== 'fresh' || freshness(project, 'lexical').state !== 'fresh') return false;
  if (chooseStore(project, options).store !== recordedStore(project).store) return false;
  return Object.entries(given).every(([k, v]) => (f.entry.options ?? {})[k] === v);
}

/**
 * Brings the index in line with the vectors: nothing when current, an incremental update when one exists, a build
 * otherwise, or when `rebuild` or a parameter is given. On Milvus the update upserts and deletes only what changed
 * since the last sync, and a build recreates the collection.
 */
export async function indexStep(project: Project, options: IndexStepOptions = {}): Promise<IndexSummary> {
  const started = performance.now();
  requireFresh(project, 'vectors');
  requireFresh(project, 'ids');
  const store = storeLabel(project, options);
  if (indexUpToDate(project, options)) {
    const n = countRows(project);
    return { papers: n, added: 0, changed: 0, removed: 0, unchanged: n, rebuilt: false, upToDate: true, elapsedMs: 0, store };
  }
  const choice = chooseStore(project, options);
  // The BM25 index follows the papers, not the vectors: rebuilt (in well under a second per thousand papers) when stale.
  if (options.rebuild || freshness(project, 'lexical').state !== 'fresh') writeLexical(project, buildLexicalIndex(readPapers(project)));
  const vectorsFresh = !options.rebuild && Object.keys(params(options)).length === 0 && choice.store === recordedStore(project).store && freshness(project, 'index').state === 'fresh' && freshness(project, 'indexLabels').state === 'fresh';
  if (vectorsFresh && choice.store === 'local') {
    const n = countRows(project);
    return { papers: n, added: 0, changed: 0, removed: 0, unchanged: n, rebuilt: false, upToDate: false, elapsedMs: Math.round(performance.now() - started), store };
  }
  const embeddings = readEmbeddings(project);
  const given = params(options);
  const recorded = recordedStore(project);
  if (choice.store === 'milvus') {
    const previous = readMilvusIndex(project);
    const same = previous && previous.address === choice.address && previous.collection === choice.collection && previous.modelId === embeddings.modelId && previous.dims === embeddings.dims;
    const rebuild = !same || options.rebuild || Object.keys(given).length > 0;
    const hnsw = { ...INDEX_DEFAULTS, ...(rebuild ? given : (project.manifest.artefacts.index?.options ?? {})) } as IndexOptions;
    const milvus = await openMilvusStore({ address: choice.address, collection: choice.collection, dims: embeddings.dims, m: hnsw.m, efConstruction: hnsw.efConstruction, efSearch: hnsw.efSearch, recreate: rebuild, ...(choice.token ? { token: choice.token } : {}) });
    try {
      const { state, report } = await syncStore(milvus, embeddings, yearsOf(project), rebuild ? undefined : previous);
      await milvus.waitIndexed();
      writeMilvusIndex(project, { store: 'milvus', address: choice.address, collection: choice.collection, modelId: embeddings.modelId, dims: embeddings.dims, lastWriteMs: milvus.lastWriteMs, ...state }, { m: hnsw.m, efConstruction: hnsw.efConstruction, efSearch: hnsw.efSearch });
      return { papers: state.ids.length, ...report, upToDate: false, elapsedMs: Math.round(performance.now() - started), store };
    } finally {
      await milvus.close();
    }
  }
  let result;
  if (options.rebuild || Object.keys(given).length > 0 || !project.manifest.artefacts.index || recorded.store !== 'local') {
    result = { index: buildIndex(embeddings, given), report: { added: embeddings.ids.length, changed: 0, removed: 0, unchanged: 0, rebuilt: true } };
  } else {
    result = updateIndex(readIndex(project), embeddings);
  }
  writeIndex(project, result.index);
  // A fresh build of many papers found their neighbour graph while inserting them: the themes and map steps read it
  // instead of querying the index for every paper (src/index/index.ts constructionGraph).
  if (result.index.graph) writeKnn(project, result.index.graph);
  return { papers: indexSize(result.index), ...result.report, upToDate: false, elapsedMs: Math.round(performance.now() - started), store };
}
