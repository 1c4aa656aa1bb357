// The view in the URL hash, so a link reopens the same map: selected paper, search, years, colouring, theme, zoom.

/** What the hash holds; absent fields keep the page's defaults. */
export interface HashState {
  paper?: string;
  search?: string;
  yearFrom?: number;
  yearTo?: number;
  colourByYear?: boolean;
  theme?: number;
  /** Zoom (× the fitted scale) and the map point at the centre of the view. */
  zoom?: { z: number; x: number; y: number };
}

/** Reads the state from a hash such as "#paper=arxiv%3A2401.00001&years=2019-2023&colour=year&zoom=2.5,0.41,0.62". */
export function readHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: HashState = {};
  const paper = params.get('paper');
  if (paper) state.paper = paper;
  const search = params.get('q');
  if (search) state.search = search.slice(0, 500);
  const years = /^(\d{1,4})-(\d{1,4})$/.exec(params.get('years') ?? '');
  if (years) {
    state.yearFrom = Number(years[1]);
    state.yearTo = Number(years[2]);
  }
  if (params.get('colour') === 'year') state.colourByYear = true;
  const theme = Number(params.get('theme'));
  if (params.has('theme') && Number.isInteger(theme) && theme >= 0) state.theme = theme;
  const zoom = (params.get('zoom') ?? '').split(',').map(Number);
  if (zoom.length === 3 && zoom.every(Number.isFinite) && (zoom[0] as number) > 0) state.zoom = { z: zoom[0] as number, x: zoom[1] as number, y: zoom[2] as number };
  return state;
}

/** Writes the state as a hash (fields in a fixed order; empty when nothing differs from the defaults). */
export function writeHash(state: HashState): string {
  const params = new URLSearchParams();
  if (state.paper) params.set('paper', state.paper);
  if (state.search) params.set('q', state.search);
  if (state.yearFrom !== undefined && state.yearTo !== undefined) params.set('years', `${state.yearFrom}-${state.yearTo}`);
  if (state.colourByYear) params.set('colour', 'year');
  if (state.theme !== undefined && state.theme >= 0) params.set('theme', String(state.theme));
  if (state.zoom) params.set('zoom', `${+state.zoom.z.toFixed(3)},${+state.zoom.x.toFixed(4)},${+state.zoom.y.toFixed(4)}`);
  const text = params.toString();
  return text ? `#${text}` : '';
}
