// The project directory: where each artefact lives, the manifest that records how it was made, and staleness checks.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PapermapError } from '../errors.js';
import type { Embeddings, Paper, Skip } from '../records.js';
import { replaceAtomic, writeFileAtomic } from '../atomic.js';
import { indexMeta, readIndexFile, writeIndexFile, type IndexMeta, type PaperIndex } from '../index/index.js';
import { sha256 } from '../hash.js';
import { PAPERMAP_VERSION } from '../package.js';

export { writeFileAtomic, replaceAtomic, tempPathFor } from '../atomic.js';
export { sha256 } from '../hash.js';
export { PACKAGE_ROOT, PAPERMAP_VERSION } from '../package.js';

/** Default project directory, relative to the working directory. */
export const DEFAULT_PROJECT_DIR = '.papermap';
/** Version of the project layout; bump when a file's shape changes. */
export const FORMAT_VERSION = 1;

/** The artefacts a project holds, each written by one command. */
export type ArtefactName = 'papers' | 'skipped' | 'vectors' | 'index' | 'themes' | 'map' | 'mapHtml';

/** The command that (re)builds each artefact, named in staleness hints. */
const PRODUCER: Record<ArtefactName, string> = {
  papers: 'papermap ingest <files>',
  skipped: 'papermap ingest <files>',
  vectors: 'papermap embed',
  index: 'papermap index',
  themes: 'papermap themes',
  map: 'papermap map',
  mapHtml: 'papermap map',
};

/** How one artefact was made. */
export interface ArtefactEntry {
  file: string;
  sha256: string;
  /** Hashes (or ids) of what it was built from, by name. */
  inputs: Record<string, string>;
  options?: Record<string, unknown>;
  seed?: number;
}

/** manifest.json: the project's table of contents. */
export interface Manifest {
  formatVersion: number;
  papermapVersion: string;
  model?: { id: string; dims: number };
  artefacts: Partial<Record<ArtefactName, ArtefactEntry>>;
}

/** An opened project directory. */
export interface Project {
  dir: string;
  manifest: Manifest;
}

/** File name of each artefact inside the project directory. */
export const ARTEFACT_FILES: Record<ArtefactName, string> = {
  papers: 'papers.jsonl',
  skipped: 'skipped.jsonl',
  vectors: 'vectors.f32',
  index: 'index.hnsw',
  themes: 'themes.json',
  map: 'map.json',
  mapHtml: 'map.html',
};


/** Absolute path of a file inside the project. */
export function projectPath(project: Project, file: string): string {
  return join(project.dir, file);
}

/** Opens (and with `create`, makes) a project directory. Throws PROJECT_MISSING when it is absent and not created. */
export function openProject(dir: string = DEFAULT_PROJECT_DIR, options: { create?: boolean } = {}): Project {
  const abs = resolve(dir);
  const manifestFile = join(abs, 'manifest.json');
  if (!existsSync(manifestFile)) {
    if (!options.create) {
      throw new PapermapError('PROJECT_MISSING', `no papermap project at ${dir}`, { file: dir }, 'run `papermap ingest <files>` first (or `npm start`)');
    }
    mkdirSync(abs, { recursive: true });
    return { dir: abs, manifest: { formatVersion: FORMAT_VERSION, papermapVersion: PAPERMAP_VERSION, artefacts: {} } };
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    throw new PapermapError('INPUT_PARSE', `manifest is not valid JSON: ${(error as Error).message}`, { file: manifestFile }, 'delete the project directory and run `npm start` again');
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new PapermapError('PROJECT_STALE', `project format ${manifest.formatVersion} found, this papermap reads format ${FORMAT_VERSION}`, { file: manifestFile }, 'delete the project directory and re-run `papermap ingest`');
  }
  return { dir: abs, manifest };
}

/** Writes the manifest atomically, keys in a fixed order. */
function saveManifest(project: Project): void {
  const m = project.manifest;
  const ordered: Manifest = { formatVersion: m.formatVersion, papermapVersion: PAPERMAP_VERSION, ...(m.model ? { model: m.model } : {}), artefacts: {} };
  for (const name of Object.keys(ARTEFACT_FILES) as ArtefactName[]) {
    const entry = m.artefacts[name];
    if (entry) ordered.artefacts[name] = entry;
  }
  project.manifest = ordered;
  writeFileAtomic(join(project.dir, 'manifest.json'), `${JSON.stringify(ordered, null, 2)}\n`);
}

