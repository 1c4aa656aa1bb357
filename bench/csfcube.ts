// Quality of related papers on judgments no one here made: CSFCube (bench/corpora/csfcube.ts), 50 computer-science
// query papers × facet (background, method, result) whose pooled candidates (about 125 each) experts graded 0–3.
// Papermap ranks each pool by embedding (dense), by BM25 over the 4,174 papers' titles and abstracts (lexical) and by
// the two fused with the same code as `papermap similar` (fuseCandidates: the adaptive z-score sum), from its own
// project of the papers (embedded with papermap, ids matched by title and abstract). Scored as the collection's
// official scripts do (eval_scripts/ranking_eval.py at the recorded commit): NDCG%20, the NDCG at 20 % of the pool
// with linear gains and rank_metrics.py's method-0 discount (weights 1, 1, 1/log2 3, …), and MAP with grade ≥ 2 as
// relevant, each averaged over a facet's two test folds (evaluation_splits.json). The peer is SPECTER (Cohan et al.,
// ACL 2020; the citation-trained scientific-paper encoder behind Semantic Scholar), whose ranked pools ship with those
// scripts, scored by the same code here. CSFCube asks for one facet of the query at a time; papermap, like SPECTER here,
// ranks by the whole paper, so no ranking can reach 1.

import { existsSync, readFileSync } from 'node:fs';
import { fuseCandidates } from '../src/index/fusion.js';
import { buildLexicalIndex, lexicalQuery, lexicalScores } from '../src/index/lexical.js';
import type { Paper } from '../src/records.js';
import { CSFCUBE_COMMIT } from './corpora/csfcube.js';
import { row, SHARED_CORPORA, type BenchRow } from './lib.js';
import { bootstrapGain, readProjectPapers, readProjectVectors } from './quality.js';

/** Papermap projects of the CSFCube papers, one per model (see bench/corpora/csfcube.ts). */
export const CSFCUBE_PROJECTS = { bge: `${SHARED_CORPORA}/csfcube.bge`, minilm: `${SHARED_CORPORA}/csfcube.minilm` } as const;
const FACETS = ['background', 'method', 'result'] as const;
type Facet = (typeof FACETS)[number];

interface Judgments {
  commit: string;
  queries: { paper: string; facet: Facet; pool: string[]; grades: Record<string, number> }[];
  splits: Record<string, Record<string, string[]>>;
  specter: Record<Facet, Record<string, string[]>>;
}

/** rank_metrics.py dcg_at_k with method 0: r[0] + Σ_{i≥1} r[i] / log2(i + 1) over the first k. */
function dcg(rels: readonly number[], k: number): number {
  const r = rels.slice(0, k);
  return r.reduce((s, g, i) => s + (i === 0 ? g : g / Math.log2(i + 1)), 0);
}

/** rank_metrics.py ndcg_at_k (method 0, linear gains, the ideal from the same list's grades). */
export function officialNdcg(rels: readonly number[], k: number): number {
  const best = dcg([...rels].sort((a, b) => b - a), k);
  return best > 0 ? dcg(rels, k) / best : 0;
}

/** rank_metrics.py average_precision over binary relevance. */
export function averagePrecision(relevant: readonly boolean[]): number {
  const precisions: number[] = [];
  let hits = 0;
  relevant.forEach((r, i) => {
    if (r) precisions.push(++hits / (i + 1));
  });
  return precisions.length ? precisions.reduce((a, b) => a + b, 0) / precisions.length : 0;
}

interface QueryScore {
  key: string;
  ndcg: number;
  ap: number;
}

function scoreRanking(key: string, ranking: readonly string[], grades: Readonly<Record<string, number>>): QueryScore {
  return { key, ndcg: poolNdcg(ranking, grades), ap: averagePrecision(ranking.map((id) => (grades[id] ?? 0) >= 2)) };
}

