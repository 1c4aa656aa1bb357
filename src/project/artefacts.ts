// Typed read and write of every artefact, and their file formats: papers, skips, vectors, index, themes, map.

import { PapermapError } from '../errors.js';
import { indexMeta, readIndexFile, writeIndexFile, type IndexMeta, type PaperIndex } from '../index/index.js';
import { lexicalIndexBytes, parseLexicalIndex, type LexicalIndex } from '../index/lexical.js';
import type { MapParams } from '../map/index.js';
import type { Embeddings, MapPoint, NeighbourGraph, Paper, Skip } from '../records.js';
import type { ParseCache } from '../ingest/index.js';
import type { ThemesResult } from '../themes/index.js';
import { artefactPath, commandFor, freshness, putArtefact, readArtefactBytes, requireArtefact, setModel, type Project, type PutMeta } from './store.js';
import type { ArtefactName } from './manifest.js';

/** map.json: the positions and how they were made. */
export interface MapFile {
  formatVersion: 1;
  params: MapParams;
  points: MapPoint[];
}

/** Serialises records as JSON Lines. */
export function toJsonl(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

function readJsonl<T>(project: Project, name: ArtefactName): T[] {
  const text = readArtefactBytes(project, name).toString('utf8');
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      throw new PapermapError('PROJECT_DAMAGED', 'line is not valid JSON', { file: requireArtefact(project, name).file, line: i + 1 }, `run \`${commandFor(project, name)}\` to rebuild it`);
    }
  });
  return out;
}

function readJson<T>(project: Project, name: ArtefactName): T {
  return readParsed(project, name, (bytes) => JSON.parse(bytes.toString('utf8')) as T);
}

/** An artefact read by `parse`; what it cannot parse is PROJECT_DAMAGED, naming the file and the command that rebuilds it. */
function readParsed<T>(project: Project, name: ArtefactName, parse: (bytes: Buffer) => T): T {
  const entry = requireArtefact(project, name);
  try {
    return parse(readArtefactBytes(project, name));
  } catch (error) {
    if (error instanceof PapermapError) throw error;
    throw new PapermapError('PROJECT_DAMAGED', `${entry.file} is not valid JSON`, { file: entry.file }, `run \`${commandFor(project, name)}\` to rebuild it`);
  }
}

/** The project's papers, in their saved order. */
export function readPapers(project: Project): Paper[] {
  return readJsonl<Paper>(project, 'papers');
}

/** The project's skip report ([] when there is none). */
export function readSkipped(project: Project): Skip[] {
  return project.manifest.artefacts.skipped ? readJsonl<Skip>(project, 'skipped') : [];
}

/** Stages papers and the skip report. */
export function writePapers(project: Project, papers: readonly Paper[], skipped: readonly Skip[], meta: PutMeta = {}): void {
  putArtefact(project, 'skipped', toJsonl(skipped), meta);
  putArtefact(project, 'papers', toJsonl(papers), meta);
}

/**
 * The ingest parse cache of the last ingest, or undefined when there is none or it cannot be read (it is only a
 * cache: a damaged one means every file is parsed again, not an error).
 */
export function readParseCache(project: Project): ParseCache | undefined {
  if (!project.manifest.artefacts.parseCache) return undefined;
  try {
    return readJson<ParseCache>(project, 'parseCache');
  } catch (error) {
    if (error instanceof PapermapError && error.code === 'PROJECT_DAMAGED') return undefined;
    throw error;
  }
}

/** Stages the ingest parse cache (one JSON document; files keyed by sha256 in the order they were read). */
export function writeParseCache(project: Project, cache: ParseCache): void {
  putArtefact(project, 'parseCache', `${JSON.stringify(cache)}\n`);
}

/** Stages vectors (raw little-endian float32 rows) and their ids, and records the model. */
export function writeEmbeddings(project: Project, embeddings: Embeddings, meta: PutMeta = {}): void {
  putArtefact(project, 'ids', `${JSON.stringify(embeddings.ids)}\n`, meta);
  putArtefact(project, 'vectors', new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength), meta);
  setModel(project, { id: embeddings.modelId, dims: embeddings.dims });
}

/** Loads the saved vectors and their ids. */
export function readEmbeddings(project: Project): Embeddings {
  const model = project.manifest.model;
  const buf = readArtefactBytes(project, 'vectors');
  const ids = readJson<string[]>(project, 'ids');
  if (!model) throw new PapermapError('PROJECT_DAMAGED', 'the manifest names no model for the vectors', undefined, `run \`${commandFor(project, 'vectors')}\``);
  const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (vectors.length !== ids.length * model.dims) {
    throw new PapermapError('PROJECT_DAMAGED', `the vectors hold ${vectors.length / model.dims} rows but their id list has ${ids.length}`, undefined, `run \`${commandFor(project, 'vectors')}\``);
  }
  return { modelId: model.id, dims: model.dims, ids, vectors };
}

