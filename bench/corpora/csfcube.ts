// Real outside judgments for benches: CSFCube (Mysore, O'Gorman, McCallum, Zamani, NeurIPS 2021 Datasets and
// Benchmarks, "CSFCube – A Test Collection of Computer Science Research Articles for Faceted Query by Example"), read
// from a local git mirror of github.com/iesl/CSFCube (CC BY-NC 4.0: read at bench time, never committed here).
// Experts graded, for 50 query papers × facet (background, method, result), every candidate of a pooled list (about
// 125 per query) from 0 (irrelevant) to 3 (identical in that facet). The mirror lacks the abstracts file (over the
// mirror's size limit), but its readable_annotations/*.txt hold every query's and candidate's title and abstract
// beside the grades, so this script rebuilds both from them.
//
//   npx tsx bench/corpora/csfcube.ts [--mirror <git dir>] [--ref <commit>] [--out DIR]
//
// Output: DIR/csfcube.jsonl (id, title, abstract, year; the arXiv-snapshot layout papermap ingests) and
// DIR/csfcube.judgments.json ({ commit, queries: [{ paper, facet, pool, grades }], splits, specter }).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, SHARED_CORPORA } from '../lib.js';

/** Commit of github.com/iesl/CSFCube the judgments were read from. */
export const CSFCUBE_COMMIT = '7ffe012c1d92c470f185fc086086caf5b8e05ef3';
/** Where the `fetch` tool puts the mirror's git directory. */
export const CSFCUBE_MIRROR = '/work/.mirror/iesl+CSFCube/repo';

/** One paper as the annotation files show it. */
export interface CsfPaper {
  id: string;
  title: string;
  abstract: string;
  year?: number;
}

/** One query paper and facet with its graded pool. */
export interface CsfQuery {
  paper: string;
  facet: 'background' | 'method' | 'result';
  /** Every candidate of the pool, graded or not (all are graded in the release). */
  pool: string[];
  grades: Record<string, number>;
}

const GRADE = /^adju relevance: .*\(\+?(\d)\)\s*$/;

/**
 * Parses one readable annotation file: a block per paper, separated by lines of '=', each with `paper_id: N; YEAR: Y`,
 * for candidates `adju relevance: Similar (+2)`, a `TITLE:` line and an `ABSTRACT:` of one sentence per line, each
 * prefixed by its facet label (`method_label: …`). The first block is the query.
 */
export function parseAnnotations(text: string): { query: CsfPaper; candidates: (CsfPaper & { grade: number })[] } {
  const blocks = text.split(/^=+\s*$/m).map((b) => b.trim()).filter((b) => b.startsWith('paper_id:'));
  const papers = blocks.map((block) => {
    const lines = block.split('\n');
    const head = /^paper_id: (\d+); YEAR: (\d{4})?/.exec(lines[0] ?? '');
    if (!head) throw new Error(`unexpected block start: ${lines[0]}`);
    let grade = -1;
    let title = '';
    const sentences: string[] = [];
    let inAbstract = false;
    for (const line of lines.slice(1)) {
      const g = GRADE.exec(line);
      if (g) grade = Number(g[1]);
      else if (line.startsWith('TITLE: ')) title = line.slice('TITLE: '.length).trim();
      else if (line.startsWith('ABSTRACT: ')) {
        inAbstract = true;
        sentences.push(line.slice('ABSTRACT: '.length));
      } else if (inAbstract && line.trim()) sentences.push(line);
    }
    const abstract = sentences.map((s) => s.replace(/^\s*[a-z]+_label:\s*/, '').trim()).filter(Boolean).join(' ');
    return { id: `csfcube:${head[1]}`, title, abstract, ...(head[2] ? { year: Number(head[2]) } : {}), grade };
  });
  const [query, ...candidates] = papers;
  if (!query) throw new Error('no query block');
  const { grade: _unused, ...q } = query;
  return { query: q, candidates };
}

const FACETS = ['background', 'method', 'result'] as const;

