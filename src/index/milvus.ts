// The Milvus store: the vector-store contract over a Milvus 2.3+ server or cluster (gRPC, @zilliz/milvus2-sdk-node).

import type { MilvusClient } from '@zilliz/milvus2-sdk-node';

/** The SDK, loaded on first use: its gRPC stack costs about half a second at start-up, which every other command skips. */
let sdk: typeof import('@zilliz/milvus2-sdk-node');
import { PapermapError } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import type { Neighbour } from '../records.js';
import { byScoreThenId } from './exact.js';
import { resolveStoreQuery, type StoreQueryOptions, type StoreRecord, type VectorStore, type YearRange } from './store.js';

/** Where the collection lives and how it is built. */
export interface MilvusStoreOptions {
  /** host:port of the Milvus proxy (gRPC), e.g. 127.0.0.1:19530 or a cluster's load balancer. Required. */
  address: string;
  /** API token (user:password, or a Zilliz Cloud API key). Default: none. */
  token: string | undefined;
  /** Collection name: letters, digits and underscores, starting with a letter or underscore. Default 'papermap'. */
  collection: string;
  /** Vector length; a collection created with other dims is refused. Required when the collection does not exist. */
  dims: number;
  /** HNSW graph degree M. Default 16 (as the local index); 4–64. */
  m: number;
  /** HNSW build beam. Default 200 (as the local index); 8–512. */
  efConstruction: number;
  /** HNSW query beam, raised to k when k is larger. Default 64 (as the local index); 1–32768. */
  efSearch: number;
  /** Rows per insert request: 2,000 × 384 floats ≈ 3 MB, well under gRPC's 64 MB limit. Default 2000; 1–20000. */
  batchSize: number;
  /** Deadline of one request in ms (building the index waits separately). Default 30000; 1000–600000. */
  timeoutMs: number;
  /**
   * Epoch ms of the last write by any process (the project records it). Reads within `strongForMs` of the last write
   * use Strong consistency, later ones Bounded. Default 0 (no recent write known).
   */
  lastWriteMs: number;
  /**
   * How long after a write reads stay Strong. Milvus 2.3's Bounded staleness is 5 s (common.gracefulTime); Strong
   * costs ≈400 ms per request on 2.3 against 2–9 ms for Bounded (issue 15). Default 6000; 0–600000.
   */
  strongForMs: number;
  /** Drop the collection first when it exists (after checking papermap made it), for a rebuild. Default false. */
  recreate: boolean;
}

export const MILVUS_DEFAULTS: MilvusStoreOptions = {
  address: '',
  token: undefined,
  collection: 'papermap',
  dims: 0,
  m: 16,
  efConstruction: 200,
  efSearch: 64,
  batchSize: 2000,
  timeoutMs: 30_000,
  lastWriteMs: 0,
  strongForMs: 6000,
  recreate: false,
};

const CHECKS = {
  address: (v: string) => (typeof v === 'string' && /^[A-Za-z0-9._\-[\]:]+:\d{1,5}$|^https?:\/\/\S+$/.test(v) ? undefined : 'host:port, e.g. 127.0.0.1:19530'),
  collection: (v: string) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(v) ? undefined : 'letters, digits and underscores, starting with a letter or underscore'),
  dims: intIn(0, 32768),
  m: intIn(4, 64),
  efConstruction: intIn(8, 512),
  efSearch: intIn(1, 32768),
  batchSize: intIn(1, 20000),
  timeoutMs: intIn(1000, 600_000),
  lastWriteMs: intIn(0, Number.MAX_SAFE_INTEGER),
  strongForMs: intIn(0, 600_000),
};

/** Longest paper id the collection holds (VarChar max_length). */
const MAX_ID_LENGTH = 1024;
/** Stored for papers without a year; every year filter excludes it. */
const NO_YEAR = 0;

