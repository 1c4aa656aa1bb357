// themes: cluster the papers into research themes in a reduced space, name them, arrange them in a tree, keep them put.

import { PapermapError } from '../errors.js';
import { intIn, numberIn, resolveOptions } from '../options.js';
import type { Embeddings, NeighbourGraph, Paper, Theme } from '../records.js';
import { chooseKByStability, distanceSample, round6, silhouette, type KScore } from './choose-k.js';
import { canonicalise, centroidsOf, deriveSeed, dot, rankByCentroid, toRows } from './cluster.js';
import { groupAreas, nearest, splitThemes, type Area, type SubTheme } from './hierarchy.js';
import { kmeansBestOnThreads } from './jobs.js';
import { buildVocabulary, labelGroups, type Vocabulary } from './labels.js';
import { sizesByYear, type YearSizes } from './over-time.js';
import { takeGraph } from '../graph.js';
import { idSample, seededSubsample } from '../random.js';
import { exactGraph, umapReduce } from './reduce.js';
import { hybridGraph } from './hybrid-graph.js';
import { colourOf, matchClusters, previousThemeOf, updateThemes, type VanishedTheme } from './update.js';

export type { Area, SubTheme } from './hierarchy.js';
export type { KScore } from './choose-k.js';
export type { YearSizes } from './over-time.js';
export type { VanishedTheme } from './update.js';
export { adjustedRandIndex } from './stability.js';
export { hybridGraph, WORDS_WEIGHT } from './hybrid-graph.js';
export { themeLevel, THEME_LEVELS, type ThemeLevel, type LevelView } from './level.js';

/** Papers from which findThemes runs its independent k-means work on every core by default (`threads` 0). */
export const PARALLEL_THEMES_FROM = 5000;

/** The seed used when none is given; recorded in the manifest with themes.json. */
export const DEFAULT_THEMES_SEED = 42;

/**
 * The version of how themes are fitted and named, recorded with them: raised whenever a change would give other themes
 * or other names for the same vectors and seed (2: the k-SE rule, 12 probes, 6 layouts, 40 restarts, the fitted sample
 * chosen by id; 3: names without words used as verbs, with whole phrases, without LaTeX markup; 4: without shared-task
 * team names, a phrase of two uses lengthened, acronyms alone and not beside their expansion, Latin plurals as one
 * word). Themes made by another version are not up to date, and the themes step clusters and names afresh, matching
 * ids and colours to them (`rematch`), rather than updating them in place.
 */
export const THEMES_ALGORITHM = 4;

