// The project store: open a project to read or to write, stage artefacts under new names, commit by one manifest rename.
//
// A save never overwrites a file the current manifest names. Each artefact goes to `<base>-<generation>.<ext>`, is
// flushed with its folder; then manifest.json is written to a temporary file, flushed and renamed over the old one
// (the one commit point) and the folder flushed. Files no manifest names are removed after the commit (those of the
// previous commit are kept one commit longer, for readers that opened it) and when a writer opens the project.
// Writers hold the project's lock; readers never wait and see the last commit. (After SQLite's rollback journal and
// LMDB's readers that never block the writer.)

import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fsyncDir, fsyncFile, renameDurable, tempPathFor, writeFileAtomic, writeFileDurable } from '../atomic.js';
import { PapermapError, systemError } from '../errors.js';
import { sha256 } from '../hash.js';
import { PAPERMAP_VERSION } from '../package.js';
import { acquireLock, releaseLock, type Lock, type LockInfo } from './lock.js';
import { ARTEFACTS, ARTEFACT_NAMES, DEFAULT_PROJECT_DIR, emptyManifest, FORMAT_VERSION, OWNED_FILE, serialiseManifest, type ArtefactEntry, type ArtefactName, type Manifest } from './manifest.js';

/** Largest artefact whose sha256 is checked on every load; larger ones get a size check (and a full one in `verify`). */
export const VERIFY_ON_LOAD_BYTES = 32 * 1024 * 1024;

/** The name under which the last committed map is published, beside its generation file. */
export const PUBLISHED_MAP = 'map.html';

/** An opened project directory. */
export interface Project {
  /** Absolute path. */
  dir: string;
  /** The directory as the user gave it (for messages and hints); undefined for the default. */
  given?: string;
  /** The manifest: the last commit for a reader; the commit being prepared for a writer. */
  manifest: Manifest;
  /** Present while this process holds the writer lock. */
  writer?: WriterState;
}

interface WriterState {
  lock: Lock;
  /** The manifest as committed when the writer opened (or last committed). */
  committed: Manifest;
  /** Files written in this session, not yet committed. */
  staged: Set<string>;
}

/** How a project is spelled in messages: as given, else the default name. */
export function shownAs(project: Pick<Project, 'given' | 'dir'>): string {
  return project.given ?? DEFAULT_PROJECT_DIR;
}

/** The command that rebuilds `name`, with the `--project` that was given, e.g. "papermap embed -p /tmp/lib". */
export function commandFor(project: Pick<Project, 'given'>, name: ArtefactName | 'run' | 'ingest'): string {
  const command = name === 'run' || name === 'ingest' ? name : ARTEFACTS[name].command;
  const target = command === 'ingest' ? 'ingest <files>' : command;
  return `papermap ${target}${project.given !== undefined && project.given !== DEFAULT_PROJECT_DIR ? ` -p ${quoteArg(project.given)}` : ''}`;
}