/** Stages the index: the HNSW graph and its label table. */
export function writeIndex(project: Project, index: PaperIndex): void {
  const meta = { options: { ...index.params }, seed: index.params.randomSeed };
  putArtefact(project, 'indexLabels', `${JSON.stringify(indexMeta(index))}\n`, meta);
  putArtefact(project, 'index', (path) => writeIndexFile(index, path), meta);
}

/** Loads the project's index. PROJECT_STALE when it was built with another model than `expected`. */
export function readIndex(project: Project, expected?: { modelId: string; dims: number }): PaperIndex {
  const meta = readJson<IndexMeta>(project, 'indexLabels');
  const path = artefactPath(project, 'index');
  if (expected && (meta.modelId !== expected.modelId || meta.dims !== expected.dims)) {
    throw new PapermapError('PROJECT_STALE', `the index was built with ${meta.modelId} (${meta.dims} dims), the project's vectors use ${expected.modelId} (${expected.dims} dims)`, undefined, `run \`${commandFor(project, 'index')}\` to rebuild it`);
  }
  return readIndexFile(meta, path);
}

/**
 * Stages the papers' neighbour graph: k float64 distances per paper, then k int32 neighbour rows per paper (little
 * endian, row-major; the float64 part first keeps it aligned). Distances stay float64 so a graph read back is the graph computed, to the bit.
 */
export function writeKnn(project: Project, graph: NeighbourGraph): void {
  const n = graph.indices.length;
  const k = graph.indices[0]?.length ?? 0;
  const bytes = new Uint8Array(n * k * 12);
  const distances = new Float64Array(bytes.buffer, 0, n * k);
  const indices = new Int32Array(bytes.buffer, n * k * 8, n * k);
  for (let i = 0; i < n; i++) {
    const row = graph.indices[i] as number[];
    const dist = graph.distances[i] as number[];
    if (row.length !== k || dist.length !== k) return; // ragged (fewer papers than k + 1): not worth storing
    indices.set(row, i * k);
    distances.set(dist, i * k);
  }
  putArtefact(project, 'knn', bytes, { options: { rows: n, k } });
}

/** The stored neighbour graph when it is fresh and holds k columns for `rows` papers; else undefined. */
export function readKnn(project: Project, rows: number, k: number): NeighbourGraph | undefined {
  const f = freshness(project, 'knn');
  const stored = f.state === 'fresh' ? (f.entry.options as { rows?: number; k?: number } | undefined) : undefined;
  if (!stored || stored.rows !== rows || stored.k !== k) return undefined;
  const cols = k;
  const buf = readArtefactBytes(project, 'knn');
  if (buf.byteLength !== rows * cols * 12) return undefined;
  const copy = new Uint8Array(buf);
  const distances = new Float64Array(copy.buffer, 0, rows * cols);
  const indices = new Int32Array(copy.buffer, rows * cols * 8, rows * cols);
  const graph: NeighbourGraph = { indices: [], distances: [] };
  for (let i = 0; i < rows; i++) {
    graph.indices.push(Array.from(indices.subarray(i * cols, (i + 1) * cols)));
    graph.distances.push(Array.from(distances.subarray(i * cols, (i + 1) * cols)));
  }
  return graph;
}

/** Stages the lexical (BM25) index of the papers' titles and abstracts. */
export function writeLexical(project: Project, index: LexicalIndex): void {
  putArtefact(project, 'lexical', lexicalIndexBytes(index), { options: { ...index.params } });
}

/** Loads the lexical index. */
export function readLexical(project: Project): LexicalIndex {
  return readParsed(project, 'lexical', parseLexicalIndex);
}

/** Stages themes.json. */
export function writeThemes(project: Project, result: ThemesResult, meta: PutMeta = {}): void {
  putArtefact(project, 'themes', `${JSON.stringify(result, null, 2)}\n`, meta);
}

/** Reads themes.json as saved. */
export function readThemes(project: Project): ThemesResult {
  return readJson<ThemesResult>(project, 'themes');
}

/** Stages map.json. */
export function writeMap(project: Project, map: MapFile, meta: PutMeta = {}): void {
  putArtefact(project, 'map', `${JSON.stringify(map)}\n`, meta);
}

/** Reads map.json. */
export function readMap(project: Project): MapFile {
  return readJson<MapFile>(project, 'map');
}

/** Stages the HTML map. */
export function writeMapHtml(project: Project, html: string, meta: PutMeta = {}): void {
  putArtefact(project, 'mapHtml', html, meta);
}

/** The committed HTML map's text, or undefined when the project has none. */
export function readMapHtml(project: Project): string | undefined {
  return project.manifest.artefacts.mapHtml ? readArtefactBytes(project, 'mapHtml').toString('utf8') : undefined;
}
