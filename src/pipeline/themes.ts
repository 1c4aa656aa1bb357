// The themes step: cluster the papers into named themes and areas, and the theme of each paper for other readers.

import { PapermapError } from '../errors.js';
import { freshness, readEmbeddings, readPapers, readThemes, requireFresh, writeThemes, type Project } from '../project/index.js';
import type { NeighbourGraph, Paper } from '../records.js';
import { DEFAULT_THEMES_SEED, findThemes, THEME_DEFAULTS, THEMES_ALGORITHM, WORDS_WEIGHT, type ThemesResult } from '../themes/index.js';
import { openRelated, sharedGraph } from './related.js';
import { NO_PROGRESS, type Progress } from './session.js';

/** Options of the themes step. */
export interface ThemesStepOptions {
  /** Number of themes; undefined lets papermap choose. */
  k?: number;
  seed?: number;
  /**
   * Group papers by the words they share as well as by meaning (findThemes' lexicalWeight WORDS_WEIGHT): method families
   * that share a domain become themes of their own. The project keeps the choice: undefined means what its themes were
   * made with (off for a new project), so `papermap run` keeps it too.
   */
  words?: boolean;
  /**
   * Cluster afresh instead of updating the previous themes. Without it, the themes of the last run are updated: papers
   * already there keep their theme, themes keep id, name and colour, new groups emerge (themes/update.ts).
   */
  refit?: boolean;
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
  /** Whether the papers' shared words were blended into the graph (ThemesStepOptions.words). */
  words: boolean;
  silhouette: number;
  stability: { meanAri: number; seeds: number[] };
  kScores: { k: number; stability: number; standardError: number }[];
  /** 'fit', 'update' or 'rematch', with the themes that emerged or vanished since the previous run. */
  origin: { mode: string; emerging: number[]; vanished: { id: number; label: string; size: number }[]; keptShare: number };
  areas: { id: number; label: string; size: number; themeIds: number[] }[];
  themes: { id: number; label: string; size: number; colour?: string; emerging?: boolean; terms: string[]; representatives: PaperRef[] }[];
  subThemes: { parentId: number; id: number; label: string; size: number; representatives: PaperRef[] }[];
  outliers: number;
  byYear: { year: number; sizes: number[]; outliers: number }[];
}

/** The options the themes are recorded with (`words` only when on, so themes made before it existed stay fresh). */
function wanted(project: Project, options: ThemesStepOptions): { options: Record<string, unknown>; seed: number; words: boolean } {
  const words = options.words ?? themesWords(project);
  return { options: { k: options.k ?? null, algorithm: THEMES_ALGORITHM, ...(words ? { words: true } : {}) }, seed: options.seed ?? DEFAULT_THEMES_SEED, words };
}

/** The options the project's themes were recorded with (undefined when it has none). */
function recordedOptions(project: Project): { algorithm?: unknown; words?: unknown } | undefined {
  const f = freshness(project, 'themes');
  return f.state === 'missing' ? undefined : ((f.entry.options as { algorithm?: unknown; words?: unknown } | undefined) ?? {});
}

/** True when the project's themes were made with the papers' words in the graph (`papermap themes --words`). */
export function themesWords(project: Project): boolean {
  return recordedOptions(project)?.words === true;
}

/**
 * True when themes.json was built from the current vectors and papers with these options (and, with `refit`, was
 * itself clustered afresh rather than updated).
 */
export function themesUpToDate(project: Project, options: ThemesStepOptions = {}): boolean {
  const { words: _, ...w } = wanted(project, options);
  if (freshness(project, 'themes', w).state !== 'fresh') return false;
  return options.refit !== true || (readThemes(project).origin?.mode ?? 'fit') === 'fit';
}

/** Stages themes.json unless it is up to date (or `refit` asks to start afresh from updated themes); returns the result. */
export async function themesStep(project: Project, options: ThemesStepOptions = {}): Promise<ThemesResult> {
  return (await runThemesStep(project, options)).result;
}

/**
 * themesStep and its summary, titled from the papers the step read when it ran (a second parse of papers.jsonl for the
 * titles was the themes step's peak memory at 100,000 papers: ~700 MB more while the step's own copy awaited collection).
 */
export async function summarisedThemesStep(project: Project, options: ThemesStepOptions = {}): Promise<ThemesSummary> {
  const { result, papers, words } = await runThemesStep(project, options);
  return summariseThemes(result, papers ?? readPapers(project), words);
}

async function runThemesStep(project: Project, options: ThemesStepOptions): Promise<{ result: ThemesResult; papers?: readonly Paper[]; words: boolean }> {
  const { words, ...w } = wanted(project, options);
  requireFresh(project, 'vectors');
  const current = freshness(project, 'themes').state === 'missing' ? undefined : readThemes(project);
  if (current && themesUpToDate(project, options)) return { result: current, words };
  const embeddings = readEmbeddings(project);
  // The index's neighbour graph, the one the map also lays out, when the index is current; else findThemes computes
  // exact neighbours on the papers it fits. The papers come from the same read (at 100k papers a second parse of
  // papers.jsonl costs seconds).
  let knn: NeighbourGraph | undefined;
  let papers: Paper[];
  if (freshness(project, 'index').state === 'fresh') {
    const related = openRelated(project);
    try {
      knn = await sharedGraph(project, related, embeddings.ids.length, THEME_DEFAULTS.nNeighbors);
    } finally {
      await related.close();
    }
    papers = [...related.papers.values()];
  } else {
    papers = readPapers(project);
  }
  const bar = (options.progress ?? NO_PROGRESS)('themes');
  let result: ThemesResult;
  try {
    // The previous themes are updated only under the same seed and k: asking for another is asking for other themes.
    const previous = current && current.seed === w.seed && (options.k === undefined || options.k === current.k) ? current : undefined;
    // Themes made by another version of the fit, or with words where these are without (or the other way), are
    // clustered afresh, their ids and colours carried over by shared members: updating them in place would keep the old
    // fit's themes for ever.
    const recorded = recordedOptions(project);
    const rematch = previous !== undefined && (recorded?.algorithm !== THEMES_ALGORITHM || (recorded?.words === true) !== words);
    result = findThemes(embeddings, papers, { k: options.k, seed: w.seed, knn, previous, refit: options.refit === true, rematch, lexicalWeight: words ? WORDS_WEIGHT : 0, onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  writeThemes(project, result, w);
  return { result, papers, words };
}

/** The summary of a themes result, with titles for the representative papers (`words`: themesWords of its project). */
export function summariseThemes(result: ThemesResult, papers: readonly { id: string; title?: string; abstract: string }[], words: boolean): ThemesSummary {
  const titles = new Map(papers.map((p) => [p.id, p.title ?? clip(p.abstract, 100)]));
  const refs = (ids: readonly string[]): PaperRef[] => ids.map((id) => ({ id, title: titles.get(id) ?? id }));
  return {
    k: result.k,
    seed: result.seed,
    words,
    silhouette: result.silhouette,
    stability: result.stability,
    kScores: result.kScores,
    origin: { mode: result.origin?.mode ?? 'fit', emerging: result.origin?.emerging ?? [], vanished: result.origin?.vanished ?? [], keptShare: result.origin?.keptShare ?? 1 },
    areas: result.areas.map((a) => ({ id: a.id, label: a.label, size: a.size, themeIds: a.themeIds })),
    themes: result.themes.map((t) => ({ id: t.id, label: t.label, size: t.size, ...(t.colour ? { colour: t.colour } : {}), ...(t.emerging ? { emerging: true } : {}), terms: t.terms.map((x) => x.term), representatives: refs(t.representativeIds) })),
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
