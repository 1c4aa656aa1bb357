// One conformance suite over every reader: good records come back, bad ones reach the skip report at the right line, nothing throws.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, ingest, MAX_FIELD_CHARS, readRegularFile, readText, skipLocation } from '../../src/ingest/index.js';

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
  { fixture: 'bibtex/undefined-string.bib', format: 'bibtex', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs'], goodLines: [3, 18], skippedLines: [11] },
  { fixture: 'ris/scopus-export.ris', format: 'ris', good: ['Low-resource speech recognition by self-supervised pre-training', 'Diffusion Downscaling of Regional Climate'], goodLines: [1, 18], skippedLines: [12, 17] },
  { fixture: 'csv/bad-quote.csv', format: 'csv', good: ['Merging Models by Task Arithmetic', 'Sampled Message Passing for Citation Graphs'], goodLines: [2, 4], skippedLines: [3] },
  { fixture: 'csv/spreadsheet-bom-crlf.csv', format: 'csv', good: ['Low-resource speech recognition, revisited', 'Diffusion Downscaling of Regional Climate'], goodLines: [2, 3], skippedLines: [4] },
  { fixture: 'tsv/export.tsv', format: 'tsv', good: ['Sampled Message Passing for Citation Graphs'], goodLines: [2], skippedLines: [3] },
  { fixture: 'json/openalex-works.json', format: 'json', good: ['Protein structure from sequence with attention'], goodLines: [7], skippedLines: [118] },
  { fixture: 'json/truncated.json', format: 'json', good: ['Merging Models by Task Arithmetic'], goodLines: [2], skippedLines: [7] },
  { fixture: 'json/arxiv-snapshot.jsonl', format: 'jsonl', good: ['Robots That Recover: Visual Servoing with Learned Policy Priors'], goodLines: [1], skippedLines: [2, 3] },
  { fixture: 'atom/arxiv-api.xml', format: 'atom', good: ['Robots That Recover: Visual Servoing with Learned Policy Priors', 'Protein structure from sequence with attention'], goodLines: [7, 23], skippedLines: [] },
  { fixture: 'atom/truncated-download.xml', format: 'atom', good: ['Robots That Recover'], goodLines: [7], skippedLines: [22] },
  { fixture: 'atom/xhtml-summary.xml', format: 'atom', good: ['Merging Models by Task Arithmetic'], goodLines: [6], skippedLines: [] },
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

const ABSTRACT = 'Model merging combines the weights of several fine-tuned models into one network without retraining, and interference between task vectors explains most of the accuracy lost.';
const OTHER = 'Graph neural networks learn node representations by passing messages along edges; a sampling scheme keeps neighbourhoods small and saves nine tenths of the memory on citation graphs.';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'papermap-hostile-'));
}

