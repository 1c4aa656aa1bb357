// fromSystemError: OS errors become PapermapErrors that name the path, what happened and what to do.

import { describe, expect, it } from 'vitest';
import { fromSystemError, PapermapError } from '../src/errors.js';

function systemError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '${path}'`), { code, path, syscall: 'open' });
}

describe('fromSystemError', () => {
  it.each([
    ['ENOSPC', 'write', /^cannot write: no space left on the device \(ENOSPC\)$/, /free some disk space/],
    ['EACCES', 'read', /^cannot read: permission denied \(EACCES\)$/, /permissions/],
    ['EISDIR', 'read', /^cannot read: is a folder where a file was expected \(EISDIR\)$/, /give a file/],
    ['ENOTDIR', 'open the project', /^cannot open the project: a part of the path is a file, not a folder \(ENOTDIR\)$/, /folder was expected/],
    ['EROFS', 'write', /read-only file system/, /writable/],
  ])('%s names the path and the fix', (code, doing, message, hint) => {
    const error = fromSystemError(systemError(code, '/data/x'), '/data/x', doing) as PapermapError;
    expect(error).toBeInstanceOf(PapermapError);
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.where).toEqual({ file: '/data/x' });
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('takes the error code the caller gives, and describes an unknown errno by its own message', () => {
    const error = fromSystemError(systemError('EXDEV', '/p'), '/p', 'move', 'PROJECT_MISSING') as PapermapError;
    expect(error.code).toBe('PROJECT_MISSING');
    expect(error.message).toMatch(/^cannot move: .*\(EXDEV\)$/);
  });

  it('passes anything that is not a system error through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(fromSystemError(bug, '/p', 'read')).toBe(bug);
    const already = new PapermapError('BAD_OPTION', 'no');
    expect(fromSystemError(already, '/p', 'read')).toBe(already);
  });
});