/** Records the model the project's vectors come from. */
export function setProjectModel(project: Project, model: { id: string; dims: number }): void {
  project.manifest.model = model;
  saveManifest(project);
}

/** Writes an artefact atomically and records it in the manifest. Returns its sha256. */
export function saveArtefact(project: Project, name: ArtefactName, data: string | Uint8Array, meta: Omit<ArtefactEntry, 'file' | 'sha256'>): string {
  const file = ARTEFACT_FILES[name];
  writeFileAtomic(join(project.dir, file), data);
  return recordArtefact(project, name, meta);
}

/**
 * Records an artefact that was already written (atomically), at its usual path or at `file` (for artefacts saved as
 * generations, where this manifest write is the commit point). Returns its sha256.
 */
export function recordArtefact(project: Project, name: ArtefactName, meta: Omit<ArtefactEntry, 'file' | 'sha256'>, file: string = ARTEFACT_FILES[name]): string {
  const hash = sha256(readFileSync(join(project.dir, file)));
  project.manifest.artefacts[name] = { file, sha256: hash, ...meta };
  saveManifest(project);
  return hash;
}

/** The manifest entry of an artefact; throws PROJECT_MISSING naming the command that makes it. */
export function requireArtefact(project: Project, name: ArtefactName): ArtefactEntry {
  const entry = project.manifest.artefacts[name];
  if (!entry || !existsSync(join(project.dir, entry.file))) {
    throw new PapermapError('PROJECT_MISSING', `the project has no ${ARTEFACT_FILES[name]} yet`, { file: project.dir }, `run \`${PRODUCER[name]}\` first`);
  }
  return entry;
}

/**
 * Throws PROJECT_STALE when an artefact was built from other inputs than `expected` (for example the papers changed
 * after the index was built). The hint names the command that rebuilds it.
 */
export function checkFresh(project: Project, name: ArtefactName, expected: Record<string, string>): ArtefactEntry {
  const entry = requireArtefact(project, name);
  for (const [input, hash] of Object.entries(expected)) {
    if (entry.inputs[input] !== hash) {
      throw new PapermapError('PROJECT_STALE', `${entry.file} was built from an older ${input}`, { file: join(project.dir, entry.file) }, `run \`${PRODUCER[name]}\` to rebuild it`);
    }
  }
  return entry;
}

/** True when the artefact exists and was built from exactly `expected`. */
export function isFresh(project: Project, name: ArtefactName, expected: Record<string, string>): boolean {
  const entry = project.manifest.artefacts[name];
  return !!entry && existsSync(join(project.dir, entry.file)) && Object.entries(expected).every(([k, v]) => entry.inputs[k] === v);
}

/** Reads one JSON Lines file into records. */
function readJsonl<T>(file: string): T[] {
  const text = readFileSync(file, 'utf8');
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      throw new PapermapError('INPUT_PARSE', 'line is not valid JSON', { file, line: i + 1 }, 'the project file is damaged: re-run `papermap ingest`');
    }
  });
  return out;
}

/** Serialises records as JSON Lines. */
export function toJsonl(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

/** The project's papers, in their saved order. */
export function readPapers(project: Project): Paper[] {
  const entry = requireArtefact(project, 'papers');
  return readJsonl<Paper>(join(project.dir, entry.file));
}

/** The project's skip report. */
export function readSkipped(project: Project): Skip[] {
  const entry = project.manifest.artefacts.skipped;
  return entry ? readJsonl<Skip>(join(project.dir, entry.file)) : [];
}

/** Saves papers and the skip report; returns the papers' sha256 (the input hash of every later stage). */
export function savePapers(project: Project, papers: readonly Paper[], skipped: readonly Skip[], inputs: Record<string, string>): string {
  saveArtefact(project, 'skipped', toJsonl(skipped), { inputs });
  return saveArtefact(project, 'papers', toJsonl(papers), { inputs });
}

/** Saves vectors as raw little-endian float32 rows, with their ids in ids.json. Returns the vectors' sha256. */
export function saveEmbeddings(project: Project, embeddings: Embeddings, inputs: Record<string, string>, options?: Record<string, unknown>): string {
  writeFileAtomic(join(project.dir, 'ids.json'), `${JSON.stringify(embeddings.ids)}\n`);
  const bytes = new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength);
  project.manifest.model = { id: embeddings.modelId, dims: embeddings.dims };
  return saveArtefact(project, 'vectors', bytes, { inputs: { ...inputs, ids: sha256(JSON.stringify(embeddings.ids)) }, ...(options ? { options } : {}) });
}

