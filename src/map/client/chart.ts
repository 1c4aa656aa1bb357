// Themes over time: papers per theme per year as one line per theme (BERTopic's topics-over-time), clickable.

import type { MapData } from './data.js';
import { el } from './dom.js';
import { yearBounds } from './filter.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Themes drawn, largest first; the rest would only tangle the lines. */
const CHART_THEMES = 12;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Papers per year for each theme index: counts[t][year − min]. */
export function themeCounts(data: MapData): { min: number; max: number; counts: number[][] } {
  const { min, max } = yearBounds(data);
  const counts = data.themes.map(() => new Array<number>(Math.max(0, max - min + 1)).fill(0));
  for (let i = 0; i < data.count; i++) {
    const t = data.theme[i] as number;
    const y = data.years[i] as number;
    const row = counts[t];
    if (row && y > 0) row[y - min] = (row[y - min] as number) + 1;
  }
  return { min, max, counts };
}

/**
 * Builds the chart into `box`: an SVG of lines (x: year, y: papers) and a row of theme buttons. Clicking a line or a
 * button calls onPick with the theme index (the same theme again: −1, none).
 */
export function buildChart(box: HTMLElement, data: MapData, onPick: (theme: number) => void): (focus: number) => void {
  const { min, max, counts } = themeCounts(data);
  const order = data.themes.map((_, t) => t).sort((a, b) => (data.themes[b]?.size ?? 0) - (data.themes[a]?.size ?? 0) || a - b).slice(0, CHART_THEMES);
  const W = 520;
  const H = 170;
  const pad = { l: 34, r: 10, t: 10, b: 22 };
  const peak = Math.max(1, ...order.flatMap((t) => counts[t] ?? []));
  const xOf = (y: number) => pad.l + (max > min ? ((y - min) / (max - min)) * (W - pad.l - pad.r) : (W - pad.l - pad.r) / 2);
  const yOf = (c: number) => H - pad.b - (c / peak) * (H - pad.t - pad.b);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'Papers per theme per year' });
  chart.append(svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, stroke: '#bbb' }));
  for (const y of [min, Math.round((min + max) / 2), max]) {
    const label = svg('text', { x: xOf(y), y: H - 6, 'text-anchor': 'middle', 'font-size': 10, fill: '#5f6368' });
    label.textContent = String(y);
    chart.append(label);
  }
  const top = svg('text', { x: pad.l - 4, y: pad.t + 8, 'text-anchor': 'end', 'font-size': 10, fill: '#5f6368' });
  top.textContent = String(peak);
  chart.append(top);
  const lines = new Map<number, SVGPolylineElement>();
  for (const t of order) {
    const row = counts[t] ?? [];
    const points = row.map((c, k) => `${xOf(min + k).toFixed(1)},${yOf(c).toFixed(1)}`).join(' ');
    const line = svg('polyline', { points, fill: 'none', stroke: data.themes[t]?.color ?? '#888', 'stroke-width': 2, 'data-theme': t });
    line.style.cursor = 'pointer';
    const title = svg('title', {});
    title.textContent = data.themes[t]?.label ?? '';
    line.append(title);
    line.addEventListener('click', () => onPick(t));
    lines.set(t, line);
    chart.append(line);
  }
  const chips = el('div', 'chart-themes');
  const buttons = new Map<number, HTMLButtonElement>();
  for (const t of order) {
    const theme = data.themes[t];
    const button = el('button', 'chart-theme');
    button.type = 'button';
    button.dataset.theme = String(t);
    button.title = theme?.label ?? '';
    const swatch = el('span', 'swatch');
    swatch.style.background = theme?.color ?? '#888';
    button.append(swatch, el('span', '', theme?.label.split(' · ')[0] ?? ''));
    button.addEventListener('click', () => onPick(t));
    buttons.set(t, button);
    chips.append(button);
  }
  box.replaceChildren(el('div', 'chart-head', 'Papers per theme per year'), chart, chips);
  return (focus: number) => {
    for (const [t, line] of lines) {
      line.setAttribute('stroke-width', t === focus ? '3.5' : '2');
      line.setAttribute('opacity', focus < 0 || t === focus ? '1' : '0.25');
    }
    for (const [t, button] of buttons) button.setAttribute('aria-pressed', t === focus ? 'true' : 'false');
  };
}
