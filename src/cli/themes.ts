// `papermap themes`: cluster the project's papers into named themes and areas, saved as themes.json.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { isFresh, openProject, readEmbeddings, readJsonArtefact, readPapers, requireArtefact, saveArtefact, type Project } from '../project/index.js';
import { DEFAULT_THEMES_SEED, findThemes, THEME_DEFAULTS, type ThemesResult } from '../themes/index.js';
import { clip, printJson, printLines, progressBar, toInt, withCommon, type CommonFlags } from './shared.js';

/** Flags of `papermap themes` (also taken by `papermap run`). */
export interface ThemesFlags {
  k?: number;
  seed?: number;
  level?: string;
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
  kScores: { k: number; stability: number }[];
  areas: { id: number; label: string; size: number; themeIds: number[] }[];
  themes: { id: number; label: string; size: number; terms: string[]; representatives: PaperRef[] }[];
  subThemes: { parentId: number; id: number; label: string; size: number; representatives: PaperRef[] }[];
  outliers: number;
  byYear: { year: number; sizes: number[]; outliers: number }[];
}

const LEVELS = ['areas', 'themes', 'sub'] as const;

/** Builds themes.json unless one exists for exactly these vectors, k and seed; returns its summary. */
export function themesStep(project: Project, flags: ThemesFlags): ThemesSummary {
  const vectorsHash = requireArtefact(project, 'vectors').sha256;
  const seed = flags.seed ?? DEFAULT_THEMES_SEED;
  const options = { k: flags.k ?? null };
  const entry = project.manifest.artefacts.themes;
  const papers = readPapers(project);
  let result: ThemesResult;
  if (isFresh(project, 'themes', { vectors: vectorsHash }) && entry?.seed === seed && JSON.stringify(entry.options) === JSON.stringify(options)) {
    result = readJsonArtefact<ThemesResult>(project, 'themes');
  } else {
    const bar = progressBar('themes');
    try {
      result = findThemes(readEmbeddings(project), papers, { k: flags.k, seed, onProgress: bar.onProgress });
    } finally {
      bar.stop();
    }
    saveArtefact(project, 'themes', `${JSON.stringify(result, null, 2)}\n`, { inputs: { vectors: vectorsHash }, options, seed });
  }
  return summarise(result, papers);
}

/** The summary of a themes result, with titles for the representative papers. */
export function summarise(result: ThemesResult, papers: readonly { id: string; title?: string; abstract: string }[]): ThemesSummary {
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

/**
 * Each paper's theme from the project's themes.json, for `similar`, `search` and the map. Empty when the project has
 * no themes yet or they were built from other vectors (a stale label would mislead); outliers are absent.
 */
export function readThemeOf(project: Project): Map<string, { id: number; label: string }> {
  const out = new Map<string, { id: number; label: string }>();
  const vectors = project.manifest.artefacts.vectors;
  if (!vectors || !isFresh(project, 'themes', { vectors: vectors.sha256 })) return out;
  const result = readJsonArtefact<ThemesResult>(project, 'themes');
  for (const theme of result.themes) for (const id of theme.paperIds) out.set(id, { id: theme.id, label: theme.label });
  return out;
}

/** The summary as text: areas, then themes with three representative titles, then (level 'sub') sub-themes. */
export function describeThemes(s: ThemesSummary, level: (typeof LEVELS)[number] = 'themes'): string[] {
  const lines: string[] = [];
  const how = s.kScores.length ? `k chosen by stability over k=${s.kScores[0]?.k}..${s.kScores.at(-1)?.k}` : 'k given';
  lines.push(`${s.themes.length} themes (${how}; silhouette ${s.silhouette.toFixed(3)}; stability: mean ARI ${s.stability.meanAri.toFixed(2)} over seeds ${s.stability.seeds.join(', ') || '-'})`);
  if (s.outliers) lines.push(`${s.outliers} papers fit no theme (outliers)`);
  lines.push('', 'Areas');
  for (const a of s.areas) lines.push(`  ${a.label} (${a.size} papers): themes ${a.themeIds.join(', ')}`);
  if (level === 'areas') return lines;
  lines.push('', 'Themes');
  for (const t of s.themes) {
    lines.push(`  #${t.id}  ${String(t.size).padStart(4)} papers  ${t.label}`);
    for (const r of t.representatives) lines.push(`        - ${clip(r.title, 100)}`);
    const subs = s.subThemes.filter((x) => x.parentId === t.id);
    if (subs.length) lines.push(`        sub-themes: ${subs.map((x) => `${x.label} (${x.size})`).join('; ')}`);
    if (level === 'sub') for (const x of subs) for (const r of x.representatives.slice(0, 1)) lines.push(`          ${t.id}.${x.id} ${x.label}: ${clip(r.title, 80)}`);
  }
  if (s.byYear.length) {
    lines.push('', `Papers per theme and year (dated papers only; columns are themes 0..${s.themes.length - 1})`);
    for (const y of s.byYear) lines.push(`  ${y.year}  ${y.sizes.map((n) => String(n).padStart(3)).join(' ')}`);
  }
  return lines;
}

/** Adds the themes flags to a command. */
export function withThemesFlags(command: Command): Command {
  return command
    .option('--k <n>', `number of themes (default: chosen by silhouette over ${THEME_DEFAULTS.kMin}-${THEME_DEFAULTS.kMax})`, toInt)
    .option('--seed <n>', `seed of k-means and sampling (default ${DEFAULT_THEMES_SEED})`, toInt);
}

/** Adds `papermap themes [--k N] [--seed S] [--level areas|themes|sub] [--json] [-p dir]`. */
export function registerThemes(program: Command): void {
  withThemesFlags(withCommon(program.command('themes')))
    .option('--level <level>', `what to print: ${LEVELS.join(', ')} (default themes)`, 'themes')
    .description('cluster the papers into research themes, name them, group them into areas; saves themes.json')
    .action((flags: CommonFlags & ThemesFlags) => {
      const level = flags.level ?? 'themes';
      if (!(LEVELS as readonly string[]).includes(level)) throw new PapermapError('BAD_OPTION', `option 'level' is ${JSON.stringify(level)}: expected one of ${LEVELS.join(', ')}`);
      const summary = themesStep(openProject(flags.project), flags);
      if (flags.json) printJson(summary);
      else printLines(describeThemes(summary, level as (typeof LEVELS)[number]));
    });
}