function quoteArg(arg: string): string {
  return /^[\w./@:+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function readManifest(dir: string, shown: string): Manifest | undefined {
  const file = join(dir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new PapermapError('BAD_OPTION', `--project ${shown} is a file, not a folder`, undefined, 'give a folder for the project, e.g. -p .papermap');
    throw systemError(error, file, 'read the project');
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (error) {
    throw new PapermapError('PROJECT_DAMAGED', `manifest.json is not valid JSON (${(error as Error).message})`, { file }, `move the folder aside and run \`papermap run -p ${quoteArg(shown)} <files>\` again`);
  }
  return manifest;
}

/** A format-1 project (files overwritten in place) keeps only the paths it was read from; the next run rebuilds the rest. */
function upgrade(old: Manifest): Manifest {
  const m = emptyManifest(PAPERMAP_VERSION);
  const options = (old.artefacts as Record<string, { options?: Record<string, unknown> } | undefined> | undefined)?.papers?.options;
  if (options && Array.isArray(options.paths)) {
    m.sources = { paths: options.paths.map(String), absolutePaths: Array.isArray(options.absolutePaths) ? options.absolutePaths.map(String) : options.paths.map((p) => resolve(String(p))) };
  }
  return m;
}

/** Options of `openProject`. */
export interface OpenOptions {
  /** How the user spelled the directory, for messages. Default: `dir` as passed. */
  given?: string;
}

/**
 * Opens a project to read its last commit. Never waits for a writer. Throws PROJECT_MISSING when there is none
 * and PROJECT_STALE when it was written in an older layout.
 */
export function openProject(dir: string = DEFAULT_PROJECT_DIR, options: OpenOptions = {}): Project {
  const abs = resolve(dir);
  const given = options.given ?? dir;
  const shown = given;
  const manifest = readManifest(abs, shown);
  if (!manifest) {
    const hint = shown === DEFAULT_PROJECT_DIR ? 'run `papermap run <files>` first (or `npm start`)' : `run \`papermap run <files> -p ${quoteArg(shown)}\` first`;
    throw new PapermapError('PROJECT_MISSING', `no papermap project in ${shown}`, undefined, hint);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new PapermapError('PROJECT_STALE', `${shown} was written by an older papermap (project format ${manifest.formatVersion}, this one reads ${FORMAT_VERSION})`, undefined, `run \`papermap run${shown === DEFAULT_PROJECT_DIR ? '' : ` -p ${quoteArg(shown)}`}\` to rebuild it from the files it was read from`);
  }
  return { dir: abs, given: options.given ?? (dir === DEFAULT_PROJECT_DIR ? undefined : dir), manifest };
}

/** Options of `openForWrite`. */
export interface WriteOptions extends OpenOptions {
  /** The command, shown to a second writer, e.g. 'papermap run'. */
  command: string;
  /** Make the folder and an empty project when there is none. Default false. */
  create?: boolean;
  /** Wait for another writer to finish instead of failing with PROJECT_BUSY. Default false. */
  wait?: boolean;
  /** Called when this writer has to wait for another. */
  onWait?: (holder: LockInfo) => void;
  /** Called with notes for the user (a dead writer's lock taken over). */
  onNote?: (note: string) => void;
}

/**
 * Opens a project for writing: takes its lock, reads the last commit, and removes files no manifest names (left by a
 * crash). Call `commit` to publish what was staged and `closeProject` (in a finally) to release the lock.
 */
export async function openForWrite(dir: string = DEFAULT_PROJECT_DIR, options: WriteOptions): Promise<Project> {
  const abs = resolve(dir);
  const given = options.given ?? (dir === DEFAULT_PROJECT_DIR ? undefined : dir);
  const shown = given ?? DEFAULT_PROJECT_DIR;
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new PapermapError('BAD_OPTION', `--project ${shown} is a file, not a folder`, undefined, 'give a folder for the project, e.g. -p .papermap');
  if (!existsSync(join(abs, 'manifest.json')) && !options.create) openProject(dir, { given: shown }); // throws PROJECT_MISSING
  try {
    mkdirSync(abs, { recursive: true });
  } catch (error) {
    throw systemError(error, abs, 'create the project folder');
  }
  let lock: Lock;
  try {
    lock = await acquireLock(abs, { command: options.command, wait: options.wait ?? false, onWait: options.onWait, shownAs: shown });
  } catch (error) {
    if (error instanceof PapermapError) throw error;
    throw systemError(error, join(abs, 'lock'), 'lock the project for writing');
  }
  try {
    if (lock.note) options.onNote?.(lock.note);
    let manifest = readManifest(abs, shown) ?? emptyManifest(PAPERMAP_VERSION);
    if (manifest.formatVersion !== FORMAT_VERSION) manifest = upgrade(manifest);
    const project: Project = { dir: abs, ...(given !== undefined ? { given } : {}), manifest: clone(manifest), writer: { lock, committed: manifest, staged: new Set() } };
    removeUnnamed(project, [manifest]);
    return project;
  } catch (error) {
    releaseLock(lock);
    throw error;
  }
}

function clone(m: Manifest): Manifest {
  return JSON.parse(JSON.stringify(m)) as Manifest;
}

function requireWriter(project: Project): WriterState {
  if (!project.writer) throw new Error('internal: the project was opened read-only; use openForWrite');
  return project.writer;
}

/** What to record with a staged artefact. */
export interface PutMeta {
  options?: Record<string, unknown>;
  seed?: number;
}

/**
 * Stages an artefact: writes `data` (or lets `write` produce the file at a path) under a new generation name, flushes
 * it, and records it in the working manifest with the current sha256 of what it depends on. Nothing is visible to
 * readers until `commit`. When the bytes equal the committed file's, that file is kept.
 */
export function putArtefact(project: Project, name: ArtefactName, data: string | Uint8Array | ((path: string) => void), meta: PutMeta = {}): ArtefactEntry {
  const writer = requireWriter(project);
  const kind = ARTEFACTS[name];
  const inputs: Record<string, string> = {};
  for (const dep of kind.dependsOn) inputs[dep] = project.manifest.artefacts[dep]?.sha256 ?? 'none';
  const generation = writer.committed.generation + 1;
  const file = `${kind.base}-${generation}.${kind.ext}`;
  const path = join(project.dir, file);
  let bytes: Uint8Array;
  let hash: string | undefined;
  try {
    if (typeof data === 'function') {
      rmSync(path, { force: true });
      data(path);
      fsyncFile(path);
      bytes = readFileSync(path);
    } else {
      bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const previous = project.manifest.artefacts[name];
      hash = sha256(bytes);
      if (previous && previous.sha256 === hash && previous.bytes === bytes.byteLength && existsSync(join(project.dir, previous.file))) {
        return record(project, name, { ...previous, inputs, ...metaFields(meta) });
      }
      writeFileDurable(path, bytes);
    }
  } catch (error) {
    throw systemError(error, path, `write ${name}`);
  }
  writer.staged.add(file);
  return record(project, name, { file, bytes: bytes.byteLength, sha256: hash ?? sha256(bytes), inputs, ...metaFields(meta) });
}

function metaFields(meta: PutMeta): Pick<ArtefactEntry, 'options' | 'seed'> {
  return { ...(meta.options ? { options: meta.options } : {}), ...(meta.seed !== undefined ? { seed: meta.seed } : {}) };
}

function record(project: Project, name: ArtefactName, entry: ArtefactEntry): ArtefactEntry {
  const { options, seed, ...rest } = entry;
  const clean: ArtefactEntry = { ...rest, ...(options ? { options } : {}), ...(seed !== undefined ? { seed } : {}) };
  project.manifest.artefacts[name] = clean;
  return clean;
}

/** Drops an artefact from the working manifest (it is removed from disk after the commit). */
export function dropArtefact(project: Project, name: ArtefactName): void {
  requireWriter(project);
  delete project.manifest.artefacts[name];
}

/** Records the model the project's vectors come from (committed with the next commit). */
export function setModel(project: Project, model: { id: string; dims: number }): void {
  requireWriter(project);
  project.manifest.model = model;
}

/** Records the files and folders the papers were read from (committed with the next commit). */
export function setSources(project: Project, sources: { paths: string[]; absolutePaths: string[] }): void {
  requireWriter(project);
  project.manifest.sources = sources;
}

/** True when the working manifest differs from the last commit. */
export function hasChanges(project: Project): boolean {
  const writer = requireWriter(project);
  return serialiseManifest({ ...project.manifest, generation: 0, papermapVersion: '' }) !== serialiseManifest({ ...writer.committed, generation: 0, papermapVersion: '' });
}

/**
 * Commits what was staged: writes manifest.json through a flushed temporary file and one rename (the commit point),
 * flushes the folder, publishes map.html, then removes files neither this nor the previous commit names.
 * Does nothing when nothing changed.
 */
export function commit(project: Project): void {
  const writer = requireWriter(project);
  if (!hasChanges(project)) return;
  const next: Manifest = { ...project.manifest, formatVersion: FORMAT_VERSION, papermapVersion: PAPERMAP_VERSION, generation: writer.committed.generation + 1 };
  const target = join(project.dir, 'manifest.json');
  try {
    fsyncDir(project.dir); // the staged files' names are durable before the manifest can name them
    writeFileAtomic(target, serialiseManifest(next));
  } catch (error) {
    throw systemError(error, target, 'commit the project');
  }
  const previous = writer.committed;
  writer.committed = clone(next);
  writer.staged.clear();
  project.manifest = clone(next);
  publishMap(project);
  removeUnnamed(project, [next, previous]);
}

/** Keeps `<project>/map.html` pointing at the committed map (a hard link, replaced by an atomic rename). */
function publishMap(project: Project): void {
  const entry = project.manifest.artefacts.mapHtml;
  const published = join(project.dir, PUBLISHED_MAP);
  if (!entry) return;
  try {
    const current = statSync(published, { throwIfNoEntry: false });
    if (current && current.ino === statSync(join(project.dir, entry.file)).ino) return;
  } catch {
    // republish below
  }
  const temp = tempPathFor(published);
  try {
    linkSync(join(project.dir, entry.file), temp);
    renameDurable(temp, published);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Removes project files that none of `keep` names: older generations, a crashed writer's staged files, `.tmp` files. */
function removeUnnamed(project: Project, keep: readonly Manifest[]): void {
  const named = new Set<string>();
  for (const m of keep) for (const e of Object.values(m.artefacts)) if (e) named.add(e.file);
  let names: string[];
  try {
    names = readdirSync(project.dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (OWNED_FILE.test(name) && !named.has(name) && !name.startsWith('.lock.')) rmSync(join(project.dir, name), { force: true });
  }
  // The embedding cache is written whole through a temporary file; a crash can leave one behind.
  try {
    for (const name of readdirSync(join(project.dir, 'cache'))) if (name.endsWith('.tmp')) rmSync(join(project.dir, 'cache', name), { force: true });
  } catch {
    // no cache yet
  }
}

/** Releases the writer lock; files staged but never committed are removed. Safe to call twice. */
export function closeProject(project: Project): void {
  const writer = project.writer;
  if (!writer) return;
  for (const file of writer.staged) rmSync(join(project.dir, file), { force: true });
  writer.staged.clear();
  releaseLock(writer.lock);
  project.writer = undefined;
}

/**
 * Runs `work` as one writer: opens the project for writing, commits when `work` returns, and always releases the
 * lock. Nothing `work` staged becomes visible if it throws.
 */
export async function withWriter<T>(dir: string | undefined, options: WriteOptions, work: (project: Project) => Promise<T> | T): Promise<T> {
  const project = await openForWrite(dir ?? DEFAULT_PROJECT_DIR, options);
  try {
    const out = await work(project);
    commit(project);
    return out;
  } finally {
    closeProject(project);
  }
}

/** The entry of an artefact, or PROJECT_MISSING naming the command that makes it. */
export function requireArtefact(project: Project, name: ArtefactName): ArtefactEntry {
  const entry = project.manifest.artefacts[name];
  if (!entry) {
    const what = name === 'papers' || name === 'skipped' ? 'no papers' : name === 'vectors' || name === 'ids' ? 'no vectors' : name === 'index' || name === 'indexLabels' ? 'no index' : name === 'mapHtml' ? 'no map' : `no ${name}`;
    throw new PapermapError('PROJECT_MISSING', `${shownAs(project)} has ${what} yet`, undefined, `run \`${commandFor(project, name)}\` first`);
  }
  return entry;
}

/**
 * Reads an artefact's bytes, checking them against the manifest: the size always, the sha256 when the file is at most
 * VERIFY_ON_LOAD_BYTES (or `full`). A mismatch or a missing file is PROJECT_DAMAGED naming the file and the command.
 */
export function readArtefactBytes(project: Project, name: ArtefactName, full = false): Buffer {
  const entry = requireArtefact(project, name);
  const path = join(project.dir, entry.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PapermapError('PROJECT_DAMAGED', `${entry.file}, named by the manifest, is missing`, { file: path }, `run \`${commandFor(project, name)}\` to rebuild it`);
    }
    throw systemError(error, path, `read ${name}`);
  }
  if (bytes.byteLength !== entry.bytes || ((full || bytes.byteLength <= VERIFY_ON_LOAD_BYTES) && sha256(bytes) !== entry.sha256)) {
    throw new PapermapError('PROJECT_DAMAGED', `${entry.file} does not match the manifest (${bytes.byteLength} bytes, ${entry.bytes} recorded${bytes.byteLength === entry.bytes ? ', different sha256' : ''})`, { file: path }, `run \`${commandFor(project, name)}\` to rebuild it`);
  }
  return bytes;
}

/** The path of an artefact's file, for libraries that read from a path; its size is checked against the manifest. */
export function artefactPath(project: Project, name: ArtefactName): string {
  const entry = requireArtefact(project, name);
  const path = join(project.dir, entry.file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new PapermapError('PROJECT_DAMAGED', `${entry.file}, named by the manifest, is missing`, { file: path }, `run \`${commandFor(project, name)}\` to rebuild it`);
  }
  if (size !== entry.bytes) throw new PapermapError('PROJECT_DAMAGED', `${entry.file} does not match the manifest (${size} bytes, ${entry.bytes} recorded)`, { file: path }, `run \`${commandFor(project, name)}\` to rebuild it`);
  return path;
}

/** Why an artefact cannot be used as it is. */
export type Freshness = { state: 'fresh'; entry: ArtefactEntry } | { state: 'missing' } | { state: 'stale'; reason: string; entry: ArtefactEntry; rebuild: ArtefactName };

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/**
 * The one freshness rule: an artefact is fresh when it exists, every artefact it depends on still has the sha256 it
 * was built from, and (when given) it was built with these options and seed.
 */
export function freshness(project: Project, name: ArtefactName, wanted: PutMeta = {}): Freshness {
  const entry = project.manifest.artefacts[name];
  if (!entry) return { state: 'missing' };
  // A missing or truncated file is as good as stale: its command rebuilds it.
  if (statSync(join(project.dir, entry.file), { throwIfNoEntry: false })?.size !== entry.bytes) return { state: 'stale', entry, rebuild: name, reason: `${entry.file} is missing or damaged` };
  for (const dep of ARTEFACTS[name].dependsOn) {
    const now = project.manifest.artefacts[dep]?.sha256 ?? 'none';
    if (entry.inputs[dep] !== now) return { state: 'stale', entry, rebuild: name, reason: `${name === 'mapHtml' ? 'the map' : name} was built from other ${dep === 'ids' ? 'vectors' : dep === 'indexLabels' ? 'index' : dep} than the project holds now` };
    // Fresh only on fresh ground: vectors of old papers make the index built from them stale too.
    const upstream = now === 'none' ? undefined : freshness(project, dep);
    if (upstream?.state === 'stale') return { state: 'stale', entry, reason: upstream.reason, rebuild: upstream.rebuild };
  }
  if (wanted.options && canonical(wanted.options) !== canonical(entry.options ?? {})) return { state: 'stale', entry, rebuild: name, reason: `${name} was built with other options` };
  if (wanted.seed !== undefined && wanted.seed !== entry.seed) return { state: 'stale', entry, rebuild: name, reason: `${name} was built with seed ${entry.seed}` };
  return { state: 'fresh', entry };
}

/** The entry of a fresh artefact; PROJECT_MISSING or PROJECT_STALE (naming the command to re-run) otherwise. */
export function requireFresh(project: Project, name: ArtefactName, wanted: PutMeta = {}): ArtefactEntry {
  const f = freshness(project, name, wanted);
  if (f.state === 'fresh') return f.entry;
  if (f.state === 'missing') return requireArtefact(project, name);
  throw new PapermapError('PROJECT_STALE', f.reason, undefined, `run \`${commandFor(project, f.rebuild)}\` (or \`${commandFor(project, 'run')}\` for every stage)`);
}

/** One line of `papermap verify`. */
export interface VerifyEntry {
  artefact: ArtefactName;
  file: string;
  ok: boolean;
  problem?: string;
  fresh: boolean;
  staleReason?: string;
}

/** Checks every artefact's size and sha256 against the manifest, and its freshness. */
export function verifyProject(project: Project): VerifyEntry[] {
  const out: VerifyEntry[] = [];
  for (const name of ARTEFACT_NAMES) {
    const entry = project.manifest.artefacts[name];
    if (!entry) continue;
    let problem: string | undefined;
    try {
      readArtefactBytes(project, name, true);
    } catch (error) {
      problem = error instanceof PapermapError ? error.message : String(error);
    }
    const f = freshness(project, name);
    out.push({ artefact: name, file: entry.file, ok: problem === undefined, ...(problem ? { problem } : {}), fresh: f.state === 'fresh', ...(f.state === 'stale' ? { staleReason: f.reason } : {}) });
  }
  return out;
}

/** A stable token of the last commit (changes whenever manifest.json is replaced): for readers that reload. */
export function commitToken(dir: string): string {
  try {
    const s = statSync(join(resolve(dir), 'manifest.json'));
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}
