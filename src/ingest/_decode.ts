// Bytes to text: byte-order marks, UTF-8 and UTF-16, a Windows-1252 fallback for old exports, and binary files refused.

import { PapermapError } from '../errors.js';

/** Text of a file and the encoding it was read in. */
export interface Decoded {
  text: string;
  /**
   * 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252' (for bytes that are not UTF-8), or 'utf-8 (N invalid byte
   * sequences replaced by U+FFFD)' for UTF-8 text with a few bad bytes.
   */
  encoding: string;
}

// Windows-1252 bytes 0x80–0x9F; undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are 0 and make the text undecodable.
// Node's TextDecoder('windows-1252') decodes these as Latin-1 C1 controls, so the table is ours.
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Share of control characters (other than tab, LF, CR, FF) above which a text is taken for binary. */
const MAX_CONTROL_SHARE = 0.01;

function decodeCp1252(bytes: Uint8Array): string | undefined {
  const chars: string[] = [];
  let chunk: number[] = [];
  for (const b of bytes) {
    let code = b;
    if (b >= 0x80 && b <= 0x9f) {
      code = CP1252_HIGH[b - 0x80] ?? 0;
      if (code === 0) return undefined;
    }
    chunk.push(code);
    if (chunk.length === 8192) {
      chars.push(String.fromCharCode(...chunk));
      chunk = [];
    }
  }
  chars.push(String.fromCharCode(...chunk));
  return chars.join('');
}

function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) controls++;
  }
  return controls / text.length;
}

/**
 * Decodes a file's bytes. A BOM picks UTF-8 or UTF-16; otherwise the bytes must be valid UTF-8 (or mostly: more
 * well-formed multi-byte characters than bad sequences, which become U+FFFD and are counted in `encoding`), or
 * failing that valid Windows-1252 (Latin-1 plus curly quotes and dashes: what older Zotero, EndNote and Excel exports
 * write), and the result must read as text. Anything else (NUL bytes, undefined Windows-1252 bytes, many control characters) throws
 * INPUT_UNREADABLE naming the file.
 */
export function decodeBytes(bytes: Uint8Array, file: string): Decoded {
  const unreadable = (what: string): PapermapError =>
    new PapermapError('INPUT_UNREADABLE', `${what}; expected a UTF-8 (or Windows-1252) text file`, { file }, 'convert the file to UTF-8 text, or leave it out');
  let decoded: Decoded | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  else {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    if (body.includes(0)) throw unreadable('binary file (it contains NUL bytes)');
    try {
      decoded = { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
    } catch {
      // Mostly UTF-8 with a few bad bytes (a cut download, one pasted Latin-1 character): keep the UTF-8 reading and
      // say how many bytes were replaced. Otherwise the file is probably Windows-1252 throughout.
      const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
      const replaced = (lossy.match(/\ufffd/g) ?? []).length;
      const multibyte = (lossy.match(/[^\x00-\x7f\ufffd]/g) ?? []).length;
      if (multibyte > replaced) decoded = { text: lossy, encoding: `utf-8 (${replaced} invalid byte sequence${replaced === 1 ? '' : 's'} replaced by U+FFFD)` };
      else {
        const text = decodeCp1252(body);
        if (text === undefined) throw unreadable('not UTF-8, and it holds bytes that Windows-1252 does not define either');
        decoded = { text, encoding: 'windows-1252' };
      }
    }
  }
  if (decoded.text.startsWith('\ufeff')) decoded.text = decoded.text.slice(1);
  const share = controlShare(decoded.text);
  if (share > MAX_CONTROL_SHARE) throw unreadable(`binary file (${(share * 100).toFixed(1)}% control characters)`);
  return decoded;
}