/** Options of findThemes; CLI flags use the same names in kebab-case. */
export interface ThemeOptions {
  /** Number of themes; undefined chooses it by stability over [kMin, kMax]. Range 2–200. Default undefined. */
  k: number | undefined;
  /**
   * Smallest k tried when choosing. Default 8 (the areas are the coarse level above), lowered to round(√(n/8)) (at
   * least 2) for n < 512 papers; 2–200.
   */
  kMin: number;
  /**
   * Largest k tried when choosing (capped at papers − 1). Default 30, lowered to round(√(n/2)) (the rule of thumb
   * k ≈ √(n/2), Mardia et al. 1979) for small corpora; 2–200.
   */
  kMax: number;
  /** Seed of every random step (UMAP, k-means++ starts, subsamples). Default DEFAULT_THEMES_SEED (42). */
  seed: number;
  /**
   * k-means runs for the final partition, best inertia kept. Default 40; 1–50. In the layouts' few dimensions they
   * cost little, and they are what keeps k-means's local optima out of the result: on the bundled corpus (bge-small,
   * k 16) the mean ARI between the themes of seeds 42–46 rose from 0.75 with 10 runs to 0.79 with 40.
   */
  restarts: number;
  /**
   * Dimensions of the UMAP space k-means runs in; 0 clusters the unit vectors themselves. Default 5 (BERTopic's
   * choice): on 15,000 arXiv abstracts UMAP-5 + k-means agreed with the arXiv categories better than k-means on the
   * 384-d vectors at the same k (bench/themes.ts). Centres, representatives, labels and areas use the full vectors. 0 or 2–50.
   */
  reducedDims: number;
  /**
   * UMAP layouts (seeds derived from `seed`) whose coordinates are put side by side for k-means; the probes that
   * choose k are spread over them. Each layout's SGD noise moves some papers between neighbouring clusters; several
   * layouts average that out. Default 6 of 50 epochs (the SGD work of 3 of 100): on the bundled corpus with
   * bge-small at k 16, the mean ARI between the themes of seeds 42–46 was 0.75 with 3 layouts of 100 epochs and 10
   * k-means runs, 0.85 with 4 of 100 and 50 runs, 0.86 with 6 of 50 (or 8 of 40) and 40 runs; agreement with the
   * readers' themes (test/fixtures/themes/readers.json) did not change (AMI 0.49–0.50). (MiniLM, earlier: one layout
   * of 200 epochs 0.73, three of 100 0.81.) `layouts: 1, layoutEpochs: 200` is the first behaviour; 1–10.
   */
  layouts: number;
  /** SGD epochs of each UMAP layout. Default 50 (with 6 layouts; one layout needed 100 or more); 20–1000. */
  layoutEpochs: number;
  /** Neighbours per paper in the graph UMAP is fitted on. Default 15; 2–100. */
  nNeighbors: number;
  /**
   * Weight of the papers' shared words against their embeddings in that graph (themes/hybrid-graph.ts): each paper's
   * nearest by embedding and by TF-IDF cosine of title and abstract, the best by z(cosine) + w · z(TF-IDF cosine).
   * Default 0, the embedding's graph alone. 0.5 (WORDS_WEIGHT, `papermap themes --words`) separates method families that share a
   * domain: on the bundled corpus (bge-small, seeds 42–46, k 16 either way) AMI with the two readers' themes rose from
   * 0.484 / 0.516 to 0.516 / 0.557, "model merging · task vectors" and "MTL · balancing" became themes of their own.
   * It is not the default because on 15,000 arXiv papers (MiniLM, seed 42) AMI with the 17 categories fell from 0.420
   * to 0.375 (k 8 → 27; at k 8 0.401, at k 17 0.391 against 0.403). A map laid out from the embedding's graph shows
   * such themes scattered (share of a paper's 10 nearest points in its theme 0.652, against 0.822 from the blended graph
   * and 0.836 for the default themes and map), so the map step lays out the graph the themes were found on
   * (bench/themes-quality.ts). 0–4.
   */
  lexicalWeight: number;
  /**
   * The papers' nearest-neighbour graph in embeddings.ids order, self excluded, at least nNeighbors per row (the
   * index's HNSW graph, which the map also uses). Default none: exact neighbours are computed on the fitted papers.
   */
  knn: NeighbourGraph | undefined;
  /**
   * Most papers UMAP and k-means are fitted on. Above it a sample chosen by paper id (random.ts idSample: the same whatever the seed) is fitted and every other paper joins the
   * theme most of its graph neighbours hold (else the nearest theme centre), so the cost grows linearly. Default 6000; 500–200000.
   */
  fitSample: number;
  /**
   * k-means runs per candidate k, each on its own seeded 80 % subsample of one layout, compared pairwise. Default 12:
   * with 8 the seeds 47–51 chose k 16, 15, 16, 16, 8 on the bundled corpus (mean ARI between their themes 0.71), with 12
   * 16, 16, 13, 16, 16 (0.80; seeds 42–46: 0.79 → 0.87). 2–20.
   */
  kProbes: number;
  /**
   * Most rows one probe clusters (its 80 % subsample is cut to this many). Default 2500: on 15,000 arXiv abstracts the
   * probes of the 6,000 fitted papers on 2,500 rows chose the same k (AMI 0.4146 either way) for 55 instead of 75 CPU-s
   * of findThemes; 100–200000.
   */
  kProbeRows: number;
  /**
   * Chosen k: the largest whose stability is within this many standard errors (the median over the candidates) of
   * the best, beyond the best's own expected excess as the largest of several noisy scores (themes/choose-k.ts).
   * Default 2: on the bundled corpus the curve is flat within its noise, and a fixed margin of 0.01 let each seed pick
   * its own k (seeds 42–46: 8, 8, 16, 16, 15); two errors from the raw best picked 11, 16, 16, 13, 14 on one CPU, and
   * 16 for every seed once the best's excess is allowed for. 0–5.
   */
  kTolerance: number;
  /**
   * Mark as outliers (theme -1) the papers whose cosine to their theme's centre lies more than `outlierZ` standard
   * deviations below the theme's mean. Default false (not worth losing papers, measured on the bundled corpus).
   */
  outliers: boolean;
  /** Threshold of the outlier rule, in standard deviations. Default 2; 0.5–5. */
  outlierZ: number;
  /** Most broad areas the themes are grouped into. Default 6; 2–20. */
  maxAreas: number;
  /** Themes with at least this many papers are split into sub-themes. Default 30; 4–100000. */
  subThemeMinSize: number;
  /** Papers the silhouettes (of the areas and of the final partition) are computed on. Default 1500; 50–20000. */
  sampleSize: number;
  /**
   * Papers per theme its sub-themes are found on (then every member joins its nearest part). Default 500: at 100,000
   * papers a 1,500-paper sample per theme cost ~35 CPU-s (k-means in 384 dimensions and a 1,500² silhouette per
   * candidate split) to choose among 2–4 parts of at least 15 % each, which 500 papers still hold 75 of; 50–20000.
   */
  subThemeSample: number;
  /** k-means runs per candidate split of a theme into sub-themes. Default 3; 1–50. */
  subThemeRestarts: number;
  /**
   * Most papers theme names are counted on; above it a seeded sample of each theme in proportion (labelCorpus). At
   * 100,000 papers the vocabulary of every abstract took ~22 CPU-s and ~700 MB. Default 20000; 1000–10000000.
   */
  labelSample: number;
  /** Terms kept per theme. Default 10; 1–50. */
  topTerms: number;
  /** γ of the term choice (co-occurrence against c-TF-IDF rank, themes/labels.ts); 0 ranks by c-TF-IDF alone. Default 1; 0–5. */
  labelCohesion: number;
  /** A term in more than this share of all papers is generic here and never names a theme. Default 0.15; 0.01–1. */
  maxDocShare: number;
  /** Representative papers per theme (closest to its centre). Default 3; 1–20. */
  representatives: number;
  /**
   * The previous themes (themes.json). Papers already there and unchanged keep their theme; added and changed papers
   * join the themes they resemble, groups of them that fit none emerge as new themes, themes left with under 3 papers
   * vanish; kept themes keep id, name and colour. When more than `updateShare` of the papers are new or changed, the
   * papers are clustered afresh and the clusters take the ids of the old themes they share most papers with. Default none.
   */
  previous: ThemesResult | undefined;
  /** Ids of papers whose text changed since `previous` (they are placed again). Default []. */
  changedIds: readonly string[];
  /** Ignore `previous` and start afresh. Default false. */
  refit: boolean;
  /**
   * Cluster afresh however few papers changed, and match the new themes to `previous` by shared members (themes that
   * survive keep id and colour, and are named afresh): for `previous` themes made by another THEMES_ALGORITHM, whose
   * names the current labelling may improve on. Default false.
   */
  rematch: boolean;
  /** Above this share of new or changed papers an update re-clusters (and matches ids) instead. Default 0.25; 0–1. */
  updateShare: number;
  /** Fewest new papers that form an emerging theme; 0 = max(5, 0.5 % of the papers). Default 0; 0–100000. */
  emergingMinSize: number;
  /**
   * Threads the independent k-means work runs on (the probes that choose k, the splits into sub-themes; themes/jobs.ts).
   * The themes do not depend on it. Default 0: one per core from PARALLEL_THEMES_FROM papers, one below (where a
   * worker's start-up costs more than it saves); 0–64.
   */
  threads: number;
  /** Called as work advances (candidate k values, then the tree). */
  onProgress: ((done: number, total: number) => void) | undefined;
}

