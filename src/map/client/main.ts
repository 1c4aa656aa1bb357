// The map page's client: reads the embedded data, draws it, and wires zoom, pan, hover, click, search, the legend,
// the year filter, box and lasso selection, downloads, the themes-over-time chart and the state in the URL hash.

import { buildChart } from './chart.js';
import { DATA_ELEMENT_ID, type MapData } from './data.js';
import { byId } from './dom.js';
import { downloadFormats, downloadPapers, exportText } from './download.js';
import { drawLabels, drawMarks, drawnLabels, drawnTitles, drawPoints, makePalette, screenOf, yearCss, type DrawState } from './draw.js';
import { computeColours, computeVisible, yearBounds, yearFilterActive, type Filters } from './filter.js';
import { buildGrid, nearestPoint } from './grid.js';
import { readHash, writeHash } from './hash.js';
import { buildLegend, setAllThemes } from './legend.js';
import { showPaper, showResults, showSelection, storedRelated, titleOf, type SemanticHit } from './panel.js';
import { canSearchLive, offlineOpenMs, offlineReady, offlineRelated, offlineSemantic, prepareOffline, semanticSearch, textMatches } from './search.js';
import { drawShape, pointsInShape, type Shape } from './select.js';
import { centreOn, fitView, zoomAt, type View } from './view.js';

const data = JSON.parse(byId(DATA_ELEMENT_ID).textContent ?? '{}') as MapData;
const canvas = byId<HTMLCanvasElement>('map-canvas');
const ctx = canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
const tooltip = byId('tooltip');
const panel = byId('panel');
const legend = byId('legend-list');
const searchBox = byId<HTMLInputElement>('search');
const searchStatus = byId('search-status');
const yearFrom = byId<HTMLInputElement>('year-from');
const yearTo = byId<HTMLInputElement>('year-to');
const colourYear = byId<HTMLInputElement>('colour-year');
const chartBox = byId('chart');

const palette = makePalette(data);
const grid = buildGrid(data.x, data.y);
const indexOf = new Map(data.ids.map((id, i) => [id, i]));
const bounds = yearBounds(data);
const filters: Filters = { yearFrom: bounds.min, yearTo: bounds.max, colourByYear: false };
const state: DrawState = {
  themeOn: new Uint8Array(data.themes.length + 1).fill(1),
  visible: new Uint8Array(data.count).fill(1),
  colour: new Uint16Array(data.count),
  highlight: null,
  hovered: -1,
  selected: -1,
  related: [],
};
const view: View = { scale: 1, tx: 0, ty: 0, width: 1, height: 1, dpr: 1, fitScale: 1 };
let image: ImageData | null = null;
let pending = false;
let lastMatches: number[] = [];
let lastSemantic: SemanticHit[] | null = null;
/** The current box, lasso or theme selection, or null. */
let selection: { heading: string; name: string; indices: number[] } | null = null;
let focusTheme = -1;
let tool: 'pan' | 'box' | 'lasso' = 'pan';
let shape: Shape | null = null;
let lastRenderMs = 0;
let lastOfflineMs = 0;

yearFrom.min = yearTo.min = String(bounds.min);
yearFrom.max = yearTo.max = String(bounds.max);
yearFrom.value = String(bounds.min);
yearTo.value = String(bounds.max);

/** Width the legend covers on the left, kept clear when fitting the map. */
function legendWidth(): number {
  const box = byId('legend').getBoundingClientRect();
  return window.innerWidth > 900 ? box.right : 0;
}

/** Right edge of the map area not under the panel. */
function clearRight(): number {
  return panel.hidden || window.innerWidth <= 900 ? view.width : panel.getBoundingClientRect().left;
}

