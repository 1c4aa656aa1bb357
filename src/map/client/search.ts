// Search: case-insensitive substring over titles and abstracts (offline), plus semantic search when a server is behind the page.

import type { MapData } from './data.js';
import type { SemanticHit } from './panel.js';

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
