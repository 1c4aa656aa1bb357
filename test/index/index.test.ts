// The HNSW index: recall against exact search, incremental updates, persistence and its checks.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex, CONSTRUCTION_GRAPH_K, exactSearch, GRAPH_BEAM_FROM, graphEf, graphRows, indexSize, neighbourGraph, neighbourGraphParallel, search, similar, updateIndex, writeIndexFile } from '../../src/index/index.js';
import { openForWrite, openProject, readIndex, withWriter, writeIndex } from '../../src/project/index.js';
import { PATCHED_HNSW } from '../../src/index/hnsw.js';
import { clusteredEmbeddings, concat } from '../helpers/vectors.js';

const DIMS = 64;

function recallAt10(base: ReturnType<typeof clusteredEmbeddings>, index: ReturnType<typeof buildIndex>, queries: number): number {
  let found = 0;
  for (let q = 0; q < queries; q++) {
    const id = base.ids[q * 7] as string;
    const vec = base.vectors.subarray(q * 7 * DIMS, (q * 7 + 1) * DIMS);
    const truth = new Set(exactSearch(base, vec, 11).map((n) => n.id).filter((x) => x !== id).slice(0, 10));
    found += similar(index, id, { k: 10 }).filter((n) => truth.has(n.id)).length;
  }
  return found / (queries * 10);
}