function resize(first: boolean): void {
  view.dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const width = window.innerWidth;
  const height = window.innerHeight;
  const cx = (view.width / 2 - view.tx) / view.scale;
  const cy = (view.height / 2 - view.ty) / view.scale;
  const zoom = view.scale / view.fitScale;
  view.width = width;
  view.height = height;
  canvas.width = Math.round(width * view.dpr);
  canvas.height = Math.round(height * view.dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  image = ctx.createImageData(canvas.width, canvas.height);
  fitView(view, legendWidth());
  if (!first) {
    view.scale *= zoom;
    centreOn(view, cx, cy);
  }
  redraw();
}

function render(): void {
  pending = false;
  if (!image) return;
  const t0 = performance.now();
  drawPoints(image, data, view, state, palette);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  drawMarks(ctx, data, view, state);
  drawLabels(ctx, data, view, state, legendWidth(), clearRight());
  if (shape) drawShape(ctx, shape);
  lastRenderMs = performance.now() - t0;
}

function redraw(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(render);
  scheduleHash();
}

/** Recomputes which points show and their colours after a legend, year or colouring change. */
function refilter(): void {
  computeVisible(data, state.themeOn, filters, state.visible);
  computeColours(data, filters, state.colour);
  byId('bar').classList.toggle('year-colours', filters.colourByYear);
  redraw();
}

function visible(i: number): boolean {
  return state.visible[i] === 1;
}

/** The visible point under a CSS-pixel position, within 10 px, or −1. */
function pointAt(sx: number, sy: number): number {
  const px = (sx - view.tx) / view.scale;
  const py = (sy - view.ty) / view.scale;
  return nearestPoint(grid, data.x, data.y, px, py, 10 / view.scale, visible);
}

function hover(i: number, sx: number, sy: number): void {
  if (i !== state.hovered) {
    state.hovered = i;
    redraw();
  }
  if (i < 0) {
    tooltip.hidden = true;
    return;
  }
  tooltip.textContent = titleOf(data, i);
  tooltip.hidden = false;
  const box = tooltip.getBoundingClientRect();
  tooltip.style.left = `${Math.min(sx + 14, view.width - box.width - 8)}px`;
  tooltip.style.top = `${Math.min(sy + 14, view.height - box.height - 8)}px`;
}

function closePanel(): void {
  state.selected = -1;
  selection = null;
  if (!searchBox.value.trim()) state.highlight = null;
  panel.hidden = true;
  redraw();
}

/** Pans so point i sits in the clear part of the map (not under the panel or the legend), when it is not already. */
function keepInView(i: number): void {
  const p = screenOf(data, view, i);
  const left = legendWidth() + 30;
  const right = clearRight() - 30;
  if (p.x < left || p.y < 40 || p.x > right || p.y > view.height - 40) {
    view.tx += (left + right) / 2 - p.x;
    view.ty += view.height / 2 - p.y;
  }
}

/** Marks paper i selected and lists it in the panel with its related papers: ranked in the page when it can, else stored. */
function showSelected(i: number): void {
  state.selected = i;
  tooltip.hidden = true;
  const hits = offlineRelated(data, i, data.relatedK, indexOf) ?? storedRelated(data, i);
  state.related = hits.map((h) => h.index);
  showPaper(panel, data, i, hits, (j) => select(j), closePanel);
}

function select(i: number): void {
  showSelected(i);
  keepInView(i);
  redraw();
}

/** Shows a set of papers in the panel with download buttons, and highlights them on the map. */
function showSet(heading: string, name: string, indices: number[]): void {
  selection = { heading, name, indices };
  state.selected = -1;
  const flags = new Uint8Array(data.count);
  for (const i of indices) flags[i] = 1;
  state.highlight = flags;
  showSelection(panel, data, heading, indices, downloadFormats(), (format) => downloadPapers(data, indices, format, name), (j) => select(j), closePanel);
  redraw();
}

function setTool(next: 'pan' | 'box' | 'lasso'): void {
  tool = next;
  for (const name of ['pan', 'box', 'lasso']) byId(`tool-${name}`).setAttribute('aria-pressed', name === next ? 'true' : 'false');
  canvas.classList.toggle('selecting', next !== 'pan');
}
byId('tool-pan').addEventListener('click', () => setTool('pan'));
byId('tool-box').addEventListener('click', () => setTool('box'));
byId('tool-lasso').addEventListener('click', () => setTool('lasso'));

// Zoom with the wheel about the cursor; pan by dragging; box or lasso by dragging in those modes (or shift / alt); a
// press that barely moves is a click.
canvas.addEventListener('wheel', (event) => {
  event.preventDefault();
  zoomAt(view, event.offsetX, event.offsetY, Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)));
  redraw();
}, { passive: false });

