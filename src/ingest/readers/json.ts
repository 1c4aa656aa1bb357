// Readers for JSON (a list of papers, or an API response wrapping one) and JSON Lines (one paper per line).

import { PapermapError } from '../../errors.js';
import { recordFromJson } from './_json-record.js';
import { excerpt, lineIndex, splitLines, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

/** Keys under which API responses and exports wrap their list of papers. */
const WRAPPER_KEYS = ['results', 'data', 'items', 'papers', 'records', 'works', 'entries', 'message'] as const;

/** Where one element of the paper list sits in the text; `end` is undefined when the text stops inside it. */
interface Span {
  start: number;
  end?: number;
}

/**
 * Finds the elements of the paper list without parsing them: the top-level array, or the array under `key` of the
 * top-level object. A scan over brackets and strings only, so that line numbers can be given and the complete
 * elements of a truncated file can still be read one by one.
 */
function scanElements(text: string, key: string | undefined): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let listDepth = -1;
  let current: Span | undefined;
  let lastString = '';
  let keyAtDepth1 = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = text.slice(i + 1, j);
      if (listDepth >= 0 && depth === listDepth && !current) current = { start: i };
      i = j;
      continue;
    }
    if (c === ':' && depth === 1) keyAtDepth1 = lastString;
    if (c === '{' || c === '[') {
      if (listDepth >= 0 && depth === listDepth && !current) current = { start: i };
      depth++;
      if (c === '[' && listDepth < 0 && ((key === undefined && depth === 1) || (key !== undefined && depth === 2 && keyAtDepth1 === key))) listDepth = depth;
      continue;
    }
    if (c === '}' || c === ']') {
      depth--;
      if (listDepth >= 0 && depth === listDepth && current) {
        current.end = i + 1;
        spans.push(current);
        current = undefined;
      } else if (listDepth >= 0 && depth < listDepth) {
        if (current) {
          current.end = i;
          spans.push(current);
        }
        return spans;
      }
      continue;
    }
    if (listDepth >= 0 && depth === listDepth) {
      if (c === ',') {
        if (current) {
          current.end = i;
          spans.push(current);
          current = undefined;
        }
      } else if (c !== undefined && !/\s/.test(c) && !current) current = { start: i };
    }
  }
  if (current) spans.push(current);
  return spans;
}

function parseError(error: unknown): string {
  return (error as Error).message.replace(/\s+/g, ' ').slice(0, 120);
}

/** Reads a JSON document holding papers: a list, one paper object, or an object with a list under results/data/items/…. */
export const jsonReader: Reader = {
  format: 'json',
  extensions: ['json'],
  sniff(text) {
    const t = text.trimStart();
    if (!t.startsWith('[') && !t.startsWith('{')) return 0;
    return /"(?:abstract|summary|abstract_inverted_index|title)"\s*:/.test(text.slice(0, 200_000)) ? 0.8 : 0.4;
  },
  read(text) {
    const toLine = lineIndex(text);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      const t = text.trimStart();
      if (!t.startsWith('[') && !t.startsWith('{')) {
        throw new PapermapError('INPUT_PARSE', `not valid JSON: ${parseError(error)}`, undefined, 'check the file with a JSON validator, or export it again');
      }
      // A damaged list: read each complete element on its own below.
      const key = t.startsWith('{') ? WRAPPER_KEYS.find((k) => new RegExp(`"${k}"\\s*:\\s*\\[`).test(text)) : undefined;
      if (t.startsWith('{') && key === undefined) {
        throw new PapermapError('INPUT_PARSE', `not valid JSON: ${parseError(error)}`, undefined, 'check the file with a JSON validator, or export it again');
      }
      return readSpans(text, scanElements(text, key), toLine, `not valid JSON: ${parseError(error)}`);
    }
    if (Array.isArray(document)) return fromList(document, scanElements(text, undefined), toLine);
    if (typeof document === 'object' && document !== null) {
      const wrapper = document as Record<string, unknown>;
      for (const key of WRAPPER_KEYS) {
        const inner = wrapper[key];
        if (Array.isArray(inner)) return fromList(inner, scanElements(text, key), toLine);
        if (key === 'message' && typeof inner === 'object' && inner !== null && Array.isArray((inner as Record<string, unknown>).items)) {
          return fromList((inner as { items: unknown[] }).items, [], toLine);
        }
      }
      return { records: [recordFromJson(document, toLine(text.length - text.trimStart().length))], skipped: [] };
    }
    throw new PapermapError('INPUT_PARSE', `the JSON holds ${document === null ? 'null' : typeof document}, not papers`, undefined, 'give a list of paper objects, or one paper object');
  },
};

function fromList(list: readonly unknown[], spans: readonly Span[], toLine: (offset: number) => number): { records: RawRecord[]; skipped: ReaderSkip[] } {
  const records = list.map((item, i) => recordFromJson(item, spans.length === list.length ? toLine(spans[i]?.start ?? 0) : 1));
  return { records, skipped: [] };
}

function readSpans(text: string, spans: readonly Span[], toLine: (offset: number) => number, wholeError: string): { records: RawRecord[]; skipped: ReaderSkip[] } {
  const records: RawRecord[] = [];
  const skipped: ReaderSkip[] = [];
  for (const span of spans) {
    const line = toLine(span.start);
    if (span.end === undefined) {
      skipped.push({ line, reason: `the file ends inside this element (${wholeError})` });
      continue;
    }
    try {
      records.push(recordFromJson(JSON.parse(text.slice(span.start, span.end)), line));
    } catch (error) {
      skipped.push({ line, reason: `element is not valid JSON: ${parseError(error)}: ${excerpt(text.slice(span.start, span.end), 40)}` });
    }
  }
  if (spans.length === 0) skipped.push({ line: 1, reason: wholeError });
  return { records, skipped };
}

/** Reads JSON Lines: one paper object per line; a line that is not valid JSON goes to the skip report. */
export const jsonlReader: Reader = {
  format: 'jsonl',
  extensions: ['jsonl', 'ndjson'],
  sniff(text) {
    const lines = splitLines(text.slice(0, 200_000)).filter((l) => l.trim() !== '').slice(0, 5);
    if (lines.length === 1) return /^\s*\{.*\}\s*$/.test(lines[0] ?? '') ? 0.6 : 0;
    if (lines.length === 0) return 0;
    const objects = lines.filter((l) => /^\s*\{.*\}\s*$/.test(l)).length;
    return objects === lines.length ? 0.9 : objects >= 2 ? 0.5 : 0;
  },
  read(text) {
    const records: RawRecord[] = [];
    const skipped: ReaderSkip[] = [];
    splitLines(text).forEach((raw, i) => {
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        skipped.push({ line: i + 1, reason: `line is not valid JSON: ${parseError(error)}` });
        return;
      }
      records.push(recordFromJson(value, i + 1));
    });
    return { records, skipped };
  },
};
