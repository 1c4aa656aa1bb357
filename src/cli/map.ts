// `papermap map`: lay the papers out in 2-D with UMAP over the index's neighbours and write the one-file HTML map.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MAP_DEFAULTS, projectMap, renderMap, resolveMapOptions, type MapParams } from '../map/index.js';
import { checkFresh, isFresh, openProject, projectPath, readEmbeddings, readJsonArtefact, readPapers, requireArtefact, saveArtefact, writeFileAtomic, ARTEFACT_FILES, type Project } from '../project/index.js';
import type { MapPoint, Neighbour, Theme } from '../records.js';
import { openRelated } from './related.js';
import { printJson, printLines, progressBar, toInt, withCommon, type CommonFlags } from './shared.js';

/** Related papers kept per paper in the map file. */
export const MAP_RELATED_K = 8;

/** Flags of `papermap map` (also taken by `papermap run`). */
export interface MapFlags {
  /** Where to write the HTML; default <project>/map.html. */
  out?: string;
  nNeighbors?: number;
  minDist?: number;
  seed?: number;
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

/** map.json: the positions and how they were made. */
interface MapFile {
  formatVersion: 1;
  params: MapParams;
  points: MapPoint[];
}

/** The themes file as far as the map needs it. */
interface ThemesFile {
  themes: Theme[];
}

/** Reads themes.json when the project has one made from the current vectors; otherwise the map has no themes. */
function readThemes(project: Project, vectorsHash: string): Theme[] {
  const entry = project.manifest.artefacts.themes;
  if (!entry) return [];
  if ('vectors' in entry.inputs) checkFresh(project, 'themes', { vectors: vectorsHash });
  return readJsonArtefact<ThemesFile>(project, 'themes').themes ?? [];
}

/**
 * Projects the project's papers (skipped when map.json and map.html were made from the same vectors, index, themes
 * and options) and writes the HTML map. The default output is recorded in the manifest as `mapHtml`.
 */
export async function mapStep(project: Project, flags: MapFlags): Promise<MapSummary> {
  const started = performance.now();
  const { params } = resolveMapOptions({ nNeighbors: flags.nNeighbors, minDist: flags.minDist, seed: flags.seed });
  const papersHash = requireArtefact(project, 'papers').sha256;
  const vectorsHash = checkFresh(project, 'vectors', { papers: papersHash }).sha256;
  const indexHash = requireArtefact(project, 'index').sha256;
  const themes = readThemes(project, vectorsHash);
  const themesHash = project.manifest.artefacts.themes?.sha256 ?? 'none';
  const inputs = { papers: papersHash, vectors: vectorsHash, index: indexHash, themes: themesHash };
  const defaultOut = projectPath(project, ARTEFACT_FILES.mapHtml);
  const out = flags.out ? resolve(flags.out) : defaultOut;
  const recorded = project.manifest.artefacts.map;
  const sameParams = JSON.stringify(recorded?.options ?? null) === JSON.stringify(params);
  if (out === defaultOut && sameParams && isFresh(project, 'map', inputs) && isFresh(project, 'mapHtml', { ...inputs, map: recorded?.sha256 ?? '' })) {
    return { out, papers: readPapers(project).length, themes: themes.length, params, elapsedMs: 0, upToDate: true };
  }

  const embeddings = readEmbeddings(project);
  const related = openRelated(project);
  const graph = related.graph(embeddings.ids, Math.max(params.nNeighbors, MAP_RELATED_K));
  const bar = progressBar('map');
  let points: MapPoint[];
  try {
    points = projectMap(embeddings, { ...params, knn: graph, onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  const themeOf = new Map<string, number>();
  for (const theme of themes) for (const id of theme.paperIds) themeOf.set(id, theme.id);
  points = points.map((p) => ({ ...p, theme: themeOf.get(p.id) ?? -1 }));
  const mapFile: MapFile = { formatVersion: 1, params, points };
  const mapHash = saveArtefact(project, 'map', `${JSON.stringify(mapFile)}\n`, { inputs, options: { ...params }, seed: params.seed });

  const relatedOf = new Map<string, Neighbour[]>();
  embeddings.ids.forEach((id, row) => {
    const rows = (graph.indices[row] ?? []).slice(0, MAP_RELATED_K);
    relatedOf.set(id, rows.map((j, k) => ({ id: embeddings.ids[j] as string, score: 1 - ((graph.distances[row] ?? [])[k] ?? 1) })));
  });
  const html = renderMap({ points, papers: related.papers, themes: themes.map((t) => ({ id: t.id, label: t.label })), related: relatedOf }, { relatedK: MAP_RELATED_K });
  if (out === defaultOut) saveArtefact(project, 'mapHtml', html, { inputs: { ...inputs, map: mapHash }, options: { relatedK: MAP_RELATED_K } });
  else writeFileAtomic(out, html);
  return { out, papers: points.length, themes: themes.length, params, elapsedMs: Math.round(performance.now() - started), upToDate: false };
}

/** One line describing a map summary: the path comes last so scripts can take the last word. */
export function describeMap(s: MapSummary): string {
  const what = s.upToDate ? 'map is up to date' : `mapped ${s.papers} papers in ${s.themes} themes in ${(s.elapsedMs / 1000).toFixed(1)} s`;
  return `${what}: ${s.out}`;
}

function toNumber(value: string): number {
  return Number(value);
}

/** Adds the map flags to a command. */
export function withMapFlags(command: Command): Command {
  return command
    .option('--out <file>', 'where to write the HTML map (default <project>/map.html)')
    .option('--n-neighbors <n>', `UMAP neighbours per paper, 2-100 (default ${MAP_DEFAULTS.nNeighbors})`, toInt)
    .option('--min-dist <d>', `UMAP minimum distance, 0-1 (default ${MAP_DEFAULTS.minDist})`, toNumber)
    .option('--seed <n>', `UMAP seed (default ${MAP_DEFAULTS.seed})`, toInt);
}

/** Adds `papermap map` to the program. */
export function registerMap(program: Command): void {
  withMapFlags(withCommon(program.command('map')))
    .description('lay the papers out in 2-D (UMAP) and write an interactive, self-contained HTML map')
    .action(async (flags: CommonFlags & MapFlags) => {
      const summary = await mapStep(openProject(flags.project), flags);
      if (flags.json) printJson(summary);
      else printLines([describeMap(summary)]);
    });
}
