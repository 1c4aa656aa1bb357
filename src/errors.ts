// PapermapError: the one error type the library throws, with a code the CLI and server map to exits and statuses.

export type ErrorCode =
  | 'INPUT_UNREADABLE'
  | 'INPUT_PARSE'
  | 'MODEL_MISSING'
  | 'MODEL_BACKEND'
  | 'PROJECT_MISSING'
  | 'PROJECT_STALE'
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