describe('hostile inputs: one clear error or skip, nothing hangs, every good record kept', () => {
  it.each(['/dev/zero', '/dev/urandom', '/dev/null'])('refuses %s at once as not a regular file', async (device) => {
    await expect(ingest([device])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: device } });
  });

  it('refuses a named pipe without opening it for a read that would block, and skips one found in a folder', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.bib')]);
    await expect(ingest([join(dir, 'pipe.bib')])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: join(dir, 'pipe.bib') } });
    writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify({ id: '2101.00001', title: 'A', abstract: ABSTRACT })}\n`);
    const result = await ingest([dir]);
    expect(result.papers).toHaveLength(1);
    expect(result.files.map((f) => f.file)).toEqual([join(dir, 'a.jsonl')]);
  });

  it('names the path and the fix for OS errors (ENOTDIR, ENOENT, a folder read as a file)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file.ris'), 'TY  - JOUR\nER  - \n');
    await expect(ingest([join(dir, 'file.ris', 'x.bib')])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: join(dir, 'file.ris', 'x.bib') }, hint: expect.any(String) });
    await expect(ingest([join(dir, 'missing.bib')])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: join(dir, 'missing.bib') } });
    expect(() => readRegularFile(dir)).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE', where: { file: dir } }));
  });

  it('refuses a file over maxFileBytes with its size, and skips it (not fatal) inside a folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'big.jsonl'), `${JSON.stringify({ id: '2101.00001', title: 'A', abstract: ABSTRACT.repeat(20) })}\n`);
    writeFileSync(join(dir, 'in', 'small.jsonl'), `${JSON.stringify({ id: '2101.00002', title: 'B', abstract: OTHER })}\n`);
    await expect(ingest([join(dir, 'in', 'big.jsonl')], { maxFileBytes: 2048 })).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining('maxFileBytes') });
    const walked = await ingest([join(dir, 'in')], { maxFileBytes: 2048 });
    expect(walked.papers.map((p) => p.id)).toEqual(['arxiv:2101.00002']);
    expect(walked.skipped).toMatchObject([{ file: join(dir, 'in', 'big.jsonl'), line: 0 }]);
  });

  it('reads a .jsonl whose first line is 300,000 characters as JSONL: the long record is skipped, the good one kept', async () => {
    const dir = tempDir();
    const file = join(dir, 'long-first-line.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: '2101.00001', title: 'Huge', abstract: 'word '.repeat(60_000) })}\n${JSON.stringify({ id: '2101.00002', title: 'Good', abstract: OTHER })}\n`);
    const result = await ingest([file]);
    expect(result.files[0]?.format).toBe('jsonl');
    expect(result.papers.map((p) => p.id)).toEqual(['arxiv:2101.00002']);
    expect(result.skipped).toMatchObject([{ line: 1, reason: expect.stringMatching(/^abstract too long: \d+ characters, maximum 100000/) }]);
  });

  it('follows the extension when it names one reader, even when the content also sniffs as another', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.bib');
    writeFileSync(file, `@article{a,\ntitle={RIS inside},\nnote={\nTY  - JOUR\nER  - },\nabstract={${OTHER}}}\n`);
    const result = await ingest([file]);
    expect(result.files[0]?.format).toBe('bibtex');
    expect(result.papers).toHaveLength(1);
  });

  it('skips a record with a 200,000-digit year or an overlong field by name, keeping the rest', () => {
    const text = `@article{a, title={Good}, abstract={${ABSTRACT}}, year={${'9'.repeat(200_000)}}}\n@article{b, title={Other}, abstract={${OTHER}}, year=2020}\n`;
    const result = readText(text, 'years.bib');
    expect(result.papers.map((p) => p.title)).toEqual(['Other']);
    expect(result.skipped).toMatchObject([{ line: 1, reason: `field 'year' is 200000 characters long, maximum ${MAX_FIELD_CHARS}` }]);
  });

  it('keeps a BibTeX abstract of 100,000 words whole (linear reading) when the limit allows it', () => {
    const words = Array.from({ length: 100_000 }, (_, i) => `w${i % 97}`).join(' ');
    const result = readText(`@article{long, title={Long}, abstract={${words}}}\n`, 'long.bib', { maxAbstractChars: 1_000_000 });
    expect(result.papers[0]?.abstract.length).toBe(words.length);
  });

  it('reports an undefined @string at the entry that uses it, naming field and macro', () => {
    const result = readText(readFileSync(join(FIXTURES, 'bibtex/undefined-string.bib'), 'utf8'), 'x.bib');
    expect(result.skipped).toMatchObject([{ line: 11, reason: "entry 'usesundefined2021': field 'booktitle' uses @string 'neurips', which is not defined" }]);
    expect(result.papers[1]?.authors).toEqual(['Will Hamilton', '<Graph> Learning Group']);
    expect(result.papers[1]?.abstract).toMatch(/x < y and y > z\.$/);
  });

  it('gives the text of an Atom summary wrapped in XHTML, and authors with < and > as written', () => {
    const result = readText(readFileSync(join(FIXTURES, 'atom/xhtml-summary.xml'), 'utf8'), 'feed.xml');
    expect(result.papers[0]?.abstract).toBe('Model merging combines the weights of several fine-tuned models into one network without retraining. We study task arithmetic & show that interference explains the accuracy lost when merging.');
    expect(result.papers[0]?.authors).toEqual(['Ada <Lab> Lovelace']);
  });

  it('locates file-level skips by the file alone, never file:0', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.bib'), '\n');
    const result = await ingest([dir]);
    expect(result.skipped).toMatchObject([{ line: 0, reason: 'file is empty' }]);
    expect(skipLocation(result.skipped[0] as { file: string; line: number })).toBe(join(dir, 'empty.bib'));
    expect(skipLocation({ file: 'a.bib', line: 12 })).toBe('a.bib:12');
  });

  it('reuses the parse of an unchanged file from the cache, under its new path, and re-parses a changed one', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.bib');
    writeFileSync(a, `@article{a, title={Merging}, abstract={${ABSTRACT}}}\n@article{bad, title={No abstract}}\n`);
    const first = await ingest([a]);
    expect(first.cachedFiles).toBe(0);
    const cache = JSON.parse(JSON.stringify(first.parseCache));
    const again = await ingest([a], { parseCache: cache });
    expect(again.cachedFiles).toBe(1);
    expect(again.papers).toEqual(first.papers);
    expect(again.skipped).toEqual(first.skipped);
    const moved = join(dir, 'moved.bib');
    renameSync(a, moved);
    const afterMove = await ingest([moved], { parseCache: again.parseCache });
    expect(afterMove.cachedFiles).toBe(1);
    expect(afterMove.papers[0]?.sources).toEqual([{ file: moved, line: 1, format: 'bibtex' }]);
    expect(afterMove.skipped[0]?.file).toBe(moved);
    writeFileSync(moved, `@article{b, title={Graphs}, abstract={${OTHER}}}\n`);
    const changed = await ingest([moved], { parseCache: afterMove.parseCache });
    expect(changed.cachedFiles).toBe(0);
    expect(changed.papers[0]?.title).toBe('Graphs');
    expect(Object.keys(changed.parseCache.files)).toHaveLength(1);
    // Other limits give other papers: a cache made under different options is not used
    const stricter = await ingest([moved], { parseCache: changed.parseCache, minAbstractChars: 1000, keepGoing: true });
    expect(stricter.cachedFiles).toBe(0);
    expect(stricter.papers).toHaveLength(0);
    expect(stricter.failedFiles[0]?.message).toMatch(/^none of its 1 record could be used: abstract too short/);
  });
});