describe('buildIndex and queries', () => {
  const base = clusteredEmbeddings(3000, DIMS, 7);
  const index = buildIndex(base);

  it('finds the exact top-10 with recall ≥ 0.99 on the default parameters', () => {
    expect(recallAt10(base, index, 200)).toBeGreaterThanOrEqual(0.99);
  });

  it('never returns the query paper itself, and sorts by score then id', () => {
    const hits = similar(index, 'p5', { k: 20 });
    expect(hits).toHaveLength(20);
    expect(hits.map((h) => h.id)).not.toContain('p5');
    for (let i = 1; i < hits.length; i++) expect((hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((hits[i] as { score: number }).score);
  });

  it('answers a vector query with the paper whose vector it is first', () => {
    const vec = base.vectors.subarray(42 * DIMS, 43 * DIMS);
    expect(search(index, vec, { k: 3 })[0]).toMatchObject({ id: 'p42' });
  });

  it('rejects a bad k and an unknown id with typed errors', () => {
    expect(() => similar(index, 'p1', { k: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => similar(index, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('gives a neighbour graph in row order without self-loops', () => {
    const small = clusteredEmbeddings(200, DIMS, 3);
    const g = neighbourGraph(buildIndex(small), small.ids, 5);
    expect(g.indices).toHaveLength(200);
    g.indices.forEach((row, i) => {
      expect(row).toHaveLength(5);
      expect(row).not.toContain(i);
    });
  });
});

describe('building on several threads and from typed rows', () => {
  const base = clusteredEmbeddings(3000, DIMS, 7);

  it('keeps recall ≥ 0.99 when every core builds the graph', () => {
    expect(recallAt10(base, buildIndex(base, { threads: 0 }), 200)).toBeGreaterThanOrEqual(0.99);
  });

  it('gives the same graph on every single-thread build', () => {
    const a = buildIndex(base);
    const b = buildIndex(base);
    for (const id of ['p0', 'p77', 'p1234']) expect(similar(b, id, { k: 10 })).toEqual(similar(a, id, { k: 10 }));
  });

  it('answers the neighbour graph with a beam of twice its neighbours from GRAPH_BEAM_FROM papers, close to exact search', () => {
    const index = buildIndex(base);
    expect(graphEf(15, index.params.efSearch, GRAPH_BEAM_FROM)).toBe(32);
    expect(graphEf(15, index.params.efSearch, GRAPH_BEAM_FROM - 1)).toBe(index.params.efSearch);
    const rows = Array.from({ length: 100 }, (_, i) => i * 30);
    const graph = graphRows(index, base.ids, 15, 0, base.ids.length, base, graphEf(15, index.params.efSearch, GRAPH_BEAM_FROM));
    let hits = 0;
    for (const r of rows) {
      const truth = new Set(exactSearch(base, base.vectors.subarray(r * DIMS, (r + 1) * DIMS), 16).map((h) => h.id).filter((id) => id !== base.ids[r]).slice(0, 15));
      hits += (graph.indices[r] as number[]).filter((j) => truth.has(base.ids[j] as string)).length;
    }
    expect(hits / (rows.length * 15)).toBeGreaterThanOrEqual(0.95);
  });

  it('builds the neighbour graph from the embedding rows as from the stored vectors', () => {
    const small = clusteredEmbeddings(300, DIMS, 3);
    const index = buildIndex(small);
    expect(neighbourGraph(index, small.ids, 8, small).indices).toEqual(neighbourGraph(index, small.ids, 8).indices);
  });

  it('gives the same neighbour graph, to the bit, when worker threads answer shares of the rows', async () => {
    const small = clusteredEmbeddings(1000, DIMS, 5);
    const index = buildIndex(small);
    const file = join(mkdtempSync(join(tmpdir(), 'papermap-graph-')), 'index.hnsw');
    writeIndexFile(index, file);
    const one = neighbourGraph(index, small.ids, 10);
    expect(await neighbourGraphParallel(index, file, small.ids, 10, { threads: 3, minRows: 0 })).toEqual(one);
  });

  it('rejects a bad thread count', () => {
    expect(() => buildIndex(base, { threads: -1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

describe('the neighbour graph a build finds while inserting', () => {
  const base = clusteredEmbeddings(3000, DIMS, 7);

  it('is kept from CONSTRUCTION_GRAPH_FROM papers (or when asked), with the same index as a plain build', () => {
    expect(buildIndex(base).graph).toBeUndefined();
    const kept = buildIndex(base, {}, true);
    const plain = buildIndex(base);
    expect(PATCHED_HNSW).toBe(true);
    expect(kept.graph).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'papermap-cgraph-'));
    writeIndexFile(kept, join(dir, 'kept.hnsw'));
    writeIndexFile(plain, join(dir, 'plain.hnsw'));
    expect(readFileSync(join(dir, 'kept.hnsw')).equals(readFileSync(join(dir, 'plain.hnsw')))).toBe(true);
  });

  it('lists CONSTRUCTION_GRAPH_K neighbours per row, nearest first, never the row itself, close to exact search', () => {
    const graph = buildIndex(base, {}, true).graph as NonNullable<ReturnType<typeof buildIndex>['graph']>;
    let hits = 0;
    let checked = 0;
    const bad: string[] = [];
    for (let r = 0; r < base.ids.length; r++) {
      const row = graph.indices[r] as number[];
      const dist = graph.distances[r] as number[];
      if (row.length !== CONSTRUCTION_GRAPH_K || row.includes(r) || dist.some((v, c) => c > 0 && v < (dist[c - 1] as number))) bad.push(`row ${r}: ${row.join(',')}`);
      if (r % 10 === 0) {
        const truth = new Set(exactSearch(base, base.vectors.subarray(r * DIMS, (r + 1) * DIMS), CONSTRUCTION_GRAPH_K + 1).map((h) => h.id).filter((id) => id !== base.ids[r]).slice(0, CONSTRUCTION_GRAPH_K));
        hits += row.filter((j) => truth.has(base.ids[j] as string)).length;
        checked++;
      }
      // Its distances are the cosine distances of the rows it lists.
      let dot = 0;
      const j = row[0] as number;
      for (let d = 0; d < DIMS; d++) dot += (base.vectors[r * DIMS + d] as number) * (base.vectors[j * DIMS + d] as number);
      if (Math.abs((dist[0] as number) - (1 - dot)) > 1e-5) bad.push(`row ${r}: distance ${dist[0]} to ${j}, cosine ${dot}`);
    }
    expect(bad).toEqual([]);
    expect(hits / (checked * CONSTRUCTION_GRAPH_K)).toBeGreaterThanOrEqual(0.95);
  });

  it('is the same on every single-thread build', () => {
    expect(buildIndex(base, {}, true).graph).toEqual(buildIndex(base, {}, true).graph);
  });
});

describe('updateIndex', () => {
  it('adds new papers without a rebuild and leaves old answers unchanged', () => {
    const old = clusteredEmbeddings(1000, DIMS, 11);
    const index = buildIndex(old);
    const before = old.ids.slice(0, 50).map((id) => similar(index, id, { k: 10 }));
    // New papers live in a far-away cluster set, so they do not enter the old papers' top-10.
    const extra = clusteredEmbeddings(300, DIMS, 99, 3, 1000);
    const { index: updated, report } = updateIndex(index, concat(old, extra));
    expect(report).toMatchObject({ added: 300, changed: 0, removed: 0, unchanged: 1000, rebuilt: false });
    expect(updated).toBe(index);
    expect(indexSize(updated)).toBe(1300);
    const after = old.ids.slice(0, 50).map((id) => similar(updated, id, { k: 10 }).filter((h) => Number(h.id.slice(1)) < 1000));
    after.forEach((hits, i) => expect(hits.map((h) => h.id)).toEqual((before[i] ?? []).slice(0, hits.length).map((h) => h.id)));
  });

  it('re-embeds changed papers and drops removed ones', () => {
    const old = clusteredEmbeddings(400, DIMS, 5);
    const index = buildIndex(old);
    const next = clusteredEmbeddings(400, DIMS, 5);
    next.vectors.set(next.vectors.subarray(DIMS * 10, DIMS * 11), DIMS * 3); // p3 now has p10's vector
    const trimmed = { ...next, ids: next.ids.slice(0, 390), vectors: next.vectors.subarray(0, 390 * DIMS) };
    const { index: updated, report } = updateIndex(index, trimmed);
    expect(report).toMatchObject({ added: 0, changed: 1, removed: 10, rebuilt: false });
    expect(indexSize(updated)).toBe(390);
    expect(similar(updated, 'p10', { k: 1 })[0]).toMatchObject({ id: 'p3' });
    expect(() => similar(updated, 'p395')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('saveIndex and loadIndex', () => {
  it('round-trips through the project and answers the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-index-'));
    const emb = clusteredEmbeddings(500, DIMS, 2);
    const index = buildIndex(emb);
    await withWriter(dir, { command: 'test', create: true }, (project) => writeIndex(project, index));
    const loaded = readIndex(openProject(dir), { modelId: emb.modelId, dims: DIMS });
    expect(similar(loaded, 'p9', { k: 10 })).toEqual(similar(index, 'p9', { k: 10 }));
  });

  it('refuses an index built with another model, naming the command to run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-index-'));
    await withWriter(dir, { command: 'test', create: true }, (project) => writeIndex(project, buildIndex(clusteredEmbeddings(50, DIMS, 2))));
    expect(() => readIndex(openProject(dir), { modelId: 'other/int8', dims: DIMS })).toThrow(expect.objectContaining({ code: 'PROJECT_STALE', hint: expect.stringContaining('papermap index') }));
  });

  it('says which command to run when there is no index', async () => {
    const project = await openForWrite(mkdtempSync(join(tmpdir(), 'pm-index-')), { command: 'test', create: true });
    expect(() => readIndex(project)).toThrow(expect.objectContaining({ code: 'PROJECT_MISSING' }));
  });
});
