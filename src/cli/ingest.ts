// `papermap ingest`: read files and folders into the project's papers, remembering the paths so a re-run picks up changes.

import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { ingest, INGEST_DEFAULTS, type DuplicateGroup, type FailedFile, type FileReport } from '../ingest/index.js';
import { openProject, saveArtefact, sha256, toJsonl, type Project } from '../project/index.js';
import type { Skip } from '../records.js';
import { clip, printJson, printLines, progressBar, toInt, withCommon, type CommonFlags } from './shared.js';

/** Flags of `papermap ingest` (also taken by `papermap run`). */
export interface IngestFlags {
  /** Forget the remembered paths and read only the given ones. */
  replace?: boolean;
  /** Load the readable files even when some cannot be read (the exit code stays non-zero). */
  keepGoing?: boolean;
  /** Shortest abstract kept, in characters (default 100). */
  minAbstractChars?: number;
}

/** What the ingest step reports: JSON-serialisable, keys in a fixed order, no timestamps. */
export interface IngestSummary {
  /** Every path read this time: the remembered ones (unless --replace), then the new ones. */
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
 * The paths a project was last ingested from, spelled for the current working directory: as typed when that still
 * names the same place, else relative to here via the absolute path recorded beside it. Paths that are gone come
 * back in `gone`.
 */
function rememberedPaths(project: Project): { paths: string[]; gone: string[] } {
  const options = project.manifest.artefacts.papers?.options ?? {};
  const typed = Array.isArray(options.paths) ? options.paths : [];
  const absolute = Array.isArray(options.absolutePaths) ? options.absolutePaths : [];
  const paths: string[] = [];
  const gone: string[] = [];
  typed.forEach((given, i) => {
    if (typeof given !== 'string') return;
    const abs = typeof absolute[i] === 'string' ? (absolute[i] as string) : resolve(given);
    if (existsSync(given) && resolve(given) === abs) paths.push(given);
    else if (existsSync(abs)) paths.push(relative(process.cwd(), abs) || '.');
    else gone.push(given);
  });
  return { paths, gone };
}

/**
 * Reads the project's remembered paths (unless `replace`) plus `paths`, saves papers.jsonl and skipped.jsonl with the
 * paths (as typed, and absolute) in the manifest, and returns the summary. Remembered paths that have gone are dropped and listed in
 * `forgotten`. Throws the first unreadable file's error unless `keepGoing`; with it, the summary lists them in
 * `failedFiles` (and they are not remembered).
 */
export async function ingestStep(project: Project, paths: readonly string[], flags: IngestFlags): Promise<IngestSummary> {
  const remembered = flags.replace ? { paths: [], gone: [] } : rememberedPaths(project);
  const forgotten = remembered.gone;
  const all: string[] = [];
  for (const p of [...remembered.paths, ...paths]) if (!all.some((q) => resolve(q) === resolve(p))) all.push(p);
  if (all.length === 0) {
    throw new PapermapError('BAD_OPTION', 'no files or folders to ingest', undefined, 'give files or folders, e.g. `papermap ingest data/`');
  }
  const bar = progressBar('reading');
  let result;
  try {
    result = await ingest(all, { keepGoing: flags.keepGoing ?? false, minAbstractChars: flags.minAbstractChars, onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  const failed = new Set(result.failedFiles.map((f) => f.file));
  const keptPaths = all.filter((p) => !failed.has(p));
  const pairs = result.files.map((f) => [f.file, f.sha256] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const inputs = { files: sha256(JSON.stringify(pairs)) };
  const options = { paths: keptPaths, absolutePaths: keptPaths.map((p) => resolve(p)), minAbstractChars: flags.minAbstractChars ?? INGEST_DEFAULTS.minAbstractChars };
  saveArtefact(project, 'skipped', toJsonl(result.skipped), { inputs, options });
  saveArtefact(project, 'papers', toJsonl(result.papers), { inputs, options });
  const titles = new Map(result.papers.map((p) => [p.id, p.title]));
  return {
    paths: all,
    forgotten,
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

/** Most duplicate groups and skips listed in text output; --json and skipped.jsonl hold them all. */
const TEXT_LIST_LIMIT = 30;

/** Text lines describing an ingest summary. */
export function describeIngest(s: IngestSummary, projectDir = ''): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...s.files.map((f) => f.file.length));
  for (const f of s.files) {
    const encoding = f.encoding && f.encoding !== 'utf-8' ? ` (read as ${f.encoding})` : '';
    lines.push(`${f.file.padEnd(width)}  ${f.format.padEnd(20)} ${f.records} records: ${f.kept} kept, ${f.skipped} skipped${encoding}`);
  }
  for (const f of s.failedFiles) lines.push(`${f.file.padEnd(width)}  FAILED: ${f.message}`);
  for (const p of s.forgotten) lines.push(`${p}: no longer exists, forgotten`);
  lines.push(`${s.records} records in ${s.files.length} files, ${s.kept} kept -> ${s.papers} unique papers (${s.duplicateGroups} duplicate groups merged)`);
  if (s.duplicates.length) {
    lines.push('', `duplicates merged (${s.duplicates.length}):`);
    for (const d of s.duplicates.slice(0, TEXT_LIST_LIMIT)) {
      lines.push(`  [${d.reason}] ${d.title ? clip(d.title, 60) : d.id}: ${d.sources.map((r) => `${r.file}:${r.line}`).join(', ')}`);
    }
    if (s.duplicates.length > TEXT_LIST_LIMIT) lines.push(`  … and ${s.duplicates.length - TEXT_LIST_LIMIT} more (--json lists them all)`);
  }
  lines.push('', `skipped (${s.skipped.length}):`);
  for (const k of s.skipped.slice(0, TEXT_LIST_LIMIT)) lines.push(`  ${k.file}:${k.line}: ${k.reason}`);
  if (s.skipped.length > TEXT_LIST_LIMIT) lines.push(`  … and ${s.skipped.length - TEXT_LIST_LIMIT} more (all in ${projectDir ? `${projectDir}/` : ''}skipped.jsonl)`);
  return lines;
}

/** Adds `papermap ingest` to the program. */
export function registerIngest(program: Command): void {
  withCommon(program.command('ingest'))
    .argument('[paths...]', 'files or folders (walked recursively) of abstracts: .bib, .ris, .csv, .tsv, .json, .jsonl, arXiv Atom .xml, or text')
    .description('read papers into the project, merge duplicates and report what was skipped; re-reads the paths remembered from earlier runs too')
    .option('--replace', 'forget the remembered paths and read only the ones given')
    .option('--keep-going', 'load the readable files even if some cannot be read; the exit code is still 1 when any file failed')
    .option('--min-abstract-chars <n>', `shortest abstract kept, in characters (default ${INGEST_DEFAULTS.minAbstractChars})`, toInt)
    .addHelpText(
      'after',
      '\nFormats are detected from content and file name. Text that is not UTF-8 is read as Windows-1252 when it decodes\n' +
        'cleanly (the report says so), otherwise the file is unreadable. An unreadable file stops the run with one line\n' +
        'naming it (exit 1) unless --keep-going is given.',
    )
    .action(async (paths: string[], flags: CommonFlags & IngestFlags) => {
      const project = openProject(flags.project, { create: true });
      const summary = await ingestStep(project, paths, flags);
      if (flags.json) printJson(summary);
      else printLines(describeIngest(summary, flags.project));
      const [first, ...rest] = summary.failedFiles;
      if (first) {
        throw new PapermapError(
          first.code === 'INPUT_PARSE' ? 'INPUT_PARSE' : 'INPUT_UNREADABLE',
          `${first.message}${rest.length ? ` (and ${rest.length} more unreadable file${rest.length > 1 ? 's' : ''}, listed above)` : ''}`,
          { file: first.file, ...(first.line ? { line: first.line } : {}) },
          'the other files were loaded; fix or leave out the unreadable ones and run `papermap ingest` again',
        );
      }
    });
}