/** Defaults of every ThemeOptions field. */
export const THEME_DEFAULTS: ThemeOptions = {
  k: undefined,
  kMin: 8,
  kMax: 30,
  seed: DEFAULT_THEMES_SEED,
  restarts: 40,
  reducedDims: 5,
  layouts: 6,
  layoutEpochs: 50,
  nNeighbors: 15,
  lexicalWeight: 0,
  knn: undefined,
  fitSample: 6000,
  kProbes: 12,
  kProbeRows: 2500,
  kTolerance: 2,
  outliers: false,
  outlierZ: 2,
  maxAreas: 6,
  subThemeMinSize: 30,
  sampleSize: 1500,
  subThemeSample: 500,
  subThemeRestarts: 3,
  labelSample: 20000,
  topTerms: 10,
  labelCohesion: 1,
  maxDocShare: 0.15,
  representatives: 3,
  previous: undefined,
  changedIds: [],
  refit: false,
  rematch: false,
  updateShare: 0.25,
  emergingMinSize: 0,
  threads: 0,
  onProgress: undefined,
};

const CHECKS = {
  k: (v: number | undefined) => (v === undefined ? undefined : intIn(2, 200)(v)),
  kMin: intIn(2, 200),
  kMax: intIn(2, 200),
  seed: intIn(0, 2 ** 31 - 1),
  restarts: intIn(1, 50),
  reducedDims: (v: number) => (v === 0 ? undefined : intIn(2, 50)(v)),
  layouts: intIn(1, 10),
  layoutEpochs: intIn(20, 1000),
  nNeighbors: intIn(2, 100),
  lexicalWeight: numberIn(0, 4),
  fitSample: intIn(500, 200000),
  kProbes: intIn(2, 20),
  kProbeRows: intIn(100, 200000),
  kTolerance: numberIn(0, 5),
  outlierZ: numberIn(0.5, 5),
  maxAreas: intIn(2, 20),
  subThemeMinSize: intIn(4, 100000),
  sampleSize: intIn(50, 20000),
  subThemeSample: intIn(50, 20000),
  subThemeRestarts: intIn(1, 50),
  labelSample: intIn(1000, 10000000),
  topTerms: intIn(1, 50),
  labelCohesion: numberIn(0, 5),
  maxDocShare: numberIn(0.01, 1),
  representatives: intIn(1, 20),
  updateShare: numberIn(0, 1),
  emergingMinSize: intIn(0, 100000),
  threads: intIn(0, 64),
};

