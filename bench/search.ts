// Benchmark: search ranking quality on the hand-judged relevance set (test/fixtures/search/relevance.json):
// dense (HNSW over embeddings) against BM25 and against both fused by reciprocal rank. Dense alone ranked best, so
// papermap search is dense only and BM25 lives here, as the peer it was measured against.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedTexts } from '../src/embed/index.js';
import MiniSearch from 'minisearch';
import { buildIndex, byScoreThenId, search } from '../src/index/index.js';
import type { Neighbour, Paper } from '../src/records.js';
import { corpusPapers } from './corpus.js';
import { ROOT, row, type BenchResult } from './lib.js';
import { corpusEmbeddings } from './vectors.js';

interface Judged {
  query: string;
  relevant: string[];
}

/** nDCG@k with binary relevance: Σ rel_i / log2(i + 1) over the ranking, divided by the ideal ranking's sum. */
export function ndcgAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Mean nDCG@10, MRR and recall@10 of a ranker over the relevance set. */
export async function scoreRanker(judged: readonly Judged[], rank: (query: string) => Promise<Neighbour[]>): Promise<{ ndcg10: number; mrr: number; recall10: number }> {
  let ndcg = 0;
  let mrr = 0;
  let recall = 0;
  for (const j of judged) {
    const ids = (await rank(j.query)).map((n) => n.id);
    const rel = new Set(j.relevant);
    ndcg += ndcgAt(ids, rel, 10);
    const first = ids.findIndex((id) => rel.has(id));
    mrr += first < 0 ? 0 : 1 / (first + 1);
    recall += ids.slice(0, 10).filter((id) => rel.has(id)).length / Math.min(10, rel.size);
  }
  const n = judged.length;
  return { ndcg10: r3(ndcg / n), mrr: r3(mrr / n), recall10: r3(recall / n) };
}

export async function run(): Promise<BenchResult> {
  const judged = (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'search', 'relevance.json'), 'utf8')) as { queries: Judged[] }).queries;
  const papers = await corpusPapers();
  const embeddings = await corpusEmbeddings();
  const index = buildIndex(embeddings);
  const lexical = buildLexical(papers);
  const dense = async (q: string) => search(index, (await embedTexts([q])).vectors, { k: 100 });
  const bm25 = async (q: string) => lexical.search(q, 100);
  const hybrid = async (q: string) => fuseByRank([await dense(q), await bm25(q)], 100);
  const scores = { dense: await scoreRanker(judged, dense), bm25: await scoreRanker(judged, bm25), hybrid: await scoreRanker(judged, hybrid) };
  const rows = (['ndcg10', 'mrr', 'recall10'] as const).flatMap((m) => [
    row({ bench: 'search', metric: `${m} on ${judged.length} judged queries, dense vs BM25`, unit: m, papermap: scores.dense[m], peer: 'BM25 (MiniSearch)', peerValue: scores.bm25[m], higherIsBetter: true }),
    row({ bench: 'search', metric: `${m} on ${judged.length} judged queries, dense vs dense+BM25 (RRF)`, unit: m, papermap: scores.dense[m], peer: 'dense+BM25 RRF', peerValue: scores.hybrid[m], higherIsBetter: true }),
  ]);
  return { rows, details: scores };
}

/** A BM25+ index over the papers' titles (boosted ×2) and abstracts. */
export interface LexicalIndex {
  search(text: string, k: number): Neighbour[];
}

/** Builds the lexical index in memory (milliseconds for thousands of papers; it is not persisted). */
export function buildLexical(papers: readonly Paper[]): LexicalIndex {
  const mini = new MiniSearch<{ id: string; title: string; abstract: string }>({ fields: ['title', 'abstract'], idField: 'id' });
  mini.addAll(papers.map((p) => ({ id: p.id, title: p.title ?? '', abstract: p.abstract })));
  return {
    search(text, k) {
      return mini
        .search(text, { boost: { title: 2 }, prefix: false, fuzzy: false, combineWith: 'OR' })
        .map((r) => ({ id: String(r.id), score: r.score }))
        .sort(byScoreThenId)
        .slice(0, k);
    },
  };
}

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ_lists 1 / (c + rank_list(d)), c = 60.
 * Ranks are 1-based; a list that lacks d contributes nothing. Returns the fused top `k` with fused scores.
 */
export function fuseByRank(lists: readonly (readonly Neighbour[])[], k: number, c = 60): Neighbour[] {
  const fused = new Map<string, number>();
  for (const list of lists) list.forEach((n, i) => fused.set(n.id, (fused.get(n.id) ?? 0) + 1 / (c + i + 1)));
  return [...fused].map(([id, score]) => ({ id, score })).sort(byScoreThenId).slice(0, k);
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  console.log(JSON.stringify(result.details, null, 1));
}
