// The map step: lay the papers out with UMAP over the store's neighbours and render the one-file HTML map.

import { resolve } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { systemError } from '../errors.js';
import { browserScript } from '../browser-script.js';
import { projectMap, renderMap, resolveMapOptions, type MapParams } from '../map/index.js';
import { freshness, PUBLISHED_MAP, readEmbeddings, readMap, readMapHtml, readThemes, requireFresh, writeMap, writeMapHtml, type Project } from '../project/index.js';
import type { MapPoint, Neighbour } from '../records.js';
import { hybridGraph, WORDS_WEIGHT, type ThemesResult } from '../themes/index.js';
import { countRows } from './embed.js';
import { OFFLINE_SEARCH_RECIPE, offlineSearchTable } from './offline-search.js';
import { openRelated, sharedGraph } from './related.js';
import { themesWords } from './themes.js';
import { NO_PROGRESS, type Progress } from './session.js';

/** Related papers kept per paper in the map file. */
export const MAP_RELATED_K = 8;

/** Options of the map step. */
export interface MapStepOptions {
  /** Also write the HTML here (the project always keeps its own copy). */
  out?: string;
  nNeighbors?: number;
  minDist?: number;
  seed?: number;
  /**
   * Lay the map out afresh. Default false: when the project has a map made with the same options, papers already on it
   * start where they were and new ones beside their neighbours, so an update moves the map little (projectMap's
   * `previous`).
   */
  refit?: boolean;
  progress?: Progress;
}

/** What the map step reports. */
export interface MapSummary {
  /** Absolute path of the HTML map. */
  out: string;
  papers: number;
  themes: number;
  params: MapParams;
  elapsedMs: number;
  upToDate: boolean;
  /** Papers that kept a place from the previous map (0 when laid out afresh). */
  keptPlaces: number;
}

function mapParams(options: MapStepOptions): MapParams {
  return resolveMapOptions({ nNeighbors: options.nNeighbors, minDist: options.minDist, seed: options.seed }).params;
}

/** True when map.json and the HTML map were made from the current vectors, index, themes and papers with these options. */
export function mapUpToDate(project: Project, options: MapStepOptions = {}): boolean {
  const params = mapParams(options);
  return freshness(project, 'map', { options: layoutOptions(params, themesWords(project)), seed: params.seed }).state === 'fresh' && freshness(project, 'mapHtml', { options: htmlOptions() }).state === 'fresh';
}

/**
 * What the layout records: its parameters, and `words` when it was laid out from the graph with the papers' words
 * blended in, as themes made with `--words` are found on (a map of the embedding's graph alone shows them scattered).
 */
function layoutOptions(params: MapParams, words: boolean): Record<string, unknown> {
  return { ...params, ...(words ? { words: true } : {}) };
}

/** What the HTML map records: related papers per paper and the offline search's recipe. */
function htmlOptions(): Record<string, unknown> {
  return { relatedK: MAP_RELATED_K, offlineSearch: OFFLINE_SEARCH_RECIPE };
}

/** Themes for the map: fresh ones, none when the project has none; PROJECT_STALE when they are out of date. */
function mapThemes(project: Project): Pick<ThemesResult, 'themes' | 'areas' | 'subThemes'> {
  if (freshness(project, 'themes').state === 'missing') return { themes: [], areas: [], subThemes: [] };
  requireFresh(project, 'themes');
  const result = readThemes(project);
  return { themes: result.themes, areas: result.areas ?? [], subThemes: result.subThemes ?? [] };
}

/** The published map's path (`<project>/map.html`). */
export function publishedMapPath(project: Project): string {
  return resolve(project.dir, PUBLISHED_MAP);
}

/**
 * The committed map's points when it was made with the same options and graph (a changed seed or option, or words
 * blended in or left out, means a new layout).
 */
