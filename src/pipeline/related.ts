// Related-paper queries over a project, for similar, search, the map and the server: resolve a paper, then rank
// its neighbours densely (the vector store), lexically (BM25) or both fused, each hit with why it is related.

import { availableParallelism } from 'node:os';
import { embedTexts, optionsForModelId, type WorkerEmbedOptions } from '../embed/index.js';
import { PapermapError } from '../errors.js';
import { buildPhraseStats, explainSearch, explainSimilar, type Explanation, type PhraseStats } from '../explain/index.js';
import { DEFAULT_RELATED_MODE, fusionPool, fuseRelated, RELATED_MODES, rankRelated, type RelatedMode, type RelatedQueryInput } from '../index/hybrid.js';
import { neighbourGraphParallel, storeNeighbourGraph, yearInRange, type LocalStore, type NeighbourGraph, type StoreQueryOptions, type VectorStore } from '../index/index.js';
import { buildLexicalIndex, type LexicalIndex } from '../index/lexical.js';
import { artefactPath, freshness, readEmbeddings, readKnn, readLexical, readPapers, requireFresh, writeKnn, type Project } from '../project/index.js';
import type { Neighbour, Paper } from '../records.js';
import { openProjectStore, recordedStore } from './store.js';
import { themeOf, type ThemeOf } from './themes.js';

/** A query answer with its paper and why it is related. Score is the cosine similarity, whatever the ranking mode. */
export type Hit = Neighbour & { paper: Paper; why?: Explanation };

export type { RelatedMode } from '../index/hybrid.js';
export { RELATED_MODES, DEFAULT_RELATED_MODE } from '../index/hybrid.js';

/** Longest free-text query accepted, in characters. */
export const MAX_QUERY_CHARS = 2000;

/** A year range for queries: only papers published from `from` to `to` (inclusive; either may be absent). */
export type Years = StoreQueryOptions['years'];

/** How a related query ranks and filters. */
export interface RelatedQuery {
  /** dense, lexical or hybrid (default hybrid), over either store, with or without a year range. */
  mode?: RelatedMode;
  years?: Years;
}

/**
 * Embeds query texts as embedTexts does, with the same options and so the same vectors: in this thread by default, or
 * in an embedding worker (the server's, so inference never blocks its main thread).
 */
export type QueryEmbedder = (texts: readonly string[], options: WorkerEmbedOptions) => Promise<{ vectors: Float32Array }>;

/** Queries over one committed state of a project, with papers loaded once and the store opened on first use. */
export interface Related {
  papers: Map<string, Paper>;
  /** 'local' or 'milvus': where the vectors are searched. */
  storeKind: 'local' | 'milvus';
  /** Each paper's theme (empty when the project has no fresh themes). */
  themes: ThemeOf;
  /** Resolves `ref` (id, DOI, arXiv id or title fragment) and returns its nearest papers, each with why. */
  similar(ref: string, k: number, query?: RelatedQuery): Promise<{ paper: Paper; neighbours: Hit[] }>;
  /** Embeds `text` with the project's model and returns the nearest papers, each with why. */
  search(text: string, k: number, query?: RelatedQuery): Promise<Hit[]>;
  /** The k-nearest-neighbour graph in the order of the project's vectors. */
  graph(k: number): Promise<NeighbourGraph>;
  /** Finds one paper by id, DOI, arXiv id or title fragment. */
  resolve(ref: string): Paper;
  /** Closes the store's connection, if one was opened. */
  close(): Promise<void>;
}

function checkMode(mode: RelatedMode): void {
  if (!RELATED_MODES.includes(mode)) throw new PapermapError('BAD_OPTION', `mode is '${String(mode)}', expected one of ${RELATED_MODES.join(', ')}`);
}

/**
 * Opens a project's papers, checking that the index is fresh (built from the current vectors and papers); the store
 * (local HNSW index or Milvus collection, as the manifest records) is opened on the first query. Search texts are
 * embedded by `options.embedQuery` (default: embedTexts in this thread).
 */
