// renderMap: turns points, papers, themes and related papers into the map's data and the one self-contained HTML page.

import { PapermapError } from '../errors.js';
import type { MapPoint, Neighbour, Paper } from '../records.js';
import { browserScript } from '../browser-script.js';
import type { MapCite, MapData, MapGroup, MapTheme } from './client/data.js';
import { jsonForScript, mapPage } from './html.js';

/** A theme as the map needs it. */
export interface MapThemeInput {
  id: number;
  label: string;
  /** The theme's own colour (#rrggbb), kept across theme updates; default: the palette by position. */
  colour?: string;
}

/** Everything renderMap draws. */
export interface MapInput {
  /** Positions, one per paper, with theme ids matching `themes` (−1: none). */
  points: readonly MapPoint[];
  papers: ReadonlyMap<string, Paper>;
  themes: readonly MapThemeInput[];
  /** Related papers per paper id, best first; precomputed so the map works offline. */
  related: ReadonlyMap<string, readonly Neighbour[]>;
  /** The theme tree's top level: groups of themes (ids as in `themes`). Default: none. */
  areas?: readonly { label: string; themeIds: readonly number[] }[];
  /** Parts of large themes (`parentId` as in `themes`). Default: none. */
  subThemes?: readonly { parentId: number; label: string; paperIds: readonly string[] }[];
}

/** Options of renderMap. */
export interface RenderOptions {
  /** Page title and heading. Default: 'papermap · N papers'. */
  title: string;
  /** Related papers kept per paper. Default 8; 0–50. */
  relatedK: number;
  /**
   * The export stage's browser script (`browserScript('export')` from browser-script.ts, about 0.2 MB), inlined so the page can
   * download a selection or theme as BibTeX, RIS, CSL-JSON or CSV offline. Default '': no download buttons.
   */
  exportJs: string;
  /**
   * Search by meaning in the page with no server: the offline search's table (`buildOfflineSearch` from
   * index/offline.ts, for these papers in the points' order) and its browser script (`browserScript('search')`
   * from browser-script.ts). Default undefined: the page searches text only (and by meaning when served).
   */
  offlineSearch: { table: unknown; script: string } | undefined;
}

/**
 * Colours for themes on the light background, ordered so that neighbours in the list differ most (d3 category10 without
 * its grey, then darker and lighter companions of each hue); themes past the twentieth get golden-angle hues.
 */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#393b79',
  '#637939', '#843c39', '#7b4173', '#6baed6', '#00796b', '#31a354', '#9e9ac8', '#a55194', '#e7ba52', '#525252'];