/** The official aggregate: the mean of the two test folds' means (facet 'all' or one facet). */
function foldMean(scores: readonly QueryScore[], folds: Record<string, string[]>, metric: 'ndcg' | 'ap'): number {
  const byKey = new Map(scores.map((s) => [s.key, s[metric]]));
  const means = ['fold1_test', 'fold2_test'].map((f) => {
    const keys = folds[f] ?? [];
    return keys.reduce((s, k) => s + (byKey.get(k) ?? Number.NaN), 0) / keys.length;
  });
  return (means[0]! + means[1]!) / 2;
}

const key = (paper: string, facet: string) => `${paper.replace(/^csfcube:/, '')}_${facet}`;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function readJudgments(): Judgments | undefined {
  const file = `${SHARED_CORPORA}/csfcube.judgments.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Judgments) : undefined;
}

/** Each CSFCube id's paper in the project (ingest gives its own ids and merges duplicates): through the line of
 * csfcube.jsonl each project paper was read from. */
function projectIds(projectPapers: ReadonlyMap<string, Paper>): Map<string, string> {
  const lines = readFileSync(`${SHARED_CORPORA}/csfcube.jsonl`, 'utf8').split('\n');
  const out = new Map<string, string>();
  for (const p of projectPapers.values()) {
    for (const s of p.sources) {
      if (!s.file.endsWith('csfcube.jsonl') || s.line === undefined) continue;
      out.set((JSON.parse(lines[s.line - 1] as string) as Paper).id, p.id);
    }
  }
  return out;
}

/** A CSFCube project read for ranking: its vectors and papers, each CSFCube id's project id, a BM25 index. */
export function csfcubeSet(projectDir: string) {
  const judgments = readJudgments();
  const embeddings = readProjectVectors(projectDir);
  if (!judgments || !embeddings) return undefined;
  const papers = readProjectPapers(projectDir);
  const idOf = projectIds(papers);
  const rowOf = new Map(embeddings.ids.map((id, i) => [id, i]));
  const vector = (csfId: string) => {
    const r = rowOf.get(idOf.get(csfId) as string);
    if (r === undefined) throw new Error(`${csfId} is not in ${projectDir}`);
    return embeddings.vectors.subarray(r * embeddings.dims, (r + 1) * embeddings.dims);
  };
  const lexical = buildLexicalIndex(embeddings.ids.map((id) => papers.get(id) as Paper));
  return { judgments, embeddings, papers, idOf, vector, lexical };
}

/** The official per-query NDCG%20 of a ranking of a pool (grades in rank order, cut at 20 % of the pool). */
export function poolNdcg(ranking: readonly string[], grades: Readonly<Record<string, number>>): number {
  return officialNdcg(ranking.map((id) => grades[id] ?? 0), Math.floor(0.2 * ranking.length));
}

/** Papermap's three rankings of every pool, scored; undefined when the project is not there. */
function papermapScores(projectDir: string): { modelId: string; scores: Record<'dense' | 'lexical' | 'hybrid', QueryScore[]> } | undefined {
  const set = csfcubeSet(projectDir);
  if (!set) return undefined;
  const { judgments, embeddings, idOf, vector, lexical } = set;
  const scores: Record<'dense' | 'lexical' | 'hybrid', QueryScore[]> = { dense: [], lexical: [], hybrid: [] };
  for (const q of judgments.queries) {
    const qv = vector(q.paper);
    const cands = q.pool.map((c) => {
      const v = vector(c);
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += (qv[i] as number) * (v[i] as number);
      return { id: c, dense: dot };
    });
    const bm25 = lexicalScores(lexical, lexicalQuery(lexical, { paperId: idOf.get(q.paper) as string }), q.pool.map((c) => idOf.get(c) as string));
    const fused = cands.map((c, i) => ({ ...c, lexical: bm25[i] as number }));
    const by = (f: (c: (typeof fused)[number]) => number) => [...fused].sort((a, b) => f(b) - f(a) || (a.id < b.id ? -1 : 1)).map((c) => c.id);
    const k = key(q.paper, q.facet);
    scores.dense.push(scoreRanking(k, by((c) => c.dense), q.grades));
    scores.lexical.push(scoreRanking(k, by((c) => c.lexical), q.grades));
    scores.hybrid.push(scoreRanking(k, fuseCandidates(fused).map((n) => n.id), q.grades));
  }
  return { modelId: embeddings.modelId, scores };
}

/** SPECTER's shipped ranked pools, scored by the same code. */
function specterScores(judgments: Judgments): QueryScore[] {
  return judgments.queries.map((q) => scoreRanking(key(q.paper, q.facet), judgments.specter[q.facet][q.paper] ?? [], q.grades));
}

/** The rows: per model, NDCG%20 over all 50 query facets for hybrid against dense, lexical and SPECTER, with MAP and
 * the facets in the notes. */
export function csfcubeRows(): { rows: BenchRow[]; details: unknown } {
  const judgments = readJudgments();
  if (!judgments) return { rows: [], details: {} };
  const specter = specterScores(judgments);
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const [name, dir] of Object.entries(CSFCUBE_PROJECTS)) {
    const mine = papermapScores(dir);
    if (!mine) continue;
    const all = (s: QueryScore[], m: 'ndcg' | 'ap' = 'ndcg') => r3(foldMean(s, judgments.splits.all as Record<string, string[]>, m));
    const facet = (s: QueryScore[], f: Facet) => r3(foldMean(s, judgments.splits[f] as Record<string, string[]>, 'ndcg'));
    const facets = (s: QueryScore[]) => FACETS.map((f) => `${f} ${facet(s, f)}`).join(', ');
    const gain = (a: QueryScore[], b: QueryScore[]) => bootstrapGain(a.map((x) => x.ndcg), b.map((x) => x.ndcg));
    const { dense, lexical, hybrid } = mine.scores;
    const label = `CSFCube (expert-graded paper→paper, 50 query facets, ${mine.modelId}) NDCG%20`;
    const [dLo, dHi] = gain(hybrid, dense);
    const [sLo, sHi] = gain(hybrid, specter);
    rows.push(
      row({ bench: 'quality', metric: `${label}, hybrid vs dense`, unit: 'NDCG%20', papermap: all(hybrid), peer: 'dense only (same model)', peerValue: all(dense), higherIsBetter: true, note: `pool re-ranking, official metric (test folds); gain 95% CI [${dLo}, ${dHi}]; by facet hybrid ${facets(hybrid)}, dense ${facets(dense)}; MAP hybrid ${all(hybrid, 'ap')}, dense ${all(dense, 'ap')}` }),
      row({ bench: 'quality', metric: `${label}, hybrid vs lexical`, unit: 'NDCG%20', papermap: all(hybrid), peer: 'lexical only (BM25)', peerValue: all(lexical), higherIsBetter: true, note: `by facet lexical ${facets(lexical)}; MAP ${all(lexical, 'ap')}` }),
      row({ bench: 'quality', metric: `${label}, hybrid vs SPECTER`, unit: 'NDCG%20', papermap: all(hybrid), peer: "SPECTER (the collection's shipped ranked pools)", peerValue: all(specter), higherIsBetter: true, note: `gain 95% CI [${sLo}, ${sHi}]; by facet SPECTER ${facets(specter)}; MAP ${all(specter, 'ap')}; CSFCube at ${CSFCUBE_COMMIT.slice(0, 12)}` }),
    );
    details[`csfcube-${name}`] = Object.fromEntries(Object.entries(mine.scores).map(([m, s]) => [m, { ndcg: all(s), map: all(s, 'ap') }]));
  }
  return { rows, details: { ...details, specter: { ndcg: r3(foldMean(specter, judgments.splits.all as Record<string, string[]>, 'ndcg')) } } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows } = csfcubeRows();
  for (const r of rows) console.log(`${r.metric}: ${r.papermap} vs ${r.peer} ${r.peerValue} (${r.ratio}×) ${r.note ?? ''}`);
}
