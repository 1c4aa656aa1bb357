// Real outside data for benches: a deterministic, category-balanced sample of arXiv listings with their primary
// categories, from a local git mirror of github.com/dw-dengwei/daily-arXiv-ai-enhanced (branch `data`, one JSONL per
// day). Writes papers in the arXiv-snapshot JSON Lines layout papermap ingests, plus a labels file.
//
//   npx tsx bench/corpora/arxiv.ts --mirror <git dir> [--size 15000] [--categories 17] [--seed 42] [--out DIR]
//   npx tsx bench/corpora/arxiv.ts --mirror <git dir> --size all        (every unique paper, for the scale bench)
//
// Output: DIR/arxiv-<size>.jsonl (id, title, abstract, authors, categories, year) and DIR/arxiv-<size>.labels.json
// ({ commit, categories, labels: { [paperId]: primaryCategory } }). The mirror's commit is recorded in both.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, ROOT } from '../lib.js';

/** Commit of the `data` branch this sample was first drawn from (2026-07-01 listing); pass --ref to use another. */
export const ARXIV_DATA_COMMIT = 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75';
/** Default output folder (git-ignored). */
export const CORPORA_DIR = join(ROOT, 'bench', 'results', 'tmp', 'corpora');

/** One arXiv listing as the daily JSONL files hold it (only the fields used). */
interface Listing {
  id: string;
  title: string;
  summary: string;
  authors?: string[];
  categories?: string[];
}

/** A sampled paper with its label. */
export interface ArxivPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  categories: string;
  year: number;
  primary: string;
}

/** Every unique listing of the mirror at `ref`, in id order (the first listing of an id wins). */
export function readListings(mirror: string, ref: string): ArxivPaper[] {
  const files = execFileSync('git', ['--git-dir', mirror, 'ls-tree', '-r', '--name-only', ref, 'data/'], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\n')
    .filter((f) => /^data\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
    .sort();
  const byId = new Map<string, ArxivPaper>();
  for (const file of files) {
    const text = execFileSync('git', ['--git-dir', mirror, 'show', `${ref}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let l: Listing;
      try {
        l = JSON.parse(line) as Listing;
      } catch {
        continue;
      }
      const id = String(l.id ?? '').trim();
      const primary = l.categories?.[0];
      const abstract = String(l.summary ?? '').replace(/\s+/g, ' ').trim();
      const title = String(l.title ?? '').replace(/\s+/g, ' ').trim();
      if (!/^\d{4}\.\d{4,5}$/.test(id) || !primary || abstract.length < 100 || !title || byId.has(id)) continue;
      byId.set(id, { id, title, abstract, authors: (l.authors ?? []).join(' and '), categories: (l.categories ?? []).join(' '), year: 2000 + Number(id.slice(0, 2)), primary });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function rank(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}:${id}`).digest('hex');
}

/**
 * A category-balanced sample: the `categories` primary categories with the most papers, then round-robin over them in
 * seeded-hash order until `size` papers (a category with too few gives all it has). Deterministic for a seed.
 */
export function balancedSample(all: readonly ArxivPaper[], size: number, categories: number, seed: number): ArxivPaper[] {
  const groups = new Map<string, ArxivPaper[]>();
  for (const p of all) groups.set(p.primary, [...(groups.get(p.primary) ?? []), p]);
  const top = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).slice(0, categories);
  const queues = top.map(([, ps]) => [...ps].sort((a, b) => (rank(seed, a.id) < rank(seed, b.id) ? -1 : 1)));
  const out: ArxivPaper[] = [];
  for (let i = 0; out.length < size && queues.some((q) => i < q.length); i++) {
    for (const q of queues) if (i < q.length && out.length < size) out.push(q[i] as ArxivPaper);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Writes the papers (arXiv snapshot layout) and labels; returns the two paths. */
export function writeSample(papers: readonly ArxivPaper[], name: string, commit: string, outDir: string = CORPORA_DIR): { papers: string; labels: string } {
  mkdirSync(outDir, { recursive: true });
  const papersFile = join(outDir, `${name}.jsonl`);
  const labelsFile = join(outDir, `${name}.labels.json`);
  writeFileSync(papersFile, papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories, year: p.year })).join('\n') + '\n');
  const labels: Record<string, string> = {};
  for (const p of papers) labels[`arxiv:${p.id}`] = p.primary;
  writeFileSync(labelsFile, `${JSON.stringify({ source: 'github.com/dw-dengwei/daily-arXiv-ai-enhanced@data', commit, categories: [...new Set(papers.map((p) => p.primary))].sort(), labels }, null, 1)}\n`);
  return { papers: papersFile, labels: labelsFile };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mirror = arg('mirror', '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo');
  const ref = arg('ref', ARXIV_DATA_COMMIT);
  const sizeArg = arg('size', '15000');
  const all = readListings(mirror, ref);
  const papers = sizeArg === 'all' ? all : balancedSample(all, Number(sizeArg), Number(arg('categories', '17')), Number(arg('seed', '42')));
  const written = writeSample(papers, `arxiv-${sizeArg}`, ref, arg('out', CORPORA_DIR));
  process.stdout.write(`${all.length} unique listings at ${ref.slice(0, 12)}; wrote ${papers.length} papers in ${new Set(papers.map((p) => p.primary)).size} categories to ${written.papers}\n`);
}
