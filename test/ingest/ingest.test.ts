// ingest() on the bundled corpus and on folders, failures, options and encodings, through the public function.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestResult } from '../../src/ingest/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-ingest-'));
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// Run from the repository root (as `npm test` does), so the corpus is read as the relative path 'data'.
describe('the bundled corpus', () => {
  let result: IngestResult;
  beforeAll(async () => {
    result = await ingest([relative(process.cwd(), join(ROOT, 'data')) || 'data']);
  });

  it('reads every record of the four seed files with the right reader', () => {
    expect(result.files.map((f) => [f.file, f.format, f.records, f.kept, f.skipped])).toEqual([
      ['data/000_773b0f2d1a6b9c3e.txt', 'abstract-lines', 10, 10, 0],
      ['data/001_05a5f91c41eaf285.txt', 'listing-page', 57, 57, 0],
      ['data/002_a148c10466c9a820.txt', 'title-abstract-lines', 261, 261, 0],
      ['data/003_32b709b6946b94e5.txt', 'title-abstract-lines', 235, 235, 0],
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.failedFiles).toEqual([]);
  });

  it('keeps every abstract in the files: each long line is some paper\'s abstract', () => {
    const abstracts = new Set(result.papers.map((p) => p.abstract));
    let lines = 0;
    for (const f of result.files) {
      for (const line of readFileSync(join(ROOT, f.file), 'utf8').split('\n')) {
        const text = line.replace(/^Abstract:/, '').trim();
        if (text.length < 250) continue;
        lines++;
        expect(abstracts.has(text.replace(/\s+/g, ' '))).toBe(true);
      }
    }
    expect(lines).toBe(563);
  });

  it('turns no page chrome into a paper, and unglues the first title from "Subscribe"', () => {
    for (const p of result.papers) {
      expect(p.title ?? '').not.toMatch(/^(Subscribe|Get trending|Daily Papers|new$|byAK)/);
      expect(p.abstract.length).toBeGreaterThan(250);
    }
    const scaLearn = result.papers.find((p) => p.title?.startsWith('ScaLearn'));
    expect(scaLearn?.sources.map((s) => `${s.file}:${s.line}`)).toEqual([
      'data/001_05a5f91c41eaf285.txt:245',
      'data/002_a148c10466c9a820.txt:3',
      'data/003_32b709b6946b94e5.txt:367',
    ]);
  });

  it('merges the papers listed in more than one file: 563 records, 507 papers, 50 groups', () => {
    expect(result.papers).toHaveLength(507);
    expect(result.duplicates).toHaveLength(50);
    expect(result.papers.reduce((n, p) => n + p.sources.length, 0)).toBe(563);
    expect(new Set(result.papers.map((p) => p.id)).size).toBe(507);
  });

  it('reads the listing page\'s author counts and dates, leaving out dates without a year', () => {
    const first = result.papers[10];
    expect(first?.sources[0]).toEqual({ file: 'data/001_05a5f91c41eaf285.txt', line: 13, format: 'listing-page' });
    expect(first).toMatchObject({ authorCount: 6, year: 2023, date: '2023-08-16' });
    const noYear = result.papers.find((p) => p.title?.startsWith('Rep-MTL'));
    expect(noYear?.date).toBeUndefined();
    const noMeta = result.papers.find((p) => p.title?.startsWith('AgentTTS'));
    expect(noMeta?.authorCount).toBeUndefined();
  });

  it('gives untitled abstracts an abstract: id and titled ones a title: id', () => {
    expect(result.papers.slice(0, 10).every((p) => /^abstract:[0-9a-f]{16}$/.test(p.id))).toBe(true);
    expect(result.papers.slice(10).every((p) => /^title:[0-9a-f]{16}$/.test(p.id))).toBe(true);
  });

  it('is deterministic', async () => {
    const again = await ingest([relative(process.cwd(), join(ROOT, 'data')) || 'data']);
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });
});

describe('paths, folders and failures', () => {
  it('walks folders recursively in name order, skips dot-entries, reads a file given twice once', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b', 'nested'), { recursive: true });
    mkdirSync(join(dir, '.hidden'));
    copyFileSync(join(FIXTURES, 'bibtex/arxiv-export.bib'), join(dir, 'b', 'nested', 'z.bib'));
    copyFileSync(join(FIXTURES, 'ris/scopus-export.ris'), join(dir, 'a.ris'));
    copyFileSync(join(FIXTURES, 'ris/scopus-export.ris'), join(dir, '.hidden', 'x.ris'));
    writeFileSync(join(dir, '.DS_Store'), 'junk');
    const result = await ingest([dir, join(dir, 'a.ris')]);
    expect(result.files.map((f) => relative(dir, f.file))).toEqual(['a.ris', join('b', 'nested', 'z.bib')]);
  });

  it('follows symlinks without looping on a link back up the tree', async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'bibtex/arxiv-export.bib'), join(dir, 'refs.bib'));
    symlinkSync(dir, join(dir, 'loop'));
    const result = await ingest([dir]);
    expect(result.files.map((f) => relative(dir, f.file))).toEqual(['refs.bib']);
  });

  it('keeps relative paths relative in sources', async () => {
    const given = `./${relative(process.cwd(), join(FIXTURES, 'atom/arxiv-api.xml'))}`;
    const result = await ingest([given]);
    expect(result.papers[0]?.sources[0]).toEqual({ file: given, line: 7, format: 'atom' });
  });

  it('throws INPUT_UNREADABLE naming a missing file, a binary file and an empty folder', async () => {
    const missing = join(tempDir(), 'nope.bib');
    await expect(ingest([missing])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: missing } });
    const binary = join(FIXTURES, 'encoding/binary.bin');
    await expect(ingest([binary])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: binary } });
    const empty = tempDir();
    await expect(ingest([empty])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file: empty } });
  });

  it('throws INPUT_PARSE for a file no reader recognises, and for a CSV with no abstract column', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'short line\nanother short line\n');
    await expect(ingest([join(dir, 'notes.txt')])).rejects.toMatchObject({ code: 'INPUT_PARSE', where: { file: join(dir, 'notes.txt') } });
    const csv = join(FIXTURES, 'csv/no-abstract-column.csv');
    await expect(ingest([csv])).rejects.toMatchObject({ code: 'INPUT_PARSE', where: { file: csv, line: 1 } });
  });

  it('with keepGoing, reports failed files and loads the rest', async () => {
    const missing = join(tempDir(), 'gone.ris');
    const good = join(FIXTURES, 'atom/arxiv-api.xml');
    const binary = join(FIXTURES, 'encoding/binary.bin');
    const result = await ingest([missing, good, binary], { keepGoing: true });
    expect(result.papers).toHaveLength(2);
    expect(result.failedFiles.map((f) => [f.file, f.code])).toEqual([
      [missing, 'INPUT_UNREADABLE'],
      [binary, 'INPUT_UNREADABLE'],
    ]);
  });

  it('in a folder, skips binary, unrecognised and non-export (.md, .pdf) files at line 0 instead of failing', async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'encoding/binary.bin'), join(dir, 'paper.pdf'));
    writeFileSync(join(dir, 'README'), 'hello\n');
    writeFileSync(join(dir, 'NOTES.md'), `# About this folder\n${'These exports come from our lab library and were collected over several years of reading groups. '.repeat(4)}\n`);
    copyFileSync(join(FIXTURES, 'bibtex/arxiv-export.bib'), join(dir, 'refs.bib'));
    const result = await ingest([dir]);
    expect(result.papers).toHaveLength(1);
    expect(result.failedFiles).toEqual([]);
    expect(result.skipped.map((s) => [relative(dir, s.file), s.line])).toEqual([
      ['NOTES.md', 0],
      ['README', 0],
      ['paper.pdf', 0],
    ]);
    expect(result.files.map((f) => f.format)).toEqual(['unrecognised', 'unrecognised', 'unrecognised', 'bibtex']);
  });

  it('reports progress per file', async () => {
    const calls: [number, number][] = [];
    await ingest([join(FIXTURES, 'ris'), join(FIXTURES, 'atom')], { onProgress: (done, total) => calls.push([done, total]) });
    // ris/ holds one file, atom/ three
    expect(calls).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });
});

