// Which vector store a project uses (the local HNSW index or a Milvus collection), recorded in its manifest, and opening it.

import { PapermapError } from '../errors.js';
import { INDEX_DEFAULTS, openLocalStore, openMilvusStore, type StoreState, type VectorStore } from '../index/index.js';
import { putArtefact, readArtefactBytes, readIndex, readPapers, type Project } from '../project/index.js';
import type { Paper } from '../records.js';

/** Environment variables standing in for --milvus-address and --milvus-token. */
export const MILVUS_ADDRESS_ENV = 'PAPERMAP_MILVUS_ADDRESS';
export const MILVUS_TOKEN_ENV = 'PAPERMAP_MILVUS_TOKEN';
/** Collection used when --collection is not given. */
export const DEFAULT_COLLECTION = 'papermap';

/** Where the project's vectors are searched. The token is never recorded: it comes from flags or the environment. */
export type StoreChoice = { store: 'local' } | { store: 'milvus'; address: string; collection: string; token?: string };

/** Store flags of `papermap index`. */
export interface StoreFlags {
  /** 'local' (default for a new index) or 'milvus'; absent: what the project already uses. */
  store?: string;
  milvusAddress?: string;
  milvusToken?: string;
  collection?: string;
}

/** What the index artefacts of a Milvus project hold: the collection and what papermap last wrote to it. */
export interface MilvusIndexRecord extends StoreState {
  store: 'milvus';
  address: string;
  collection: string;
  modelId: string;
  dims: number;
  /** Epoch ms of the last write, so readers use Strong consistency while Bounded may still miss it. */
  lastWriteMs: number;
}

/** The store the project's manifest records for its index ('local' when none). */
export function recordedStore(project: Project): StoreChoice {
  const options = project.manifest.artefacts.index?.options ?? {};
  if (options.store !== 'milvus') return { store: 'local' };
  return { store: 'milvus', address: String(options.address), collection: String(options.collection) };
}

/**
 * The store `papermap index` should use: the flags, else what the project records (local when nothing), with the
 * address from --milvus-address, else the recorded one, else PAPERMAP_MILVUS_ADDRESS. BAD_OPTION for an unknown store or a Milvus store without an address.
 */
export function chooseStore(project: Project, flags: StoreFlags): StoreChoice {
  const recorded = recordedStore(project);
  const kind = flags.store ?? recorded.store;
  if (kind !== 'local' && kind !== 'milvus') throw new PapermapError('BAD_OPTION', `option 'store' is ${JSON.stringify(kind)}: expected one of local, milvus`);
  if (kind === 'local') {
    if (flags.milvusAddress || flags.collection) throw new PapermapError('BAD_OPTION', '--milvus-address and --collection need --store milvus');
    return { store: 'local' };
  }
  const address = flags.milvusAddress ?? (recorded.store === 'milvus' ? recorded.address : process.env[MILVUS_ADDRESS_ENV]) ?? undefined;
  if (!address) throw new PapermapError('BAD_OPTION', '--store milvus needs an address', undefined, `pass --milvus-address host:19530 or set ${MILVUS_ADDRESS_ENV}`);
  const collection = flags.collection ?? (recorded.store === 'milvus' ? recorded.collection : DEFAULT_COLLECTION);
  const token = flags.milvusToken ?? process.env[MILVUS_TOKEN_ENV];
  return { store: 'milvus', address, collection, ...(token ? { token } : {}) };
}

/** The manifest options that identify a store (compared to tell whether the index is up to date). */
export function storeOptions(choice: StoreChoice): Record<string, unknown> {
  return choice.store === 'local' ? {} : { store: 'milvus', address: choice.address, collection: choice.collection };
}

/** Year per paper id, for the year filter, from the papers given (the caller may have read them) or the project's. */
export function yearsOf(project: Project, papers: readonly Paper[] = readPapers(project)): Map<string, number> {
  return new Map(papers.flatMap((p) => (p.year === undefined ? [] : [[p.id, p.year] as const])));
}

/** Stages a Milvus project's index artefacts: the record of what was written (no HNSW file on this machine). */
export function writeMilvusIndex(project: Project, record: MilvusIndexRecord, params: Record<string, unknown>): void {
  const options = { ...params, store: 'milvus', address: record.address, collection: record.collection };
  const head = { store: 'milvus', address: record.address, collection: record.collection, modelId: record.modelId, dims: record.dims };
  putArtefact(project, 'indexLabels', `${JSON.stringify(record)}\n`, { options });
  putArtefact(project, 'index', `${JSON.stringify(head)}\n`, { options });
}

/** The record a Milvus project keeps of its collection, or undefined when the project's index is local. */
export function readMilvusIndex(project: Project): MilvusIndexRecord | undefined {
  if (recordedStore(project).store !== 'milvus') return undefined;
  return JSON.parse(readArtefactBytes(project, 'indexLabels').toString('utf8')) as MilvusIndexRecord;
}

/**
 * Opens the store the project's index lives in: the local HNSW index with each paper's year (from `papers` when the
 * caller has read them: at 100,000 papers a second read cost 3 s), or the recorded Milvus collection at its recorded
 * address (the token from PAPERMAP_MILVUS_TOKEN).
 */
export async function openProjectStore(project: Project, papers?: readonly Paper[]): Promise<VectorStore> {
  const model = project.manifest.model as { id: string; dims: number };
  const milvus = readMilvusIndex(project);
  if (!milvus) return openLocalStore(readIndex(project, { modelId: model.id, dims: model.dims }), yearsOf(project, papers));
  if (milvus.modelId !== model.id || milvus.dims !== model.dims) {
    throw new PapermapError('PROJECT_STALE', `the Milvus collection '${milvus.collection}' holds ${milvus.modelId} vectors (${milvus.dims} dims), the project's vectors use ${model.id} (${model.dims} dims)`, undefined, 'run `papermap index --rebuild`');
  }
  const token = process.env[MILVUS_TOKEN_ENV];
  return openMilvusStore({
    address: milvus.address,
    collection: milvus.collection,
    lastWriteMs: milvus.lastWriteMs,
    efSearch: Number(project.manifest.artefacts.index?.options?.efSearch ?? INDEX_DEFAULTS.efSearch),
    ...(token ? { token } : {}),
  });
}
