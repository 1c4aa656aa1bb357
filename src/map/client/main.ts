// The map page's client: reads the embedded data, draws it, and wires zoom, pan, hover, click, search and the legend.

import { DATA_ELEMENT_ID, type MapData } from './data.js';
import { byId } from './dom.js';
import { drawLabels, drawMarks, drawPoints, makePalette, screenOf, type DrawState } from './draw.js';
import { buildGrid, nearestPoint } from './grid.js';
import { buildLegend, setAllThemes } from './legend.js';
import { showPaper, showResults, titleOf, type SemanticHit } from './panel.js';
import { canSearchLive, semanticSearch, textMatches } from './search.js';
import { centreOn, fitView, zoomAt, type View } from './view.js';

const data = JSON.parse(byId(DATA_ELEMENT_ID).textContent ?? '{}') as MapData;
const canvas = byId<HTMLCanvasElement>('map-canvas');
const ctx = canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
const tooltip = byId('tooltip');
const panel = byId('panel');
const legend = byId('legend-list');
const searchBox = byId<HTMLInputElement>('search');
const searchStatus = byId('search-status');

const palette = makePalette(data);
const grid = buildGrid(data.x, data.y);
const indexOf = new Map(data.ids.map((id, i) => [id, i]));
const state: DrawState = { themeOn: new Uint8Array(data.themes.length + 1).fill(1), highlight: null, hovered: -1, selected: -1 };
const view: View = { scale: 1, tx: 0, ty: 0, width: 1, height: 1, dpr: 1, fitScale: 1 };
let image: ImageData | null = null;
let pending = false;
let lastMatches: number[] = [];
let lastSemantic: SemanticHit[] | null = null;

/** Width the legend covers on the left, kept clear when fitting the map. */
function legendWidth(): number {
  const box = byId('legend').getBoundingClientRect();
  return window.innerWidth > 900 ? box.right : 0;
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
  drawPoints(image, data, view, state, palette);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  drawMarks(ctx, data, view, state);
  drawLabels(ctx, data, view, state, legendWidth());
}

function redraw(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(render);
}

function visible(i: number): boolean {
  const t = data.theme[i] as number;
  return state.themeOn[t < 0 ? data.themes.length : t] === 1;
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
  panel.hidden = true;
  redraw();
}

function select(i: number, centre = false): void {
  state.selected = i;
  showPaper(panel, data, i, (j) => select(j, true), closePanel);
  if (centre) {
    const p = screenOf(data, view, i);
    if (p.x < 40 || p.y < 40 || p.x > view.width - 420 || p.y > view.height - 40) centreOn(view, data.x[i] as number, data.y[i] as number);
  }
  redraw();
}

// Zoom with the wheel about the cursor; pan by dragging; a press that barely moves is a click.
canvas.addEventListener('wheel', (event) => {
  event.preventDefault();
  zoomAt(view, event.offsetX, event.offsetY, Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)));
  redraw();
}, { passive: false });

let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | null = null;
canvas.addEventListener('pointerdown', (event) => {
  drag = { x: event.clientX, y: event.clientY, tx: view.tx, ty: view.ty, moved: false };
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener('pointermove', (event) => {
  if (drag) {
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      view.tx = drag.tx + dx;
      view.ty = drag.ty + dy;
      canvas.classList.add('dragging');
      tooltip.hidden = true;
      redraw();
      return;
    }
  }
  hover(pointAt(event.offsetX, event.offsetY), event.offsetX, event.offsetY);
});
canvas.addEventListener('pointerup', (event) => {
  const click = drag && !drag.moved;
  drag = null;
  canvas.classList.remove('dragging');
  if (!click) return;
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

// Search: text matches at once, semantic matches when a server answers; both are highlighted.
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
    if (state.selected < 0) panel.hidden = true;
    redraw();
    return;
  }
  lastMatches = textMatches(data, query);
  lastSemantic = null;
  const paint = () => {
    const flags = new Uint8Array(data.count);
    for (const i of lastMatches) flags[i] = 1;
    for (const hit of lastSemantic ?? []) flags[hit.index] = 1;
    state.highlight = flags;
    const parts = [`${lastMatches.length} match${lastMatches.length === 1 ? '' : 'es'}`];
    if (lastSemantic) parts.push(`${lastSemantic.length} by meaning`);
    searchStatus.textContent = parts.join(' · ');
    state.selected = -1;
    showResults(panel, data, query, lastMatches, lastSemantic, (j) => select(j, true), closePanel);
    redraw();
  };
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

buildLegend(legend, data, state.themeOn, redraw);
byId('legend-all').addEventListener('click', () => {
  const anyOff = state.themeOn.includes(0);
  setAllThemes(legend, state.themeOn, anyOff);
  redraw();
});

window.addEventListener('resize', () => resize(false));
resize(true);

/** A small read-only handle for tests and for poking at the map from the console. */
(window as unknown as { papermap: object }).papermap = {
  count: data.count,
  screenOf: (id: string) => {
    const i = indexOf.get(id);
    return i === undefined ? null : screenOf(data, view, i);
  },
  selected: () => (state.selected >= 0 ? data.ids[state.selected] : null),
  highlighted: () => (state.highlight ? state.highlight.reduce((sum, v) => sum + v, 0) : 0),
};