/** Colour of the t-th theme. */
export function themeColour(t: number): string {
  const fixed = PALETTE[t];
  if (fixed) return fixed;
  const hue = (t * 137.508) % 360;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    const v = 0.42 - 0.3 * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

function round5(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}

/** The paper's own link when it is https (the panel also links its DOI and arXiv pages), else ''. */
function paperUrl(paper: Paper): string {
  return paper.url && /^https:\/\//i.test(paper.url) ? paper.url : '';
}

/** The citation details a download needs, absent fields left out. */
function citeOf(paper: Paper | undefined): MapCite {
  if (!paper) return {};
  return {
    ...(paper.authors.length ? { authors: paper.authors } : {}),
    ...(paper.date ? { date: paper.date } : {}),
    ...(paper.citationKey ? { citationKey: paper.citationKey } : {}),
    ...(paper.entryType ? { entryType: paper.entryType } : {}),
    ...(paper.fields ? { fields: paper.fields } : {}),
  };
}

function authorLine(paper: Paper): string {
  const names = paper.authors ?? [];
  if (names.length > 12) return `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
  if (names.length) return names.join(', ');
  return paper.authorCount ? `${paper.authorCount} authors` : '';
}

/**
 * Where a theme's name goes: its densest spot, the member with the most fellow members within 4 % of the map's width.
 * (A median can fall between two islands of one theme; the densest member always sits on one of them.)
 * Candidates and neighbours are drawn from evenly spaced members so 100,000 points stay quick.
 */
function labelPlace(xs: readonly number[], ys: readonly number[]): { x: number; y: number } {
  const pick = (limit: number) => {
    const step = Math.max(1, Math.floor(xs.length / limit));
    const out: number[] = [];
    for (let i = 0; i < xs.length; i += step) out.push(i);
    return out;
  };
  const candidates = pick(200);
  const others = pick(2000);
  const r2 = 0.04 * 0.04;
  let best = candidates[0] as number;
  let bestCount = -1;
  for (const c of candidates) {
    let count = 0;
    for (const o of others) {
      const dx = (xs[o] as number) - (xs[c] as number);
      const dy = (ys[o] as number) - (ys[c] as number);
      if (dx * dx + dy * dy <= r2) count++;
    }
    if (count > bestCount) {
      bestCount = count;
      best = c;
    }
  }
  return { x: xs[best] as number, y: ys[best] as number };
}

/** Builds the embedded data: coordinates scaled into the unit square, themes coloured and placed, related rows as indices. */
export function buildMapData(input: MapInput, options: Pick<RenderOptions, 'title' | 'relatedK'>): MapData {
  const points = input.points;
  const count = points.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const offX = (1 - (maxX - minX) / span) / 2;
  const offY = (1 - (maxY - minY) / span) / 2;
  const x = points.map((p) => (count ? round5((p.x - minX) / span + offX) : 0));
  const y = points.map((p) => (count ? round5((p.y - minY) / span + offY) : 0));
  const themeIndex = new Map(input.themes.map((t, i) => [t.id, i]));
  const theme = points.map((p) => themeIndex.get(p.theme) ?? -1);
  const themes: MapTheme[] = input.themes.map((t, i) => {
    const xs: number[] = [];
    const ys: number[] = [];
    theme.forEach((ti, j) => {
      if (ti === i) {
        xs.push(x[j] as number);
        ys.push(y[j] as number);
      }
    });
    const place = xs.length ? labelPlace(xs, ys) : { x: 0.5, y: 0.5 };
    // A theme's own colour when it has one (kept across updates), else the palette by position.
    return { id: t.id, label: t.label, color: t.colour ?? themeColour(i), x: place.x, y: place.y, size: xs.length };
  });
  const indexOf = new Map(points.map((p, i) => [p.id, i]));
  const { areas, subThemes } = groupLabels(input, themeIndex, themes, indexOf, x, y);
  const relatedK = options.relatedK;
  const related: number[] = [];
  const relatedScore: number[] = [];
  for (const p of points) {
    const row = (input.related.get(p.id) ?? []).filter((n) => n.id !== p.id && indexOf.has(n.id)).slice(0, relatedK);
    for (let k = 0; k < relatedK; k++) {
      const n = row[k];
      related.push(n ? (indexOf.get(n.id) as number) : -1);
      relatedScore.push(n ? Math.round(n.score * 1000) / 1000 : 0);
    }
  }
  const papers = points.map((p) => input.papers.get(p.id));
  return {
    formatVersion: 1,
    title: options.title,
    count,
    ids: points.map((p) => p.id),
    titles: papers.map((p) => p?.title ?? ''),
    years: papers.map((p) => p?.year ?? 0),
    authors: papers.map((p) => (p ? authorLine(p) : '')),
    abstracts: papers.map((p) => p?.abstract ?? ''),
    urls: papers.map((p) => (p ? paperUrl(p) : '')),
    dois: papers.map((p) => p?.doi ?? ''),
    arxivIds: papers.map((p) => p?.arxivId ?? ''),
    cite: papers.map(citeOf),
    x,
    y,
    theme,
    relatedK,
    related,
    relatedScore,
    themes,
    areas,
    subThemes,
  };
}

/**
 * The labels of the theme tree's other levels: areas (only when there are at least two) and sub-themes (a theme not
 * split stands for itself, so the level covers the same papers), each placed like a theme name.
 */
function groupLabels(input: MapInput, themeIndex: ReadonlyMap<number, number>, themes: readonly MapTheme[], indexOf: ReadonlyMap<string, number>, x: readonly number[], y: readonly number[]): { areas: MapGroup[]; subThemes: MapGroup[] } {
  const place = (rows: number[]) => (rows.length ? labelPlace(rows.map((i) => x[i] as number), rows.map((i) => y[i] as number)) : { x: 0.5, y: 0.5 });
  const membersOf = new Map<number, number[]>();
  input.points.forEach((p, i) => {
    const t = themeIndex.get(p.theme);
    if (t === undefined) return;
    const rows = membersOf.get(t);
    if (rows) rows.push(i);
    else membersOf.set(t, [i]);
  });
  const areas: MapGroup[] = (input.areas ?? []).map((a) => {
    const ts = a.themeIds.map((id) => themeIndex.get(id)).filter((t): t is number => t !== undefined);
    const rows = ts.flatMap((t) => membersOf.get(t) ?? []);
    return { label: a.label, ...place(rows), size: rows.length, themes: ts };
  }).filter((a) => a.size > 0);
  const subThemes: MapGroup[] = themes.flatMap((theme, t) => {
    const parts = (input.subThemes ?? []).filter((s) => s.parentId === theme.id);
    if (!parts.length) return [{ label: theme.label, x: theme.x, y: theme.y, size: theme.size, themes: [t] }];
    return parts.map((s) => {
      const rows = s.paperIds.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);
      return { label: s.label, ...place(rows), size: rows.length, themes: [t] };
    });
  });
  return { areas: areas.length >= 2 ? areas : [], subThemes };
}

/**
 * The map as one self-contained HTML page: data and client inline, nothing fetched, works from file:// offline.
 * Deterministic: the same input gives the same bytes.
 */
export function renderMap(input: MapInput, options?: Partial<RenderOptions>): string {
  const relatedK = options?.relatedK ?? 8;
  if (!(Number.isInteger(relatedK) && relatedK >= 0 && relatedK <= 50)) throw new PapermapError('BAD_OPTION', `option 'relatedK' is ${relatedK}: expected an integer from 0 to 50`);
  const title = options?.title ?? `papermap · ${input.points.length} papers`;
  const exportJs = options?.exportJs ?? '';
  const search = options?.offlineSearch;
  const data = buildMapData(input, { title, relatedK });
  return mapPage({ title, dataJson: jsonForScript(data), clientJs: browserScript('map-client'), exportJs, searchJson: search ? jsonForScript(search.table) : '', searchJs: search?.script ?? '' });
}
