// A uniform grid over the unit square: finds the point nearest the cursor among 100,000 without scanning them all.

/** Points bucketed by cell: the rows of cell c are order[start[c] .. start[c + 1]). */
export interface Grid {
  cells: number;
  start: Uint32Array;
  order: Uint32Array;
}

/** Buckets points by a counting sort into about four points per cell. */
export function buildGrid(x: readonly number[], y: readonly number[]): Grid {
  const n = x.length;
  const cells = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n / 4))));
  const cellOf = new Uint32Array(n);
  const start = new Uint32Array(cells * cells + 1);
  for (let i = 0; i < n; i++) {
    const c = cellIndex(x[i] as number, cells) * cells + cellIndex(y[i] as number, cells);
    cellOf[i] = c;
    start[c + 1] = (start[c + 1] as number) + 1;
  }
  for (let c = 0; c < cells * cells; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, cells * cells);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cellOf[i] as number;
    order[fill[c] as number] = i;
    fill[c] = (fill[c] as number) + 1;
  }
  return { cells, start, order };
}

function cellIndex(v: number, cells: number): number {
  return Math.min(cells - 1, Math.max(0, Math.floor(v * cells)));
}

/** The accepted point nearest (px, py) within `radius` (map units), or −1. */
export function nearestPoint(grid: Grid, x: readonly number[], y: readonly number[], px: number, py: number, radius: number, accept: (i: number) => boolean): number {
  const { cells, start, order } = grid;
  const c0 = cellIndex(px - radius, cells);
  const c1 = cellIndex(px + radius, cells);
  const r0 = cellIndex(py - radius, cells);
  const r1 = cellIndex(py + radius, cells);
  let best = -1;
  let bestD = radius * radius;
  for (let cx = c0; cx <= c1; cx++) {
    for (let cy = r0; cy <= r1; cy++) {
      const c = cx * cells + cy;
      for (let k = start[c] as number; k < (start[c + 1] as number); k++) {
        const i = order[k] as number;
        const dx = (x[i] as number) - px;
        const dy = (y[i] as number) - py;
        const d = dx * dx + dy * dy;
        if (d <= bestD && accept(i)) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}