export function openRelated(project: Project, options: { embedQuery?: QueryEmbedder } = {}): Related {
  const embedQuery = options.embedQuery ?? embedTexts;
  requireFresh(project, 'vectors');
  requireFresh(project, 'ids');
  requireFresh(project, 'index');
  requireFresh(project, 'indexLabels');
  const model = project.manifest.model as { id: string; dims: number };
  const paperList = readPapers(project);
  const papers = new Map(paperList.map((p) => [p.id, p]));
  let opened: Promise<VectorStore> | undefined;
  const store = () => {
    opened ??= openProjectStore(project, paperList);
    opened.catch(() => {
      opened = undefined; // a failed connection is retried by the next query
    });
    return opened;
  };
  // Projects indexed before the lexical artefact existed get it built in memory.
  let lexical: LexicalIndex | undefined;
  const lex = () => (lexical ??= freshness(project, 'lexical').state === 'fresh' ? readLexical(project) : buildLexicalIndex(paperList));
  let stats: PhraseStats | undefined;
  const phraseStats = () => (stats ??= buildPhraseStats(paperList));
  const withPapers = (hits: Neighbour[], why: (paper: Paper) => Explanation): Hit[] => hits.flatMap((h) => {
    const paper = papers.get(h.id);
    return paper ? [{ ...h, paper, why: why(paper) }] : [];
  });
  const resolve = (ref: string) => resolvePaper(papers, ref);
  // The project's own vectors: the fusion scores every candidate exactly, whichever store found it.
  let rowOf: Map<string, number> | undefined;
  let vectors: Float32Array | undefined;
  const vectorRow = (id: string): Float32Array | undefined => {
    if (!rowOf) {
      const embeddings = readEmbeddings(project);
      rowOf = new Map(embeddings.ids.map((id, i) => [id, i]));
      vectors = embeddings.vectors;
    }
    const row = rowOf.get(id);
    return row === undefined ? undefined : (vectors as Float32Array).subarray(row * model.dims, (row + 1) * model.dims);
  };
  /** Ranks by `mode` over the project's store: the local index directly, any other store (or a year range) through its dense top pool. */
  const rank = async (input: RelatedQueryInput, k: number, mode: RelatedMode, query: RelatedQuery): Promise<Neighbour[]> => {
    const s = await store();
    if (s.kind === 'local' && !query.years) return rankRelated((s as LocalStore).index, lex, input, k, mode);
    const vector = 'paperId' in input ? vectorRow(input.paperId) : input.vector;
    if (!vector) throw new PapermapError('NOT_FOUND', `paper '${(input as { paperId: string }).paperId}' has no vector; run \`papermap embed\``);
    const options = { k: fusionPool(k), ...(query.years ? { years: query.years } : {}) };
    const hits = mode === 'lexical' ? [] : 'paperId' in input ? await s.similar(input.paperId, options) : await s.search(vector, options);
    const allowed = (id: string) => vectorRow(id) !== undefined && (!query.years || yearInRange(papers.get(id)?.year, query.years));
    const cosine = (id: string) => {
      const v = vectorRow(id);
      if (!v) return undefined;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += (v[i] as number) * (vector[i] as number);
      return dot;
    };
    return fuseRelated({ hits, cosine, allowed }, lex, input, k, mode);
  };
  return {
    papers,
    storeKind: recordedStore(project).store,
    themes: themeOf(project),
    resolve,
    async similar(ref, k, query = {}) {
      const mode = query.mode ?? DEFAULT_RELATED_MODE;
      checkMode(mode);
      const paper = resolve(ref);
      const hits = await rank({ paperId: paper.id }, k, mode, query);
      return { paper, neighbours: withPapers(hits, (hit) => explainSimilar(paper, hit, phraseStats())) };
    },
    async search(text, k, query = {}) {
      const mode = query.mode ?? DEFAULT_RELATED_MODE;
      checkMode(mode);
      const trimmed = text.trim();
      if (trimmed === '') throw new PapermapError('BAD_OPTION', 'the search text is empty', undefined, 'give a few words, e.g. papermap search "model merging"');
      if (trimmed.length > MAX_QUERY_CHARS) throw new PapermapError('BAD_OPTION', `the search text has ${trimmed.length} characters, at most ${MAX_QUERY_CHARS} are accepted`);
      const { vectors } = await embedQuery([trimmed], optionsForModelId(model.id));
      const hits = await rank({ text: trimmed, vector: vectors }, k, mode, query);
      return withPapers(hits, (hit) => explainSearch(trimmed, hit, phraseStats()));
    },
    async graph(k) {
      const s = await store();
      const embeddings = readEmbeddings(project);
      // The local index answers the same queries as before stores existed, on every core (each worker thread loads
      // the saved index file): same graph, same map, same bytes.
      return s.kind === 'local' ? neighbourGraphParallel((s as LocalStore).index, artefactPath(project, 'index'), embeddings.ids, k, { threads: availableParallelism() }) : storeNeighbourGraph(s, embeddings, k);
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
      opened = undefined;
    },
  };
}

