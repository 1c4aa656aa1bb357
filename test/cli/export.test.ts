// `papermap export` on the bundled corpus: every selector, every format, re-ingest into the same papers, and errors.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { papermap } from '../helpers/cli.js';
import { artefactFile, corpusProject } from '../helpers/corpus-project.js';

const dir = mkdtempSync(join(tmpdir(), 'papermap-export-cli-'));

function papersOf(project: string): { id: string; title?: string; abstract: string; authors: string[]; year?: number; arxivId?: string }[] {
  return readFileSync(artefactFile(project, 'papers'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

describe('papermap export', () => {
  it('writes every paper by default, and each format re-ingests into the same papers', () => {
    const original = papersOf(corpusProject());
    for (const [format, ext] of [['bibtex', 'bib'], ['ris', 'ris'], ['csl-json', 'json'], ['csv', 'csv']] as const) {
      const out = join(dir, `all.${ext}`);
      const r = papermap(['export', '--format', format, '--out', out, '-p', corpusProject()]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`wrote ${original.length} papers as ${format}`);
      const project = join(dir, `back-${format}`);
      const back = papermap(['ingest', out, '-p', project]);
      expect(back.code, back.stderr).toBe(0);
      const again = papersOf(project);
      expect(again.map((p) => p.id).sort()).toEqual(original.map((p) => p.id).sort());
      const byId = new Map(again.map((p) => [p.id, p]));
      for (const p of original) expect({ title: byId.get(p.id)?.title, authors: byId.get(p.id)?.authors, year: byId.get(p.id)?.year }).toEqual({ title: p.title, authors: p.authors, year: p.year });
    }
  });

  it('writes to stdout without --out, and --json lists the ids', () => {
    const papers = papersOf(corpusProject());
    const preprint = papers.find((p) => p.arxivId);
    const ids = [preprint ?? papers[0]!, papers[1]!].map((p) => p.id);
    const text = papermap(['export', '--ids', ids.join(','), '-p', corpusProject()]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^@\w+\{/);
    expect(text.stdout.match(/^@/gm)).toHaveLength(2);
    if (preprint) expect(text.stdout).toContain(`eprint = {${preprint.arxivId}}`);
    const json = papermap(['export', '--search', 'merging fine-tuned models', '-k', '5', '--format', 'csv', '-p', corpusProject(), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { papers: number; ids: string[]; text: string };
    expect(doc.papers).toBe(5);
    expect(doc.text.split('\r\n')[0]).toBe('id,citation key,entry type,title,authors,year,date,doi,arxiv,url,journal,abstract');
  });

  it('exports a theme and a similar result: exactly the papers themes and similar list', () => {
    const themes = JSON.parse(papermap(['themes', '-p', corpusProject(), '--json']).stdout) as { themes: { id: number; size: number }[] };
    const first = themes.themes[0]!;
    const theme = JSON.parse(papermap(['export', '--theme', String(first.id), '-p', corpusProject(), '--json']).stdout) as { papers: number };
    expect(theme.papers).toBe(first.size);
    const id = papersOf(corpusProject())[0]!.id;
    const similar = JSON.parse(papermap(['similar', id, '-k', '4', '-p', corpusProject(), '--json']).stdout) as { results: { id: string }[] };
    const exported = JSON.parse(papermap(['export', '--similar', id, '-k', '4', '-p', corpusProject(), '--json']).stdout) as { ids: string[] };
    expect(exported.ids).toEqual(similar.results.map((r) => r.id));
  });

  it('refuses two selectors, an unknown format and an unknown theme', () => {
    const two = papermap(['export', '--theme', '0', '--search', 'x', '-p', corpusProject()]);
    expect(two.code).not.toBe(0);
    expect(two.stderr).toMatch(/at most one of/);
    const format = papermap(['export', '--format', 'endnote', '-p', corpusProject()]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/format/);
    const theme = papermap(['export', '--theme', '999', '-p', corpusProject()]);
    expect(theme.code).not.toBe(0);
    expect(theme.stderr).toMatch(/no theme 999/);
  });
});
