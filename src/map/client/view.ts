// The map's viewport: a scale and offset from map coordinates (unit square) to CSS pixels, with zoom about a point.

/** Map-to-screen transform: screen = map · scale + offset, in CSS pixels. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
  /** Canvas size in CSS pixels and the device pixel ratio. */
  width: number;
  height: number;
  dpr: number;
  /** The scale that fits the whole map; zoom is scale / fitScale. */
  fitScale: number;
}

/** Fits the unit square into the viewport with a margin, leaving `leftPx` free for the legend. */
export function fitView(view: View, leftPx: number): void {
  const margin = 28;
  const w = Math.max(50, view.width - leftPx - 2 * margin);
  const h = Math.max(50, view.height - 2 * margin);
  view.scale = Math.min(w, h);
  view.fitScale = view.scale;
  view.tx = leftPx + margin + (w - view.scale) / 2;
  view.ty = margin + (h - view.scale) / 2;
}

/** Zooms by `factor` keeping the map point under (sx, sy) in place; zoom stays between 0.5× and 400× the fit. */
export function zoomAt(view: View, sx: number, sy: number, factor: number): void {
  const next = Math.min(view.fitScale * 400, Math.max(view.fitScale * 0.5, view.scale * factor));
  const applied = next / view.scale;
  view.tx = sx - (sx - view.tx) * applied;
  view.ty = sy - (sy - view.ty) * applied;
  view.scale = next;
}

/** Centres the view on a map point. */
export function centreOn(view: View, x: number, y: number): void {
  view.tx = view.width / 2 - x * view.scale;
  view.ty = view.height / 2 - y * view.scale;
}
