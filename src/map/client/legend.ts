// The legend: one row per theme with its colour and size; clicking a row hides or shows that theme's points.

import type { MapData } from './data.js';
import { el } from './dom.js';

/** Builds the legend rows into `list`; `onChange` runs after any toggle. */
export function buildLegend(list: HTMLElement, data: MapData, themeOn: Uint8Array, onChange: () => void): void {
  const noTheme = data.count - data.themes.reduce((sum, t) => sum + t.size, 0);
  const rows = data.themes.map((t, index) => ({ index, label: t.label, color: t.color, size: t.size }));
  rows.sort((a, b) => b.size - a.size || a.index - b.index);
  if (noTheme > 0) rows.push({ index: data.themes.length, label: 'no theme', color: '#8a8a8a', size: noTheme });
  const items = rows.map((row) => {
    const item = el('li');
    const button = el('button', 'legend-row');
    button.type = 'button';
    button.dataset.theme = String(row.index);
    button.title = `${row.label} (${row.size} papers)`;
    button.setAttribute('aria-pressed', 'true');
    const swatch = el('span', 'swatch');
    swatch.style.background = row.color;
    button.append(swatch, el('span', 'legend-label', row.label), el('span', 'legend-size', String(row.size)));
    button.addEventListener('click', () => {
      themeOn[row.index] = themeOn[row.index] ? 0 : 1;
      button.setAttribute('aria-pressed', themeOn[row.index] ? 'true' : 'false');
      onChange();
    });
    item.append(button);
    return item;
  });
  list.replaceChildren(...items);
}

/** Turns every theme on (or off) and updates the rows. */
export function setAllThemes(list: HTMLElement, themeOn: Uint8Array, on: boolean): void {
  themeOn.fill(on ? 1 : 0);
  for (const button of Array.from(list.querySelectorAll('button.legend-row'))) button.setAttribute('aria-pressed', on ? 'true' : 'false');
}
