// Themes that stay put: new papers join the themes they resemble, new groups emerge, old themes keep id, name, colour.

import type { NeighbourGraph } from '../records.js';
import { centroidsOf, deriveSeed, dot, kmeansBest } from './cluster.js';
import { nearest } from './hierarchy.js';

/** What the previous run's themes look like to an update: each paper's theme, and each theme's id, label, colour. */
export interface PreviousThemes {
  themes: { id: number; label: string; size: number; paperIds: string[]; colour?: string }[];
}

/** A theme that no longer exists. */
export interface VanishedTheme {
  id: number;
  label: string;
  /** Papers it held before. */
  size: number;
}

/** An assignment of every row to a theme id, plus what appeared and vanished since the previous themes. */
export interface ThemeUpdate {
  /** Theme id per row (ids of the previous themes, and new ids above them for emerging themes). */
  assignment: number[];
  /** Emerging theme ids with the rows of the new papers that formed them. */
  emerging: Map<number, number[]>;
  vanished: VanishedTheme[];
  /** Papers of the previous themes still present and unchanged, and how many of them kept their theme id. */
  kept: { papers: number; sameTheme: number };
}

/** Theme id of each paper id in the previous themes. */
export function previousThemeOf(previous: PreviousThemes): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of previous.themes) for (const id of t.paperIds) out.set(id, t.id);
  return out;
}

/**
 * Updates the previous themes for added and changed papers without re-clustering: papers that were already there and
 * did not change keep their theme. Every other paper (pending) joins the theme most of its nearest kept neighbours
 * are in (similarity-weighted vote over the given graph, or over exact neighbours among the kept papers), or the
 * nearest theme centre when it has no kept neighbour. A pending paper that is less similar to its theme's centre than
 * 95 % of the theme's own members is a misfit; when at least `emergingMinSize` misfits exist they are clustered by
 * k-means (about one group per median theme size), and every group of at least `emergingMinSize` becomes an emerging
 * theme with a new id. A theme left with fewer than 3 papers vanishes and its papers are re-placed like pending ones.
 */
export function updateThemes(
  previous: PreviousThemes,
  rows: readonly number[][],
  ids: readonly string[],
  changed: ReadonlySet<string>,
  knn: NeighbourGraph | undefined,
  options: { emergingMinSize: number; seed: number; restarts: number; nNeighbors: number },
): ThemeUpdate {
  const before = previousThemeOf(previous);
  const n = rows.length;
  const assignment = ids.map((id) => (changed.has(id) ? -1 : (before.get(id) ?? -1)));
  const counts = new Map<number, number>();
  for (const t of assignment) if (t >= 0) counts.set(t, (counts.get(t) ?? 0) + 1);
  const vanished: VanishedTheme[] = [];
  for (const t of previous.themes) {
    if ((counts.get(t.id) ?? 0) >= 3) continue;
    vanished.push({ id: t.id, label: t.label, size: t.size });
    for (let i = 0; i < n; i++) if (assignment[i] === t.id) assignment[i] = -1;
  }
  const keptCount = assignment.filter((t) => t >= 0).length;
  const alive = previous.themes.filter((t) => (counts.get(t.id) ?? 0) >= 3).map((t) => t.id);
  const position = new Map(alive.map((id, p) => [id, p]));
  const centres = centroidsOf(rows, assignment.map((t) => (t >= 0 ? (position.get(t) as number) : -1)), alive.length);
  const pending = assignment.flatMap((t, i) => (t < 0 ? [i] : []));
  if (!pending.length || !alive.length) return { assignment, emerging: new Map(), vanished, kept: { papers: keptCount, sameTheme: keptCount } };

  // How close the members of each theme sit to its centre: the 5th percentile is the bar a newcomer must clear.
  const bar = alive.map((id, p) => {
    const centre = centres[p] as number[];
    const norm = Math.sqrt(dot(centre, centre)) || 1;
    const sims = assignment.flatMap((t, i) => (t === id ? [dot(rows[i] as number[], centre) / norm] : [])).sort((a, b) => a - b);
    return sims[Math.floor(0.05 * sims.length)] ?? -1;
  });
  const keptRows = assignment.flatMap((t, i) => (t >= 0 ? [i] : []));
  const placed = new Map<number, number>();
  const misfits: number[] = [];
  for (const i of pending) {
    const votes = new Map<number, number>();
    for (const { row, sim } of neighboursAmongKept(i, rows, keptRows, assignment, knn, options.nNeighbors)) {
      const t = assignment[row] as number;
      votes.set(t, (votes.get(t) ?? 0) + sim);
    }
    const byVote = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    const theme = byVote ?? (alive[nearest(rows[i] as number[], centres)] as number);
    placed.set(i, theme);
    const p = position.get(theme) as number;
    const centre = centres[p] as number[];
    if (dot(rows[i] as number[], centre) / (Math.sqrt(dot(centre, centre)) || 1) < (bar[p] as number)) misfits.push(i);
  }
  const emerging = new Map<number, number[]>();
  if (misfits.length >= options.emergingMinSize) {
    const sizes = alive.map((id) => counts.get(id) ?? 0).sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] ?? misfits.length;
    const k = Math.max(1, Math.min(Math.floor(misfits.length / options.emergingMinSize), Math.round(misfits.length / Math.max(1, median))));
    const partition = kmeansBest(misfits.map((i) => rows[i] as number[]), k, deriveSeed(options.seed, 77), options.restarts);
    let nextId = Math.max(...previous.themes.map((t) => t.id), -1) + 1;
    for (let c = 0; c < partition.k; c++) {
      const group = misfits.filter((_, j) => partition.assignment[j] === c);
      if (group.length < options.emergingMinSize) continue;
      const id = nextId++;
      emerging.set(id, group);
      for (const i of group) placed.set(i, id);
    }
  }
  for (const [i, t] of placed) assignment[i] = t;
  return { assignment, emerging, vanished, kept: { papers: keptCount, sameTheme: keptCount } };
}

