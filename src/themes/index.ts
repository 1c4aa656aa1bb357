// themes: cluster the papers into research themes, name them, group them into areas, and measure how stable they are.

import { PapermapError } from '../errors.js';
import { intIn, numberIn, resolveOptions } from '../options.js';
import type { Embeddings, Paper, Theme } from '../records.js';
import { chooseK, distanceSample, round6, silhouette, type KScore } from './choose-k.js';
import { centroidsOf, dot, kmeansBest, rankByCentroid, toRows, type Partition } from './cluster.js';
import { groupAreas, splitThemes, type Area, type SubTheme } from './hierarchy.js';
import { buildVocabulary, labelClusters } from './labels.js';
import { sizesByYear, type YearSizes } from './over-time.js';
import { principalProjection } from './reduce.js';
import { stabilityAt } from './stability.js';

export type { Area, SubTheme } from './hierarchy.js';
export type { KScore } from './choose-k.js';
export type { YearSizes } from './over-time.js';
export { adjustedRandIndex } from './stability.js';

/** The seed used when none is given; recorded in the manifest with themes.json. */
export const DEFAULT_THEMES_SEED = 42;

/** Options of findThemes; CLI flags use the same names in kebab-case. */
export interface ThemeOptions {
  /** Number of themes; undefined chooses it by silhouette over [kMin, kMax]. Range 2–200. Default undefined. */
  k: number | undefined;
  /**
   * Smallest k tried when choosing. Default 6, lowered to round(√(n/8)) (at least 2) for n < 300 papers; 2–200.
   */
  kMin: number;
  /**
   * Largest k tried when choosing (capped at papers − 1). Default 16, lowered to round(√(n/2)) (the rule of thumb
   * k ≈ √(n/2), Mardia et al. 1979) for small corpora; 2–200.
   */
  kMax: number;
  /** Seed of every random step (k-means++ initialisation, silhouette sample). Default DEFAULT_THEMES_SEED (42). */
  seed: number;
  /** k-means runs per k, best inertia kept. Default 5; 1–50. More is steadier and slower. */
  restarts: number;
  /**
   * Principal components k-means runs on; 0 clusters the full unit vectors. Silhouettes, centres, representatives and
   * areas always use the full vectors. Default 0: at the same k on the bundled corpus, 64 components gave no better
   * silhouette (k=11: 0.058 vs 0.073; k=14: 0.065 vs 0.059), a lower NPMI and the same stability; 0 or 2–1024.
   */
  dims: number;
  /**
   * Mark as outliers (theme -1) the papers whose cosine to their theme's centre lies more than `outlierZ` standard
   * deviations below the theme's mean. Default false: measured on the bundled corpus (k=16), z=2 dropped 5 % of the
   * papers and lowered NPMI (0.201 → 0.190); z=1.5 dropped 9 % for +0.01 NPMI. Not worth losing papers.
   */
  outliers: boolean;
  /** Threshold of the outlier rule, in standard deviations. Default 2; 0.5–5. */
  outlierZ: number;
  /** Most broad areas the themes are grouped into. Default 6; 2–20. */
  maxAreas: number;
  /** Themes with at least this many papers are split into sub-themes. Default 30; 4–100000. */
  subThemeMinSize: number;
  /** Seeds compared for the stability figure (this many, starting at `seed`). Default 5; 0 skips it, 2–20 otherwise. */
  stabilitySeeds: number;
  /** Papers sampled for silhouettes, which cost O(sample²). Default 2000; 50–20000. */
  sampleSize: number;
  /** Terms kept per theme. Default 10; 1–50. */
  topTerms: number;
  /**
   * How much a term is preferred for occurring in the same papers as the theme's terms already chosen (γ in
   * themes/labels.ts), against its c-TF-IDF rank. Default 1; 0 ranks by c-TF-IDF alone; 0–5.
   */
  labelCohesion: number;
  /** Representative papers per theme (closest to its centre). Default 3; 1–20. */
  representatives: number;
  /** Called as work advances (candidate k values, then stability runs). */
  onProgress: ((done: number, total: number) => void) | undefined;
}