/** Loads the saved vectors. */
export function readEmbeddings(project: Project): Embeddings {
  const entry = requireArtefact(project, 'vectors');
  const model = project.manifest.model;
  if (!model) throw new PapermapError('PROJECT_STALE', 'the manifest names no model for vectors.f32', { file: project.dir }, 'run `papermap embed`');
  const ids = JSON.parse(readFileSync(join(project.dir, 'ids.json'), 'utf8')) as string[];
  const buf = readFileSync(join(project.dir, entry.file));
  const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (vectors.length !== ids.length * model.dims) {
    throw new PapermapError('PROJECT_STALE', `vectors.f32 holds ${vectors.length / model.dims} rows but ids.json lists ${ids.length}`, { file: join(project.dir, entry.file) }, 'run `papermap embed`');
  }
  return { modelId: model.id, dims: model.dims, ids, vectors };
}

/** Reads a JSON artefact. */
export function readJsonArtefact<T>(project: Project, name: ArtefactName): T {
  const entry = requireArtefact(project, name);
  return JSON.parse(readFileSync(join(project.dir, entry.file), 'utf8')) as T;
}

/**
 * Saves the index as a new generation (`index-<n>.hnsw` + `index-<n>.json`), then commits it by rewriting the manifest,
 * then removes older generations. A crash at any point leaves the manifest naming a complete, loadable generation.
 */
export async function saveIndex(project: Project, index: PaperIndex, inputs: Record<string, string>): Promise<void> {
  const previous = project.manifest.artefacts.index?.file;
  const generation = previous ? Number(/index-(\d+)\.hnsw$/.exec(previous)?.[1] ?? 0) + 1 : 1;
  const file = `index-${generation}.hnsw`;
  writeFileAtomic(projectPath(project, `index-${generation}.json`), `${JSON.stringify(indexMeta(index))}\n`);
  await replaceAtomic(projectPath(project, file), (temp) => writeIndexFile(index, temp));
  recordArtefact(project, 'index', { inputs, options: { ...index.params }, seed: index.params.randomSeed }, file);
  for (const name of readdirSync(project.dir)) {
    const g = /^index-(\d+)\.(hnsw|json)$/.exec(name);
    if (g && Number(g[1]) !== generation) rmSync(join(project.dir, name), { force: true });
  }
}

/** Loads the project's index. Throws PROJECT_MISSING when there is none, PROJECT_STALE when it does not match `modelId`. */
export function loadIndex(project: Project, expected?: { modelId: string; dims: number }): PaperIndex {
  const entry = project.manifest.artefacts.index;
  if (!entry || !existsSync(projectPath(project, entry.file))) {
    throw new PapermapError('PROJECT_MISSING', 'the project has no index yet', { file: project.dir }, 'run `papermap index` (or `npm start`)');
  }
  const meta = JSON.parse(readFileSync(projectPath(project, entry.file.replace(/\.hnsw$/, '.json')), 'utf8')) as IndexMeta;
  if (expected && (meta.modelId !== expected.modelId || meta.dims !== expected.dims)) {
    throw new PapermapError('PROJECT_STALE', `the index was built with ${meta.modelId} (${meta.dims} dims), the project's vectors use ${expected.modelId} (${expected.dims} dims)`, { file: projectPath(project, entry.file) }, 'run `papermap index` to rebuild it');
  }
  return readIndexFile(meta, projectPath(project, entry.file));
}