let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; mode: 'pan' | 'box' | 'lasso' } | null = null;
canvas.addEventListener('pointerdown', (event) => {
  const mode = event.shiftKey ? 'box' : event.altKey ? 'lasso' : tool;
  drag = { x: event.offsetX, y: event.offsetY, tx: view.tx, ty: view.ty, moved: false, mode };
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener('pointermove', (event) => {
  if (drag) {
    const dx = event.offsetX - drag.x;
    const dy = event.offsetY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      tooltip.hidden = true;
      if (drag.mode === 'pan') {
        view.tx = drag.tx + dx;
        view.ty = drag.ty + dy;
        canvas.classList.add('dragging');
      } else if (drag.mode === 'box') shape = { kind: 'box', x0: drag.x, y0: drag.y, x1: event.offsetX, y1: event.offsetY };
      else {
        if (!shape || shape.kind !== 'lasso') shape = { kind: 'lasso', points: [drag.x, drag.y] };
        shape.points.push(event.offsetX, event.offsetY);
      }
      redraw();
      return;
    }
  }
  hover(pointAt(event.offsetX, event.offsetY), event.offsetX, event.offsetY);
});
canvas.addEventListener('pointerup', (event) => {
  const done = drag;
  drag = null;
  canvas.classList.remove('dragging');
  if (done && done.moved && shape) {
    const picked = pointsInShape(data, view, state.visible, shape);
    const kind = shape.kind;
    shape = null;
    showSet(`${kind === 'box' ? 'Box' : 'Lasso'} selection`, 'papermap-selection', picked);
    return;
  }
  if (!done || done.moved) return;
  const i = pointAt(event.offsetX, event.offsetY);
  if (i >= 0) select(i);
  else closePanel();
});
canvas.addEventListener('pointerleave', () => hover(-1, 0, 0));

byId('zoom-in').addEventListener('click', () => {
  zoomAt(view, view.width / 2, view.height / 2, 1.6);
  redraw();
});
byId('zoom-out').addEventListener('click', () => {
  zoomAt(view, view.width / 2, view.height / 2, 1 / 1.6);
  redraw();
});
byId('zoom-reset').addEventListener('click', () => {
  fitView(view, legendWidth());
  redraw();
});

// Years: the inputs bound the range (swapped if crossed); "colour by year" recolours every point on a ramp.
function applyYears(): void {
  const a = Number(yearFrom.value) || bounds.min;
  const b = Number(yearTo.value) || bounds.max;
  filters.yearFrom = Math.max(bounds.min, Math.min(a, b));
  filters.yearTo = Math.min(bounds.max, Math.max(a, b));
  refilter();
}
yearFrom.addEventListener('change', applyYears);
yearTo.addEventListener('change', applyYears);
colourYear.addEventListener('change', () => {
  filters.colourByYear = colourYear.checked;
  refilter();
});
byId('bar').style.setProperty('--year-ramp', `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map(yearCss).join(', ')})`);

// Search: text matches at once, matches by meaning from the page's own table at once (when it has one), replaced by
// the server's when one answers; all are highlighted.
let searchTimer = 0;
let inFlight: AbortController | null = null;
function applySearch(): void {
  const query = searchBox.value.trim().slice(0, 500);
  inFlight?.abort();
  inFlight = null;
  if (query.length < 2) {
    state.highlight = null;
    lastMatches = [];
    lastSemantic = null;
    searchStatus.textContent = '';
    if (state.selected < 0 && !selection) panel.hidden = true;
    redraw();
    return;
  }
  lastMatches = textMatches(data, query);
  lastSemantic = null;
  selection = null;
  const paint = () => {
    const flags = new Uint8Array(data.count);
    for (const i of lastMatches) flags[i] = 1;
    for (const hit of lastSemantic ?? []) flags[hit.index] = 1;
    state.highlight = flags;
    const parts = [`${lastMatches.length} match${lastMatches.length === 1 ? '' : 'es'}`];
    if (lastSemantic) parts.push(`${lastSemantic.length} by meaning`);
    searchStatus.textContent = parts.join(' · ');
    state.selected = -1;
    showResults(panel, data, query, lastMatches, lastSemantic, (j) => select(j), closePanel);
    redraw();
  };
  const t0 = performance.now();
  lastSemantic = offlineSemantic(data, query, 20, indexOf);
  lastOfflineMs = performance.now() - t0;
  paint();
  if (canSearchLive()) {
    const controller = new AbortController();
    inFlight = controller;
    void semanticSearch(query, 20, indexOf, controller.signal).then((hits) => {
      if (controller.signal.aborted || !hits) return;
      lastSemantic = hits;
      paint();
    });
  }
}
searchBox.addEventListener('input', () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(applySearch, 150);
});
searchBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    window.clearTimeout(searchTimer);
    applySearch();
  } else if (event.key === 'Escape') {
    searchBox.value = '';
    applySearch();
  }
});

buildLegend(legend, data, state.themeOn, refilter);
byId('legend-all').addEventListener('click', () => {
  const anyOff = state.themeOn.includes(0);
  setAllThemes(legend, state.themeOn, anyOff);
  refilter();
});

// Themes over time: picking a theme highlights its papers and lists them with downloads; picking it again clears.
function pickTheme(t: number): void {
  focusTheme = focusTheme === t ? -1 : t;
  setChartFocus(focusTheme);
  if (focusTheme < 0) {
    closePanel();
    return;
  }
  const members: number[] = [];
  for (let i = 0; i < data.count; i++) if (data.theme[i] === focusTheme && state.visible[i]) members.push(i);
  const label = data.themes[focusTheme]?.label ?? '';
  showSet(`Theme: ${label}`, `papermap-theme-${label.split(' · ')[0] ?? focusTheme}`, members);
}
const setChartFocus = buildChart(chartBox, data, pickTheme);
byId('chart-toggle').addEventListener('click', () => {
  chartBox.hidden = !chartBox.hidden;
  byId('chart-toggle').setAttribute('aria-pressed', chartBox.hidden ? 'false' : 'true');
});

