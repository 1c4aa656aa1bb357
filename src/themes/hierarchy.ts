// The theme tree: themes grouped into a few broad areas, and large themes split into sub-themes.

import type { Theme } from '../records.js';
import { seededSubsample } from '../random.js';
import { distanceSample, silhouette, type DistanceSample } from './choose-k.js';
import { deriveSeed, dot, kmeansBest, rankByCentroid, squaredDistance } from './cluster.js';
import { runThemeJobs } from './jobs.js';

/** A broad area: a group of related themes. */
export interface Area {
  id: number;
  label: string;
  /** Themes in the area, ascending. */
  themeIds: number[];
  /** Papers in those themes. */
  size: number;
}

/** A part of a large theme; `id` numbers the parts of one parent from 0. */
export interface SubTheme extends Theme {
  parentId: number;
}

/**
 * Groups themes into areas by Ward agglomerative clustering of the theme centroids, cutting the tree at the number of
 * areas in [3, maxAreas] (a few, never just two halves) whose paper-level cosine silhouette is highest (ties: fewer
 * areas). Returns the theme positions of each area, largest area first. With fewer than three themes, one area holds
 * them all. `assignment` holds theme positions (0..centroids.length-1), -1 for none.
 */
export function groupAreas(centroids: readonly number[][], assignment: readonly number[], sample: DistanceSample, maxAreas: number): number[][] {
  const k = centroids.length;
  const sizes = new Array<number>(k).fill(0);
  for (const t of assignment) if (t >= 0) sizes[t] = (sizes[t] as number) + 1;
  const cuts = wardCuts(centroids, sizes);
  let best: { areaOf: number[]; score: number } = { areaOf: new Array<number>(k).fill(0), score: -Infinity };
  if (k >= 3) {
    for (let areas = Math.min(3, k - 1); areas <= Math.min(maxAreas, k - 1); areas++) {
      const areaOf = cuts.get(areas) as number[];
      const score = Math.round(silhouette(sample, assignment.map((t) => (t < 0 ? -1 : (areaOf[t] as number)))) * 1e6);
      if (score > best.score) best = { areaOf, score };
    }
  }
  const groups = new Map<number, number[]>();
  best.areaOf.forEach((a, t) => groups.set(a, [...(groups.get(a) ?? []), t]));
  return [...groups.values()]
    .map((themes) => ({ themes, size: themes.reduce((s, t) => s + (sizes[t] as number), 0) }))
    .sort((a, b) => b.size - a.size || (a.themes[0] as number) - (b.themes[0] as number))
    .map((g) => g.themes);
}

/**
 * For every number of groups 1..n, the group (0-based, in order of first theme) of each centroid, from one Ward tree
 * (Ward 1963): merging groups a and b costs n_a·n_b / (n_a + n_b) · ‖c_a − c_b‖², with n the papers in a group and c
 * its mean vector, so areas come out of comparable size instead of one giant area and singletons.
 */
function wardCuts(centroids: readonly number[][], sizes: readonly number[]): Map<number, number[]> {
  const n = centroids.length;
  let groups = centroids.map((c, i) => ({ members: [i], size: Math.max(1, sizes[i] as number), mean: [...c] }));
  const cuts = new Map<number, number[]>();
  const record = (): void => {
    const groupOf = new Array<number>(n).fill(0);
    [...groups].sort((a, b) => Math.min(...a.members) - Math.min(...b.members)).forEach((g, id) => g.members.forEach((m) => (groupOf[m] = id)));
    cuts.set(groups.length, groupOf);
  };
  record();
  while (groups.length > 1) {
    let best = { i: 0, j: 1, cost: Infinity };
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i] as (typeof groups)[number];
        const b = groups[j] as (typeof groups)[number];
        const cost = Math.round(((a.size * b.size) / (a.size + b.size)) * squaredDistance(a.mean, b.mean) * 1e9);
        if (cost < best.cost) best = { i, j, cost };
      }
    }
    const a = groups[best.i] as (typeof groups)[number];
    const b = groups[best.j] as (typeof groups)[number];
    const size = a.size + b.size;
    const merged = { members: [...a.members, ...b.members].sort((x, y) => x - y), size, mean: a.mean.map((v, d) => (v * a.size + (b.mean[d] as number) * b.size) / size) };
    groups = groups.filter((_, g) => g !== best.i && g !== best.j);
    groups.push(merged);
    record();
  }
  return cuts;
}

