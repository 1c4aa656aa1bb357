// Property-based fuzzing of every reader with a fixed seed: any input gives records and skips, or a typed error; never a crash.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPapermapError } from '../../src/errors.js';
import { detectFormat, FORMATS, readBytes, readText } from '../../src/ingest/index.js';

const SEED = 20260401;
const RUNS = 150;
/** Runs per format where the default does not suit (none since the BibTeX reader became linear). */
const RUNS_FOR: Record<string, number> = {};
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A well-formed sample per format, which the fuzzer cuts, splices and sprinkles with syntax. */
const SAMPLES: Record<string, string> = {
  'abstract-lines': 'abstract-lines/labelled-lines.txt',
  'listing-page': 'listing-page/daily-papers.txt',
  'title-abstract-lines': 'title-abstract-lines/glued-header.txt',
  bibtex: 'bibtex/zotero-export.bib',
  ris: 'ris/scopus-export.ris',
  csv: 'csv/spreadsheet-bom-crlf.csv',
  tsv: 'tsv/export.tsv',
  json: 'json/openalex-works.json',
  jsonl: 'json/arxiv-snapshot.jsonl',
  atom: 'atom/arxiv-api.xml',
};

/** Characters that mean something to one format or another. */
const SYNTAX = ['{', '}', '"', ',', ';', '\t', '\n', '\r\n', '@', '\\', '<', '>', '</entry>', '<entry>', '&amp;', '&#x0;', '[', ']', ':', 'TY  - ', 'ER  - ', 'Abstract:', '  • 3 authors', '\u00b7', '\ufeff', '\u0000', '"abstract_inverted_index": {"a": [1e9]}', '"abstract": 5', '%', '$', '~', '\\"{o}', '{{{{', '}}}}', '@string{jn = "J"}', ' # jn', 'title = undefinedmacro,', '@comment{', '@preamble{"x"}', '<div>', '</div>', '<![CDATA[', ']]>', '$x^2$', '\\url{', '\\c{c}', 'a'.repeat(3000)];

function mutated(sample: string): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(fc.nat({ max: sample.length }), fc.nat({ max: 200 }), fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 8 }))),
      { maxLength: 6 },
    )
    .map((edits) => {
      let text = sample;
      for (const [at, drop, insert] of edits) {
        const pos = Math.min(at, text.length);
        text = text.slice(0, pos) + insert + text.slice(pos + drop);
      }
      return text;
    });
}

function readsOrTypedError(text: string, format: string): void {
  try {
    const result = readText(text, 'fuzz.txt', { format });
    expect(result.records).toBe(result.papers.length + result.skipped.length);
    for (const p of result.papers) {
      expect(p.abstract.length).toBeGreaterThanOrEqual(100);
      expect(p.id).toMatch(/^(doi|arxiv|title|abstract):\S+$/);
      expect(p.sources[0]?.line).toBeGreaterThanOrEqual(1);
    }
    for (const s of result.skipped) expect(Number.isInteger(s.line)).toBe(true);
  } catch (error) {
    if (!isPapermapError(error)) throw error;
    expect(['INPUT_PARSE', 'INPUT_UNREADABLE']).toContain(error.code);
  }
}

describe('fuzzing every reader (seed ' + SEED + ')', () => {
  it('has a sample for every format', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...FORMATS].sort());
  });

  for (const format of FORMATS) {
    const sample = readFileSync(join(FIXTURES, SAMPLES[format] ?? ''), 'utf8');
    it(`${format}: arbitrary text gives records or a typed error`, () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => readsOrTypedError(text, format)), { seed: SEED, numRuns: RUNS_FOR[format] ?? RUNS });
    });
    it(`${format}: a mangled export gives records or a typed error`, () => {
      fc.assert(fc.property(mutated(sample), (text) => readsOrTypedError(text, format)), { seed: SEED, numRuns: RUNS_FOR[format] ?? RUNS });
    });
  }

  it('decoding and format detection take any bytes: records or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          readBytes(bytes, 'fuzz.bin');
        } catch (error) {
          if (!isPapermapError(error)) throw error;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a .jsonl stays JSONL whatever long line comes first (sniffing sees a bounded sample)', () => {
    const sample = readFileSync(join(FIXTURES, SAMPLES.jsonl ?? ''), 'utf8');
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 400_000 }), fc.constantFrom('abstract', 'title', 'x'), (length, key) => {
        const first = JSON.stringify({ id: '2101.00001', [key]: 'w '.repeat(length >> 1) });
        expect(detectFormat(`${first}\n${sample}`, 'export.jsonl')).toBe('jsonl');
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it('BibTeX: entries using undefined @strings are skipped at their own line, every other entry kept', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), (bad) => {
        const text = ['@string{jn = "Journal of Tests"}', ...bad.map((isBad, i) => `@article{e${i},\n  journal = ${isBad ? `undefined${i}` : 'jn'},\n  title = {Entry ${i}},\n  abstract = {Entry number ${i} of a generated file: long enough to pass the minimum abstract length of one hundred characters.}\n}`)].join('\n');
        const result = readText(text, 'gen.bib');
        expect(result.papers.map((p) => p.title)).toEqual(bad.flatMap((isBad, i) => (isBad ? [] : [`Entry ${i}`])));
        expect(result.skipped.map((sk) => sk.line)).toEqual(bad.flatMap((isBad, i) => (isBad ? [2 + i * 5] : [])));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
