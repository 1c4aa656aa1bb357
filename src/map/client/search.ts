// Search: case-insensitive substring over titles and abstracts, by meaning offline when the page carries the offline
// search's table, and by meaning through the server when `papermap serve` is behind the page.

import { SEARCH_ELEMENT_ID, type MapData } from './data.js';
import type { SemanticHit } from './panel.js';

/** window.papermapSearch, the bundled index/offline.ts (typed loosely: the map stage does not import the index stage). */
interface PageSearch {
  openOfflineSearch(table: unknown, papers: { ids: readonly string[]; titles: readonly string[]; abstracts: readonly string[] }): unknown;
  offlineSearch(search: unknown, text: string, options: { k: number }): { id: string; score: number }[];
}

let offline: { api: PageSearch; search: unknown } | null | undefined;
/** Milliseconds opening the table took (0 until it is opened). */
export let offlineOpenMs = 0;

/** Opens the page's offline search once (decoding its table, indexing the abstracts for BM25); null when it has none. */
export function openOffline(data: MapData): { api: PageSearch; search: unknown } | null {
  if (offline !== undefined) return offline;
  const t0 = performance.now();
  const api = (window as unknown as { papermapSearch?: PageSearch }).papermapSearch;
  const element = document.getElementById(SEARCH_ELEMENT_ID);
  offline = null;
  if (api && element?.textContent) {
    try {
      offline = { api, search: api.openOfflineSearch(JSON.parse(element.textContent), { ids: data.ids, titles: data.titles, abstracts: data.abstracts }) };
    } catch {
      offline = null;
    }
  }
  offlineOpenMs = performance.now() - t0;
  return offline;
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
