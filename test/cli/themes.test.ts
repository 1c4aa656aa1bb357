// `papermap themes` through the real bin: text and byte-identical --json output, themes.json reuse, usage errors.

import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { themeOf } from '../../src/pipeline/index.js';
import { openProject, readEmbeddings, readPapers, withWriter, writeEmbeddings, writePapers } from '../../src/project/index.js';
import type { Paper } from '../../src/records.js';
import { THEMES_ALGORITHM } from '../../src/themes/index.js';
import { papermap } from '../helpers/cli.js';

const GROUPS = [
  { words: 'model merging task arithmetic weight interpolation', title: 'Merging fine-tuned models' },
  { words: 'speech recognition acoustic model word error rate', title: 'Recognising speech' },
  { words: 'robot manipulation reinforcement learning policy grasping', title: 'Robots that grasp' },
];
const PER_GROUP = 6;
const DIMS = 8;

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'papermap-themes-'));
  const papers: Paper[] = [];
  const vectors = new Float32Array(GROUPS.length * PER_GROUP * DIMS);
  GROUPS.forEach((g, gi) => {
    for (let i = 0; i < PER_GROUP; i++) {
      const row = papers.length;
      papers.push({ id: `g${gi}-${i}`, title: `${g.title} ${i}`, abstract: `We study ${g.words}. Our ${g.words.split(' ').slice(0, 2).join(' ')} results.`, authors: [], year: 2020 + (i % 2), sources: [] });
      const v = Array.from({ length: DIMS }, (_, d) => (d === gi ? 1 : 0) + 0.05 * Math.sin(row * 7 + d));
      const norm = Math.hypot(...v);
      v.forEach((x, d) => (vectors[row * DIMS + d] = x / norm));
    }
  });
  await withWriter(dir, { command: 'test', create: true }, (project) => {
    writePapers(project, papers, []);
    writeEmbeddings(project, { modelId: 'test/synthetic', dims: DIMS, ids: papers.map((p) => p.id), vectors }, { options: { model: 'test/synthetic' } });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('papermap themes', () => {
  it('prints each theme with size, label and representative titles', () => {
    const run = papermap(['themes', '-p', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^3 themes/);
    expect(run.stdout).toMatch(/6 papers {2}.*(merging|arithmetic|interpolation)/);
    expect(run.stdout).toContain('- Robots that grasp');
    expect(run.stdout).toContain('Areas');
  });

  it('prints one JSON document, byte-identical on a rebuild with the same seed', () => {
    const first = papermap(['themes', '-p', dir, '--json', '--seed', '5']);
    const again = papermap(['themes', '-p', dir, '--json', '--seed', '5']);
    papermap(['themes', '-p', dir, '--json', '--seed', '6']); // replaces themes.json, so the next one rebuilds
    const rebuilt = papermap(['themes', '-p', dir, '--json', '--seed', '5']);
    expect(first.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(rebuilt.stdout).toBe(first.stdout);
    const doc = JSON.parse(first.stdout) as { k: number; seed: number; themes: { size: number }[]; byYear: { year: number }[] };
    expect(doc.k).toBe(3);
    expect(doc.seed).toBe(5);
    expect(doc.themes.map((t) => t.size)).toEqual([6, 6, 6]);
    expect(doc.byYear.map((y) => y.year)).toEqual([2020, 2021]);
  });

  it('reuses themes.json when vectors, k and seed are unchanged', () => {
    papermap(['themes', '-p', dir, '--k', '3']);
    const manifestBefore = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const run = papermap(['themes', '-p', dir, '--k', '3']);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    const manifest = JSON.parse(manifestBefore) as { artefacts: { themes: { options: { k: number }; seed: number } } };
    expect(manifest.artefacts.themes.options.k).toBe(3);
    expect(manifest.artefacts.themes.seed).toBe(42);
  });

  it('gives each paper its theme for similar and search', () => {
    papermap(['themes', '-p', dir]);
    const themes = themeOf(openProject(dir));
    expect(themes.size).toBe(GROUPS.length * PER_GROUP);
    expect(themes.get('g0-0')?.label).toMatch(/merging|arithmetic|interpolation/);
    expect(themes.get('g0-1')?.id).toBe(themes.get('g0-0')?.id);
  });

  it('updates the themes when papers arrive: old papers keep their theme, a new group emerges; --refit starts afresh', async () => {
    const before = JSON.parse(papermap(['themes', '-p', dir, '--json']).stdout) as { themes: { id: number; label: string; colour?: string }[] };
    const grown = mkdtempSync(join(tmpdir(), 'papermap-themes-grown-'));
    const papers: Paper[] = [];
    const rows: number[][] = [];
    [...GROUPS, { words: 'protein folding structure prediction amino acid', title: 'Folding proteins' }].forEach((g, gi) => {
      for (let i = 0; i < PER_GROUP; i++) {
        papers.push({ id: `g${gi}-${i}`, title: `${g.title} ${i}`, abstract: `We study ${g.words}. Our ${g.words.split(' ').slice(0, 2).join(' ')} results.`, authors: [], sources: [] });
        const v = Array.from({ length: DIMS }, (_, d) => (d === gi ? 1 : 0) + 0.05 * Math.sin(rows.length * 7 + d));
        rows.push(v.map((x) => x / Math.hypot(...v)));
      }
    });
    // A copy of `dir` (its themes are the previous ones), then six papers of a fourth group arrive.
    cpSync(dir, grown, { recursive: true });
    await withWriter(grown, { command: 'test' }, (project) => {
      writePapers(project, papers, []);
      writeEmbeddings(project, { modelId: 'test/synthetic', dims: DIMS, ids: papers.map((p) => p.id), vectors: Float32Array.from(rows.flat()) }, { options: { model: 'test/synthetic' } });
    });
    const run = papermap(['themes', '-p', grown, '--json']);
    expect(run.code).toBe(0);
    const after = JSON.parse(run.stdout) as { origin: { mode: string; emerging: number[]; keptShare: number }; themes: { id: number; label: string; colour?: string; emerging?: boolean }[] };
    expect(after.origin.mode).toBe('update');
    expect(after.origin.keptShare).toBe(1);
    expect(after.origin.emerging).toHaveLength(1);
    expect(after.themes.filter((t) => !t.emerging).map(({ id, label, colour }) => ({ id, label, colour }))).toEqual(before.themes.map(({ id, label, colour }) => ({ id, label, colour })));
    const text = papermap(['themes', '-p', grown]).stdout;
    expect(text).toMatch(/emerging: #3 /);
    expect(text).toMatch(/^4 themes \(updated from the previous themes; silhouette -?\d\.\d{3}\)$/m);
    const refit = JSON.parse(papermap(['themes', '-p', grown, '--json', '--refit']).stdout) as { origin: { mode: string; emerging: number[] } };
    rmSync(grown, { recursive: true, force: true });
    expect(refit.origin.mode).toBe('fit');
    expect(refit.origin.emerging).toEqual([]);
  });

  it('clusters and names afresh, keeping ids and colours, themes that an older version of the fit made', () => {
    const before = JSON.parse(papermap(['themes', '-p', dir, '--json']).stdout) as { themes: { id: number; label: string; colour?: string }[] };
    const old = mkdtempSync(join(tmpdir(), 'papermap-themes-old-'));
    cpSync(dir, old, { recursive: true });
    // Themes.json as a papermap before THEMES_ALGORITHM recorded them: the same file, no algorithm in its options.
    const file = join(old, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { artefacts: { themes: { file: string; bytes: number; sha256: string; options: Record<string, unknown> } } };
    delete manifest.artefacts.themes.options.algorithm;
    // ... whose labeller named the first theme otherwise: the re-made themes carry today's names.
    const themesFile = join(old, manifest.artefacts.themes.file);
    const saved = JSON.parse(readFileSync(themesFile, 'utf8')) as { themes: { label: string }[] };
    (saved.themes[0] as { label: string }).label = 'an old name · occur';
    const bytes = Buffer.from(`${JSON.stringify(saved, null, 2)}\n`);
    writeFileSync(themesFile, bytes);
    manifest.artefacts.themes.bytes = bytes.length;
    manifest.artefacts.themes.sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(file, JSON.stringify(manifest, null, 2));
    const run = papermap(['themes', '-p', old, '--json']);
    const again = papermap(['themes', '-p', old, '--json']);
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { artefacts: { themes: { options: { algorithm?: number } } } };
    rmSync(old, { recursive: true, force: true });
    expect(run.code).toBe(0);
    const after = JSON.parse(run.stdout) as { origin: { mode: string; keptShare: number }; themes: { id: number; label: string; colour?: string }[] };
    expect(after.origin.mode).toBe('rematch');
    expect(after.origin.keptShare).toBe(1);
    expect(after.themes.map(({ id, label, colour }) => ({ id, label, colour }))).toEqual(before.themes.map(({ id, label, colour }) => ({ id, label, colour })));
    expect(recorded.artefacts.themes.options.algorithm).toBe(THEMES_ALGORITHM);
    expect(again.stdout).toBe(run.stdout);
  });

  it('rejects a bad --k with exit 2 and a one-line message', () => {
    const run = papermap(['themes', '-p', dir, '-k', '1']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^papermap: option 'k' is 1/);
  });

  it('names the command to run, with the project given, when the project has no vectors', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'papermap-themes-empty-'));
    await withWriter(empty, { command: 'test', create: true }, (project) => writePapers(project, [], []));
    const run = papermap(['themes', '-p', empty]);
    rmSync(empty, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`papermap embed -p ${empty}`);
  });
});

describe('papermap themes --words', () => {
  // Two method families in one domain (the same direction of the embedding space, told apart only by their words) and
  // a third area elsewhere: the embedding alone cannot separate the first two, its words can.
  const FAMILIES = [
    { words: 'task arithmetic merging weight interpolation', title: 'Merging task vectors', dim: 0 },
    { words: 'gradient conflict surgery loss balancing', title: 'Balancing task gradients', dim: 0 },
    { words: 'robot manipulation grasping policy', title: 'Robots that grasp', dim: 1 },
  ];
  let words: string;

  beforeAll(async () => {
    words = mkdtempSync(join(tmpdir(), 'papermap-themes-words-'));
    const papers: Paper[] = [];
    const rows: number[][] = [];
    FAMILIES.forEach((f, fi) => {
      for (let i = 0; i < PER_GROUP; i++) {
        papers.push({ id: `f${fi}-${i}`, title: `${f.title} ${i}`, abstract: `We study ${f.words}. Our ${f.words.split(' ').slice(0, 2).join(' ')} results.`, authors: [], sources: [] });
        const v = Array.from({ length: DIMS }, (_, d) => (d === f.dim ? 1 : 0) + 0.05 * Math.sin(rows.length * 7 + d));
        rows.push(v.map((x) => x / Math.hypot(...v)));
      }
    });
    await withWriter(words, { command: 'test', create: true }, (project) => {
      writePapers(project, papers, []);
      writeEmbeddings(project, { modelId: 'test/synthetic', dims: DIMS, ids: papers.map((p) => p.id), vectors: Float32Array.from(rows.flat()) }, { options: { model: 'test/synthetic' } });
    });
    expect(papermap(['index', '-p', words]).code).toBe(0);
  });

  afterAll(() => rmSync(words, { recursive: true, force: true }));

  /** The families of each theme's papers, by theme. */
  const familiesOf = (dir: string) => {
    const byTheme = new Map<number, Set<string>>();
    for (const [id, t] of themeOf(openProject(dir))) byTheme.set(t.id, (byTheme.get(t.id) ?? new Set()).add(id.split('-')[0] as string));
    return [...byTheme.values()].map((s) => [...s].sort().join('+')).sort();
  };

  it('separates families that share a domain; the project keeps the choice until --no-words', () => {
    const meaning = JSON.parse(papermap(['themes', '-p', words, '-k', '3', '--json']).stdout) as { words: boolean };
    expect(meaning.words).toBe(false);
    expect(familiesOf(words)).not.toEqual(['f0', 'f1', 'f2']);
    const run = papermap(['themes', '-p', words, '-k', '3', '--words', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { words: boolean; origin: { mode: string }; themes: { label: string }[] };
    expect(doc.words).toBe(true);
    expect(doc.origin.mode).toBe('rematch');
    expect(familiesOf(words)).toEqual(['f0', 'f1', 'f2']);
    // Kept: the next run without the flag is up to date, with words.
    const manifest = readFileSync(join(words, 'manifest.json'), 'utf8');
    const again = JSON.parse(papermap(['themes', '-p', words, '-k', '3', '--json']).stdout) as { words: boolean };
    expect(again.words).toBe(true);
    expect(readFileSync(join(words, 'manifest.json'), 'utf8')).toBe(manifest);
    expect((JSON.parse(manifest) as { artefacts: { themes: { options: { words?: boolean } } } }).artefacts.themes.options.words).toBe(true);
  });

  it('puts papers that arrive later with the family whose words they share', async () => {
    expect(papermap(['themes', '-p', words, '-k', '3', '--words']).code).toBe(0);
    const grown = mkdtempSync(join(tmpdir(), 'papermap-themes-words-grown-'));
    cpSync(words, grown, { recursive: true });
    const project = openProject(grown);
    const papers = [...readPapers(project)];
    const embeddings = readEmbeddings(project);
    const rows = embeddings.ids.map((_, r) => Array.from(embeddings.vectors.subarray(r * DIMS, (r + 1) * DIMS)));
    // Three more papers of each family of the shared domain, placed in it by the embedding as randomly as the others.
    for (const [fi, f] of FAMILIES.slice(0, 2).entries()) {
      for (let i = PER_GROUP; i < PER_GROUP + 3; i++) {
        papers.push({ id: `f${fi}-${i}`, title: `${f.title} ${i}`, abstract: `We study ${f.words}. Our ${f.words.split(' ').slice(0, 2).join(' ')} results.`, authors: [], sources: [] });
        const v = Array.from({ length: DIMS }, (_, d) => (d === 0 ? 1 : 0) + 0.05 * Math.sin(rows.length * 7 + d));
        rows.push(v.map((x) => x / Math.hypot(...v)));
      }
    }
    await withWriter(grown, { command: 'test' }, (p) => {
      writePapers(p, papers, []);
      writeEmbeddings(p, { modelId: 'test/synthetic', dims: DIMS, ids: papers.map((x) => x.id), vectors: Float32Array.from(rows.flat()) }, { options: { model: 'test/synthetic' } });
    });
    expect(papermap(['index', '-p', grown]).code).toBe(0);
    const run = JSON.parse(papermap(['themes', '-p', grown, '-k', '3', '--json']).stdout) as { words: boolean; origin: { mode: string } };
    const families = familiesOf(grown);
    rmSync(grown, { recursive: true, force: true });
    expect(run.words).toBe(true);
    expect(run.origin.mode).toBe('update');
    expect(families).toEqual(['f0', 'f1', 'f2']);
  });

  it('lays the map out from the same graph, so a family is one place on it', () => {
    expect(papermap(['themes', '-p', words, '-k', '3', '--words']).code).toBe(0);
    const map = papermap(['map', '-p', words]);
    expect(map.code, map.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(words, 'manifest.json'), 'utf8')) as { artefacts: { map: { file: string; options: { words?: boolean } } } };
    expect(manifest.artefacts.map.options.words).toBe(true);
    const points = (JSON.parse(readFileSync(join(words, manifest.artefacts.map.file), 'utf8')) as { points: { id: string; x: number; y: number }[] }).points;
    const family = (id: string) => id.split('-')[0];
    // Each paper's nearest point on the map is of its own family.
    for (const p of points) {
      const nearest = points.filter((q) => q !== p).sort((a, b) => Math.hypot(a.x - p.x, a.y - p.y) - Math.hypot(b.x - p.x, b.y - p.y))[0] as { id: string };
      expect(family(nearest.id), p.id).toBe(family(p.id));
    }
    // --no-words goes back to meaning alone, and the map with it: laid out afresh, not moved from the words' layout.
    const back = JSON.parse(papermap(['themes', '-p', words, '-k', '3', '--no-words', '--json']).stdout) as { words: boolean };
    expect(back.words).toBe(false);
    const remapped = JSON.parse(papermap(['map', '-p', words, '--json']).stdout) as { keptPlaces: number };
    expect(remapped.keptPlaces).toBe(0);
    const after = JSON.parse(readFileSync(join(words, 'manifest.json'), 'utf8')) as { artefacts: { map: { options: { words?: boolean } } } };
    expect(after.artefacts.map.options.words).toBeUndefined();
  });
});
