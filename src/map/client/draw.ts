// Drawing the map: points stamped straight into an ImageData (fast at 100,000), then rings, links and theme names on top.

import type { MapData } from './data.js';
import type { View } from './view.js';

/** Page background; points of filtered-out themes are not drawn, faded ones are mixed towards it. */
export const BACKGROUND = '#fbfaf7';

/**
 * Year colours: a ramp from dark blue (oldest) through teal and green to orange and red (newest), YEAR_STEPS entries;
 * every step stays dark enough to read on the light background (viridis ends in a yellow that vanishes on it).
 */
export const YEAR_STEPS = 32;
const YEAR_RAMP: [number, number, number][] = [[44, 62, 160], [33, 145, 140], [94, 160, 60], [235, 140, 30], [200, 40, 40]];

/** The ramp colour at t in [0, 1]. */
export function yearColour(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (YEAR_RAMP.length - 1);
  const k = Math.min(YEAR_RAMP.length - 2, Math.floor(x));
  const f = x - k;
  const a = YEAR_RAMP[k] as [number, number, number];
  const b = YEAR_RAMP[k + 1] as [number, number, number];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) + f * ((b[c] as number) - (a[c] as number)))) as [number, number, number];
}

/** CSS colour of the ramp at t. */
export function yearCss(t: number): string {
  return `rgb(${yearColour(t).join(',')})`;
}

/** What to draw beyond the plain points. */
export interface DrawState {
  /** Per theme index (last entry: no theme), whether its points show. */
  themeOn: Uint8Array;
  /** Per point, 1 when it passes the theme and year filters (recomputed when they change, not per frame). */
  visible: Uint8Array;
  /** Per point, its palette entry: theme index (themes.length: none), or themes.length + 1 + year step. */
  colour: Uint16Array;
  /** Per point, 1 when it matches the search; null when no search is active. */
  highlight: Uint8Array | null;
  hovered: number;
  selected: number;
  /** The selected paper's related papers as the panel lists them (links are drawn to these). */
  related: readonly number[];
}

/** Colours as ImageData words (little-endian RGBA), per theme index plus a last entry for papers without a theme. */
export interface Palette {
  full: Uint32Array;
  faded: Uint32Array;
  outline: number;
}

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function word([r, g, b]: [number, number, number]): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Builds the palette from the themes' colours; faded colours are 82 % background. */
export function makePalette(data: MapData): Palette {
  const years = Array.from({ length: YEAR_STEPS }, (_, k) => `#${yearColour(k / (YEAR_STEPS - 1)).map((c) => c.toString(16).padStart(2, '0')).join('')}`);
  const colours = [...data.themes.map((t) => t.color), '#8a8a8a', ...years];
  const bg = rgb(BACKGROUND);
  const mix = (c: [number, number, number]): [number, number, number] => [0, 1, 2].map((k) => Math.round(0.18 * (c[k] as number) + 0.82 * (bg[k] as number))) as [number, number, number];
  return {
    full: Uint32Array.from(colours, (c) => word(rgb(c))),
    faded: Uint32Array.from(colours, (c) => word(mix(rgb(c)))),
    outline: word([34, 34, 34]),
  };
}

/** Pixel offsets of a filled disc of radius r. */
function discOffsets(r: number): Int32Array {
  const out: number[] = [];
  const limit = r * r + r * 0.8;
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= limit) out.push(dx, dy);
  return Int32Array.from(out);
}

/** Point radius in device pixels: smaller when there are many points, a little larger when zoomed in. */
export function pointRadius(count: number, view: View): number {
  const base = count <= 2000 ? 3 : count <= 20000 ? 2 : 1.2;
  const zoom = view.scale / view.fitScale;
  return Math.max(1, Math.min(9, Math.round(base * view.dpr * Math.pow(zoom, 0.3))));
}

