// `papermap similar`, `search` and `index` on the bundled corpus: meaning, errors, determinism, incremental updates.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HitRow } from '../../src/pipeline/index.js';
import { papermap } from '../helpers/cli.js';
import { artefactFile, copyOfCorpusProject, corpusProject } from '../helpers/corpus-project.js';

const MERGING = /merg|task vector|task arithmetic/i;
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

type Row = HitRow;

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('papermap search', () => {
  it('ranks a model-merging paper first for a model-merging question', () => {
    const r = papermap(['search', 'how to combine fine-tuned models into one without retraining', '-p', corpusProject(), '--json']);
    expect(r.code).toBe(0);
    const { results } = json<{ results: Row[] }>(r.stdout);
    expect(results).toHaveLength(10);
    expect(results[0]?.title).toMatch(MERGING);
    expect(results.filter((x) => MERGING.test(x.title ?? '')).length).toBeGreaterThanOrEqual(5);
    expect(results[0]?.theme?.label).toBeTruthy();
  });

  it('prints one line per result with rank, score and id as text', () => {
    const r = papermap(['search', 'mixture of experts', '-k', '3', '-p', corpusProject()]);
    expect(r.code).toBe(0);
    // Each result line may be followed by one indented line saying what the paper shares with the query.
    const lines = r.stdout.trim().split('\n').filter((l) => !/^\s+shares: /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\s*1\s+0\.\d{3}\s.*(title|abstract|doi|arxiv):/);
  });

  it('refuses an empty query and a bad k with a one-line error and exit 2', () => {
    const empty = papermap(['search', '  ', '-p', corpusProject()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^papermap: the search text is empty/);
    const badK = papermap(['search', 'x', '-k', '0', '-p', corpusProject()]);
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/option 'k'/);
    expect(badK.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('year ranges', () => {
  it('keeps search and similar to --years, and refuses a range that is not one as a usage error', () => {
    const search = papermap(['search', 'model merging', '--years', '2023-2024', '-p', corpusProject(), '--json']);
    expect(search.code).toBe(0);
    const hits = json<{ results: Row[] }>(search.stdout).results;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.year !== null && h.year >= 2023 && h.year <= 2024)).toBe(true);
    const similar = papermap(['similar', 'AdaMerging', '--years', '-2021', '-p', corpusProject(), '--json']);
    expect(similar.code).toBe(0);
    expect(json<{ results: Row[] }>(similar.stdout).results.every((h) => h.year !== null && h.year <= 2021)).toBe(true);
    for (const [range, said] of [['2024-2023', /ends before it starts: give the earlier year first, e.g\. 2023-2024/], ['20x', /not a year range/]] as const) {
      const bad = papermap(['search', 'model merging', '--years', range, '-p', corpusProject(), '--json']);
      expect(bad.code).toBe(2);
      expect(json<{ error: { code: string; message: string } }>(bad.stdout).error.message).toMatch(said);
    }
  });
});

describe('papermap similar', () => {
  it('finds merging papers for a merging paper named by a title fragment, never the paper itself', () => {
    const r = papermap(['similar', 'AdaMerging', '-p', corpusProject(), '--json']);
    expect(r.code).toBe(0);
    const { paper, results } = json<{ paper: { id: string; title: string }; results: Row[] }>(r.stdout);
    expect(paper.title).toMatch(/^AdaMerging/);
    expect(results.map((x) => x.id)).not.toContain(paper.id);
    expect(results.slice(0, 5).filter((x) => MERGING.test(x.title ?? '')).length).toBeGreaterThanOrEqual(3);
  });

  it('lists the candidates for an ambiguous fragment instead of guessing', () => {
    const r = papermap(['similar', 'model merging', '-p', corpusProject()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/matches \d+ titles/);
    expect(r.stderr).toMatch(/candidates:/);
    expect(r.stdout).toBe('');
  });

  it('says when no paper matches', () => {
    const r = papermap(['similar', 'zzzz no such paper zzzz', '-p', corpusProject()]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^papermap: no paper has an id, DOI, arXiv id or title matching/);
  });

  it('prints byte-identical --json for the same question', () => {
    const a = papermap(['similar', 'Parameter-Efficient Transfer Learning for NLP', '-p', corpusProject(), '--json']);
    const b = papermap(['similar', 'Parameter-Efficient Transfer Learning for NLP', '-p', corpusProject(), '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('names the command to run when the project has no index', () => {
    const r = papermap(['similar', 'x', '-p', join(FIXTURES, 'does-not-exist')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no papermap project/);
    expect(r.stderr).toMatch(/hint: run `papermap run <files> -p /);
  });
});

describe('ranking modes and why', () => {
  it('ranks hybrid by default and says what each hit shares with the query paper', () => {
    const r = papermap(['similar', 'Soft Injection of Task Embeddings', '-k', '3', '-p', corpusProject(), '--json']);
    expect(r.code).toBe(0);
    const answer = json<{ mode: string; results: (Row & { why: { phrases: string[]; sentences?: { query?: string; hit: string } } })[] }>(r.stdout);
    expect(answer.mode).toBe('hybrid');
    expect(answer.results.flatMap((r) => r.why.phrases.map((p) => p.toLowerCase()))).toContain('in-context learning');
    expect(answer.results[0]?.why.sentences?.hit).toBeTruthy();
  });

  it('takes --mode dense and lexical, and rejects another mode as a usage error', () => {
    for (const mode of ['dense', 'lexical']) {
      const r = papermap(['search', 'model merging', '-k', '3', '--mode', mode, '-p', corpusProject(), '--json']);
      expect(r.code).toBe(0);
      expect(json<{ mode: string; results: Row[] }>(r.stdout)).toMatchObject({ mode });
    }
    expect(papermap(['search', 'model merging', '--mode', 'best', '-p', corpusProject()]).code).toBe(2);
  });
});

describe('incremental updates', () => {
  it('embeds only new papers and adds them to the index without a rebuild; old dense answers keep their order', () => {
    const project = copyOfCorpusProject();
    const before = json<{ results: Row[] }>(papermap(['similar', 'Merging Models with Fisher-Weighted Averaging', '--mode', 'dense', '-p', project, '--json']).stdout).results;
    const papersBefore = readFileSync(artefactFile(project, 'papers'), 'utf8').trim().split('\n').length;

    const ingest = papermap(['ingest', join(FIXTURES, 'bibtex-new', 'three-new-papers.bib'), '-p', project, '--json']);
    expect(ingest.code).toBe(0);
    const embed = json<{ embedded: number; cacheHits: number }>(papermap(['embed', '-p', project, '--json']).stdout);
    expect(embed).toMatchObject({ embedded: 3, cacheHits: papersBefore });
    const index = json<{ added: number; changed: number; removed: number; rebuilt: boolean; papers: number }>(papermap(['index', '-p', project, '--json']).stdout);
    expect(index).toMatchObject({ added: 3, changed: 0, removed: 0, rebuilt: false, papers: papersBefore + 3 });

    const after = json<{ results: Row[] }>(papermap(['similar', 'Merging Models with Fisher-Weighted Averaging', '--mode', 'dense', '-p', project, '--json']).stdout).results;
    const newIds = new Set(after.filter((x) => !before.some((b) => b.id === x.id)).map((x) => x.id));
    const oldOnly = after.filter((x) => !newIds.has(x.id)).map((x) => x.id);
    expect(oldOnly).toEqual(before.map((x) => x.id).slice(0, oldOnly.length));
    // The new papers are found, and the merging benchmark sits among the merging papers.
    const neighbours = json<{ results: Row[] }>(papermap(['similar', 'Merging Many Fine-Tuned Checkpoints', '-k', '5', '-p', project, '--json']).stdout).results;
    expect(neighbours.filter((x) => MERGING.test(x.title ?? '')).length).toBeGreaterThanOrEqual(3);
    const search = json<{ results: Row[] }>(papermap(['search', 'coral reef bleaching', '-k', '1', '-p', project, '--json']).stdout).results;
    expect(search[0]?.title).toBe('Coral Reef Bleaching Detection from Underwater Imagery');
  });
});
