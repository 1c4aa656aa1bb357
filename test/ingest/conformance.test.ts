// One conformance suite over every reader: good records come back, bad ones reach the skip report at the right line, nothing throws.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, ingest, readText } from '../../src/ingest/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

interface Case {
  fixture: string;
  format: string;
  /** Titles (or abstract openings for untitled records) of the papers expected, in order. */
  good: string[];
  /** Lines of the records expected in the skip report. */
  skippedLines: number[];
  /** Lines where the good records start. */
  goodLines: number[];
}

const CASES: Case[] = [
  { fixture: 'abstract-lines/labelled-lines.txt', format: 'abstract-lines', good: ['Model merging combines', 'Graph neural networks', 'Low-resource speech recognition by self-supervised pre-training'], goodLines: [1, 2, 3], skippedLines: [8, 9, 10] },
  { fixture: 'listing-page/daily-papers.txt', format: 'listing-page', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs', 'Self-Supervised Speech for Forty Languages'], goodLines: [13, 21, 27], skippedLines: [25] },
  { fixture: 'title-abstract-lines/glued-header.txt', format: 'title-abstract-lines', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs', 'Diffusion Downscaling of Regional Climate'], goodLines: [3, 5, 8], skippedLines: [7] },
  { fixture: 'bibtex/unbalanced-brace.bib', format: 'bibtex', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs'], goodLines: [1, 13], skippedLines: [8] },
  { fixture: 'bibtex/google-scholar.bib', format: 'bibtex', good: ['Diffusion downscaling of regional climate'], goodLines: [8], skippedLines: [1] },
  { fixture: 'ris/scopus-export.ris', format: 'ris', good: ['Low-resource speech recognition by self-supervised pre-training', 'Diffusion Downscaling of Regional Climate'], goodLines: [1, 18], skippedLines: [12, 17] },
  { fixture: 'csv/bad-quote.csv', format: 'csv', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs'], goodLines: [2, 4], skippedLines: [3] },
  { fixture: 'csv/spreadsheet-bom-crlf.csv', format: 'csv', good: ['Low-resource speech recognition, revisited', 'Diffusion Downscaling of Regional Climate'], goodLines: [2, 3], skippedLines: [4] },
  { fixture: 'tsv/export.tsv', format: 'tsv', good: ['Sampled Message Passing for Citation Graphs'], goodLines: [2], skippedLines: [3] },
  { fixture: 'json/openalex-works.json', format: 'json', good: ['Protein structure from sequence with attention'], goodLines: [7], skippedLines: [118] },
  { fixture: 'json/truncated.json', format: 'json', good: ['Merging Models by Task Arithmetic'], goodLines: [2], skippedLines: [7] },
  { fixture: 'json/arxiv-snapshot.jsonl', format: 'jsonl', good: ['Robots That Recover: Visual Servoing with Learned Policy Priors'], goodLines: [1], skippedLines: [2, 3] },
  { fixture: 'atom/arxiv-api.xml', format: 'atom', good: ['Robots That Recover: Visual Servoing with Learned Policy Priors', 'Protein structure from sequence with attention'], goodLines: [7, 23], skippedLines: [] },
  { fixture: 'atom/truncated-download.xml', format: 'atom', good: ['Robots That Recover'], goodLines: [7], skippedLines: [22] },
];

function label(p: { title?: string; abstract: string }): string {
  return p.title ?? p.abstract;
}

describe('every reader passes the conformance suite', () => {
  it('covers every format with at least one fixture', () => {
    expect(new Set(CASES.map((c) => c.format))).toEqual(new Set(FORMATS));
  });

  for (const c of CASES) {
    describe(`${c.format}: ${c.fixture}`, () => {
      const file = join(FIXTURES, c.fixture);
      const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');

      it('is detected from its content and name', async () => {
        const result = await ingest([file]);
        expect(result.files.map((f) => f.format)).toEqual([c.format]);
      });

      it('returns the good records, each at the line it starts on', () => {
        const result = readText(text, c.fixture, { format: c.format });
        expect(result.papers).toHaveLength(c.good.length);
        result.papers.forEach((p, i) => expect(label(p).startsWith(c.good[i] ?? '\u0000')).toBe(true));
        expect(result.papers.map((p) => p.sources[0]?.line)).toEqual(c.goodLines);
        for (const p of result.papers) expect(p.sources).toEqual([{ file: c.fixture, line: p.sources[0]?.line, format: c.format }]);
      });

      it('puts every bad record in the skip report with its line and a reason', () => {
        const result = readText(text, c.fixture, { format: c.format });
        expect(result.skipped.map((s) => s.line)).toEqual(c.skippedLines);
        for (const s of result.skipped) {
          expect(s.file).toBe(c.fixture);
          expect(s.reason.length).toBeGreaterThan(5);
        }
        expect(result.records).toBe(c.good.length + c.skippedLines.length);
      });

      it('reads the same with CRLF line ends', () => {
        const crlf = readText(text.replace(/\r?\n/g, '\r\n'), c.fixture, { format: c.format });
        const lf = readText(text.replace(/\r\n/g, '\n'), c.fixture, { format: c.format });
        expect(crlf.papers).toEqual(lf.papers);
        expect(crlf.skipped).toEqual(lf.skipped);
      });

      it('never throws on any cut of the file: records or a typed error', () => {
        for (let cut = 0; cut <= text.length; cut += Math.max(1, Math.floor(text.length / 40))) {
          try {
            const result = readText(text.slice(0, cut), c.fixture, { format: c.format });
            for (const s of result.skipped) expect(s.line).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect((error as { code?: string }).code).toMatch(/^INPUT_(PARSE|UNREADABLE)$/);
          }
        }
      });
    });
  }
});