/** How the themes came about. */
export interface ThemesOrigin {
  /** 'fit': clustered afresh; 'update': the previous themes updated in place; 'rematch': re-clustered, ids matched. */
  mode: 'fit' | 'update' | 'rematch';
  /** Papers UMAP and k-means were fitted on (0 for an update). */
  fitted: number;
  /** Ids of themes that formed since the previous themes. */
  emerging: number[];
  /** Previous themes that no longer exist. */
  vanished: VanishedTheme[];
  /** Papers of the previous themes still present, and the share of them whose theme id is unchanged. */
  keptPapers: number;
  keptShare: number;
}

/** Everything findThemes found. Plain JSON; key order is fixed. */
export interface ThemesResult {
  k: number;
  seed: number;
  /** Themes in id order. Ids are stable across updates, so after one a vanished id leaves a gap. */
  themes: Theme[];
  /** Theme id per row of embeddings.ids; -1 = outlier. */
  assignment: number[];
  /** Broad areas, each a group of themes (the level above themes). */
  areas: Area[];
  /** Parts of the large themes, in parent order (the level below). */
  subThemes: SubTheme[];
  /** Theme sizes per year (indexed by theme id), for papers with a year; [] when none has one. */
  byYear: YearSizes[];
  /** Stability of the chosen k: mean adjusted Rand index between the probe partitions (seeds derived from these). */
  stability: { meanAri: number; seeds: number[] };
  /** Silhouette (cosine, full vectors, sampled) of the final partition. */
  silhouette: number;
  /** Stability of each k tried; [] when k was given or the themes were updated. */
  kScores: KScore[];
  origin: ThemesOrigin;
}

/**
 * Clusters the papers into themes: UMAP of the neighbour graph to `reducedDims` dimensions, k-means there with k chosen
 * by stability, every paper labelled, a tree of areas → themes → sub-themes. With `previous`, updates those themes so
 * that they stay put. Deterministic: the same embeddings, papers and options give the same result.
 */
