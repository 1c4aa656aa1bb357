// Synthetic corpora for the scale bench, built from the real ones: each paper recombines sentences of real abstracts
// and halves of real titles (seeded), so texts keep the corpus' vocabulary, lengths and topics without repeating it.

import { writeFileSync } from 'node:fs';
import { seededRandom } from '../src/random.js';
import type { Paper } from '../src/records.js';

/**
 * `n` papers: paper i takes 4–7 sentences, the first from a "source" real abstract and the rest from abstracts of
 * random other papers (half of them from the same source, so topics stay coherent), and a title joining the first
 * half of its source's title with the second half of another's.
 */
export function recombine(real: readonly Paper[], n: number, seed: number): Paper[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const sentences = real.map((p) => p.abstract.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20));
  const titled = real.filter((p) => p.title);
  const out: Paper[] = [];
  for (let i = 0; i < n; i++) {
    const src = Math.floor(rand() * real.length);
    const count = 4 + Math.floor(rand() * 4);
    const parts: string[] = [];
    for (let s = 0; s < count; s++) {
      const from = s === 0 || rand() < 0.5 ? src : Math.floor(rand() * real.length);
      parts.push(pick(sentences[from] ?? ['']));
    }
    const a = (real[src]?.title ?? pick(titled).title ?? '').split(' ');
    const b = (pick(titled).title ?? '').split(' ');
    const title = [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(' ');
    out.push({ id: `syn:${i}`, title: `${title} (${i})`, abstract: parts.join(' '), authors: [], year: 2015 + (i % 11), sources: [{ file: 'synthetic', line: i + 1, format: 'jsonl' }] });
  }
  return out;
}

/** Writes papers as JSONL in the arXiv-metadata shape papermap's JSONL reader takes. */
export function writeJsonl(papers: readonly Paper[], file: string): void {
  writeFileSync(file, papers.map((p) => JSON.stringify({ title: p.title, abstract: p.abstract, update_date: `${p.year}-01-01` })).join('\n') + '\n');
}
