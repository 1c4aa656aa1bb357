// The themes step: cluster the papers into named themes and areas, and the theme of each paper for other readers.

import { PapermapError } from '../errors.js';
import { freshness, readEmbeddings, readPapers, readThemes, requireFresh, writeThemes, type Project } from '../project/index.js';
import { DEFAULT_THEMES_SEED, findThemes, type ThemesResult } from '../themes/index.js';
import { NO_PROGRESS, type Progress } from './session.js';

/** Options of the themes step. */
export interface ThemesStepOptions {
  /** Number of themes; undefined lets papermap choose. */
  k?: number;
  seed?: number;
  progress?: Progress;
}

/** A paper shown for a theme. */
export interface PaperRef {
  id: string;
  title: string;
}

/** What `papermap themes` reports; the same for the same vectors, k and seed (no timings, fixed key order). */
export interface ThemesSummary {
  k: number;
  seed: number;
  silhouette: number;
  stability: { meanAri: number; seeds: number[] };
  kScores: { k: number; silhouette: number }[];
  areas: { id: number; label: string; size: number; themeIds: number[] }[];
  themes: { id: number; label: string; size: number; terms: string[]; representatives: PaperRef[] }[];
  subThemes: { parentId: number; id: number; label: string; size: number; representatives: PaperRef[] }[];
  outliers: number;
  byYear: { year: number; sizes: number[]; outliers: number }[];
}

function wanted(options: ThemesStepOptions): { options: Record<string, unknown>; seed: number } {
  return { options: { k: options.k ?? null }, seed: options.seed ?? DEFAULT_THEMES_SEED };
}

/** True when themes.json was built from the current vectors and papers with these options. */
export function themesUpToDate(project: Project, options: ThemesStepOptions = {}): boolean {
  return freshness(project, 'themes', wanted(options)).state === 'fresh';
}

/** Stages themes.json unless it is up to date; returns the result. */
export function themesStep(project: Project, options: ThemesStepOptions = {}): ThemesResult {
  const w = wanted(options);
  requireFresh(project, 'vectors');
  if (themesUpToDate(project, options)) return readThemes(project);
  const bar = (options.progress ?? NO_PROGRESS)('themes');
  let result: ThemesResult;
  try {
    result = findThemes(readEmbeddings(project), readPapers(project), { k: options.k, seed: w.seed, onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  writeThemes(project, result, w);
  return result;
}

/** The summary of a themes result, with titles for the representative papers. */
export function summariseThemes(result: ThemesResult, papers: readonly { id: string; title?: string; abstract: string }[]): ThemesSummary {
  const titles = new Map(papers.map((p) => [p.id, p.title ?? clip(p.abstract, 100)]));
  const refs = (ids: readonly string[]): PaperRef[] => ids.map((id) => ({ id, title: titles.get(id) ?? id }));
  return {
    k: result.k,
    seed: result.seed,
    silhouette: result.silhouette,
    stability: result.stability,
    kScores: result.kScores,
    areas: result.areas.map((a) => ({ id: a.id, label: a.label, size: a.size, themeIds: a.themeIds })),
    themes: result.themes.map((t) => ({ id: t.id, label: t.label, size: t.size, terms: t.terms.map((x) => x.term), representatives: refs(t.representativeIds) })),
    subThemes: result.subThemes.map((s) => ({ parentId: s.parentId, id: s.id, label: s.label, size: s.size, representatives: refs(s.representativeIds) })),
    outliers: result.assignment.filter((t) => t < 0).length,
    byYear: result.byYear,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A theme by paper id. */
export type ThemeOf = ReadonlyMap<string, { id: number; label: string }>;

/**
 * Each paper's theme, shown beside similar and search hits. Empty when the project has no themes, or when they are
 * not fresh (built from other papers or vectors): a stale label would mislead, and the hits themselves are still right.
 */
export function themeOf(project: Project): ThemeOf {
  const out = new Map<string, { id: number; label: string }>();
  if (freshness(project, 'themes').state !== 'fresh') return out;
  for (const theme of readThemes(project).themes) for (const id of theme.paperIds) out.set(id, { id: theme.id, label: theme.label });
  return out;
}

/** Throws BAD_OPTION unless `level` is one of the levels themes can be shown at. */
export function checkLevel(level: string): 'areas' | 'themes' | 'sub' {
  if (level === 'areas' || level === 'themes' || level === 'sub') return level;
  throw new PapermapError('BAD_OPTION', `option 'level' is ${JSON.stringify(level)}: expected one of areas, themes, sub`);
}