/** The nearest kept papers of row i with their cosine: from the graph when given, else by exact search. */
function neighboursAmongKept(
  i: number,
  rows: readonly number[][],
  keptRows: readonly number[],
  assignment: readonly number[],
  knn: NeighbourGraph | undefined,
  k: number,
): { row: number; sim: number }[] {
  if (knn) {
    const out: { row: number; sim: number }[] = [];
    const idx = knn.indices[i] ?? [];
    const dist = knn.distances[i] ?? [];
    idx.forEach((j, c) => {
      if ((assignment[j] as number) >= 0) out.push({ row: j, sim: 1 - (dist[c] as number) });
    });
    return out.slice(0, k);
  }
  const row = rows[i] as number[];
  const scored = keptRows.map((j) => ({ row: j, sim: dot(row, rows[j] as number[]) }));
  scored.sort((a, b) => b.sim - a.sim || a.row - b.row);
  return scored.slice(0, k);
}

/**
 * Matches a fresh partition to the previous themes by shared members: pairs (cluster, old theme) are taken greedily by
 * the number of papers they share, largest first, and a pair counts when the shared papers are at least half of the
 * old theme's papers still present or half of the cluster's papers that were there before (so a split keeps the id on
 * its larger part and a merge on the larger theme). A cluster left unmatched takes the id of an unmatched old theme
 * whose centre is within cosine 0.9 of its own; any other is new (emerging). Returns the id each cluster takes.
 */
export function matchClusters(
  previous: PreviousThemes,
  rows: readonly number[][],
  ids: readonly string[],
  clusterOf: readonly number[],
  k: number,
): { idOf: number[]; emerging: number[]; vanished: VanishedTheme[] } {
  const before = previousThemeOf(previous);
  const shared = new Map<string, number>();
  const oldPresent = new Map<number, number>();
  const clusterOld = new Array<number>(k).fill(0);
  ids.forEach((id, i) => {
    const t = before.get(id);
    if (t === undefined) return;
    const c = clusterOf[i] as number;
    shared.set(`${c},${t}`, (shared.get(`${c},${t}`) ?? 0) + 1);
    oldPresent.set(t, (oldPresent.get(t) ?? 0) + 1);
    clusterOld[c] = (clusterOld[c] as number) + 1;
  });
  const pairs = [...shared.entries()]
    .map(([key, count]) => ({ c: Number(key.split(',')[0]), t: Number(key.split(',')[1]), count }))
    .sort((a, b) => b.count - a.count || a.c - b.c || a.t - b.t);
  const idOf = new Array<number>(k).fill(-1);
  const taken = new Set<number>();
  for (const { c, t, count } of pairs) {
    if ((idOf[c] as number) >= 0 || taken.has(t)) continue;
    if (2 * count < Math.min(oldPresent.get(t) ?? 0, clusterOld[c] as number) && 2 * count < (oldPresent.get(t) ?? 0)) continue;
    idOf[c] = t;
    taken.add(t);
  }
  // Centres: an old theme's centre is the mean of its papers still present.
  const oldIds = previous.themes.map((t) => t.id).filter((t) => !taken.has(t));
  if (oldIds.length && idOf.some((v) => v < 0)) {
    const position = new Map(oldIds.map((t, p) => [t, p]));
    const oldCentres = centroidsOf(rows, ids.map((id) => position.get(before.get(id) ?? -1) ?? -1), oldIds.length);
    const newCentres = centroidsOf(rows, clusterOf, k);
    for (let c = 0; c < k; c++) {
      if ((idOf[c] as number) >= 0) continue;
      const centre = newCentres[c] as number[];
      let best: { t: number; cos: number } | undefined;
      oldIds.forEach((t, p) => {
        const o = oldCentres[p] as number[];
        if (taken.has(t) || !o.some((v) => v !== 0)) return;
        const cos = dot(centre, o) / ((Math.sqrt(dot(centre, centre)) || 1) * (Math.sqrt(dot(o, o)) || 1));
        if (cos >= 0.9 && (!best || cos > best.cos)) best = { t, cos };
      });
      if (best) {
        idOf[c] = best.t;
        taken.add(best.t);
      }
    }
  }
  let nextId = Math.max(...previous.themes.map((t) => t.id), -1) + 1;
  const emerging: number[] = [];
  for (let c = 0; c < k; c++) {
    if ((idOf[c] as number) >= 0) continue;
    idOf[c] = nextId++;
    emerging.push(idOf[c] as number);
  }
  const vanished = previous.themes.filter((t) => !taken.has(t.id)).map((t) => ({ id: t.id, label: t.label, size: t.size }));
  return { idOf, emerging, vanished };
}

/** A fixed palette (Tableau 20 order, darker first) for the first 20 ids, then golden-angle hues, so an id keeps its colour. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5'];

/** The colour of a new theme id. */
export function colourOf(id: number): string {
  const fixed = PALETTE[id];
  if (fixed) return fixed;
  const hue = (id * 137.508) % 360;
  return hslToHex(hue, 0.55, 0.5);
}

function hslToHex(h: number, s: number, l: number): string {
  const f = (n: number): string => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