export function findThemes(embeddings: Embeddings, papers: readonly Paper[], options?: Partial<ThemeOptions>): ThemesResult {
  const resolved = resolveOptions(THEME_DEFAULTS, options, CHECKS);
  const opts = resolved.threads === 0 && embeddings.ids.length < PARALLEL_THEMES_FROM ? { ...resolved, threads: 1 } : resolved;
  if (opts.kMin > opts.kMax) throw new PapermapError('BAD_OPTION', `option 'kMin' is ${opts.kMin}: expected at most kMax (${opts.kMax})`);
  const n = embeddings.ids.length;
  if (n < 3) throw new PapermapError('BAD_OPTION', `found ${n} papers: themes need at least 3`, undefined, 'ingest more papers');
  if (opts.k !== undefined && opts.k >= n) throw new PapermapError('BAD_OPTION', `option 'k' is ${opts.k}: expected fewer themes than papers (${n})`);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const papersByRow = embeddings.ids.map((id) => byId.get(id));
  const missing = embeddings.ids.find((id) => !byId.has(id));
  if (missing !== undefined) throw new PapermapError('PROJECT_STALE', `vector row '${missing}' has no paper`, undefined, 'run `papermap embed` to re-embed the current papers');
  const nNeighbors = Math.min(opts.nNeighbors, n - 1);
  const knn = opts.knn ? takeGraph(opts.knn, n, nNeighbors) : undefined;
  const rows = toRows(embeddings.vectors, embeddings.dims);
  const ids = embeddings.ids;
  const emergingMinSize = opts.emergingMinSize || Math.max(5, Math.ceil(0.005 * n));
  const previous = opts.refit ? undefined : opts.previous;

  let assignment: number[];
  let origin: ThemesOrigin;
  let kScores: KScore[] = [];
  let stability = { meanAri: 1, seeds: [] as number[] };
  const emergingRows = new Map<number, number[]>();
  const changed = new Set(opts.changedIds);
  const known = previous ? previousThemeOf(previous) : new Map<string, number>();
  const pendingShare = ids.filter((id) => changed.has(id) || !known.has(id)).length / n;
  if (previous && !opts.rematch && pendingShare <= opts.updateShare) {
    // New papers vote over the graph the themes were found on: with words blended in, the embedding's neighbours alone
    // would scatter them over the method families of their domain.
    const votes = opts.lexicalWeight > 0 ? hybridGraph(knn ?? exactGraph(rows, nNeighbors, opts.threads), rows, papersByRow, nNeighbors, opts.lexicalWeight) : knn;
    const update = updateThemes(previous, rows, ids, changed, votes, { emergingMinSize, seed: opts.seed, restarts: opts.restarts, nNeighbors });
    assignment = update.assignment;
    for (const [id, members] of update.emerging) emergingRows.set(id, members);
    origin = { mode: 'update', fitted: 0, emerging: [...update.emerging.keys()], vanished: update.vanished, keptPapers: 0, keptShare: 1 };
  } else {
    const fit = fitPartition(rows, ids, papersByRow, knn, opts, { kMin: options?.kMin !== undefined, kMax: options?.kMax !== undefined }, nNeighbors);
    kScores = fit.kScores;
    stability = fit.stability;
    if (previous) {
      const match = matchClusters(previous, rows, ids, fit.assignment, fit.k);
      assignment = fit.assignment.map((c) => match.idOf[c] as number);
      for (const id of match.emerging) emergingRows.set(id, assignment.flatMap((t, i) => (t === id && !known.has(ids[i] as string) ? [i] : [])));
      origin = { mode: 'rematch', fitted: fit.fitted, emerging: match.emerging, vanished: match.vanished, keptPapers: 0, keptShare: 1 };
    } else {
      assignment = fit.assignment;
      origin = { mode: 'fit', fitted: fit.fitted, emerging: [], vanished: [], keptPapers: 0, keptShare: 1 };
    }
  }
  if (previous) {
    let kept = 0;
    let same = 0;
    ids.forEach((id, i) => {
      const t = known.get(id);
      if (t === undefined) return;
      kept++;
      if (assignment[i] === t) same++;
    });
    origin.keptPapers = kept;
    origin.keptShare = kept ? Math.round((same / kept) * 1e4) / 1e4 : 1;
  }
  opts.onProgress?.(1, 2);

  // Themes in id order; `position` maps an id to its place in that order (ids have gaps after an update).
  const themeIds = [...new Set(assignment.filter((t) => t >= 0))].sort((a, b) => a - b);
  const position = new Map(themeIds.map((id, p) => [id, p]));
  const positions = assignment.map((t) => (t >= 0 ? (position.get(t) as number) : -1));
  const centroids = centroidsOf(rows, positions, themeIds.length);
  const finalPositions = opts.outliers ? markOutliers(rows, positions, centroids, opts.outlierZ) : positions;
  const finalAssignment = finalPositions.map((p) => (p >= 0 ? (themeIds[p] as number) : -1));
  const members = themeIds.map(() => [] as number[]);
  finalPositions.forEach((p, i) => p >= 0 && (members[p] as number[]).push(i));
  const ranked = members.map((m, p) => rankByCentroid(rows, ids, m, centroids[p] as number[]));

  const named = labelCorpus(papersByRow, ranked, themeIds, opts);
  const labelOptions = { topTerms: opts.topTerms, cohesion: opts.labelCohesion, maxDocShare: opts.maxDocShare };
  const labels = labelGroups(named.vocab, ranked.map((r) => named.docsOf(r)).map((d) => ({ docs: d, central: d })), labelOptions);
  const previousById = new Map((previous?.themes ?? []).map((t) => [t.id, t]));
  const themes: Theme[] = themeIds.map((id, p) => {
    const r = ranked[p] as number[];
    const before = previousById.get(id);
    const formed = emergingRows.get(id);
    return {
      id,
      // A theme that survives keeps its name, unless the themes are re-made by a newer algorithm (rematch).
      label: (opts.rematch ? undefined : before?.label) ?? labels[p]?.label ?? '',
      terms: labels[p]?.terms ?? [],
      size: r.length,
      paperIds: r.map((i) => ids[i] as string),
      representativeIds: r.slice(0, opts.representatives).map((i) => ids[i] as string),
      colour: before?.colour ?? colourOf(id),
      ...(formed ? { emerging: true, formedBy: formed.map((i) => ids[i] as string).sort() } : {}),
    };
  });

  const sample = distanceSample(rows, opts.sampleSize, opts.seed);
  const areas = buildAreas(centroids, finalPositions, sample, named, ranked, themeIds, opts.maxAreas, labelOptions);
  const subThemes = buildSubThemes(rows, ids, themes, ranked, named, opts, labelOptions);
  opts.onProgress?.(2, 2);
  return {
    k: themeIds.length,
    seed: opts.seed,
    themes,
    assignment: finalAssignment,
    areas,
    subThemes,
    byYear: sizesByYear(papersByRow, finalAssignment, (themeIds[themeIds.length - 1] ?? -1) + 1),
    stability,
    silhouette: round6(silhouette(sample, finalPositions)),
    kScores,
    origin,
  };
}