/** Writes every visible point into `image`; matches of the search are drawn last, larger and outlined. */
export function drawPoints(image: ImageData, data: MapData, view: View, state: DrawState, palette: Palette): void {
  const pixels = new Uint32Array(image.data.buffer);
  const width = image.width;
  const height = image.height;
  pixels.fill(word(rgb(BACKGROUND)));
  const r = pointRadius(data.count, view);
  const disc = discOffsets(r);
  const ring = discOffsets(r + 1);
  const scale = view.scale * view.dpr;
  const ox = view.tx * view.dpr;
  const oy = view.ty * view.dpr;
  const stamp = (cx: number, cy: number, offsets: Int32Array, colour: number, pad: number) => {
    if (cx < -pad || cy < -pad || cx >= width + pad || cy >= height + pad) return;
    const inside = cx >= pad && cy >= pad && cx < width - pad && cy < height - pad;
    for (let k = 0; k < offsets.length; k += 2) {
      const px = cx + (offsets[k] as number);
      const py = cy + (offsets[k + 1] as number);
      if (inside || (px >= 0 && py >= 0 && px < width && py < height)) pixels[py * width + px] = colour;
    }
  };
  const highlight = state.highlight;
  // Outlines single out a few matches; thousands of outlined points would merge into one dark blot.
  let matches = 0;
  if (highlight) for (let i = 0; i < highlight.length; i++) matches += highlight[i] as number;
  const outline = matches <= 2000;
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1 && !highlight) break;
    for (let i = 0; i < data.count; i++) {
      if (!state.visible[i]) continue;
      const ti = state.colour[i] as number;
      const hit = highlight ? highlight[i] === 1 : false;
      if (pass === 0 && hit) continue;
      if (pass === 1 && !hit) continue;
      const cx = Math.round((data.x[i] as number) * scale + ox);
      const cy = Math.round((data.y[i] as number) * scale + oy);
      if (pass === 1) {
        if (outline) stamp(cx, cy, ring, palette.outline, r + 1);
        stamp(cx, cy, disc, palette.full[ti] as number, r);
      } else {
        stamp(cx, cy, disc, highlight ? (palette.faded[ti] as number) : (palette.full[ti] as number), r);
      }
    }
  }
}

/** Screen position (CSS pixels) of point i. */
export function screenOf(data: MapData, view: View, i: number): { x: number; y: number } {
  return { x: (data.x[i] as number) * view.scale + view.tx, y: (data.y[i] as number) * view.scale + view.ty };
}

/** Draws the selection (ring and links to its related papers) and the hover ring, in CSS pixels. */
export function drawMarks(ctx: CanvasRenderingContext2D, data: MapData, view: View, state: DrawState): void {
  const ring = (i: number, radius: number, colour: string, width: number) => {
    const p = screenOf(data, view, i);
    ctx.beginPath();
    ctx.arc(p.x, p.y, radius, 0, 2 * Math.PI);
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  if (state.selected >= 0) {
    const from = screenOf(data, view, state.selected);
    ctx.strokeStyle = 'rgba(20, 20, 20, 0.45)';
    ctx.lineWidth = 1.2;
    for (const j of state.related) {
      const to = screenOf(data, view, j);
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x, to.y);
      ctx.stroke();
      ring(j, 5, '#222', 1.5);
    }
    ring(state.selected, 8, '#111', 2.5);
  }
  if (state.hovered >= 0) ring(state.hovered, 7, '#111', 1.5);
}

/** The name drawn on the map: the first two terms of a theme's label (the legend shows it whole). */
export function shortLabel(label: string): string {
  return label.split(' · ').slice(0, 2).join(' · ');
}

/** Zoom (× the fitted scale) below which the areas are named instead of the themes. */
export const AREA_ZOOM = 1.5;
/** Zoom from which the sub-themes are named instead of the themes. */
export const SUB_THEME_ZOOM = 2.5;

/** Which level of the theme tree is named at a zoom: areas at the widest, then themes, then sub-themes. */
export type LabelLevel = 'areas' | 'themes' | 'sub-themes';

/** The level named at `zoom` (× the fitted scale); a map without areas names its themes from the start. */
export function labelLevel(data: MapData, zoom: number): LabelLevel {
  if (zoom < AREA_ZOOM && data.areas.length >= 2) return 'areas';
  if (zoom >= SUB_THEME_ZOOM && data.subThemes.length > 0) return 'sub-themes';
  return 'themes';
}

/** A label drawn last frame, with its box in CSS pixels (for tests and the console). */
export interface DrawnLabel {
  level: LabelLevel | 'titles';
  text: string;
  box: [number, number, number, number];
}

/** The labels drawn on the map last frame, in the order they were placed. */
export const drawnLabels: DrawnLabel[] = [];

/** Font size (px) and weight of a group's name by level and size. */
function labelFont(level: LabelLevel, size: number, count: number): { px: number; weight: number } {
  if (level === 'areas') return { px: 17, weight: 700 };
  if (level === 'themes') return { px: size >= count / 12 ? 15 : 13, weight: 600 };
  return { px: 12.5, weight: 600 };
}

/**
 * Names the groups of the level the zoom calls for (areas → themes → sub-themes), biggest first, each skipped when it
 * would overlap one already drawn (greedy placement by priority over bounding boxes) and nudged inside the visible area
 * between `leftPx` (the legend) and `rightPx` (the panel); then, zoomed in far enough, paper titles in the room left.
 */
