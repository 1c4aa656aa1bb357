// Themes over time: how many papers of each theme appeared in each year, for papers whose year is known.

import type { Paper } from '../records.js';

/** Theme sizes in one year. */
export interface YearSizes {
  year: number;
  /** Papers of that year in theme i, indexed by theme id. */
  sizes: number[];
  /** Papers of that year marked as outliers. */
  outliers: number;
}

/** The year of a paper: its `year`, else the first four digits of its `date`. */
export function yearOf(paper: Paper | undefined): number | undefined {
  if (!paper) return undefined;
  if (paper.year !== undefined && Number.isInteger(paper.year)) return paper.year;
  const match = paper.date ? /^(\d{4})/.exec(paper.date) : null;
  return match ? Number(match[1]) : undefined;
}

/** Counts per year (ascending) and theme; years with no dated paper are absent, so an undated corpus gives []. */
export function sizesByYear(papersByRow: readonly (Paper | undefined)[], assignment: readonly number[], k: number): YearSizes[] {
  const byYear = new Map<number, YearSizes>();
  papersByRow.forEach((paper, i) => {
    const year = yearOf(paper);
    if (year === undefined) return;
    const entry = byYear.get(year) ?? { year, sizes: new Array<number>(k).fill(0), outliers: 0 };
    const theme = assignment[i] as number;
    if (theme < 0) entry.outliers++;
    else entry.sizes[theme] = (entry.sizes[theme] as number) + 1;
    byYear.set(year, entry);
  });
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}
