// The theme tree as levels a researcher moves along: areas → themes → sub-themes.

import type { ThemesResult } from './index.js';

/** The levels of the tree, broadest first. */
export const THEME_LEVELS = ['areas', 'themes', 'sub-themes'] as const;
export type ThemeLevel = (typeof THEME_LEVELS)[number];

/** One group at a level: an area ("a0"), a theme ("3") or a sub-theme ("3.1"). */
export interface LevelGroup {
  id: string;
  label: string;
  size: number;
  paperIds: string[];
  /** The group one level up ("a0" for a theme, "3" for a sub-theme); absent for areas. */
  parentId?: string;
}

/** Every paper's group at one level. */
export interface LevelView {
  level: ThemeLevel;
  groups: LevelGroup[];
}

/**
 * The groups of one level. At 'sub-themes', a theme that was not split stands for itself, so every level partitions
 * the same papers; areas hold their themes' papers in theme order.
 */
export function themeLevel(result: ThemesResult, level: ThemeLevel): LevelView {
  const areaOf = new Map<number, number>();
  for (const a of result.areas) for (const t of a.themeIds) areaOf.set(t, a.id);
  const themeGroups: LevelGroup[] = result.themes.map((t) => ({ id: String(t.id), label: t.label, size: t.size, paperIds: t.paperIds, parentId: `a${areaOf.get(t.id) ?? 0}` }));
  if (level === 'themes') return { level, groups: themeGroups };
  if (level === 'areas') {
    const byId = new Map(result.themes.map((t) => [t.id, t]));
    return {
      level,
      groups: result.areas.map((a) => ({ id: `a${a.id}`, label: a.label, size: a.size, paperIds: a.themeIds.flatMap((t) => byId.get(t)?.paperIds ?? []) })),
    };
  }
  const groups = result.themes.flatMap((t, p) => {
    const parts = result.subThemes.filter((s) => s.parentId === t.id);
    if (!parts.length) return [{ ...(themeGroups[p] as LevelGroup), parentId: String(t.id) }];
    return parts.map((s) => ({ id: `${t.id}.${s.id}`, label: s.label, size: s.size, paperIds: s.paperIds, parentId: String(t.id) }));
  });
  return { level, groups };
}
