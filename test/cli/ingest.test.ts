// `papermap ingest` through the real bin: reports, remembered paths, --replace, --keep-going, and one-line errors.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { papermap } from '../helpers/cli.js';
import { artefactFile } from '../helpers/corpus-project.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-cli-ingest-'));
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('papermap ingest', () => {
  it('reads the bundled corpus: counts per file, unique papers, duplicate groups, nothing skipped', () => {
    const project = tempDir();
    const r = papermap(['ingest', 'data', '-p', project]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/data\/000_773b0f2d1a6b9c3e\.txt\s+abstract-lines\s+10 records: 10 kept, 0 skipped/);
    expect(r.stdout).toMatch(/data\/001_05a5f91c41eaf285\.txt\s+listing-page\s+57 records: 57 kept, 0 skipped/);
    expect(r.stdout).toMatch(/data\/002_a148c10466c9a820\.txt\s+title-abstract-lines\s+261 records/);
    expect(r.stdout).toMatch(/data\/003_32b709b6946b94e5\.txt\s+title-abstract-lines\s+235 records/);
    expect(r.stdout).toContain('563 records in 4 files, 563 kept -> 507 unique papers (50 duplicate groups merged)');
    expect(r.stdout).toContain('skipped (0):');
    expect(lines(artefactFile(project, 'papers'))).toHaveLength(507);
    const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8'));
    expect(manifest.sources.paths).toEqual(['data']);
    expect(manifest.artefacts.papers.options.files).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints exactly one JSON document with --json, byte-identical on a second run', () => {
    const project = tempDir();
    const a = papermap(['ingest', 'data', '-p', project, '--json']);
    const b = papermap(['ingest', 'data', '-p', project, '--json']);
    expect(a.code).toBe(0);
    const summary = JSON.parse(a.stdout);
    expect(summary).toMatchObject({ paths: ['data'], records: 563, kept: 563, papers: 507, duplicateGroups: 50, skipped: [], failedFiles: [] });
    expect(summary.duplicates[0]).toMatchObject({ reason: 'title', sources: [{ file: 'data/001_05a5f91c41eaf285.txt', line: 29 }, { file: 'data/003_32b709b6946b94e5.txt', line: 169 }] });
    expect(b.stdout).toBe(a.stdout);
  });

  it('keeps a parse cache by file sha256 in the project, so a second run reuses unchanged files with the same result', () => {
    const project = tempDir();
    const bib = join(tempDir(), 'refs.bib');
    copyFileSync(join(FIXTURES, 'bibtex', 'zotero-export.bib'), bib);
    const a = papermap(['ingest', bib, '-p', project, '--json']);
    expect(a.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8'));
    const cache = JSON.parse(readFileSync(join(project, manifest.artefacts.parseCache.file), 'utf8'));
    const summary = JSON.parse(a.stdout);
    expect(Object.keys(cache.files)).toEqual(summary.files.map((f: { sha256: string }) => f.sha256));
    expect(cache.files[summary.files[0].sha256].papers).toHaveLength(2);
    const b = papermap(['ingest', '-p', project, '--json']);
    expect(b.stdout).toBe(a.stdout);
  });

  it('lists skipped records with file:line and reason', () => {
    const project = tempDir();
    const r = papermap(['ingest', join(FIXTURES, 'bibtex', 'unbalanced-brace.bib'), '-p', project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(FIXTURES, 'bibtex', 'unbalanced-brace.bib')}:8: entry 'broken2021': Unterminated brace-value`);
    expect(lines(artefactFile(project, 'skipped')).map((l) => JSON.parse(l).line)).toEqual([8]);
  });

  it('lists a whole-file skip as the file alone in text (no :0) and with line 0 in --json', () => {
    const empty = join(FIXTURES, 'encoding', 'empty.txt');
    const bib = join(FIXTURES, 'bibtex', 'unbalanced-brace.bib');
    const text = papermap(['ingest', empty, bib, '-p', tempDir()]);
    expect(text.stdout).toContain(`\n  ${empty}: file is empty\n`);
    expect(text.stdout).toContain(`\n  ${bib}:8: entry 'broken2021'`);
    const json = JSON.parse(papermap(['ingest', empty, bib, '-p', tempDir(), '--json']).stdout);
    expect(json.skipped.map((k: { file: string; line: number }) => [k.file, k.line])).toEqual([[empty, 0], [bib, 8]]);
  });

  it('re-reads remembered paths with the new ones, picks up edits, and starts over with --replace', () => {
    const dir = tempDir();
    const project = join(dir, 'project');
    const ris = join(dir, 'a.ris');
    const atom = join(dir, 'b.xml');
    copyFileSync(join(FIXTURES, 'ris', 'scopus-export.ris'), ris);
    copyFileSync(join(FIXTURES, 'atom', 'arxiv-api.xml'), atom);
    expect(papermap(['ingest', ris, '-p', project]).code).toBe(0);
    let summary = JSON.parse(papermap(['ingest', atom, '-p', project, '--json']).stdout);
    expect(summary.paths).toEqual([ris, atom]);
    expect(summary.papers).toBe(4);
    // Drop the first record of the RIS file: a bare re-run sees it gone.
    writeFileSync(ris, readFileSync(ris, 'utf8').split('\r\nER  - \r\n').slice(1).join('\r\nER  - \r\n'));
    summary = JSON.parse(papermap(['ingest', '-p', project, '--json']).stdout);
    expect(summary.papers).toBe(3);
    summary = JSON.parse(papermap(['ingest', atom, '--replace', '-p', project, '--json']).stdout);
    expect(summary.paths).toEqual([atom]);
    expect(summary.papers).toBe(2);
    expect(lines(artefactFile(project, 'papers'))).toHaveLength(2);
  });

  it('finds remembered relative paths again when run from another folder', () => {
    const project = tempDir();
    expect(papermap(['ingest', 'data', '-p', project]).code).toBe(0);
    const elsewhere = join(ROOT, 'test');
    const r = papermap(['ingest', '-p', project, '--json'], { cwd: elsewhere });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ paths: [join('..', 'data')], forgotten: [], papers: 507 });
    expect(summary.files[0].file).toBe(join('..', 'data', '000_773b0f2d1a6b9c3e.txt'));
  });

  it('forgets a remembered path that no longer exists, and says so', () => {
    const dir = tempDir();
    const project = join(dir, 'project');
    const gone = join(dir, 'gone.xml');
    copyFileSync(join(FIXTURES, 'atom', 'arxiv-api.xml'), gone);
    expect(papermap(['ingest', gone, '-p', project]).code).toBe(0);
    rmSync(gone);
    const r = papermap(['ingest', join(FIXTURES, 'bibtex', 'arxiv-export.bib'), '-p', project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${gone}: no longer exists, forgotten`);
  });

  it('stops on a missing file with one stderr line naming it, exit 1, no stack trace', () => {
    const project = tempDir();
    const r = papermap(['ingest', 'data', 'nope/refs.bib', '-p', project]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('papermap: nope/refs.bib: no such file or folder');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops on a binary or undecodable file, naming it', () => {
    const project = tempDir();
    for (const file of ['encoding/binary.bin', 'encoding/undecodable.txt']) {
      const r = papermap(['ingest', `test/fixtures/${file}`, '-p', project]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^papermap: test/fixtures/${file}: `));
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('with --keep-going loads the other files, reports the failure, and still exits 1', () => {
    const project = tempDir();
    const r = papermap(['ingest', 'test/fixtures/encoding/binary.bin', 'data/000_773b0f2d1a6b9c3e.txt', '--keep-going', '-p', project]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/000_773b0f2d1a6b9c3e\.txt\s+abstract-lines\s+10 records/);
    expect(r.stdout).toContain('test/fixtures/encoding/binary.bin  FAILED: binary file');
    expect(r.stderr.split('\n')[0]).toMatch(/^papermap: test\/fixtures\/encoding\/binary\.bin: binary file/);
    expect(lines(artefactFile(project, 'papers'))).toHaveLength(10);
    const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8'));
    expect(manifest.sources.paths).toEqual(['data/000_773b0f2d1a6b9c3e.txt']);
  });

  it('fails a named file none of whose records can be used, naming its first, and lists them all with --keep-going', () => {
    const dir = tempDir();
    const bib = join(dir, 'no-abstracts.bib');
    writeFileSync(bib, '@article{a,\n  title={One paper without abstract},\n  year={2020}\n}\n\n@article{b,\n  title={Another one},\n  year={2021}\n}\n');
    const project = join(dir, 'project');
    const r = papermap(['ingest', bib, '-p', project]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`papermap: ${bib}:1: none of its 2 records could be used: no abstract (title "One paper without abstract")`);
    const json = papermap(['ingest', bib, '-p', project, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'INPUT_PARSE', file: bib, line: 1 });
    const going = papermap(['ingest', bib, 'data/000_773b0f2d1a6b9c3e.txt', '--keep-going', '-p', project]);
    expect(going.code).toBe(1);
    expect(going.stdout).toContain(`${bib}:6: no abstract (title "Another one")`);
    expect(lines(artefactFile(project, 'papers'))).toHaveLength(10);
  });

  it('rejects a bad option value with exit 2, and documents --keep-going in --help', () => {
    const project = tempDir();
    const bad = papermap(['ingest', 'data', '--min-abstract-chars', '0', '-p', project]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^papermap: option 'minAbstractChars'/);
    const help = papermap(['ingest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--keep-going');
    expect(help.stdout).toContain('exit code is still 1');
  });

  it('says what to give when there is nothing to ingest', () => {
    const r = papermap(['ingest', '-p', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no files or folders to read');
  });
});
