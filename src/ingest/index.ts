// The ingest stage: read files and folders in any supported format into one de-duplicated list of papers, with a skip report.

import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { isPapermapError, PapermapError, systemError } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import { sha256 } from '../hash.js';
import { PAPERMAP_VERSION } from '../package.js';
import type { Paper, Skip } from '../records.js';
import { decodeBytes } from './_decode.js';
import { detectReader, FORMATS, mayHoldPapers, readerFor } from './_detect.js';
import { toPaper } from './_normalise.js';
import { dedupe, type DuplicateGroup } from './dedupe.js';

export { NEAR_DUPLICATE_JACCARD, NEAR_DUPLICATE_WORD_JACCARD, TRUNCATED_CONTAINMENT, type DuplicateGroup, type DuplicateReason } from './dedupe.js';
export { FORMATS } from './_detect.js';
export { MAX_FIELD_CHARS } from './_normalise.js';

/** Options of `ingest`. */
export interface IngestOptions {
  /**
   * What an unreadable file (missing, binary, undecodable, unparseable as a whole) does. Default false: `ingest` throws
   * its PapermapError. True: it is listed in `failedFiles` and the other files still load.
   */
  keepGoing: boolean;
  /**
   * Shortest abstract kept, in characters after whitespace is collapsed. Default 100 (about 15 words: shorter texts are
   * fragments, not abstracts; real abstracts run 500–2,000). Range 1–10,000.
   */
  minAbstractChars: number;
  /**
   * Longest abstract kept, in characters after whitespace is collapsed; a longer one is skipped with its length (it is a
   * whole paper or a broken export, not an abstract). Default 100,000 (arXiv allows 1,920; the longest real abstracts run
   * to about 10,000). Range 1,000–10,000,000.
   */
  maxAbstractChars: number;
  /**
   * Largest file read, in bytes; a larger one is refused with its size before anything is read (a file is decoded and
   * parsed in memory, at several times its size). Default 256 MiB (about 150,000 papers with abstracts as JSONL).
   * Range 1 KiB–512 MiB (longer texts do not fit in one JavaScript string).
   */
  maxFileBytes: number;
  /**
   * What earlier runs read, from `IngestResult.parseCache`: a file whose bytes hash to a remembered sha256 is not decoded
   * or parsed again (its papers and skips are reused under its current path). Default undefined: every file is parsed.
   */
  parseCache?: ParseCache;
  /** Called after each file with the number of files done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Defaults of IngestOptions. */
export const INGEST_DEFAULTS: IngestOptions = { keepGoing: false, minAbstractChars: 100, maxAbstractChars: 100_000, maxFileBytes: 256 * 1024 * 1024, parseCache: undefined, onProgress: undefined };

/** What one file gave, as remembered in the parse cache (papers before de-duplication, with this file's sources). */
export interface CachedRead {
  format: string;
  encoding: string;
  records: number;
  /** The path the file was read under; its papers' sources and its skips name it, and are renamed on reuse. */
  file: string;
  papers: Paper[];
  skipped: Skip[];
}

/**
 * Parse results by the sha256 of each file's bytes, plain JSON for the project store to keep. `key` names the papermap
 * version and the options that change what a file gives; a cache with another key is ignored as a whole.
 */
export interface ParseCache {
  key: string;
  files: Record<string, CachedRead>;
}

/** What one file gave. `records` = `kept` + `skipped`; `kept` counts papers before de-duplication. */
export interface FileReport {
  /** The path as given (relative stays relative), or as found under a given folder. */
  file: string;
  /** Reader used, e.g. 'bibtex'; 'unrecognised' for a file in a folder that no reader takes. */
  format: string;
  records: number;
  kept: number;
  skipped: number;
  /**
   * Encoding the text was read in: 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252' for bytes that were not UTF-8, or
   * 'utf-8 (N invalid byte sequences replaced by U+FFFD)' for UTF-8 with a few bad bytes.
   */
  encoding: string;
  /** sha256 of the file's bytes. */
  sha256: string;
}

/** A file that could not be read, with the error code and message. */
export interface FailedFile {
  file: string;
  code: string;
  message: string;
  /** 1-based line of the problem, when known. */
  line?: number;
}

/** Everything ingest found. */
export interface IngestResult {
  /** Unique papers, in the order of their first source (file order, then line). */
  papers: Paper[];
  /** Every record not taken (and every folder file no reader takes, at line 0), with file:line and reason. */
  skipped: Skip[];
  files: FileReport[];
  duplicates: DuplicateGroup[];
  failedFiles: FailedFile[];
  /** Parse results of every file read this time (cached or not), for the next run's `parseCache`. */
  parseCache: ParseCache;
  /** Files whose parse result came from the given `parseCache`. */
  cachedFiles: number;
}

/** Papers and skips read from one text, before de-duplication. */
export interface TextReadResult {
  format: string;
  papers: Paper[];
  skipped: Skip[];
  /** Records found, taken or not. */
  records: number;
}

const optionChecks = {
  keepGoing: (v: unknown) => (typeof v === 'boolean' ? undefined : 'true or false'),
  minAbstractChars: intIn(1, 10_000),
  maxAbstractChars: intIn(1_000, 10_000_000),
  maxFileBytes: intIn(1024, 512 * 1024 * 1024),
  parseCache: (v: unknown) =>
    v === undefined || (typeof v === 'object' && v !== null && typeof (v as ParseCache).key === 'string' && typeof (v as ParseCache).files === 'object') ? undefined : 'a parse cache from an earlier IngestResult',
  onProgress: (v: unknown) => (v === undefined || typeof v === 'function' ? undefined : 'a function'),
};

/** The format `ingest` would read a text in, given its file name; undefined when no reader recognises it. */
export function detectFormat(text: string, file: string): string | undefined {
  return detectReader(text, file)?.format;
}

/** Options of readText and readBytes: a format name (else detected), and the abstract length limits of IngestOptions. */
export interface ReadOptions {
  format?: string;
  minAbstractChars?: number;
  maxAbstractChars?: number;
}

/** Re-throws a reader's PapermapError with the file filled in; anything else is a bug and passes through. */
function withFile(error: unknown, file: string): unknown {
  if (isPapermapError(error) && !error.where?.file) {
    return new PapermapError(error.code, error.message, { file, ...(error.where?.line ? { line: error.where.line } : {}) }, error.hint);
  }
  return error;
}

/**
 * Reads papers from one text. The format is detected from the content and the file name unless `format` names a
 * reader (one of FORMATS). Records that cannot be papers become skips; a text that cannot be read at all throws
 * INPUT_PARSE (or BAD_OPTION for an unknown format).
 */
export function readText(text: string, file: string, options: ReadOptions = {}): TextReadResult {
  const limits = { minAbstractChars: options.minAbstractChars ?? INGEST_DEFAULTS.minAbstractChars, maxAbstractChars: options.maxAbstractChars ?? INGEST_DEFAULTS.maxAbstractChars };
  const reader = options.format === undefined ? detectReader(text, file) : readerFor(options.format);
  if (!reader) {
    if (options.format !== undefined) throw new PapermapError('BAD_OPTION', `unknown format '${options.format}'`, undefined, `formats: ${FORMATS.join(', ')}`);
    throw new PapermapError('INPUT_PARSE', 'no reader recognises this file', { file }, `expected one of: ${FORMATS.join(', ')} (see \`papermap ingest --help\`)`);
  }
  let output;
  try {
    // Readers see LF only and no BOM; CRLF and lone CR count as one line end each, so line numbers are unchanged.
    output = reader.read(text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
  } catch (error) {
    throw withFile(error, file);
  }
  const papers: Paper[] = [];
  const skipped: Skip[] = output.skipped.map((s) => ({ file, line: s.line, reason: s.reason, format: reader.format }));
  for (const raw of output.records) {
    const result = toPaper(raw, { file, line: raw.line, format: reader.format }, limits);
    if ('reason' in result) skipped.push({ file, line: raw.line, reason: result.reason, format: reader.format });
    else papers.push(result);
  }
  skipped.sort((a, b) => a.line - b.line);
  return { format: reader.format, papers, skipped, records: output.records.length + output.skipped.length };
}

/**
 * Decodes a file's bytes (BOM, UTF-8 or UTF-16, else Windows-1252 when that decodes cleanly) and reads papers from the
 * text as `readText` does. Throws INPUT_UNREADABLE for binary or undecodable bytes.
 */
export function readBytes(bytes: Uint8Array, file: string, options: ReadOptions = {}): TextReadResult & { encoding: string } {
  const { text, encoding } = decodeBytes(bytes, file);
  return { ...readText(text, file, options), encoding };
}

interface FileToRead {
  file: string;
  /** Found by walking a folder (an unrecognised or binary file there is skipped, not fatal). */
  walked: boolean;
}

/** What a file that is not a regular file is, for messages. */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/**
 * Reads a file's bytes if it is a regular file of at most `maxBytes`. The file is opened non-blocking and checked with
 * fstat on the open descriptor, so a named pipe, /dev/zero or /dev/urandom is refused at once instead of hanging or
 * filling memory, and nothing can swap the file between the check and the read. Throws INPUT_UNREADABLE naming the path.
 */
export function readRegularFile(file: string, maxBytes: number = INGEST_DEFAULTS.maxFileBytes): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw systemError(error, file, 'read');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new PapermapError('INPUT_UNREADABLE', `is ${kindOf(stat)}, not a regular file; only files are read`, { file }, stat.isDirectory() ? 'give the folder itself to read every export in it' : 'save the data to a file and give that');
    }
    if (stat.size > maxBytes) {
      throw new PapermapError('INPUT_UNREADABLE', `file is ${megabytes(stat.size)}, over the ${megabytes(maxBytes)} limit (maxFileBytes)`, { file }, 'split it into smaller files (e.g. `split -l 100000` for JSONL or RIS), or raise maxFileBytes');
    }
    return readFileSync(fd);
  } catch (error) {
    throw systemError(error, file, 'read');
  } finally {
    closeSync(fd);
  }
}

