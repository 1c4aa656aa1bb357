import { describe, expect, it } from 'vitest';
import { PapermapError } from '../../src/errors.js';
import { projectMap, seededRandom, SPECTRAL_EPOCHS, trustworthiness } from '../../src/map/index.js';
import { clusteredEmbeddings } from './synthetic.js';

const { embeddings, labels } = clusteredEmbeddings(5, 40);
const points = projectMap(embeddings, { nEpochs: 200 });
const xy = points.flatMap((p) => [p.x, p.y]);

/** Exact cosine kNN graph, self excluded, for feeding projectMap as the index would. */
function exactGraph(k: number) {
  const { vectors, dims, ids } = embeddings;
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < ids.length; i++) {
    const scored = ids.map((_, j) => {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += (vectors[i * dims + d] as number) * (vectors[j * dims + d] as number);
      return { j, dist: 1 - dot };
    }).filter((s) => s.j !== i).sort((a, b) => a.dist - b.dist || a.j - b.j).slice(0, k);
    indices.push(scored.map((s) => s.j));
    distances.push(scored.map((s) => s.dist));
  }
  return { indices, distances };
}

describe('projectMap', () => {
  it('gives one point per paper, in id order, with no theme yet', () => {
    expect(points.map((p) => p.id)).toEqual(embeddings.ids);
    for (const p of points) {
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
      expect(p.theme).toBe(-1);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    expect(projectMap(embeddings, { nEpochs: 200 })).toEqual(points);
    expect(projectMap(embeddings, { nEpochs: 200, seed: 7 })).not.toEqual(points);
  });

  it('keeps clusters apart: a point is nearer its own cluster centre than any other', () => {
    const centres = [0, 1, 2, 3, 4].map((c) => {
      const mine = points.filter((_, i) => labels[i] === c);
      return [mine.reduce((s, p) => s + p.x, 0) / mine.length, mine.reduce((s, p) => s + p.y, 0) / mine.length] as const;
    });
    let right = 0;
    points.forEach((p, i) => {
      const d = centres.map(([cx, cy]) => Math.hypot(p.x - cx, p.y - cy));
      if (d.indexOf(Math.min(...d)) === labels[i]) right++;
    });
    expect(right / points.length).toBeGreaterThanOrEqual(0.98);
  });

  it('is trustworthy: T(10) ≥ 0.9 against the embedding space, and far above a random layout', () => {
    expect(trustworthiness(embeddings, xy, { k: 10 })).toBeGreaterThanOrEqual(0.9);
    const random = seededRandom(3);
    const scattered = xy.map(() => random());
    expect(trustworthiness(embeddings, scattered, { k: 10 })).toBeLessThan(0.7);
  });

  it('uses a precomputed graph when given one, giving the same layout as its own exact neighbours', () => {
    expect(projectMap(embeddings, { nEpochs: 200, knn: exactGraph(20) })).toEqual(points);
  });

  it('rejects a graph with too few neighbours or rows, and bad options, with BAD_OPTION', () => {
    const short = exactGraph(5);
    expect(() => projectMap(embeddings, { knn: short })).toThrow(PapermapError);
    expect(() => projectMap(embeddings, { knn: { indices: [], distances: [] } })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => projectMap(embeddings, { minDist: 2 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => projectMap(embeddings, { nNeighbors: 1.5 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('handles tiny projects: none, one, two and four papers', () => {
    const tiny = (n: number) => ({ ...embeddings, ids: embeddings.ids.slice(0, n), vectors: embeddings.vectors.slice(0, n * embeddings.dims) });
    expect(projectMap(tiny(0))).toEqual([]);
    expect(projectMap(tiny(1))).toHaveLength(1);
    expect(projectMap(tiny(2))).toHaveLength(2);
    expect(projectMap(tiny(4)).every((p) => Number.isFinite(p.x))).toBe(true);
  });

  it('starts from a previous map: existing papers move little, a new paper lands by its neighbours', () => {
    // The map before: every paper but 5 (one per cluster); then all of them, starting from it.
    const drop = new Set([3, 47, 91, 135, 179]);
    const keep = embeddings.ids.map((_, i) => i).filter((i) => !drop.has(i));
    const before = { ...embeddings, ids: keep.map((i) => embeddings.ids[i] as string), vectors: Float32Array.from(keep.flatMap((i) => Array.from(embeddings.vectors.subarray(i * embeddings.dims, (i + 1) * embeddings.dims)))) };
    const old = projectMap(before, { nEpochs: 200 });
    const after = projectMap(embeddings, { nEpochs: 200, previous: old });
    const at = new Map(old.map((p) => [p.id, p]));
    const xs = old.map((p) => p.x);
    const width = Math.max(...xs) - Math.min(...xs);
    const moved = after.filter((p) => at.has(p.id)).map((p) => Math.hypot(p.x - (at.get(p.id)?.x as number), p.y - (at.get(p.id)?.y as number)) / width).sort((a, b) => a - b);
    expect(moved[Math.floor(moved.length / 2)]).toBeLessThan(0.05);
    // Each new paper sits nearer its own cluster's centre (in the old map) than any other cluster's.
    const centre = (c: number) => {
      const mine = old.filter((p) => labels[embeddings.ids.indexOf(p.id)] === c);
      return [mine.reduce((s, p) => s + p.x, 0) / mine.length, mine.reduce((s, p) => s + p.y, 0) / mine.length] as const;
    };
    const centres = [0, 1, 2, 3, 4].map(centre);
    for (const i of drop) {
      const p = after[i] as { x: number; y: number };
      const d = centres.map(([cx, cy]) => Math.hypot(p.x - cx, p.y - cy));
      expect(d.indexOf(Math.min(...d))).toBe(labels[i]);
    }
    expect(projectMap(embeddings, { nEpochs: 200, previous: old })).toEqual(after);
  });

  it('lays out a corpus above fitSample from a seeded sample: deterministic, clusters apart, as trustworthy as a full fit', () => {
    const large = clusteredEmbeddings(5, 120, 32, 0.35, 2);
    const full = projectMap(large.embeddings, { nEpochs: 100 });
    const seen: number[] = [];
    const sampled = projectMap(large.embeddings, { nEpochs: 100, fitSample: 200, onProgress: (done, total) => seen.push(done / total) });
    expect(sampled.map((p) => p.id)).toEqual(large.embeddings.ids);
    expect(sampled).not.toEqual(full);
    expect(projectMap(large.embeddings, { nEpochs: 100, fitSample: 200 })).toEqual(sampled);
    expect(seen.at(-1)).toBe(1);
    const t = (pts: typeof sampled) => trustworthiness(large.embeddings, pts.flatMap((p) => [p.x, p.y]), { k: 10 });
    expect(t(sampled)).toBeGreaterThanOrEqual(t(full) - 0.01);
    const centres = [0, 1, 2, 3, 4].map((c) => {
      const mine = sampled.filter((_, i) => large.labels[i] === c);
      return [mine.reduce((s, p) => s + p.x, 0) / mine.length, mine.reduce((s, p) => s + p.y, 0) / mine.length] as const;
    });
    const right = sampled.filter((p, i) => {
      const d = centres.map(([cx, cy]) => Math.hypot(p.x - cx, p.y - cy));
      return d.indexOf(Math.min(...d)) === large.labels[i];
    }).length;
    expect(right / sampled.length).toBeGreaterThanOrEqual(0.98);
  });

  it('runs the epochs in shares from sharesFrom papers: the same layout on one thread or two, as trustworthy as one pass', () => {
    const large = clusteredEmbeddings(5, 120, 32, 0.35, 2);
    const single = projectMap(large.embeddings, { nEpochs: 100 });
    const seen: number[] = [];
    const two = projectMap(large.embeddings, { nEpochs: 100, sharesFrom: 100, threads: 2, onProgress: (done, total) => seen.push(done / total) });
    expect(two.map((p) => p.id)).toEqual(large.embeddings.ids);
    expect(two).not.toEqual(single);
    expect(projectMap(large.embeddings, { nEpochs: 100, sharesFrom: 100, threads: 1 })).toEqual(two);
    expect(seen).toHaveLength(100);
    const t = (pts: typeof two) => trustworthiness(large.embeddings, pts.flatMap((p) => [p.x, p.y]), { k: 10 });
    expect(t(two)).toBeGreaterThanOrEqual(t(single) - 0.01);
  });

  it('starts from the spectral layout from spectralFrom papers, for SPECTRAL_EPOCHS: the same on one thread or two, as trustworthy', () => {
    const large = clusteredEmbeddings(5, 120, 32, 0.35, 2);
    const random = projectMap(large.embeddings, { nEpochs: SPECTRAL_EPOCHS, sharesFrom: 100, threads: 2 });
    const seen: number[] = [];
    const spectral = projectMap(large.embeddings, { sharesFrom: 100, spectralFrom: 100, threads: 2, onProgress: (done, total) => seen.push(done / total) });
    expect(seen).toHaveLength(SPECTRAL_EPOCHS);
    expect(spectral).not.toEqual(random);
    expect(projectMap(large.embeddings, { sharesFrom: 100, spectralFrom: 100, threads: 1 })).toEqual(spectral);
    const t = (pts: typeof spectral) => trustworthiness(large.embeddings, pts.flatMap((p) => [p.x, p.y]), { k: 10 });
    expect(t(spectral)).toBeGreaterThanOrEqual(t(random) - 0.01);
  });

  it('reports progress per epoch', () => {
    const seen: number[] = [];
    projectMap(embeddings, { nEpochs: 30, onProgress: (done, total) => seen.push(done / total) });
    expect(seen).toHaveLength(30);
    expect(seen.at(-1)).toBe(1);
  });
});