function previousPoints(project: Project, params: MapParams, words: boolean): MapPoint[] | undefined {
  const f = freshness(project, 'map');
  if (f.state === 'missing') return undefined;
  if (((f.entry.options as { words?: unknown } | undefined)?.words === true) !== words) return undefined;
  const old = readMap(project);
  const same = (Object.keys(params) as (keyof MapParams)[]).every((key) => old.params?.[key] === params[key]);
  return same ? old.points : undefined;
}

/** Stages map.json and the HTML map unless they are up to date; with `out`, also writes the HTML there. */
export async function mapStep(project: Project, options: MapStepOptions = {}): Promise<MapSummary> {
  const started = performance.now();
  const params = mapParams(options);
  requireFresh(project, 'index');
  const tree = mapThemes(project);
  const themes = tree.themes;
  let summary: MapSummary;
  if (mapUpToDate(project, options)) {
    summary = { out: publishedMapPath(project), papers: countRows(project), themes: themes.length, params, elapsedMs: 0, upToDate: true, keptPlaces: 0 };
  } else {
    const embeddings = readEmbeddings(project);
    const related = openRelated(project);
    let graph;
    try {
      graph = await sharedGraph(project, related, embeddings.ids.length, Math.max(params.nNeighbors, MAP_RELATED_K));
    } finally {
      await related.close();
    }
    // The panel lists each paper's nearest by embedding; the layout follows the themes' graph.
    const words = themesWords(project);
    const layoutGraph = words ? hybridGraph(graph, embeddings.ids.map((_, row) => embeddings.vectors.subarray(row * embeddings.dims, (row + 1) * embeddings.dims)), embeddings.ids.map((id) => related.papers.get(id)), graph.indices[0]?.length ?? 0, WORDS_WEIGHT) : graph;
    const previous = options.refit ? undefined : previousPoints(project, params, words);
    const present = new Set(embeddings.ids);
    const keptPlaces = previous ? previous.filter((p) => present.has(p.id)).length : 0;
    const bar = (options.progress ?? NO_PROGRESS)('map');
    let points: MapPoint[];
    try {
      points = projectMap(embeddings, { ...params, knn: layoutGraph, previous: keptPlaces > 0 ? previous : undefined, onProgress: bar.onProgress });
    } finally {
      bar.stop();
    }
    const themeIdOf = new Map<string, number>();
    for (const theme of themes) for (const id of theme.paperIds) themeIdOf.set(id, theme.id);
    points = points.map((p) => ({ ...p, theme: themeIdOf.get(p.id) ?? -1 }));
    writeMap(project, { formatVersion: 1, params, points }, { options: layoutOptions(params, words), seed: params.seed });
    const relatedOf = new Map<string, Neighbour[]>();
    embeddings.ids.forEach((id, row) => {
      const rows = (graph.indices[row] ?? []).slice(0, MAP_RELATED_K);
      relatedOf.set(id, rows.map((j, k) => ({ id: embeddings.ids[j] as string, score: 1 - ((graph.distances[row] ?? [])[k] ?? 1) })));
    });
    const table = await offlineSearchTable(project, points.map((p) => p.id), embeddings, related.papers, options.progress);
    const html = renderMap(
      { points, papers: related.papers, themes: themes.map((t) => ({ id: t.id, label: t.label, ...(t.colour ? { colour: t.colour } : {}) })), areas: tree.areas, subThemes: tree.subThemes, related: relatedOf },
      { relatedK: MAP_RELATED_K, exportJs: browserScript('export'), offlineSearch: table ? { table, script: browserScript('search') } : undefined },
    );
    writeMapHtml(project, html, { options: htmlOptions() });
    summary = { out: publishedMapPath(project), papers: points.length, themes: themes.length, params, elapsedMs: Math.round(performance.now() - started), upToDate: false, keptPlaces };
  }
  if (options.out) {
    const out = resolve(options.out);
    try {
      writeFileAtomic(out, readMapHtml(project) ?? '');
    } catch (error) {
      throw systemError(error, out, 'write the map');
    }
    summary.out = out;
  }
  return summary;
}

/** The committed map.json, for tools that want positions. */
export { readMap };
