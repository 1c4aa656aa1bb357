// PapermapError: the one error type the library throws, with a code the CLI and server map to exits and statuses.

export type ErrorCode =
  | 'INPUT_UNREADABLE'
  | 'INPUT_PARSE'
  | 'MODEL_MISSING'
  | 'MODEL_BACKEND'
  | 'PROJECT_MISSING'
  | 'PROJECT_STALE'
  | 'NOT_FOUND'
  | 'AMBIGUOUS'
  | 'BAD_OPTION';

/** Where an error points: a file and, when known, its 1-based line. */
export interface ErrorLocation {
  file: string;
  line?: number;
}

/** An expected failure: bad input, a missing model, a stale project, a bad option. */
export class PapermapError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly where?: ErrorLocation,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PapermapError';
  }
}

/** True for a PapermapError, whichever copy of this module threw it. */
export function isPapermapError(error: unknown): error is PapermapError {
  return error instanceof PapermapError || (error instanceof Error && error.name === 'PapermapError' && 'code' in error);
}

/** What each common OS error means, and what to do about it. */
const SYSTEM_ERRORS: Record<string, { what: string; hint: string }> = {
  ENOENT: { what: 'no such file or folder', hint: 'check the path' },
  EACCES: { what: 'permission denied', hint: 'check the permissions of the file and of its folders (ls -l)' },
  EPERM: { what: 'operation not permitted', hint: 'check the permissions of the file and of its folders (ls -l)' },
  EISDIR: { what: 'is a folder where a file was expected', hint: 'give a file, or the folder where a folder is expected' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', hint: 'check the path: a folder was expected' },
  ENOSPC: { what: 'no space left on the device', hint: 'free some disk space (df -h shows where), then run the command again' },
  EDQUOT: { what: 'disk quota exceeded', hint: 'free some space in your quota, then run the command again' },
  EROFS: { what: 'read-only file system', hint: 'use a folder on a writable disk' },
  EMFILE: { what: 'too many open files', hint: 'close other programs, or raise the limit (ulimit -n)' },
  ENFILE: { what: 'too many open files on the system', hint: 'close other programs, then run the command again' },
  ELOOP: { what: 'too many symbolic links (a link that points back to itself?)', hint: 'check the links on the path (ls -l)' },
  ENAMETOOLONG: { what: 'the path is too long', hint: 'use a shorter path' },
  EIO: { what: 'input/output error from the device', hint: 'check the disk or network share, then run the command again' },
  EBUSY: { what: 'the file is busy', hint: 'close the program that holds it, then run the command again' },
  ETXTBSY: { what: 'the file is busy', hint: 'close the program that holds it, then run the command again' },
  EEXIST: { what: 'already exists', hint: 'remove it or choose another path' },
};

/**
 * Turns a Node system error (ENOENT, EACCES, ENOSPC, EISDIR, …) met while doing something with `path` into a
 * PapermapError that names the path, says what happened and what to do: "cannot write: no space left on the device"
 * with where.file = the path. Anything that is not a system error is returned unchanged (a bug, not an expected failure).
 */
export function fromSystemError(error: unknown, path: string, doing: string, code: ErrorCode = 'INPUT_UNREADABLE'): unknown {
  if (isPapermapError(error)) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!(error instanceof Error) || typeof errno !== 'string' || !/^E[A-Z0-9]+$/.test(errno)) return error;
  const known = SYSTEM_ERRORS[errno];
  return new PapermapError(code, `cannot ${doing}: ${known?.what ?? error.message.replace(/^E[A-Z0-9]+:\s*/, '').replace(/,\s*\w+\s+'.*'$/, '')} (${errno})`, { file: path }, known?.hint ?? 'check the path and its permissions');
}
