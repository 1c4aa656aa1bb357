// PapermapError: the one error type the library throws, with a code the CLI and server map to exits and statuses.

export type ErrorCode =
  | 'INPUT_UNREADABLE'
  | 'INPUT_PARSE'
  | 'MODEL_MISSING'
  | 'MODEL_BACKEND'
  | 'PROJECT_MISSING'
  | 'PROJECT_STALE'
  | 'PROJECT_BUSY'
  | 'PROJECT_DAMAGED'
  | 'NOT_FOUND'
  | 'STORE_UNAVAILABLE'
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

/** What to tell the user for an operating-system error code. */
const SYSTEM_FIXES: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and run the command again',
  EDQUOT: 'the disk quota is used up: free some space and run the command again',
  EACCES: 'permission denied: check the permissions, or choose another folder with --project',
  EPERM: 'the operation is not permitted: check the permissions, or choose another folder with --project',
  EROFS: 'the file system is read-only: choose a writable folder with --project',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'it does not exist',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or read fewer files at once',
};

/**
 * Turns an error from a file-system call into a PapermapError naming the path and the fix (INPUT_UNREADABLE), so
 * the CLI prints one line instead of `internal error: ENOSPC…`. PapermapErrors pass through unchanged.
 */
export function systemError(error: unknown, path: string, doing: string): PapermapError {
  if (isPapermapError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const fix = code ? SYSTEM_FIXES[code] : undefined;
  const reason = fix ? `${code}: ${fix.split(':')[0]}` : (error as Error | undefined)?.message ?? String(error);
  return new PapermapError('INPUT_UNREADABLE', `could not ${doing} (${reason})`, { file: path }, fix?.includes(':') ? fix.slice(fix.indexOf(':') + 2) : fix);
}
