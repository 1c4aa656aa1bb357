// The vector-store contract: one conformance suite over the local HNSW store and a real Milvus server, and the
// Milvus store's top 10 against the local store's on the bundled corpus.
//
// The Milvus half needs a server: `bash scripts/milvus.sh test` starts one (PyPI milvus 2.3.5) and runs the suite with
// PAPERMAP_MILVUS_ADDRESS=127.0.0.1:19530. Without that variable it is skipped, except in CI (CI=true), where it fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore, openMilvusStore, storeNeighbourGraph, syncStore, type VectorStore } from '../../src/index/index.js';
import type { MilvusStore } from '../../src/index/milvus.js';
import { openProject, readEmbeddings, readIndex, readPapers } from '../../src/project/index.js';
import { corpusProject } from '../helpers/corpus-project.js';
import { clusteredEmbeddings } from '../helpers/vectors.js';

const MILVUS_ADDRESS = process.env.PAPERMAP_MILVUS_ADDRESS;
const IN_CI = process.env.CI === 'true';
const DIMS = 32;
/** A collection name no other run uses, so parallel runs against one server do not meet. */
const RUN = `t${process.pid}_${Date.now().toString(36)}`;

if (!MILVUS_ADDRESS) {
  process.stderr.write('test/index/store.test.ts: PAPERMAP_MILVUS_ADDRESS is not set, so the Milvus store tests are skipped; `bash scripts/milvus.sh test` runs them against a local Milvus 2.3.5\n');
}

const base = clusteredEmbeddings(600, DIMS, 21);
const yearOfRow = (row: number) => 2000 + (row % 20);
const records = base.ids.map((id, row) => ({ id, vector: base.vectors.subarray(row * DIMS, (row + 1) * DIMS), year: yearOfRow(row) }));
const vectorOfRow = (row: number) => base.vectors.subarray(row * DIMS, (row + 1) * DIMS);

