// Related-paper queries over a project, for similar, search, the map and the server: resolve a paper, query its store.

import { embedTexts, optionsForModelId } from '../embed/index.js';
import { PapermapError } from '../errors.js';
import { neighbourGraph, storeNeighbourGraph, type LocalStore, type NeighbourGraph, type StoreQueryOptions, type VectorStore } from '../index/index.js';
import { readEmbeddings, readPapers, requireFresh, type Project } from '../project/index.js';
import type { Neighbour, Paper } from '../records.js';
import { openProjectStore, recordedStore } from './store.js';
import { themeOf, type ThemeOf } from './themes.js';

/** A query answer with its paper. */
export type Hit = Neighbour & { paper: Paper };

/** Longest free-text query accepted, in characters. */
export const MAX_QUERY_CHARS = 2000;

/** A year range for queries: only papers published from `from` to `to` (inclusive; either may be absent). */
export type Years = StoreQueryOptions['years'];

/** Queries over one committed state of a project, with papers loaded once and the store opened on first use. */
export interface Related {
  papers: Map<string, Paper>;
  /** 'local' or 'milvus': where the vectors are searched. */
  storeKind: 'local' | 'milvus';
  /** Each paper's theme (empty when the project has no fresh themes). */
  themes: ThemeOf;
  /** Resolves `ref` (id, DOI, arXiv id or title fragment) and returns its nearest papers. */
  similar(ref: string, k: number, years?: Years): Promise<{ paper: Paper; neighbours: Hit[] }>;
  /** Embeds `text` with the project's model and returns the nearest papers. */
  search(text: string, k: number, years?: Years): Promise<Hit[]>;
  /** The k-nearest-neighbour graph in the order of the project's vectors. */
  graph(k: number): Promise<NeighbourGraph>;
  /** Finds one paper by id, DOI, arXiv id or title fragment. */
  resolve(ref: string): Paper;
  /** Closes the store's connection, if one was opened. */
  close(): Promise<void>;
}

/**
 * Opens a project's papers, checking that the index is fresh (built from the current vectors and papers); the store
 * (local HNSW index or Milvus collection, as the manifest records) is opened on the first query.
 */
export function openRelated(project: Project): Related {
  requireFresh(project, 'vectors');
  requireFresh(project, 'ids');
  requireFresh(project, 'index');
  requireFresh(project, 'indexLabels');
  const model = project.manifest.model as { id: string; dims: number };
  const papers = new Map(readPapers(project).map((p) => [p.id, p]));
  let opened: Promise<VectorStore> | undefined;
  const store = () => {
    opened ??= openProjectStore(project);
    opened.catch(() => {
      opened = undefined; // a failed connection is retried by the next query
    });
    return opened;
  };
  const withPapers = (hits: Neighbour[]): Hit[] => hits.flatMap((h) => {
    const paper = papers.get(h.id);
    return paper ? [{ ...h, paper }] : [];
  });
  const resolve = (ref: string) => resolvePaper(papers, ref);
  const yearsOption = (years: Years) => (years ? { years } : {});
  return {
    papers,
    storeKind: recordedStore(project).store,
    themes: themeOf(project),
    resolve,
    async similar(ref, k, years) {
      const paper = resolve(ref);
      return { paper, neighbours: withPapers(await (await store()).similar(paper.id, { k, ...yearsOption(years) })) };
    },
    async search(text, k, years) {
      const query = text.trim();
      if (query === '') throw new PapermapError('BAD_OPTION', 'the search text is empty', undefined, 'give a few words, e.g. papermap search "model merging"');
      if (query.length > MAX_QUERY_CHARS) throw new PapermapError('BAD_OPTION', `the search text has ${query.length} characters, at most ${MAX_QUERY_CHARS} are accepted`);
      const { vectors } = await embedTexts([query], optionsForModelId(model.id));
      return withPapers(await (await store()).search(vectors, { k, ...yearsOption(years) }));
    },
    async graph(k) {
      const s = await store();
      const embeddings = readEmbeddings(project);
      // The local index answers synchronously, in the same order as before stores existed: same map, same bytes.
      return s.kind === 'local' ? neighbourGraph((s as LocalStore).index, embeddings.ids, k) : storeNeighbourGraph(s, embeddings, k);
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
      opened = undefined;
    },
  };
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
  }));
}
