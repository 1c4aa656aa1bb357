// The theme tree: themes grouped into a few broad areas, and large themes split into sub-themes.

import type { Theme } from '../records.js';
import { distanceSample, silhouette, type DistanceSample } from './choose-k.js';
import { centroidsOf, kmeansBest, rankByCentroid, squaredDistance } from './cluster.js';
import { labelClusters, type Vocabulary } from './labels.js';

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
 * areas). Areas are numbered by size, largest first. With fewer than three themes, one area holds them all.
 */
export function groupAreas(
  centroids: readonly number[][],
  assignment: readonly number[],
  sample: DistanceSample,
  vocab: Vocabulary,
  maxAreas: number,
): Area[] {
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
  const ordered = [...groups.values()]
    .map((themeIds) => ({ themeIds, size: themeIds.reduce((s, t) => s + (sizes[t] as number), 0) }))
    .sort((a, b) => b.size - a.size || (a.themeIds[0] as number) - (b.themeIds[0] as number));
  const areaOfTheme = new Array<number>(k).fill(0);
  ordered.forEach((g, a) => g.themeIds.forEach((t) => (areaOfTheme[t] = a)));
  const labels = labelClusters(vocab, assignment.map((t) => (t < 0 ? -1 : (areaOfTheme[t] as number))), ordered.length);
  return ordered.map((g, id) => ({ id, label: labels[id]?.label ?? '', themeIds: g.themeIds, size: g.size }));
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

/**
 * Splits each theme with at least `minSize` papers into 2–4 parts by k-means on its own papers, the part count chosen
 * by silhouette within the theme among splits whose every part holds at least max(8, 15 %) of its papers (a theme
 * with no such split stays whole). Sub-themes are labelled against their siblings and the other themes.
 */
export function splitThemes(
  rows: readonly number[][],
  space: readonly number[][],
  ids: readonly string[],
  themes: readonly Theme[],
  themeOf: readonly number[],
  rowsOfTheme: readonly number[][],
  vocab: Vocabulary,
  options: { minSize: number; seed: number; restarts: number; sampleSize: number; representatives: number },
): SubTheme[] {
  const out: SubTheme[] = [];
  for (const theme of themes) {
    const members = rowsOfTheme[theme.id] as number[];
    if (members.length < options.minSize) continue;
    const subRows = members.map((i) => rows[i] as number[]);
    const subSpace = members.map((i) => space[i] as number[]);
    const sample = distanceSample(subRows, options.sampleSize, options.seed);
    // A part smaller than this is a handful of stray papers, not a sub-theme.
    const minPart = Math.max(8, Math.ceil(0.15 * members.length));
    let best: { partition: ReturnType<typeof kmeansBest>; score: number } | undefined;
    for (let k = 2; k <= 4; k++) {
      const partition = kmeansBest(subSpace, k, options.seed, options.restarts);
      const smallest = Math.min(...Array.from({ length: partition.k }, (_, c) => partition.assignment.filter((x) => x === c).length));
      if (partition.k < 2 || smallest < minPart) continue;
      const score = Math.round(silhouette(sample, partition.assignment) * 1e6);
      if (!best || score > best.score) best = { partition, score };
    }
    if (!best) continue;
    const partition = best.partition;
    const centres = centroidsOf(subRows, partition.assignment, partition.k);
    // Labelled against every other theme and the siblings at once: the siblings make the names differ, the other
    // themes keep words the whole parent shares ("multi-task learning") out of them.
    const split = [...themeOf];
    members.forEach((i, j) => (split[i] = themes.length + (partition.assignment[j] as number)));
    const labels = labelClusters(vocab, split, themes.length + partition.k).slice(themes.length);
    for (let s = 0; s < partition.k; s++) {
      const local = partition.assignment.flatMap((c, j) => (c === s ? [j] : []));
      const ranked = rankByCentroid(subRows, members.map((i) => ids[i] as string), local, centres[s] as number[]).map((j) => members[j] as number);
      out.push({
        parentId: theme.id,
        id: s,
        label: labels[s]?.label ?? '',
        terms: labels[s]?.terms ?? [],
        size: ranked.length,
        paperIds: ranked.map((i) => ids[i] as string),
        representativeIds: ranked.slice(0, options.representatives).map((i) => ids[i] as string),
      });
    }
  }
  return out;
}