/** The parts of one theme: member rows of each part, closest to the part's centre first. */
export interface ThemeSplit {
  parentId: number;
  parts: number[][];
}

/**
 * Splits each theme with at least `minSize` papers into 2–4 parts by k-means on its own papers, the part count chosen
 * by silhouette within the theme among splits whose every part holds at least max(8, 15 %) of its papers (a theme
 * with no such split stays whole). Above `sampleSize` members the parts are found on a seeded sample of them, with
 * `restarts` runs, and every member then joins the part whose centre is nearest: the cost per theme is bounded, so
 * the tree grows linearly with the corpus. Labels are the caller's (one labelling per parent). The themes' samples
 * are split on up to `threads` threads (0: one per core); the result does not depend on it.
 */
export function splitThemes(
  rows: readonly number[][],
  ids: readonly string[],
  themes: readonly { id: number; members: readonly number[] }[],
  options: { minSize: number; seed: number; restarts: number; sampleSize: number; threads: number },
): ThemeSplit[] {
  const large = themes.filter((theme) => theme.members.length >= options.minSize);
  const dims = rows[0]?.length ?? 0;
  // Each theme's parts are found on its own sample, as a job that a worker thread may run (themes/jobs.ts).
  const jobs = large.map((theme) => {
    const picked = seededSubsample(theme.members.length, options.sampleSize, deriveSeed(options.seed, 31 + theme.id));
    const sample = new Float64Array(picked.length * dims);
    picked.forEach((j, r) => sample.set(rows[theme.members[j] as number] as number[], r * dims));
    return { kind: 'split' as const, rows: sample, dims, seed: options.seed, restarts: options.restarts };
  });
  const centresOf = runThemeJobs(jobs, { spaces: [], dims: [] }, options.threads);
  const out: ThemeSplit[] = [];
  large.forEach((theme, t) => {
    const centres = centresOf[t];
    if (!centres) return;
    const members = theme.members;
    const partOf = members.map((i) => nearest(rows[i] as number[], centres));
    const parts = centres.map((centre, s) => {
      const local = members.filter((_, j) => partOf[j] === s);
      return rankByCentroid(rows, ids, local, centre);
    });
    if (parts.some((p) => p.length === 0)) return;
    out.push({ parentId: theme.id, parts });
  });
  return out;
}

/**
 * The centres of the best split of one theme's sampled rows into 2–4 parts (splitThemes), or null when no split
 * leaves every part at least max(8, 15 %) of the rows.
 */
export function splitSample(subRows: readonly number[][], seed: number, restarts: number): number[][] | null {
  const sample = distanceSample(subRows, subRows.length, seed);
  // A part smaller than this is a handful of stray papers, not a sub-theme.
  const minPart = Math.max(8, Math.ceil(0.15 * subRows.length));
  let best: { partition: ReturnType<typeof kmeansBest>; score: number } | undefined;
  for (let k = 2; k <= 4; k++) {
    const partition = kmeansBest(subRows, k, seed, restarts);
    const sizes = new Array<number>(partition.k).fill(0);
    for (const c of partition.assignment) sizes[c] = (sizes[c] as number) + 1;
    if (partition.k < 2 || Math.min(...sizes) < minPart) continue;
    const score = Math.round(silhouette(sample, partition.assignment) * 1e6);
    if (!best || score > best.score) best = { partition, score };
  }
  return best ? best.partition.centroids : null;
}

/** The centre with the highest dot product with the row (ties: the first). */
export function nearest(row: readonly number[], centres: readonly number[][]): number {
  let best = 0;
  let score = -Infinity;
  centres.forEach((c, i) => {
    const s = dot(row, c) / (Math.sqrt(dot(c, c)) || 1);
    if (s > score) (best = i), (score = s);
  });
  return best;
}
