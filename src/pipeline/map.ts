// The map step: lay the papers out with UMAP over the index's neighbours and render the one-file HTML map.

import { resolve } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { systemError } from '../errors.js';
import { projectMap, renderMap, resolveMapOptions, type MapParams } from '../map/index.js';
import { freshness, PUBLISHED_MAP, readEmbeddings, readMap, readMapHtml, readThemes, requireFresh, writeMap, writeMapHtml, type Project } from '../project/index.js';
import type { MapPoint, Neighbour, Theme } from '../records.js';
import { countRows } from './embed.js';
import { openRelated } from './related.js';
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
}

function mapParams(options: MapStepOptions): MapParams {
  return resolveMapOptions({ nNeighbors: options.nNeighbors, minDist: options.minDist, seed: options.seed }).params;
}

/** True when map.json and the HTML map were made from the current vectors, index, themes and papers with these options. */
export function mapUpToDate(project: Project, options: MapStepOptions = {}): boolean {
  const params = mapParams(options);
  return freshness(project, 'map', { options: { ...params }, seed: params.seed }).state === 'fresh' && freshness(project, 'mapHtml').state === 'fresh';
}

/** Themes for the map: fresh ones, none when the project has none; PROJECT_STALE when they are out of date. */
function mapThemes(project: Project): Theme[] {
  if (freshness(project, 'themes').state === 'missing') return [];
  requireFresh(project, 'themes');
  return readThemes(project).themes;
}

/** The published map's path (`<project>/map.html`). */
export function publishedMapPath(project: Project): string {
  return resolve(project.dir, PUBLISHED_MAP);
}

/** Stages map.json and the HTML map unless they are up to date; with `out`, also writes the HTML there. */
export function mapStep(project: Project, options: MapStepOptions = {}): MapSummary {
  const started = performance.now();
  const params = mapParams(options);
  requireFresh(project, 'index');
  const themes = mapThemes(project);
  let summary: MapSummary;
  if (mapUpToDate(project, options)) {
    summary = { out: publishedMapPath(project), papers: countRows(project), themes: themes.length, params, elapsedMs: 0, upToDate: true };
  } else {
    const embeddings = readEmbeddings(project);
    const related = openRelated(project);
    const graph = related.graph(embeddings.ids, Math.max(params.nNeighbors, MAP_RELATED_K));
    const bar = (options.progress ?? NO_PROGRESS)('map');
    let points: MapPoint[];
    try {
      points = projectMap(embeddings, { ...params, knn: graph, onProgress: bar.onProgress });
    } finally {
      bar.stop();
    }
    const themeIdOf = new Map<string, number>();
    for (const theme of themes) for (const id of theme.paperIds) themeIdOf.set(id, theme.id);
    points = points.map((p) => ({ ...p, theme: themeIdOf.get(p.id) ?? -1 }));
    writeMap(project, { formatVersion: 1, params, points }, { options: { ...params }, seed: params.seed });
    const relatedOf = new Map<string, Neighbour[]>();
    embeddings.ids.forEach((id, row) => {
      const rows = (graph.indices[row] ?? []).slice(0, MAP_RELATED_K);
      relatedOf.set(id, rows.map((j, k) => ({ id: embeddings.ids[j] as string, score: 1 - ((graph.distances[row] ?? [])[k] ?? 1) })));
    });
    const html = renderMap({ points, papers: related.papers, themes: themes.map((t) => ({ id: t.id, label: t.label, ...(t.colour ? { colour: t.colour } : {}) })), related: relatedOf }, { relatedK: MAP_RELATED_K });
    writeMapHtml(project, html, { options: { relatedK: MAP_RELATED_K } });
    summary = { out: publishedMapPath(project), papers: points.length, themes: themes.length, params, elapsedMs: Math.round(performance.now() - started), upToDate: false };
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