/** A Milvus store. `collection` names the collection it reads and writes. */
export interface MilvusStore extends VectorStore {
  readonly kind: 'milvus';
  readonly address: string;
  readonly collection: string;
  /** Epoch ms of this store's last write (0 when none): record it so the next process reads Strong in time. */
  readonly lastWriteMs: number;
  /**
   * Seals what was written and waits until the HNSW index covers every row (rows not yet indexed are searched by
   * brute force), at most `timeoutMs` (default 30 minutes). Returns the rows indexed.
   */
  waitIndexed(timeoutMs?: number): Promise<number>;
  /** Drops the collection and everything in it. */
  drop(): Promise<void>;
}

/**
 * Connects to Milvus and opens (or creates: id VarChar primary key, vector FloatVector, year Int32; HNSW COSINE
 * index) the collection, loaded for search. Throws STORE_UNAVAILABLE naming the address when the server cannot be
 * reached, BAD_OPTION when the collection's dims differ.
 */
export async function openMilvusStore(options: Partial<MilvusStoreOptions> & { address: string }): Promise<MilvusStore> {
  const opts = resolveOptions(MILVUS_DEFAULTS, options, CHECKS);
  const { address, collection } = opts;
  let client: MilvusClient;
  try {
    sdk ??= await import('@zilliz/milvus2-sdk-node');
    client = new sdk.MilvusClient({ address, ...(opts.token ? { token: opts.token } : {}), timeout: opts.timeoutMs, logLevel: 'error', maxRetries: 1 });
    await client.connectPromise;
  } catch (error) {
    throw unavailable(address, error);
  }
  const call = async <T extends { status?: { error_code?: string | number; reason?: string }; error_code?: string | number; reason?: string }>(what: string, p: Promise<T>): Promise<T> => {
    let res: T;
    try {
      res = await p;
    } catch (error) {
      throw unavailable(address, error);
    }
    const status = res.status ?? res;
    if (status.error_code !== undefined && status.error_code !== sdk.ErrorCode.SUCCESS && status.error_code !== 0) {
      throw new PapermapError('STORE_UNAVAILABLE', `Milvus at ${address} refused ${what} on collection '${collection}': ${status.reason || status.error_code}`);
    }
    return res;
  };

  const dims = await ensureCollection(client, opts, call);
  let lastWriteMs = opts.lastWriteMs;
  const consistency = () => (Date.now() - lastWriteMs < opts.strongForMs ? sdk.ConsistencyLevelEnum.Strong : sdk.ConsistencyLevelEnum.Bounded);

  const runSearch = async (vectors: readonly Float32Array[], opts2: Readonly<StoreQueryOptions>, extraExclude: readonly string[]): Promise<Neighbour[][]> => {
    for (const v of vectors) if (v.length !== dims) throw new PapermapError('BAD_OPTION', `query vector has ${v.length} dimensions, the collection '${collection}' has ${dims}`);
    if (vectors.length === 0) return [];
    const exclude = [...extraExclude, ...opts2.exclude];
    const expr = filterExpression(opts2.years, exclude);
    const res = await call('search', client.search({
      collection_name: collection,
      anns_field: 'vector',
      data: vectors.map((v) => Array.from(v)),
      limit: opts2.k,
      ...(expr ? { filter: expr } : {}),
      // SDK 3.x returns every field (the vector too) unless output_fields names some, and drops the key unless listed.
      output_fields: ['id'],
      params: { ef: Math.max(opts.efSearch, opts2.k) },
      metric_type: sdk.MetricType.COSINE,
      consistency_level: consistency(),
    }));
    const lists = (vectors.length === 1 ? [res.results] : res.results) as unknown as { id: string; score: number }[][];
    return lists.map((hits) => hits.map((h) => ({ id: String(h.id), score: h.score })).sort(byScoreThenId));
  };

  const store: MilvusStore = {
    kind: 'milvus',
    dims,
    address,
    collection,
    get lastWriteMs() {
      return lastWriteMs;
    },
    async upsert(records: readonly StoreRecord[]) {
      for (const r of records) {
        if (r.vector.length !== dims) throw new PapermapError('BAD_OPTION', `vector of '${r.id}' has ${r.vector.length} dimensions, the collection '${collection}' has ${dims}`);
        if (r.id.length > MAX_ID_LENGTH) throw new PapermapError('BAD_OPTION', `paper id '${r.id.slice(0, 60)}…' is longer than ${MAX_ID_LENGTH} characters`);
      }
      for (let start = 0; start < records.length; start += opts.batchSize) {
        const batch = records.slice(start, start + opts.batchSize);
        const data = batch.map((r) => ({ id: r.id, vector: Array.from(r.vector), year: r.year ?? NO_YEAR }));
        lastWriteMs = Date.now();
        await call('upsert', client.upsert({ collection_name: collection, data }));
      }
      if (records.length) lastWriteMs = Date.now();
    },
    async remove(ids: readonly string[]) {
      for (let start = 0; start < ids.length; start += opts.batchSize) {
        const batch = ids.slice(start, start + opts.batchSize);
        lastWriteMs = Date.now();
        await call('delete', client.delete({ collection_name: collection, filter: `id in ${JSON.stringify(batch)}` }));
      }
      if (ids.length) lastWriteMs = Date.now();
    },
    async similar(id: string, options?: Partial<StoreQueryOptions>) {
      const o = resolveStoreQuery(options);
      const res = await call('query', client.query({ collection_name: collection, filter: `id == ${JSON.stringify(id)}`, output_fields: ['vector'], limit: 1, consistency_level: consistency() }));
      const row = res.data[0] as { vector?: number[] } | undefined;
      if (!row?.vector) throw new PapermapError('NOT_FOUND', `no paper with id '${id}' in Milvus collection '${collection}' at ${address}`);
      return (await runSearch([Float32Array.from(row.vector)], o, [id]))[0] ?? [];
    },
    async search(vector: Float32Array, options?: Partial<StoreQueryOptions>) {
      return (await runSearch([vector], resolveStoreQuery(options), []))[0] ?? [];
    },
    async searchMany(vectors: readonly Float32Array[], options?: Partial<StoreQueryOptions>) {
      return runSearch(vectors, resolveStoreQuery(options), []);
    },
    async count() {
      const res = await call('count', client.query({ collection_name: collection, output_fields: ['count(*)'], consistency_level: consistency() }));
      return Number((res.data[0] as Record<string, unknown> | undefined)?.['count(*)'] ?? 0);
    },
    async waitIndexed(timeoutMs = 30 * 60_000) {
      await call('flush', client.flushSync({ collection_names: [collection] }));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await call('describeIndex', client.describeIndex({ collection_name: collection, field_name: 'vector' }));
        const d = res.index_descriptions[0];
        const indexed = Number(d?.indexed_rows ?? 0);
        // Every row sits in an indexed segment once indexed ≥ total. pending_index_rows is not waited for: after the
        // first full index Milvus 2.3 compacts the segments and indexes the merged ones again (1M rows: 0.9M pending
        // for over 10 min), serving the old indexed segments meanwhile.
        if (d && indexed >= Number(d.total_rows ?? 0)) return indexed;
        if (d?.index_state_fail_reason) throw new PapermapError('STORE_UNAVAILABLE', `Milvus at ${address} failed to index '${collection}': ${d.index_state_fail_reason}`);
        if (Date.now() > deadline) throw new PapermapError('STORE_UNAVAILABLE', `Milvus at ${address} indexed ${indexed} of ${d?.total_rows} rows of '${collection}' within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async drop() {
      await call('drop', client.dropCollection({ collection_name: collection }));
    },
    async close() {
      await client.closeConnection();
    },
  };
  return store;
}

type Call = <T extends { status?: { error_code?: string | number; reason?: string }; error_code?: string | number; reason?: string }>(what: string, p: Promise<T>) => Promise<T>;

/** Creates the collection and its HNSW index when missing, checks its dims, loads it; returns the dims. */
async function ensureCollection(client: MilvusClient, opts: Readonly<MilvusStoreOptions>, call: Call): Promise<number> {
  const { collection } = opts;
  let has = (await call('hasCollection', client.hasCollection({ collection_name: collection }))).value;
  if (has && opts.recreate) {
    await describeOwn(client, opts, call);
    await call('drop', client.dropCollection({ collection_name: collection }));
    has = false;
  }
  if (!has) {
    if (opts.dims <= 0) throw new PapermapError('NOT_FOUND', `Milvus at ${opts.address} has no collection '${collection}'`, undefined, 'run `papermap index --store milvus` to create it');
    await call('createCollection', client.createCollection({
      collection_name: collection,
      fields: [
        { name: 'id', data_type: sdk.DataType.VarChar, is_primary_key: true, autoID: false, max_length: MAX_ID_LENGTH },
        { name: 'vector', data_type: sdk.DataType.FloatVector, dim: opts.dims },
        { name: 'year', data_type: sdk.DataType.Int32 },
      ],
    }));
    await call('createIndex', client.createIndex({
      collection_name: collection,
      field_name: 'vector',
      index_type: 'HNSW',
      metric_type: sdk.MetricType.COSINE,
      params: { M: opts.m, efConstruction: opts.efConstruction },
    }));
  }
  const dims = await describeOwn(client, opts, call);
  if (opts.dims > 0 && dims !== opts.dims) {
    throw new PapermapError('BAD_OPTION', `Milvus collection '${collection}' at ${opts.address} holds ${dims}-dimensional vectors, these have ${opts.dims}`, undefined, 'choose another name with --collection');
  }
  await call('loadCollection', client.loadCollectionSync({ collection_name: collection }));
  return dims;
}

/** The dims of a collection papermap made; BAD_OPTION when its fields are not papermap's (id, vector, year). */
async function describeOwn(client: MilvusClient, opts: Readonly<MilvusStoreOptions>, call: Call): Promise<number> {
  const { collection } = opts;
  const described = await call('describeCollection', client.describeCollection({ collection_name: collection }));
  const vectorField = described.schema.fields.find((f) => f.name === 'vector');
  const dims = Number(vectorField?.type_params?.find((p) => p.key === 'dim')?.value ?? (vectorField as { dim?: number } | undefined)?.dim ?? 0);
  if (!vectorField || !described.schema.fields.some((f) => f.name === 'id') || !described.schema.fields.some((f) => f.name === 'year')) {
    throw new PapermapError('BAD_OPTION', `Milvus collection '${collection}' at ${opts.address} was not made by papermap (it needs fields id, vector, year)`, undefined, 'choose another name with --collection');
  }
  return dims;
}

/** The boolean expression for a year range and excluded ids, or '' when there is none. */
function filterExpression(years: YearRange | undefined, exclude: readonly string[]): string {
  const parts: string[] = [];
  if (years) {
    parts.push(`year >= ${years.from ?? 1}`);
    if (years.to !== undefined) parts.push(`year <= ${years.to}`);
  }
  if (exclude.length) parts.push(`id not in ${JSON.stringify(exclude)}`);
  return parts.join(' and ');
}

/** One clear error for a server that cannot be reached, naming the address. */
function unavailable(address: string, error: unknown): PapermapError {
  if (error instanceof PapermapError) return error;
  const detail = String((error as Error)?.message ?? error).split('\n')[0]?.slice(0, 200);
  return new PapermapError('STORE_UNAVAILABLE', `cannot reach Milvus at ${address}: ${detail?.replace(/\.? *Resolution note.*$/, '')}`, undefined, 'check the address (host:port of the Milvus proxy, default port 19530) and that the server is running; `bash scripts/milvus.sh start` runs a local one');
}