/** Defaults of every ThemeOptions field. */
export const THEME_DEFAULTS: ThemeOptions = {
  k: undefined,
  kMin: 6,
  kMax: 16,
  seed: DEFAULT_THEMES_SEED,
  restarts: 5,
  dims: 0,
  outliers: false,
  outlierZ: 2,
  maxAreas: 6,
  subThemeMinSize: 30,
  stabilitySeeds: 5,
  sampleSize: 2000,
  topTerms: 10,
  labelCohesion: 1,
  representatives: 3,
  onProgress: undefined,
};

const CHECKS = {
  k: (v: number | undefined) => (v === undefined ? undefined : intIn(2, 200)(v)),
  kMin: intIn(2, 200),
  kMax: intIn(2, 200),
  seed: intIn(0, 2 ** 31 - 1),
  restarts: intIn(1, 50),
  dims: (v: number) => (v === 0 ? undefined : intIn(2, 1024)(v)),
  outlierZ: numberIn(0.5, 5),
  maxAreas: intIn(2, 20),
  subThemeMinSize: intIn(4, 100000),
  stabilitySeeds: (v: number) => (v === 0 ? undefined : intIn(2, 20)(v)),
  sampleSize: intIn(50, 20000),
  topTerms: intIn(1, 50),
  labelCohesion: numberIn(0, 5),
  representatives: intIn(1, 20),
};

/** Everything findThemes found. Plain JSON; key order is fixed. */
export interface ThemesResult {
  k: number;
  seed: number;
  /** Themes by id (0 = largest). */
  themes: Theme[];
  /** Theme id per row of embeddings.ids; -1 = outlier. */
  assignment: number[];
  /** Broad areas, each a group of themes. */
  areas: Area[];
  /** Parts of the large themes, in parent order. */
  subThemes: SubTheme[];
  /** Theme sizes per year, for papers with a year; [] when none has one. */
  byYear: YearSizes[];
  /** Mean adjusted Rand index between the partitions of `seeds` at this k (1 = identical). */
  stability: { meanAri: number; seeds: number[] };
  /** Silhouette (cosine) of the final partition. */
  silhouette: number;
  /** Silhouette of each k tried; [] when k was given. */
  kScores: KScore[];
}