/** A cached read moved to another path: its papers' sources and its skips name the new path. */
function renamed(read: CachedRead, file: string): CachedRead {
  return {
    ...read,
    file,
    papers: read.papers.map((p) => ({ ...p, sources: p.sources.map((s) => (s.file === read.file ? { ...s, file } : s)) })),
    skipped: read.skipped.map((s) => ({ ...s, file })),
  };
}

/** Where a skip is, as reports print it: `file:line`, or just `file` for a whole file (line 0). */
export function skipLocation(skip: Pick<Skip, 'file' | 'line'>): string {
  return skip.line > 0 ? `${skip.file}:${skip.line}` : skip.file;
}

/** Expands folders (recursively, names sorted, dot-entries skipped); each real file once, first spelling kept. */
function expandPaths(paths: readonly string[], fail: (error: PapermapError) => void): FileToRead[] {
  const out: FileToRead[] = [];
  const seen = new Set<string>();
  const add = (file: string, walked: boolean): void => {
    let real = file;
    try {
      real = realpathSync(file);
    } catch {
      // Unresolvable: reading it will report the problem.
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ file, walked });
  };
  const visitedDirs = new Set<string>();
  const walk = (dir: string): number => {
    // Symlinks are followed, so a link back up the tree must not loop.
    const real = realpathSync(dir);
    if (visitedDirs.has(real)) return 0;
    visitedDirs.add(real);
    let count = 0;
    const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) count += walk(path);
      else if (stat?.isFile()) {
        add(path, true);
        count++;
      }
    }
    return count;
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      fail(missing ? new PapermapError('INPUT_UNREADABLE', 'no such file or folder', { file: path }, 'check the path') : systemError(error, path, 'read'));
      continue;
    }
    if (stat.isDirectory()) {
      let count = 0;
      try {
        count = walk(path);
      } catch (error) {
        fail(systemError(error, path, 'read the folder'));
        continue;
      }
      if (count === 0) fail(new PapermapError('INPUT_UNREADABLE', 'folder holds no files (dot-files are ignored)', { file: path }, 'give a folder with exports in it, or the files themselves'));
    } else add(path, false);
  }
  return out;
}

