// The map's embedded data: one columnar JSON document, written by renderMap and read by the browser client.

/** A theme as the map shows it: its name, colour and where its name is placed. */
export interface MapTheme {
  id: number;
  label: string;
  /** CSS colour, '#rrggbb'. */
  color: string;
  /** Where the name goes, in map coordinates (0–1). */
  x: number;
  y: number;
  size: number;
}

/** A label of the theme tree other than a theme: an area (a group of themes) or a sub-theme, on its densest spot. */
export interface MapGroup {
  label: string;
  /** Where the name goes, in map coordinates (0–1). */
  x: number;
  y: number;
  size: number;
  /** Indices into `themes`: an area's themes, or a sub-theme's parent; the label shows while one of them does. */
  themes: number[];
}

/** A paper's citation details, as export needs them (absent fields left out to keep the page small). */
export interface MapCite {
  authors?: string[];
  date?: string;
  citationKey?: string;
  entryType?: string;
  fields?: Record<string, string>;
}

/**
 * Everything the page needs, in columns so 100,000 papers stay compact: entry i of each array belongs to paper i.
 * Coordinates are scaled to the unit square. Every string is untrusted text and is only ever put in the page as text.
 */
export interface MapData {
  formatVersion: 1;
  title: string;
  count: number;
  ids: string[];
  titles: string[];
  /** 0 when unknown. */
  years: number[];
  /** Authors joined with ', ', or 'N authors' when only a count is known. */
  authors: string[];
  abstracts: string[];
  /** The paper's own https link, '' when none. */
  urls: string[];
  /** DOI, '' when none. */
  dois: string[];
  /** arXiv id, '' when none. */
  arxivIds: string[];
  /** What a download needs beyond the columns above: full author list, date, citation key, type, other fields. */
  cite: MapCite[];
  x: number[];
  y: number[];
  /** Index into `themes`, -1 when the paper has none. */
  theme: number[];
  /** Related papers per paper: relatedK paper indices (−1 pads a short row), best first. */
  relatedK: number;
  related: number[];
  /** Cosine similarity of each related entry, 3 decimals. */
  relatedScore: number[];
  themes: MapTheme[];
  /** The broad areas, drawn at the widest zoom (empty when the themes form fewer than two). */
  areas: MapGroup[];
  /** The sub-themes, drawn when zoomed in; a theme that was not split stands for itself. */
  subThemes: MapGroup[];
}

/** Id of the <script type="application/json"> element holding the data. */
export const DATA_ELEMENT_ID = 'papermap-data';

/** Id of the <script type="application/json"> element holding the offline search's table, when the page has one. */
export const SEARCH_ELEMENT_ID = 'papermap-search';