/**
 * The papers' neighbour graph with k columns, shared by the themes and map steps: the stored one (the project's knn
 * artefact) when it is fresh, else the index's answers, staged for the next step (`project` is open for writing). At
 * 100,000 papers the queries cost about a minute, once instead of in each step. `rows` is the number of vectors.
 */
export async function sharedGraph(project: Project, related: Related, rows: number, k: number): Promise<NeighbourGraph> {
  const stored = readKnn(project, rows, k);
  if (stored) return stored;
  const graph = await related.graph(k);
  writeKnn(project, graph);
  return graph;
}

/** Lower-cased, accent- and punctuation-free text for matching title fragments. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Finds the paper `ref` names: an id, a DOI (bare or as a URL), an arXiv id (with or without version), or a
 * fragment of a title. A fragment matching several titles throws AMBIGUOUS listing them, rather than guessing.
 */
export function resolvePaper(papers: ReadonlyMap<string, Paper>, ref: string): Paper {
  const raw = ref.trim();
  if (raw === '') throw new PapermapError('BAD_OPTION', 'no paper given', undefined, 'give an id, a DOI, an arXiv id or part of a title');
  const direct = papers.get(raw);
  if (direct) return direct;
  const doi = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?(10\.\d{4,9}\/\S+)$/i.exec(raw)?.[1];
  if (doi) {
    const hit = papers.get(`doi:${doi.toLowerCase()}`) ?? [...papers.values()].find((p) => p.doi?.toLowerCase() === doi.toLowerCase());
    if (hit) return hit;
  }
  const arxiv = /^(?:arxiv:|https?:\/\/arxiv\.org\/abs\/)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i.exec(raw)?.[1];
  if (arxiv) {
    const hit = papers.get(`arxiv:${arxiv}`) ?? [...papers.values()].find((p) => p.arxivId === arxiv);
    if (hit) return hit;
  }
  const needle = fold(raw);
  if (needle === '') throw new PapermapError('NOT_FOUND', `no paper matches '${raw}'`);
  const matches = [...papers.values()].filter((p) => p.title && fold(p.title).includes(needle));
  const exact = matches.filter((p) => fold(p.title as string) === needle);
  if (exact.length === 1 || matches.length === 1) return (exact[0] ?? matches[0]) as Paper;
  if (matches.length === 0) {
    throw new PapermapError('NOT_FOUND', `no paper has an id, DOI, arXiv id or title matching '${raw}'`, undefined, 'try `papermap search "<words>"` to search by meaning');
  }
  const listed = matches
    .sort((a, b) => (a.title as string).localeCompare(b.title as string) || a.id.localeCompare(b.id))
    .slice(0, 10)
    .map((p) => `\n    ${p.id}  ${p.title}`)
    .join('');
  throw new PapermapError('AMBIGUOUS', `'${raw}' matches ${matches.length} titles; give more of the title or one of these ids`, undefined, `candidates:${listed}${matches.length > 10 ? `\n    … and ${matches.length - 10} more` : ''}`);
}

/** A hit as printed by --json: rank, score, title, year, theme, id. */
export interface HitRow {
  rank: number;
  score: number;
  id: string;
  title: string | null;
  year: number | null;
  theme: { id: number; label: string } | null;
  /** Why it is related: shared distinctive phrases and the best-matching sentence pair. */
  why: Explanation | null;
}

/** Hits as JSON rows, scores rounded to 4 decimals so output is stable across platforms. */
export function hitRows(hits: readonly Hit[], themes: ThemeOf = new Map()): HitRow[] {
  return hits.map((h, i) => ({
    rank: i + 1,
    score: Math.round(h.score * 1e4) / 1e4,
    id: h.id,
    title: h.paper.title ?? null,
    year: h.paper.year ?? null,
    theme: themes.get(h.id) ?? null,
    why: h.why ?? null,
  }));
}
