// The year filter and "colour by year": which points show, and in which colour, recomputed only when a filter changes.

import type { MapData } from './data.js';
import { YEAR_STEPS } from './draw.js';

/** The filters the page applies on top of the legend's themes. */
export interface Filters {
  /** Inclusive year range; a range narrower than the data's hides papers of unknown year. */
  yearFrom: number;
  yearTo: number;
  colourByYear: boolean;
}

/** Oldest and newest known year (0, 0 when no paper has a year). */
export function yearBounds(data: MapData): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const y of data.years) {
    if (y > 0) {
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** True when the year range leaves out some known years. */
export function yearFilterActive(data: MapData, filters: Filters): boolean {
  const { min, max } = yearBounds(data);
  return filters.yearFrom > min || filters.yearTo < max;
}

/** Fills `visible` (1 per shown point) from the themes switched on and the year range; returns how many show. */
export function computeVisible(data: MapData, themeOn: Uint8Array, filters: Filters, visible: Uint8Array): number {
  const active = yearFilterActive(data, filters);
  const noTheme = data.themes.length;
  let count = 0;
  for (let i = 0; i < data.count; i++) {
    const t = data.theme[i] as number;
    let on = themeOn[t < 0 ? noTheme : t] === 1;
    if (on && active) {
      const y = data.years[i] as number;
      on = y >= filters.yearFrom && y <= filters.yearTo;
    }
    visible[i] = on ? 1 : 0;
    count += visible[i] as number;
  }
  return count;
}

/** Fills `colour` with each point's palette entry: its theme, or its year's step on the ramp when colouring by year. */
export function computeColours(data: MapData, filters: Filters, colour: Uint16Array): void {
  const noTheme = data.themes.length;
  const { min, max } = yearBounds(data);
  const span = Math.max(1, max - min);
  for (let i = 0; i < data.count; i++) {
    const t = data.theme[i] as number;
    const y = data.years[i] as number;
    if (filters.colourByYear) colour[i] = y > 0 ? noTheme + 1 + Math.round(((y - min) / span) * (YEAR_STEPS - 1)) : noTheme;
    else colour[i] = t < 0 ? noTheme : t;
  }
}