/** A fresh partition into clusters 0..k-1 (largest first): UMAP of the fitted papers, k by stability, k-means, extension. */
function fitPartition(
  rows: readonly number[][],
  ids: readonly string[],
  papers: readonly (Paper | undefined)[],
  knn: NeighbourGraph | undefined,
  opts: Readonly<ThemeOptions>,
  given: { kMin: boolean; kMax: boolean },
  nNeighbors: number,
): { assignment: number[]; k: number; kScores: KScore[]; stability: { meanAri: number; seeds: number[] }; fitted: number } {
  const n = rows.length;
  // The fitted papers are chosen by id, not by the seed: which 6,000 of 15,000 arXiv papers were fitted moved the
  // chosen partition more than the layouts did (seeds 42–44 all chose k 8; their themes agreed at ARI 0.55–0.66), and a
  // sample by id keeps ~99 % of its papers when the corpus grows by 1 %.
  const fitRows = idSample(ids, opts.fitSample);
  const whole = fitRows.length === n;
  const fitVectors = whole ? rows : fitRows.map((i) => rows[i] as number[]);
  let space = fitVectors;
  let layouts = [fitVectors];
  if (opts.reducedDims) {
    const dense = whole && knn ? knn : exactGraph(fitVectors, nNeighbors, opts.threads);
    const graph = hybridGraph(dense, fitVectors, whole ? papers : fitRows.map((i) => papers[i]), nNeighbors, opts.lexicalWeight);
    layouts = umapReduce(graph, opts.reducedDims, Array.from({ length: opts.layouts }, (_, l) => (l ? deriveSeed(opts.seed, 300 + l) : opts.seed)), opts.layoutEpochs, opts.threads);
    space = layouts.length === 1 ? (layouts[0] as number[][]) : fitVectors.map((_, i) => layouts.flatMap((y) => y[i] as number[]));
  }
  // Defaults that suit thousands of papers would force many themes onto twenty; given values are kept as they are.
  const m = fitVectors.length;
  const range = {
    kMin: opts.k ?? (given.kMin ? opts.kMin : Math.min(opts.kMin, Math.max(2, Math.round(Math.sqrt(m / 8))))),
    kMax: opts.k ?? Math.min(given.kMax ? opts.kMax : Math.min(opts.kMax, Math.max(2, Math.round(Math.sqrt(m / 2)))), m - 1),
  };
  range.kMin = Math.min(range.kMin, range.kMax);
  const chosen = chooseKByStability(layouts, range, opts.seed, { probes: opts.kProbes, tolerance: opts.kTolerance, threads: opts.threads, probeRows: opts.kProbeRows }, (done, total) => opts.onProgress?.(done / (total + 1), 2));
  const partition = kmeansBestOnThreads(space, chosen.k, opts.seed, opts.restarts, opts.threads);
  let assignment = partition.assignment;
  if (!whole) assignment = extend(rows, fitRows, partition.assignment, partition.k, knn);
  const canonical = canonicalise({ ...partition, assignment }, rows);
  const score = chosen.scores.find((s) => s.k === chosen.k)?.stability ?? 1;
  return {
    assignment: canonical.assignment,
    k: canonical.k,
    kScores: opts.k === undefined ? chosen.scores : [],
    stability: { meanAri: score, seeds: Array.from({ length: opts.kProbes }, (_, p) => deriveSeed(opts.seed, 2000 + p)) },
    fitted: m,
  };
}