/**
 * A file named on the command line that holds records but none that could be used (every one skipped: no abstract,
 * too short, …) is an input error, not a silent 0 papers: it fails like an unreadable file, naming the first skipped
 * record's line and why. With --keep-going its skipped records are still listed in the skip report. (A file found in
 * a folder is only reported in the skip list.)
 */
function failIfNothingUsable(read: CachedRead, fail: (error: PapermapError) => void): void {
  if (read.records === 0 || read.papers.length > 0) return;
  const first = read.skipped[0];
  const why = first ? `: ${first.line ? '' : 'the first: '}${first.reason}` : '';
  const records = `${read.records} ${read.records === 1 ? 'record' : 'records'}`;
  const where = { file: read.file, ...(first?.line ? { line: first.line } : {}) };
  const hint = 'fix the file (every record needs an abstract); with --keep-going the other files load and every skipped record is listed';
  fail(new PapermapError('INPUT_PARSE', `none of its ${records} could be used${why}`, where, hint));
}

/**
 * Reads every file (folders walked recursively), detects each one's format, turns records into papers, merges
 * duplicates and reports what was skipped. Paper ids: `doi:`, else `arxiv:`, else `title:`/`abstract:` + 16 hex of
 * the sha256 of the normalised text. Deterministic: the same files give the same result, in the same order.
 */