describe('options', () => {
  it('rejects unknown and out-of-range options with BAD_OPTION', async () => {
    const file = join(FIXTURES, 'atom/arxiv-api.xml');
    await expect(ingest([file], { minAbstractChars: 0 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(ingest([file], { minAbstractChars: 2.5 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(ingest([file], { colour: 'red' } as never)).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(ingest([])).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });

  it('minAbstractChars decides what is too short', async () => {
    const file = join(FIXTURES, 'abstract-lines/labelled-lines.txt');
    const strict = await ingest([file], { minAbstractChars: 240 });
    expect(strict.papers.length).toBeLessThan(3);
    expect(strict.skipped.some((s) => s.reason.startsWith('abstract too short'))).toBe(true);
    const lenient = await ingest([file], { minAbstractChars: 10 });
    expect(lenient.papers).toHaveLength(4);
  });
});

describe('encodings', () => {
  it('reads Windows-1252 text and says so', async () => {
    const result = await ingest([join(FIXTURES, 'encoding/windows-1252.txt')]);
    expect(result.files[0]?.encoding).toBe('windows-1252');
    expect(result.papers[0]?.title).toBe('Café culture and naïve Bayes – a study');
    expect(result.papers[0]?.abstract).toContain('Modèle merging “quoted”');
  });

  it('reads UTF-16 with a BOM, and UTF-8 with a BOM and CRLF', async () => {
    const utf16 = await ingest([join(FIXTURES, 'encoding/utf16-bom.txt')]);
    expect(utf16.files[0]?.encoding).toBe('utf-16le');
    expect(utf16.papers).toHaveLength(1);
    const csv = await ingest([join(FIXTURES, 'csv/spreadsheet-bom-crlf.csv')]);
    expect(csv.files[0]).toMatchObject({ format: 'csv', encoding: 'utf-8', kept: 2 });
    expect(csv.papers[0]?.abstract).toContain('"forty" languages');
  });

  it('keeps a UTF-8 file with one bad byte as UTF-8 and counts the replacement', async () => {
    const result = await ingest([join(FIXTURES, 'encoding/utf8-one-bad-byte.txt')]);
    expect(result.files[0]?.encoding).toBe('utf-8 (1 invalid byte sequence replaced by U+FFFD)');
    expect(result.papers[0]?.title).toBe('Müller–Schmidt über naïve models');
  });

  it('refuses bytes that are neither UTF-8 nor Windows-1252', async () => {
    const file = join(FIXTURES, 'encoding/undecodable.txt');
    await expect(ingest([file])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', where: { file } });
  });

  it('reports an empty file as skipped, not as an error', async () => {
    const result = await ingest([join(FIXTURES, 'encoding/empty.txt')]);
    expect(result.files[0]?.format).toBe('empty');
    expect(result.skipped).toMatchObject([{ line: 0, reason: 'file is empty' }]);
  });
});