function show(mirror: string, ref: string, path: string): string {
  return execFileSync('git', ['--git-dir', mirror, 'show', `${ref}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 27 });
}

/**
 * The test collection at `ref`: every paper the annotation files show (first text of an id wins), every query facet
 * with its pool and adjudicated grades from the release's gold files (test-pid2anns-csfcube-<facet>.json; checked
 * against the annotation files' grades), the cross-validation folds of the official evaluation (evaluation_splits.json)
 * and SPECTER's ranked pools shipped with the official scripts (the peer, ranked with the same protocol).
 */
export function readCsfcube(mirror: string, ref: string): { papers: CsfPaper[]; queries: CsfQuery[]; splits: Record<string, Record<string, string[]>>; specter: Record<string, Record<string, string[]>> } {
  const papers = new Map<string, CsfPaper>();
  const shown = new Map<string, Record<string, number>>();
  const files = execFileSync('git', ['--git-dir', mirror, 'ls-tree', '-r', '--name-only', ref, 'readable_annotations/'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => /-(background|method|result)-adju\.txt$/.test(f))
    .sort();
  for (const file of files) {
    const facet = /-(background|method|result)-adju\.txt$/.exec(file)?.[1] as string;
    const { query, candidates } = parseAnnotations(show(mirror, ref, file));
    for (const p of [query, ...candidates]) if (!papers.has(p.id)) papers.set(p.id, { id: p.id, title: p.title, abstract: p.abstract, ...(p.year ? { year: p.year } : {}) });
    shown.set(`${query.id}_${facet}`, Object.fromEntries(candidates.map((c) => [c.id, c.grade])));
  }
  const queries: CsfQuery[] = [];
  for (const facet of FACETS) {
    const gold = JSON.parse(show(mirror, ref, `test-pid2anns-csfcube-${facet}.json`)) as Record<string, { cands: string[]; relevance_adju: number[] }>;
    for (const [qpid, { cands, relevance_adju }] of Object.entries(gold)) {
      const paper = `csfcube:${qpid}`;
      const pool = cands.map((c) => `csfcube:${c}`);
      const grades = Object.fromEntries(pool.map((c, i) => [c, relevance_adju[i] as number]));
      const readable = shown.get(`${paper}_${facet}`);
      for (const c of [paper, ...pool]) if (!papers.has(c)) throw new Error(`${c} (${facet}) has no text in the annotation files`);
      if (readable && pool.some((c) => readable[c] !== grades[c])) throw new Error(`${paper} ${facet}: the annotation file's grades differ from the gold file's`);
      queries.push({ paper, facet, pool, grades });
    }
  }
  const splits = JSON.parse(show(mirror, ref, 'evaluation_splits.json')) as Record<string, Record<string, string[]>>;
  const specter = Object.fromEntries(
    FACETS.map((facet) => {
      const ranked = JSON.parse(show(mirror, ref, `eval_scripts/sample_ranked_pools/test-pid2pool-csfcube-specter-${facet}-ranked.json`)) as Record<string, [string, number][]>;
      return [facet, Object.fromEntries(Object.entries(ranked).map(([q, list]) => [`csfcube:${q}`, list.map(([c]) => `csfcube:${c}`)]))];
    }),
  );
  return { papers: [...papers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), queries, splits, specter };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mirror = arg('mirror', CSFCUBE_MIRROR);
  const ref = arg('ref', CSFCUBE_COMMIT);
  const out = arg('out', SHARED_CORPORA);
  const { papers, queries, splits, specter } = readCsfcube(mirror, ref);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'csfcube.jsonl'), papers.map((p) => JSON.stringify(p)).join('\n') + '\n');
  writeFileSync(join(out, 'csfcube.judgments.json'), JSON.stringify({ commit: ref, queries, splits, specter }));
  const graded = queries.flatMap((q) => Object.values(q.grades));
  process.stdout.write(`${papers.length} papers, ${queries.length} query facets, ${graded.length} grades (${[0, 1, 2, 3].map((g) => `${g}: ${graded.filter((x) => x === g).length}`).join(', ')}) from ${ref.slice(0, 12)}\n`);
}
