// Search: case-insensitive substring over titles and abstracts, by meaning offline when the page carries the offline
// search's table, and by meaning through the server when `papermap serve` is behind the page.

import { SEARCH_ELEMENT_ID, type MapData } from './data.js';
import type { SemanticHit } from './panel.js';

/** window.papermapSearch, the bundled index/offline.ts (typed loosely: the map stage does not import the index stage). */
interface PageSearch {
  openOfflineSearchInSteps(table: unknown, papers: { ids: readonly string[]; titles: readonly string[]; abstracts: readonly string[] }, rowsPerStep: number): () => unknown;
  offlineSearch(search: unknown, text: string, options: { k: number }): { id: string; score: number }[];
  offlineSimilar(search: unknown, id: string, k: number): { id: string; score: number }[];
  buildPhraseStats(papers: readonly { id: string; title?: string; abstract: string }[]): unknown;
  explainSimilar(query: { title?: string; abstract: string }, hit: { title?: string; abstract: string }, stats: unknown): Why;
}

/** Why two papers are related (explain/'s Explanation): shared distinctive phrases and the best-matching sentences. */
export interface Why {
  phrases: string[];
  sentences?: { query?: string; hit: string };
}

/** A related paper as the panel lists it. */
export interface RelatedHit {
  index: number;
  score: number;
  why?: Why;
}

/** Papers tokenised per step while the page opens the table in the background (47–77 ms a step measured on a loaded machine). */
const ROWS_PER_STEP = 400;

let offline: { api: PageSearch; search: unknown } | null | undefined;
let step: (() => unknown) | null | undefined;
/** Milliseconds of work opening the table took so far (its steps summed; 0 until it starts). */
export let offlineOpenMs = 0;

/** The stepper that opens the page's table, made once; null when the page has none or it cannot be read. */
function stepper(data: MapData): (() => unknown) | null {
  if (step !== undefined) return step;
  const api = (window as unknown as { papermapSearch?: PageSearch }).papermapSearch;
  const element = document.getElementById(SEARCH_ELEMENT_ID);
  step = null;
  if (api && element?.textContent) {
    const t0 = performance.now();
    try {
      const next = api.openOfflineSearchInSteps(JSON.parse(element.textContent), { ids: data.ids, titles: data.titles, abstracts: data.abstracts }, ROWS_PER_STEP);
      step = () => {
        const s0 = performance.now();
        const search = next();
        offlineOpenMs += performance.now() - s0;
        if (search) offline = { api, search };
        return search;
      };
    } catch {
      offline = null;
    }
    offlineOpenMs += performance.now() - t0;
  }
  return step;
}

/** Opens the page's offline search now (finishing what the background steps left); null when it has none. */
export function openOffline(data: MapData): { api: PageSearch; search: unknown } | null {
  if (offline !== undefined) return offline;
  const next = stepper(data);
  if (!next) return (offline = null);
  while (!next());
  return offline ?? null;
}

/** True once the offline table is open. */
export function offlineReady(): boolean {
  return !!offline;
}

/** Opens the table in the background, one step per task, so the page stays responsive and the first query is quick. */
export function prepareOffline(data: MapData): void {
  const next = stepper(data);
  if (!next || offline) return;
  const run = () => {
    if (offline || next()) return;
    window.setTimeout(run, 0);
  };
  run();
}

/**
 * The k papers closest in meaning to `query` computed in the page (the served hybrid ranking with the model replaced by
 * the table of word vectors), or null when the page has no table.
 */
export function offlineSemantic(data: MapData, query: string, k: number, indexOf: ReadonlyMap<string, number>): SemanticHit[] | null {
  const opened = openOffline(data);
  if (!opened) return null;
  return opened.api.offlineSearch(opened.search, query, { k }).flatMap((hit) => {
    const index = indexOf.get(hit.id);
    return index === undefined ? [] : [{ index, score: hit.score }];
  });
}

/** The phrase statistics explain/ needs, over the page's papers, counted on the first explanation. */
let phraseStats: unknown;

/**
 * Paper i's k related papers ranked in the page as `papermap similar` ranks them (hybrid: the int8 vectors and BM25,
 * fused by the served code), each with why; null when the page has no offline table (its related lists are then the
 * dense neighbours stored with the map).
 */
export function offlineRelated(data: MapData, i: number, k: number, indexOf: ReadonlyMap<string, number>): RelatedHit[] | null {
  const opened = openOffline(data);
  if (!opened) return null;
  const paper = (j: number) => ({ title: data.titles[j] ?? '', abstract: data.abstracts[j] ?? '' });
  phraseStats ??= opened.api.buildPhraseStats(data.ids.map((id, j) => ({ id, ...paper(j) })));
  return opened.api.offlineSimilar(opened.search, data.ids[i] as string, k).flatMap((hit) => {
    const index = indexOf.get(hit.id);
    return index === undefined ? [] : [{ index, score: hit.score, why: opened.api.explainSimilar(paper(i), paper(index), phraseStats) }];
  });
}

/** Lower-cased "title \n abstract" per paper, built on the first search. */
let haystack: string[] | null = null;

/** Papers whose title or abstract contains `query` (case-insensitive), in map order. */
export function textMatches(data: MapData, query: string): number[] {
  const needle = query.toLowerCase();
  haystack ??= data.titles.map((t, i) => `${t}\n${data.abstracts[i] ?? ''}`.toLowerCase());
  const out: number[] = [];
  for (let i = 0; i < haystack.length; i++) if ((haystack[i] as string).includes(needle)) out.push(i);
  return out;
}

/** True when the page came from `papermap serve`, whose /api/search embeds free text. */
export function canSearchLive(): boolean {
  return location.protocol === 'http:' || location.protocol === 'https:';
}

/**
 * Asks the server for the papers closest in meaning to `query`. Returns null when there is no usable server (a plain
 * static host, or an error), so the map falls back to text matches alone.
 */
export async function semanticSearch(query: string, k: number, indexOf: ReadonlyMap<string, number>, signal: AbortSignal): Promise<SemanticHit[] | null> {
  try {
    const response = await fetch(`api/search?q=${encodeURIComponent(query)}&k=${k}`, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as { results?: { id?: unknown; score?: unknown }[] };
    if (!Array.isArray(body.results)) return null;
    const hits: SemanticHit[] = [];
    for (const r of body.results) {
      const index = typeof r.id === 'string' ? indexOf.get(r.id) : undefined;
      if (index !== undefined && typeof r.score === 'number') hits.push({ index, score: r.score });
    }
    return hits;
  } catch {
    return null;
  }
}