// The URL hash follows the view (replaceState, so the back button is not flooded) and is read once at start.
let hashTimer = 0;
function currentHash(): string {
  const zoom = view.scale / view.fitScale;
  const cx = (view.width / 2 - view.tx) / view.scale;
  const cy = (view.height / 2 - view.ty) / view.scale;
  return writeHash({
    ...(state.selected >= 0 ? { paper: data.ids[state.selected] } : {}),
    ...(searchBox.value.trim() ? { search: searchBox.value.trim() } : {}),
    ...(yearFilterActive(data, filters) ? { yearFrom: filters.yearFrom, yearTo: filters.yearTo } : {}),
    ...(filters.colourByYear ? { colourByYear: true } : {}),
    ...(focusTheme >= 0 ? { theme: focusTheme } : {}),
    ...(movedFromFit() ? { zoom: { z: zoom, x: cx, y: cy } } : {}),
  });
}
/** True when the view differs from the fitted whole map (by more than a pixel). */
function movedFromFit(): boolean {
  const fit: View = { ...view };
  fitView(fit, legendWidth());
  return Math.abs(fit.tx - view.tx) > 1 || Math.abs(fit.ty - view.ty) > 1 || Math.abs(fit.scale - view.scale) > 1e-6 * fit.scale;
}
function scheduleHash(): void {
  window.clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => {
    const hash = currentHash();
    if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
  }, 250);
}

function applyHash(): void {
  const saved = readHash(location.hash);
  if (saved.yearFrom !== undefined && saved.yearTo !== undefined) {
    yearFrom.value = String(saved.yearFrom);
    yearTo.value = String(saved.yearTo);
    applyYears();
  }
  if (saved.colourByYear) {
    colourYear.checked = true;
    filters.colourByYear = true;
    refilter();
  }
  if (saved.zoom) {
    view.scale = view.fitScale * Math.min(400, Math.max(0.5, saved.zoom.z));
    centreOn(view, saved.zoom.x, saved.zoom.y);
  }
  if (saved.search) {
    searchBox.value = saved.search;
    applySearch();
  }
  if (saved.theme !== undefined && saved.theme < data.themes.length) pickTheme(saved.theme);
  const paper = saved.paper ? indexOf.get(saved.paper) : undefined;
  if (paper !== undefined) {
    showSelected(paper);
    if (!saved.zoom) keepInView(paper);
  }
  redraw();
}

window.addEventListener('resize', () => resize(false));
resize(true);
refilter();
applyHash();
// Open the offline search in small steps while the reader looks at the map, so the first query does not pay for it.
window.setTimeout(() => prepareOffline(data), 300);

/** A small read-only handle for tests, benches and poking at the map from the console. */
(window as unknown as { papermap: object }).papermap = {
  count: data.count,
  screenOf: (id: string) => {
    const i = indexOf.get(id);
    return i === undefined ? null : screenOf(data, view, i);
  },
  selected: () => (state.selected >= 0 ? data.ids[state.selected] : null),
  highlighted: () => (state.highlight ? state.highlight.reduce((sum, v) => sum + v, 0) : 0),
  visibleCount: () => state.visible.reduce((sum, v) => sum + v, 0),
  selection: () => (selection ? selection.indices.map((i) => data.ids[i]) : []),
  exportText: (ids: string[], format: string) => exportText(data, ids.map((id) => indexOf.get(id) ?? -1).filter((i) => i >= 0), format),
  drawnTitles: () => drawnTitles.map((i) => data.titles[i]),
  /** Every label drawn last frame (areas, themes, sub-themes, titles) with its box in CSS pixels. */
  drawnLabels: () => drawnLabels.map((l) => ({ level: l.level, text: l.text, box: [...l.box] })),
  zoom: () => view.scale / view.fitScale,
  lastRenderMs: () => lastRenderMs,
  /** Papers found by meaning for the current search (offline or served), best first. */
  meaningHits: () => (lastSemantic ?? []).map((h) => data.ids[h.index]),
  /** Milliseconds the last offline search by meaning took (including opening the table if it was not open yet). */
  lastOfflineMs: () => lastOfflineMs,
  /** Milliseconds of work opening the offline table took (tokenising the abstracts for BM25, decoding the vectors). */
  offlineOpenMs: () => offlineOpenMs,
  /** True once the offline table is open (the page opens it in the background from 300 ms after load). */
  offlineReady,
  yearBounds: () => bounds,
};
