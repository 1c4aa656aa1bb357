// Box and lasso selection: the visible points inside a rectangle or a freehand outline drawn on the screen.

import type { MapData } from './data.js';
import type { View } from './view.js';

/** A shape in CSS pixels: a box from two corners, or a lasso as a closed outline [x0, y0, x1, y1, …]. */
export type Shape = { kind: 'box'; x0: number; y0: number; x1: number; y1: number } | { kind: 'lasso'; points: number[] };

/** Even-odd rule (ray casting, W. R. Franklin's pnpoly): true when (x, y) is inside the polygon. */
export function insidePolygon(x: number, y: number, poly: readonly number[]): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i] as number;
    const yi = poly[2 * i + 1] as number;
    const xj = poly[2 * j] as number;
    const yj = poly[2 * j + 1] as number;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The visible points inside the shape, in map order. */
export function pointsInShape(data: MapData, view: View, visible: Uint8Array, shape: Shape): number[] {
  const toMap = (sx: number, sy: number) => [(sx - view.tx) / view.scale, (sy - view.ty) / view.scale] as const;
  const corners = shape.kind === 'box' ? [shape.x0, shape.y0, shape.x1, shape.y1] : shape.points;
  const poly: number[] = [];
  for (let k = 0; k < corners.length; k += 2) poly.push(...toMap(corners[k] as number, corners[k + 1] as number));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < poly.length; k += 2) {
    minX = Math.min(minX, poly[k] as number);
    maxX = Math.max(maxX, poly[k] as number);
    minY = Math.min(minY, poly[k + 1] as number);
    maxY = Math.max(maxY, poly[k + 1] as number);
  }
  const out: number[] = [];
  if (shape.kind === 'lasso' && poly.length < 6) return out;
  for (let i = 0; i < data.count; i++) {
    if (!visible[i]) continue;
    const x = data.x[i] as number;
    const y = data.y[i] as number;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (shape.kind === 'lasso' && !insidePolygon(x, y, poly)) continue;
    out.push(i);
  }
  return out;
}

/** Draws the shape being dragged, in CSS pixels. */
export function drawShape(ctx: CanvasRenderingContext2D, shape: Shape): void {
  ctx.save();
  ctx.strokeStyle = '#1f4e8c';
  ctx.fillStyle = 'rgba(31, 78, 140, 0.08)';
  ctx.lineWidth = 1.5;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  if (shape.kind === 'box') ctx.rect(Math.min(shape.x0, shape.x1), Math.min(shape.y0, shape.y1), Math.abs(shape.x1 - shape.x0), Math.abs(shape.y1 - shape.y0));
  else {
    for (let k = 0; k < shape.points.length; k += 2) {
      if (k === 0) ctx.moveTo(shape.points[0] as number, shape.points[1] as number);
      else ctx.lineTo(shape.points[k] as number, shape.points[k + 1] as number);
    }
    ctx.closePath();
  }
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}