/**
 * Clusters for the papers not fitted: each takes the cluster most of its graph neighbours already hold (weighted by
 * similarity, in rounds, so a paper whose neighbours were not fitted either follows them once they are placed), and
 * one with no placed neighbour after three rounds, or with no graph at all, the cluster whose centre is nearest.
 */
function extend(rows: readonly number[][], fitRows: readonly number[], fitted: readonly number[], k: number, knn: NeighbourGraph | undefined): number[] {
  const out = new Array<number>(rows.length).fill(-1);
  fitRows.forEach((i, j) => (out[i] = fitted[j] as number));
  const centres = centroidsOf(rows, out, k);
  if (knn) {
    for (let round = 0; round < 3; round++) {
      const next = [...out];
      let placed = 0;
      for (let i = 0; i < rows.length; i++) {
        if ((out[i] as number) >= 0) continue;
        const votes = new Float64Array(k);
        let any = false;
        (knn.indices[i] as number[]).forEach((j, c) => {
          const t = out[j] as number;
          if (t < 0) return;
          votes[t] = (votes[t] as number) + 1 - ((knn.distances[i] as number[])[c] as number);
          any = true;
        });
        if (!any) continue;
        let best = 0;
        for (let t = 1; t < k; t++) if ((votes[t] as number) > (votes[best] as number)) best = t;
        next[i] = best;
        placed++;
      }
      for (let i = 0; i < out.length; i++) out[i] = next[i] as number;
      if (!placed) break;
    }
  }
  for (let i = 0; i < rows.length; i++) if ((out[i] as number) < 0) out[i] = nearest(rows[i] as number[], centres);
  return out;
}

/** The documents theme names are counted on: a vocabulary of the labelled papers and the documents of a list of rows. */
interface LabelCorpus {
  vocab: Vocabulary;
  /** The documents of the rows that were labelled, in the rows' order (all of them up to `labelSample` papers). */
  docsOf(rows: readonly number[]): number[];
  /** Documents in the vocabulary. */
  size: number;
}

/**
 * The vocabulary names are taken from: every paper up to `labelSample` papers; above it, from each theme a seeded
 * sample of its members in proportion (labelSample / n, at least LABEL_MIN_PER_THEME or the whole theme), so small
 * themes keep all their papers. Names count documents (labels.ts), so shares estimated on ~20,000 papers name the same
 * terms as all of them, at a fifth of the vocabulary's time and memory at 100,000 papers.
 */