/** The suite every store passes. `open` gives a new empty store for DIMS-long vectors. */
function conformance(name: string, open: (collection: string) => Promise<VectorStore>): void {
  describe(`${name} store`, () => {
    let store: VectorStore;
    beforeAll(async () => {
      store = await open(`conf_${RUN}`);
      await store.upsert(records);
    });
    afterAll(async () => {
      if (store && 'drop' in store) await (store as MilvusStore).drop();
      await store?.close();
    });

    it('counts what was upserted', async () => {
      expect(await store.count()).toBe(600);
    });

    it('finds a paper from its own vector first', async () => {
      const hits = await store.search(vectorOfRow(42), { k: 5 });
      expect(hits).toHaveLength(5);
      expect(hits[0]).toMatchObject({ id: 'p42' });
      expect(hits[0]?.score).toBeCloseTo(1, 4);
    });

    it('answers similar without the paper itself, best first, ties by id', async () => {
      const hits = await store.similar('p7', { k: 10, exclude: ['p19'] });
      expect(hits).toHaveLength(10);
      expect(hits.map((h) => h.id)).not.toContain('p7');
      expect(hits.map((h) => h.id)).not.toContain('p19');
      for (let i = 1; i < hits.length; i++) {
        const [a, b] = [hits[i - 1], hits[i]] as [{ id: string; score: number }, { id: string; score: number }];
        expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
      }
    });

    it('answers several queries at once, in order', async () => {
      const answers = await store.searchMany([vectorOfRow(3), vectorOfRow(300)], { k: 2 });
      expect(answers.map((a) => a[0]?.id)).toEqual(['p3', 'p300']);
    });

    it('keeps to a year range, and still returns k papers when k pass it', async () => {
      const hits = await store.search(vectorOfRow(10), { k: 10, years: { from: 2005, to: 2006 } });
      expect(hits).toHaveLength(10);
      for (const h of hits) expect([2005, 2006]).toContain(yearOfRow(Number(h.id.slice(1))));
      const upTo = await store.similar('p10', { k: 10, years: { to: 2001 } });
      expect(upTo).toHaveLength(10);
      for (const h of upTo) expect(yearOfRow(Number(h.id.slice(1)))).toBeLessThanOrEqual(2001);
    });

    it('replaces a vector on upsert and forgets removed papers', async () => {
      await store.upsert([{ id: 'p1', vector: vectorOfRow(500), year: 2010 }]);
      expect(await store.count()).toBe(600);
      const nearest = await store.search(vectorOfRow(500), { k: 2 });
      expect(nearest.map((h) => h.id).sort()).toEqual(['p1', 'p500']);
      await store.remove(['p500', 'p501', 'not-there']);
      expect(await store.count()).toBe(598);
      const after = await store.search(vectorOfRow(501), { k: 20 });
      expect(after.map((h) => h.id)).not.toContain('p501');
      await expect(store.similar('p500')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('syncs incrementally: only new, changed and removed papers are written', async () => {
      const sync = await open(`sync_${RUN}`);
      try {
        const small = clusteredEmbeddings(200, DIMS, 5);
        const years = new Map(small.ids.map((id, row) => [id, yearOfRow(row)]));
        const first = await syncStore(sync, small, years);
        expect(first.report).toMatchObject({ added: 200, changed: 0, removed: 0, unchanged: 0, rebuilt: true });
        const next = clusteredEmbeddings(200, DIMS, 5);
        next.vectors.set(small.vectors.subarray(DIMS * 10, DIMS * 11), DIMS * 3); // p3 now has p10's vector
        years.set('p4', 1999);
        const trimmed = { ...next, ids: next.ids.slice(0, 190), vectors: next.vectors.subarray(0, 190 * DIMS) };
        const second = await syncStore(sync, trimmed, years, first.state);
        expect(second.report).toMatchObject({ added: 0, changed: 2, removed: 10, unchanged: 188, rebuilt: false });
        expect(await sync.count()).toBe(190);
        expect((await sync.search(small.vectors.subarray(DIMS * 10, DIMS * 11), { k: 2 })).map((h) => h.id).sort()).toEqual(['p10', 'p3']);
        expect((await sync.search(small.vectors.subarray(DIMS * 4, DIMS * 5), { k: 1, years: { to: 1999 } })).map((h) => h.id)).toEqual(['p4']);
        const graph = await storeNeighbourGraph(sync, trimmed, 5);
        expect(graph.indices).toHaveLength(190);
        graph.indices.forEach((row, i) => {
          expect(row).toHaveLength(5);
          expect(row).not.toContain(i);
        });
      } finally {
        if ('drop' in sync) await (sync as MilvusStore).drop();
        await sync.close();
      }
    });

    it('rejects bad options with BAD_OPTION', async () => {
      await expect(store.search(vectorOfRow(1), { k: 0 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
      await expect(store.search(new Float32Array(DIMS + 1))).rejects.toMatchObject({ code: 'BAD_OPTION' });
      await expect(store.search(vectorOfRow(1), { years: { from: 2010, to: 2000 } })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    });
  });
}

conformance('local', async () => openLocalStore({ modelId: 'test/fp32', dims: DIMS }));

const describeMilvus = MILVUS_ADDRESS ? describe : IN_CI ? describe : describe.skip;

describeMilvus('Milvus server', () => {
  it('is configured (CI=true requires PAPERMAP_MILVUS_ADDRESS; .ci/run starts the server)', () => {
    expect(MILVUS_ADDRESS, 'PAPERMAP_MILVUS_ADDRESS').toBeTruthy();
  });
});

if (MILVUS_ADDRESS) {
  conformance('Milvus', async (collection) => openMilvusStore({ address: MILVUS_ADDRESS, collection, dims: DIMS }));

  describe('Milvus against the local store on the bundled corpus', () => {
    it('returns the local top 10 (similar and search) with recall ≥ 0.99', async () => {
      const project = openProject(corpusProject());
      const embeddings = readEmbeddings(project);
      const years = new Map(readPapers(project).flatMap((p) => (p.year === undefined ? [] : [[p.id, p.year] as const])));
      const local = openLocalStore(readIndex(project, { modelId: embeddings.modelId, dims: embeddings.dims }), years);
      const milvus = await openMilvusStore({ address: MILVUS_ADDRESS, collection: `corpus_${RUN}`, dims: embeddings.dims });
      try {
        const { dims } = embeddings;
        await milvus.upsert(embeddings.ids.map((id, row) => ({ id, vector: embeddings.vectors.subarray(row * dims, (row + 1) * dims), year: years.get(id) })));
        expect(await milvus.count()).toBe(embeddings.ids.length);
        let similarFound = 0;
        for (const id of embeddings.ids) {
          const truth = new Set((await local.similar(id, { k: 10 })).map((n) => n.id));
          similarFound += (await milvus.similar(id, { k: 10 })).filter((n) => truth.has(n.id)).length;
        }
        const queries = embeddings.ids.map((_, row) => embeddings.vectors.subarray(row * dims, (row + 1) * dims));
        const localAnswers = await local.searchMany(queries, { k: 10 });
        const milvusAnswers = await milvus.searchMany(queries, { k: 10 });
        const searchFound = milvusAnswers.reduce((sum, hits, q) => sum + hits.filter((h) => localAnswers[q]?.some((t) => t.id === h.id)).length, 0);
        expect(embeddings.ids.length).toBeGreaterThan(400);
        expect(similarFound / (embeddings.ids.length * 10)).toBeGreaterThanOrEqual(0.99);
        expect(searchFound / (embeddings.ids.length * 10)).toBeGreaterThanOrEqual(0.99);
      } finally {
        await milvus.drop();
        await milvus.close();
      }
    });
  });
}

describe('Milvus store errors', () => {
  it('names the address in one STORE_UNAVAILABLE error when nothing listens there', async () => {
    const error = await openMilvusStore({ address: '127.0.0.1:1', dims: DIMS, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('\n');
  });

  it('rejects an address without a port and a bad collection name with BAD_OPTION', async () => {
    await expect(openMilvusStore({ address: 'localhost', dims: DIMS })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(openMilvusStore({ address: '127.0.0.1:19530', collection: 'no-dashes', dims: DIMS })).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });
});
