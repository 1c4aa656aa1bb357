// The manifest: the project's table of contents, the artefacts it can name, what each is built from and by which command.

/** Version of the project layout; bump when a file's shape changes. Format 1 overwrote files in place. */
export const FORMAT_VERSION = 2;

/** Default project directory, relative to the working directory. */
export const DEFAULT_PROJECT_DIR = '.papermap';

/** The name of an artefact kind, in manifest order. */
export type ArtefactName = 'papers' | 'skipped' | 'parseCache' | 'vectors' | 'ids' | 'index' | 'indexLabels' | 'lexical' | 'knn' | 'themes' | 'map' | 'mapHtml';

/** How one kind of artefact is stored and made. */
interface ArtefactKind {
  /** File name stem; a committed file is `<base>-<generation>.<ext>`. */
  base: string;
  ext: string;
  /** The papermap command that (re)builds it, named in hints. */
  command: string;
  /** Artefacts it is built from: it is fresh only while their recorded sha256s are unchanged. */
  dependsOn: readonly ArtefactName[];
}

/** Every artefact a project can hold, in manifest order. */
export const ARTEFACTS: Record<ArtefactName, ArtefactKind> = {
  papers: { base: 'papers', ext: 'jsonl', command: 'ingest', dependsOn: [] },
  skipped: { base: 'skipped', ext: 'jsonl', command: 'ingest', dependsOn: [] },
  // What each input file gave, by its sha256, so `run` does not parse an unchanged file again. Only a cache: when it is
  // missing or damaged, every file is parsed.
  parseCache: { base: 'parse-cache', ext: 'json', command: 'ingest', dependsOn: [] },
  vectors: { base: 'vectors', ext: 'f32', command: 'embed', dependsOn: ['papers'] },
  ids: { base: 'ids', ext: 'json', command: 'embed', dependsOn: ['papers'] },
  index: { base: 'index', ext: 'hnsw', command: 'index', dependsOn: ['vectors', 'ids'] },
  indexLabels: { base: 'index-labels', ext: 'json', command: 'index', dependsOn: ['vectors', 'ids'] },
  lexical: { base: 'lexical', ext: 'json', command: 'index', dependsOn: ['papers'] },
  // The papers' neighbour graph from the index, in vector order: the themes and map steps both need it, and at 100,000
  // papers it costs about a minute of queries. Only a cache: when it is missing or stale the step that needs it
  // queries the index again and stores the result.
  knn: { base: 'knn', ext: 'bin', command: 'map', dependsOn: ['vectors', 'ids', 'index'] },
  themes: { base: 'themes', ext: 'json', command: 'themes', dependsOn: ['vectors', 'ids', 'papers'] },
  map: { base: 'map', ext: 'json', command: 'map', dependsOn: ['vectors', 'ids', 'index', 'themes'] },
  mapHtml: { base: 'map', ext: 'html', command: 'map', dependsOn: ['map', 'papers', 'themes'] },
};

/** Artefact names in manifest order. */
export const ARTEFACT_NAMES = Object.keys(ARTEFACTS) as ArtefactName[];

/** How one artefact was made, and what a reader checks before trusting it. */
export interface ArtefactEntry {
  /** File name inside the project directory. */
  file: string;
  /** Size in bytes: checked on every load. */
  bytes: number;
  /** sha256 of the file: checked on load for small files, always by `papermap verify`. */
  sha256: string;
  /** The sha256 of each artefact it was built from ('none' for an absent optional one). */
  inputs: Record<string, string>;
  /** Options it was built with; a change makes it stale. */
  options?: Record<string, unknown>;
  seed?: number;
}

/** manifest.json. */
export interface Manifest {
  formatVersion: number;
  papermapVersion: string;
  /** Commit counter: every commit writes its new files as `<base>-<generation>.<ext>`. */
  generation: number;
  model?: { id: string; dims: number };
  /** The files and folders the papers were read from: as typed, and absolute (so a run from elsewhere finds them). */
  sources?: { paths: string[]; absolutePaths: string[] };
  artefacts: Partial<Record<ArtefactName, ArtefactEntry>>;
}

/** The manifest of a project with nothing in it yet. */
export function emptyManifest(papermapVersion: string): Manifest {
  return { formatVersion: FORMAT_VERSION, papermapVersion, generation: 0, artefacts: {} };
}

/** The manifest as written: keys in a fixed order, so the same state gives the same bytes. */
export function serialiseManifest(m: Manifest): string {
  const artefacts: Partial<Record<ArtefactName, ArtefactEntry>> = {};
  for (const name of ARTEFACT_NAMES) {
    const e = m.artefacts[name];
    if (e) artefacts[name] = { file: e.file, bytes: e.bytes, sha256: e.sha256, inputs: e.inputs, ...(e.options ? { options: e.options } : {}), ...(e.seed !== undefined ? { seed: e.seed } : {}) };
  }
  const ordered: Manifest = { formatVersion: m.formatVersion, papermapVersion: m.papermapVersion, generation: m.generation, ...(m.model ? { model: m.model } : {}), ...(m.sources ? { sources: m.sources } : {}), artefacts };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Files a committed project may hold that are named by a manifest (any generation) or left by a crash. */
export const OWNED_FILE = new RegExp(`^(?:(?:${[...new Set(Object.values(ARTEFACTS).map((a) => a.base))].sort((a, b) => b.length - a.length).join('|')})-\\d+\\.[a-z0-9]+|\\..*\\.tmp)$`);