function labelCorpus(papersByRow: readonly (Paper | undefined)[], ranked: readonly number[][], themeIds: readonly number[], opts: Readonly<ThemeOptions>): LabelCorpus {
  const n = papersByRow.length;
  const textOf = (row: number): string => {
    const p = papersByRow[row];
    return p ? `${p.title ?? ''}. ${p.abstract}` : '';
  };
  if (n <= opts.labelSample) return { vocab: buildVocabulary(papersByRow.map((_, row) => textOf(row))), docsOf: (rows) => [...rows], size: n };
  const rate = opts.labelSample / n;
  const kept: number[] = [];
  ranked.forEach((members, p) => {
    const take = Math.min(members.length, Math.max(LABEL_MIN_PER_THEME, Math.ceil(rate * members.length)));
    for (const at of seededSubsample(members.length, take, deriveSeed(opts.seed, 4000 + (themeIds[p] as number)))) kept.push(members[at] as number);
  });
  kept.sort((a, b) => a - b);
  const docOf = new Int32Array(n).fill(-1);
  kept.forEach((row, d) => (docOf[row] = d));
  return {
    vocab: buildVocabulary(kept.map(textOf)),
    docsOf: (rows) => rows.flatMap((row) => ((docOf[row] as number) >= 0 ? [docOf[row] as number] : [])),
    size: kept.length,
  };
}

/** Fewest papers of a theme its name is counted on when the names are counted on a sample (labelCorpus). */
const LABEL_MIN_PER_THEME = 100;

/** Areas over the themes (positions in `ranked`), each labelled once. */
function buildAreas(
  centroids: readonly number[][],
  positions: readonly number[],
  sample: ReturnType<typeof distanceSample>,
  named: LabelCorpus,
  ranked: readonly number[][],
  themeIds: readonly number[],
  maxAreas: number,
  labelOptions: { topTerms: number; cohesion: number; maxDocShare: number },
): Area[] {
  const groups = groupAreas(centroids, positions, sample, maxAreas);
  // An area's central papers: the most central papers of its themes, taken in turn.
  const groupDocs = groups.map((g) => ({ docs: g.flatMap((p) => named.docsOf(ranked[p] as number[])), central: interleave(g.map((p) => named.docsOf(ranked[p] as number[])), 10) }));
  const labels = labelGroups(named.vocab, groupDocs, labelOptions);
  return groups.map((g, id) => ({ id, label: labels[id]?.label ?? '', themeIds: g.map((p) => themeIds[p] as number).sort((a, b) => a - b), size: g.reduce((s, p) => s + (ranked[p] as number[]).length, 0) }));
}

/** The sub-themes of the large themes, each parent's parts labelled once against their siblings. */
function buildSubThemes(
  rows: readonly number[][],
  ids: readonly string[],
  themes: readonly Theme[],
  ranked: readonly number[][],
  named: LabelCorpus,
  opts: Readonly<ThemeOptions>,
  labelOptions: { topTerms: number; cohesion: number; maxDocShare: number },
): SubTheme[] {
  const splits = splitThemes(rows, ids, themes.map((t, p) => ({ id: t.id, members: ranked[p] as number[] })), {
    minSize: opts.subThemeMinSize,
    seed: opts.seed,
    restarts: opts.subThemeRestarts,
    sampleSize: opts.subThemeSample,
    threads: opts.threads,
  });
  const avgTheme = named.size / Math.max(1, themes.length);
  return splits.flatMap((split) => {
    const labels = labelGroups(named.vocab, split.parts.map((part) => named.docsOf(part)).map((d) => ({ docs: d, central: d })), { ...labelOptions, outerAvgSize: avgTheme });
    return split.parts.map((part, s) => ({
      parentId: split.parentId,
      id: s,
      label: labels[s]?.label ?? '',
      terms: labels[s]?.terms ?? [],
      size: part.length,
      paperIds: part.map((i) => ids[i] as string),
      representativeIds: part.slice(0, opts.representatives).map((i) => ids[i] as string),
    }));
  });
}

/** Up to `count` items taken from the lists in turn (first of each, then second of each, …). */
function interleave(lists: readonly number[][], count: number): number[] {
  const out: number[] = [];
  for (let r = 0; out.length < count && lists.some((l) => l.length > r); r++) for (const l of lists) if (l.length > r && out.length < count) out.push(l[r] as number);
  return out;
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
