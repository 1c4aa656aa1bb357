// Themes at scale: findThemes on 10k, 30k and 100k papers in its own process per size, so peak RSS is its own.
// Texts are real arXiv abstracts (arxiv-all.jsonl, 74,726 listings, repeated past that); vectors are seeded perturbed
// copies of real embeddings (the 15,000 arXiv MiniLM vectors when present, else the bundled corpus), since 100k real
// embeddings take hours on this machine. No neighbour graph is given: papers outside the fitted sample join the
// nearest theme centre (with the pipeline's HNSW graph they vote over it instead, at similar cost).
// Usage: tsx bench/themes-scale.ts [sizes=10000,30000,100000]     tsx bench/themes-scale.ts --one <n>

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embeddings, Paper } from '../src/records.js';
import { findThemes } from '../src/themes/index.js';
import { peakRssMb } from './peak-rss.mjs';
import { SHARED_CORPORA } from './lib.js';
import { readCorpus } from './themes-quality.js';
import { corpusEmbeddings, perturbedCopies } from './vectors.js';

function arxivPapers(n: number): Paper[] {
  const lines = readFileSync(join(SHARED_CORPORA, 'arxiv-all.jsonl'), 'utf8').split('\n').filter(Boolean);
  return Array.from({ length: n }, (_, i) => {
    const p = JSON.parse(lines[i % lines.length] as string) as { title: string; abstract: string };
    return { id: `p${i}`, title: p.title, abstract: p.abstract, authors: [], sources: [] };
  });
}

async function baseVectors(): Promise<Embeddings> {
  const dir = join(SHARED_CORPORA, 'arxiv-15000.minilm-project');
  return existsSync(join(dir, 'vectors.f32')) ? readCorpus(dir).embeddings : corpusEmbeddings();
}

if (process.argv[2] === '--one') {
  const n = Number(process.argv[3]);
  const papers = arxivPapers(n);
  const vectors = perturbedCopies(await baseVectors(), n, 3, 0.15);
  vectors.ids = papers.map((p) => p.id);
  const t0 = performance.now();
  const r = findThemes(vectors, papers);
  process.stdout.write(`${JSON.stringify({ n, ms: Math.round(performance.now() - t0), maxRssMb: peakRssMb(), k: r.k, fitted: r.origin.fitted, themes: r.themes.slice(0, 5).map((t) => t.label) })}\n`);
} else {
  const sizes = (process.argv[2] ?? '10000,30000,100000').split(',').map(Number);
  const results = sizes.map((n) => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (res.status !== 0) throw new Error(res.stderr);
    return JSON.parse(res.stdout.trim().split('\n').at(-1) as string) as { n: number; ms: number; maxRssMb: number };
  });
  for (const r of results) console.log(JSON.stringify(r));
  const [a, b] = [results[0], results.at(-1)];
  if (a && b && b.n > a.n) console.log(`growth exponent ${(Math.log(b.ms / a.ms) / Math.log(b.n / a.n)).toFixed(2)} (${a.n} → ${b.n})`);
}