export function drawLabels(ctx: CanvasRenderingContext2D, data: MapData, view: View, state: DrawState, leftPx: number, rightPx = view.width): void {
  drawnLabels.length = 0;
  const level = labelLevel(data, view.scale / view.fitScale);
  const groups = level === 'areas' ? data.areas : level === 'themes' ? data.themes.map((t, i) => ({ ...t, themes: [i] })) : data.subThemes;
  const order = groups.map((_, g) => g).sort((a, b) => (groups[b]?.size ?? 0) - (groups[a]?.size ?? 0) || a - b);
  const placed: [number, number, number, number][] = [];
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const g of order) {
    const group = groups[g];
    if (!group || !group.themes.some((t) => state.themeOn[t])) continue;
    const font = labelFont(level, group.size, data.count);
    ctx.font = `${font.weight} ${font.px}px system-ui, -apple-system, "Segoe UI", sans-serif`;
    const text = level === 'areas' ? shortLabel(group.label).toUpperCase() : shortLabel(group.label);
    const px = group.x * view.scale + view.tx;
    const y = group.y * view.scale + view.ty;
    const w = ctx.measureText(text).width + 10;
    const h = font.px + 8;
    if (px < leftPx || px > rightPx || y < 0 || y > view.height) continue;
    const x = Math.max(leftPx + w / 2, Math.min(rightPx - w / 2, px));
    const box: [number, number, number, number] = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
    if (placed.some((b) => overlaps(box, b))) continue;
    placed.push(box);
    drawnLabels.push({ level, text, box });
    ctx.lineWidth = level === 'areas' ? 5 : 4;
    ctx.strokeStyle = 'rgba(251, 250, 247, 0.92)';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = level === 'areas' ? '#3a3a3c' : '#1d1d1f';
    ctx.fillText(text, x, y);
  }
  drawTitles(ctx, data, view, state, leftPx, rightPx, placed);
}

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return (a[0] as number) < (b[2] as number) && (a[2] as number) > (b[0] as number) && (a[1] as number) < (b[3] as number) && (a[3] as number) > (b[1] as number);
}

/** Zoom (× the fitted scale) from which paper titles are drawn beside their points. */
export const TITLE_ZOOM = 4;
/** Most points on screen for which titles are drawn; beyond it they could only overlap. */
const TITLE_LIMIT = 300;

/** The titles drawn on the map last frame (for tests and the console). */
export const drawnTitles: number[] = [];

/**
 * Once zoomed in past TITLE_ZOOM, writes paper titles (cut at 48 characters) to the right of their points, selected and
 * highlighted papers first, skipping any that would overlap a theme name or another title.
 */
function drawTitles(ctx: CanvasRenderingContext2D, data: MapData, view: View, state: DrawState, leftPx: number, rightPx: number, placed: [number, number, number, number][]): void {
  drawnTitles.length = 0;
  if (view.scale / view.fitScale < TITLE_ZOOM) return;
  const onScreen: number[] = [];
  for (let i = 0; i < data.count; i++) {
    if (!state.visible[i]) continue;
    const sx = (data.x[i] as number) * view.scale + view.tx;
    const sy = (data.y[i] as number) * view.scale + view.ty;
    if (sx < leftPx || sx > rightPx || sy < 0 || sy > view.height) continue;
    onScreen.push(i);
    if (onScreen.length > TITLE_LIMIT) return;
  }
  const rank = (i: number) => (i === state.selected ? 0 : state.highlight?.[i] ? 1 : 2);
  onScreen.sort((a, b) => rank(a) - rank(b) || a - b);
  ctx.font = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
  ctx.textAlign = 'left';
  ctx.lineWidth = 3;
  for (const i of onScreen) {
    const raw = data.titles[i] || data.abstracts[i] || '';
    const text = raw.length > 48 ? `${raw.slice(0, 47)}…` : raw;
    if (!text) continue;
    const p = screenOf(data, view, i);
    const w = ctx.measureText(text).width;
    const box: [number, number, number, number] = [p.x + 6, p.y - 8, p.x + 10 + w, p.y + 8];
    if (box[2] > rightPx || placed.some((b) => overlaps(box, b))) continue;
    placed.push(box);
    drawnLabels.push({ level: 'titles', text, box });
    ctx.strokeStyle = 'rgba(251, 250, 247, 0.9)';
    ctx.strokeText(text, p.x + 8, p.y);
    ctx.fillStyle = '#333';
    ctx.fillText(text, p.x + 8, p.y);
    drawnTitles.push(i);
  }
}