export async function ingest(paths: readonly string[], options?: Partial<IngestOptions>): Promise<IngestResult> {
  const opts = resolveOptions(INGEST_DEFAULTS, options, optionChecks);
  if (paths.length === 0) throw new PapermapError('BAD_OPTION', 'no files or folders given', undefined, 'give at least one file or folder to ingest');
  const failedFiles: FailedFile[] = [];
  const fail = (error: PapermapError): void => {
    if (!opts.keepGoing) throw error;
    failedFiles.push({ file: error.where?.file ?? '', code: error.code, message: error.message, ...(error.where?.line ? { line: error.where.line } : {}) });
  };
  const files = expandPaths(paths, fail);
  const reports: FileReport[] = [];
  const allPapers: Paper[] = [];
  const skipped: Skip[] = [];
  const cacheKey = `papermap ${PAPERMAP_VERSION}; minAbstractChars ${opts.minAbstractChars}; maxAbstractChars ${opts.maxAbstractChars}`;
  const oldCache = opts.parseCache?.key === cacheKey ? opts.parseCache.files : {};
  const newCache: Record<string, CachedRead> = {};
  let cachedFiles = 0;
  const keep = (file: string, hash: string, read: CachedRead): void => {
    reports.push({ file, format: read.format, records: read.records, kept: read.papers.length, skipped: read.records - read.papers.length, encoding: read.encoding, sha256: hash });
    for (const paper of read.papers) allPapers.push(paper);
    for (const skip of read.skipped) skipped.push(skip);
  };
  for (const [index, { file, walked }] of files.entries()) {
    if (walked && !mayHoldPapers(file)) {
      reports.push({ file, format: 'unrecognised', records: 0, kept: 0, skipped: 0, encoding: '', sha256: '' });
      skipped.push({ file, line: 0, reason: `not read: ${extname(file) || 'this'} files found in a folder are not taken for paper exports (name the file to read it)` });
      opts.onProgress?.(index + 1, files.length);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readRegularFile(file, opts.maxFileBytes);
    } catch (error) {
      if (!isPapermapError(error)) throw error;
      if (walked) {
        // A file in a folder that cannot be taken (too large, vanished, unreadable) is reported and the rest still load.
        reports.push({ file, format: 'unrecognised', records: 0, kept: 0, skipped: 0, encoding: '', sha256: '' });
        skipped.push({ file, line: 0, reason: `not read: ${error.message}` });
      } else fail(error);
      opts.onProgress?.(index + 1, files.length);
      continue;
    }
    const hash = sha256(bytes);
    const cached = newCache[hash] ?? oldCache[hash];
    if (cached) {
      const read = cached.file === file ? cached : renamed(cached, file);
      newCache[hash] = read;
      cachedFiles++;
      if (!walked) failIfNothingUsable(read, fail);
      keep(file, hash, read);
      opts.onProgress?.(index + 1, files.length);
      continue;
    }
    try {
      const { text, encoding } = decodeBytes(bytes, file);
      if (text.trim() === '') {
        reports.push({ file, format: 'empty', records: 0, kept: 0, skipped: 0, encoding, sha256: hash });
        skipped.push({ file, line: 0, reason: 'file is empty' });
      } else {
        const reader = detectReader(text, file);
        if (!reader && walked) {
          reports.push({ file, format: 'unrecognised', records: 0, kept: 0, skipped: 0, encoding, sha256: hash });
          skipped.push({ file, line: 0, reason: `not read: no reader recognises this file (formats: ${FORMATS.join(', ')})` });
        } else {
          // Without a reader, readText throws the INPUT_PARSE that names the file.
          const read = readText(text, file, { format: reader?.format, minAbstractChars: opts.minAbstractChars, maxAbstractChars: opts.maxAbstractChars });
          const result: CachedRead = { format: read.format, encoding, records: read.records, file, papers: read.papers, skipped: read.skipped };
          newCache[hash] = result;
          if (!walked) failIfNothingUsable(result, fail);
          keep(file, hash, result);
        }
      }
    } catch (error) {
      if (!isPapermapError(error)) throw error;
      if (walked && error.code === 'INPUT_UNREADABLE') {
        reports.push({ file, format: 'unrecognised', records: 0, kept: 0, skipped: 0, encoding: '', sha256: hash });
        skipped.push({ file, line: 0, reason: `not read: ${error.message}` });
      } else fail(error);
    }
    opts.onProgress?.(index + 1, files.length);
  }
  const { papers, duplicates } = dedupe(allPapers);
  return { papers, skipped, files: reports, duplicates, failedFiles, parseCache: { key: cacheKey, files: newCache }, cachedFiles };
}
