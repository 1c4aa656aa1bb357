// The ingest step: read the project's remembered paths plus new ones into papers and a skip report.

import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PapermapError } from '../errors.js';
import { sha256 } from '../hash.js';
import { ingest, INGEST_DEFAULTS, type DuplicateGroup, type FailedFile, type FileReport } from '../ingest/index.js';
import { readParseCache, setSources, writePapers, writeParseCache, type Project } from '../project/index.js';
import type { Skip } from '../records.js';
import { NO_PROGRESS, type Progress } from './session.js';

/** Options of the ingest step (also taken by the whole run). */
export interface IngestStepOptions {
  /** Forget the remembered paths and read only the given ones. */
  replace?: boolean;
  /** Load the readable files even when some cannot be read (the exit code stays non-zero). */
  keepGoing?: boolean;
  /** Shortest abstract kept, in characters (default 100). */
  minAbstractChars?: number;
  progress?: Progress;
}

/** What the ingest step reports: JSON-serialisable, keys in a fixed order, no timestamps. */
export interface IngestSummary {
  /** Every path read this time: the remembered ones (unless replace), then the new ones. */
  paths: string[];
  /** Remembered paths that no longer exist, dropped from the project. */
  forgotten: string[];
  files: FileReport[];
  /** Records found in all files, taken or not. */
  records: number;
  /** Records taken, before duplicates merged. */
  kept: number;
  /** Unique papers saved. */
  papers: number;
  duplicateGroups: number;
  duplicates: (DuplicateGroup & { title?: string })[];
  skipped: Skip[];
  failedFiles: FailedFile[];
}

/**
 * The paths a project was read from, spelled for the current working directory: as typed when that still names the
 * same place, else relative to here via the absolute path recorded beside it. Paths that are gone come back in `gone`.
 */
export function rememberedPaths(project: Project): { paths: string[]; gone: string[] } {
  const typed = project.manifest.sources?.paths ?? [];
  const absolute = project.manifest.sources?.absolutePaths ?? [];
  const paths: string[] = [];
  const gone: string[] = [];
  typed.forEach((given, i) => {
    const abs = absolute[i] ?? resolve(given);
    if (existsSync(given) && resolve(given) === abs) paths.push(given);
    else if (existsSync(abs)) paths.push(relative(process.cwd(), abs) || '.');
    else gone.push(given);
  });
  return { paths, gone };
}

/**
 * Reads the remembered paths (unless `replace`) plus `paths` and stages papers and the skip report, remembering the
 * paths read. Throws the first unreadable file's error unless `keepGoing`; with it, the summary lists them in
 * `failedFiles` (and they are not remembered). Throws BAD_OPTION when there is nothing to read.
 */
export async function ingestStep(project: Project, paths: readonly string[], options: IngestStepOptions = {}): Promise<IngestSummary> {
  const remembered = options.replace ? { paths: [], gone: [] } : rememberedPaths(project);
  const all: string[] = [];
  for (const p of [...remembered.paths, ...paths]) if (!all.some((q) => resolve(q) === resolve(p))) all.push(p);
  if (all.length === 0) throw new PapermapError('BAD_OPTION', 'no files or folders to read', undefined, 'give files or folders, e.g. `papermap ingest data/`');
  const bar = (options.progress ?? NO_PROGRESS)('reading');
  let result;
  try {
    // Files whose bytes are unchanged since the last ingest are not decoded or parsed again (issue 13).
    result = await ingest(all, { keepGoing: options.keepGoing ?? false, minAbstractChars: options.minAbstractChars, parseCache: readParseCache(project), onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  const failed = new Set(result.failedFiles.map((f) => f.file));
  const keptPaths = all.filter((p) => !failed.has(p));
  const pairs = result.files.map((f) => [f.file, f.sha256] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const minAbstractChars = options.minAbstractChars ?? INGEST_DEFAULTS.minAbstractChars;
  writePapers(project, result.papers, result.skipped, { options: { files: sha256(JSON.stringify(pairs)), minAbstractChars } });
  writeParseCache(project, result.parseCache);
  setSources(project, { paths: keptPaths, absolutePaths: keptPaths.map((p) => resolve(p)) });
  const titles = new Map(result.papers.map((p) => [p.id, p.title]));
  return {
    paths: all,
    forgotten: remembered.gone,
    files: result.files,
    records: result.files.reduce((n, f) => n + f.records, 0),
    kept: result.files.reduce((n, f) => n + f.kept, 0),
    papers: result.papers.length,
    duplicateGroups: result.duplicates.length,
    duplicates: result.duplicates.map((d) => ({ id: d.id, ...(titles.get(d.id) ? { title: titles.get(d.id) } : {}), reason: d.reason, sources: d.sources })),
    skipped: result.skipped,
    failedFiles: result.failedFiles,
  };
}
