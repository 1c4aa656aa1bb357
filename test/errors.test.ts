// systemError: OS errors become PapermapErrors that name the path, what happened and what to do.

import { describe, expect, it } from 'vitest';
import { PapermapError, systemError } from '../src/errors.js';

function osError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '${path}'`), { code, path, syscall: 'open' });
}

describe('systemError', () => {
  it.each(['ENOSPC', 'EACCES', 'EISDIR', 'ENOTDIR', 'EROFS'])('%s names the path, the cause and a fix', (code) => {
    const error = systemError(osError(code, '/data/x'), '/data/x', 'write the file');
    expect(error).toBeInstanceOf(PapermapError);
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.where).toEqual({ file: '/data/x' });
    expect(error.message).toMatch(new RegExp(`^could not write the file \\(${code}: .+\\)$`));
    expect(error.hint).toBeTypeOf('string');
  });

  it('passes a PapermapError through unchanged', () => {
    const already = new PapermapError('BAD_OPTION', 'no');
    expect(systemError(already, '/p', 'read')).toBe(already);
  });
});