/** Clusters the papers into themes. Deterministic: the same embeddings, papers and options give the same result. */
export function findThemes(embeddings: Embeddings, papers: readonly Paper[], options?: Partial<ThemeOptions>): ThemesResult {
  const opts = resolveOptions(THEME_DEFAULTS, options, CHECKS);
  if (opts.kMin > opts.kMax) throw new PapermapError('BAD_OPTION', `option 'kMin' is ${opts.kMin}: expected at most kMax (${opts.kMax})`);
  const n = embeddings.ids.length;
  if (n < 3) throw new PapermapError('BAD_OPTION', `found ${n} papers: themes need at least 3`, undefined, 'ingest more papers');
  if (opts.k !== undefined && opts.k >= n) throw new PapermapError('BAD_OPTION', `option 'k' is ${opts.k}: expected fewer themes than papers (${n})`);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const papersByRow = embeddings.ids.map((id) => byId.get(id));
  const missing = embeddings.ids.find((id) => !byId.has(id));
  if (missing !== undefined) throw new PapermapError('PROJECT_STALE', `vector row '${missing}' has no paper`, undefined, 'run `papermap embed` to re-embed the current papers');

  // Defaults that suit a few hundred papers would force six themes onto twenty; given values are kept as they are.
  const range = {
    kMin: options?.kMin ?? Math.min(opts.kMin, Math.max(2, Math.round(Math.sqrt(n / 8)))),
    kMax: options?.kMax ?? Math.min(opts.kMax, Math.max(2, Math.round(Math.sqrt(n / 2)))),
  };
  range.kMin = Math.min(range.kMin, range.kMax);
  const rows = toRows(embeddings.vectors, embeddings.dims);
  const space = opts.dims ? principalProjection(rows, opts.dims, opts.seed) : rows;
  const sample = distanceSample(rows, opts.sampleSize, opts.seed);
  const stabilityRuns = opts.stabilitySeeds;
  const kCount = opts.k === undefined ? Math.min(range.kMax, n - 1) - Math.min(range.kMin, range.kMax, n - 1) + 1 : 1;
  const progress = (done: number): void => opts.onProgress?.(done, kCount + stabilityRuns);

  // Above sampleSize papers, k is chosen and stability measured on the seeded silhouette sample, and only the final
  // partition runs over every paper: choosing k on all of them cost 299 s at 10k papers and over 10 minutes at 100k
  // (bench/scale). At or below sampleSize (the bundled corpus) the sample is every paper and nothing changes.
  const sampled = n > sample.rows.length;
  const probeRows = sampled ? sample.rows.map((i) => space[i] as number[]) : space;
  // The probe rows are the sample's rows in its order, so its distance matrix serves them as it is.
  const probeSample = sampled ? { rows: probeRows.map((_, i) => i), distances: sample.distances } : sample;
  let partition: Partition;
  let probe: Partition | undefined;
  let kScores: KScore[] = [];
  if (opts.k === undefined) {
    const chosen = chooseK(probeRows, probeSample, range, opts.seed, opts.restarts, (done) => progress(done));
    probe = chosen.best;
    partition = sampled ? kmeansBest(space, chosen.best.k, opts.seed, opts.restarts) : chosen.best;
    kScores = chosen.scores;
  } else {
    partition = kmeansBest(space, opts.k, opts.seed, opts.restarts);
    progress(1);
  }
  const k = partition.k;
  const centroids = centroidsOf(rows, partition.assignment, k);
  const assignment = opts.outliers ? markOutliers(rows, partition.assignment, centroids, opts.outlierZ) : partition.assignment;

  const vocab = buildVocabulary(papersByRow.map((p) => (p ? `${p.title ?? ''}. ${p.abstract}` : '')));
  const labels = labelClusters(vocab, assignment, k, { topTerms: opts.topTerms, cohesion: opts.labelCohesion });
  const rowsOfTheme = Array.from({ length: k }, () => [] as number[]);
  assignment.forEach((t, i) => t >= 0 && (rowsOfTheme[t] as number[]).push(i));
  const themes: Theme[] = rowsOfTheme.map((members, id) => {
    const ranked = rankByCentroid(rows, embeddings.ids, members, centroids[id] as number[]);
    return {
      id,
      label: labels[id]?.label ?? '',
      terms: labels[id]?.terms ?? [],
      size: ranked.length,
      paperIds: ranked.map((i) => embeddings.ids[i] as string),
      representativeIds: ranked.slice(0, opts.representatives).map((i) => embeddings.ids[i] as string),
    };
  });

  const areas = groupAreas(centroids, assignment, sample, vocab, opts.maxAreas);
  const subThemes = splitThemes(rows, space, embeddings.ids, themes, assignment, rowsOfTheme, vocab, {
    minSize: opts.subThemeMinSize,
    seed: opts.seed,
    restarts: opts.restarts,
    sampleSize: opts.sampleSize,
    representatives: opts.representatives,
  });
  let runs = 0;
  const stability = stabilityRuns
    ? stabilityAt(probeRows, k, Array.from({ length: stabilityRuns }, (_, i) => opts.seed + i), opts.restarts, sampled ? (probe ? { seed: opts.seed, assignment: probe.assignment } : undefined) : { seed: opts.seed, assignment: partition.assignment }, () => progress(kCount + ++runs))
    : { meanAri: 1, seeds: [] };
  return {
    k,
    seed: opts.seed,
    themes,
    assignment,
    areas,
    subThemes,
    byYear: sizesByYear(papersByRow, assignment, k),
    stability,
    silhouette: round6(silhouette(sample, assignment)),
    kScores,
  };
}

/** Rows whose cosine to their (normalised) centre is more than z standard deviations below their theme's mean become -1. */
function markOutliers(rows: readonly number[][], assignment: readonly number[], centroids: readonly number[][], z: number): number[] {
  const cosines = rows.map((row, i) => {
    const c = centroids[assignment[i] as number] as number[];
    return dot(row, c) / (Math.sqrt(dot(c, c)) || 1);
  });
  const stats = centroids.map((_, t) => {
    const xs = cosines.filter((_, i) => assignment[i] === t);
    const mean = xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, xs.length));
    return { mean, sd };
  });
  return assignment.map((t, i) => {
    const s = stats[t] as { mean: number; sd: number };
    return (cosines[i] as number) < s.mean - z * s.sd ? -1 : t;
  });
}
