// Benchmark: papermap's themes against BERTopic on the same corpus and the same embeddings, in the same run: topic
// coherence (NPMI), topic diversity, silhouette and run time, scored for both by one script (peers/themes_metrics.py),
// papermap's stability across seeds. Agreement with the arXiv categories is in bench/themes-quality.ts (`--only quality`).

import { writeFileSync } from 'node:fs';
import { embed, paperText } from '../src/embed/index.js';
import { adjustedRandIndex, findThemes, type ThemesResult } from '../src/themes/index.js';
import { corpusPapers } from './corpus.js';
import { row, runPython, tmpPath, type BenchResult, type BenchRow } from './lib.js';

const SEEDS = [42, 43, 44, 45, 46];

/** papermap's k-means is single-threaded JavaScript, so the peer is pinned to one thread too. */
const THREADS = 1;
const SEED = 42;

interface Scores {
  npmi: number;
  diversity: number;
  silhouette: number;
  topics: number;
  coverage: number;
}

interface BertopicRun {
  topics: string[][];
  assignment: number[];
  fitMs: number;
  version: string;
}

const topicsOf = (r: ThemesResult): string[][] => r.themes.map((t) => t.terms.map((x) => x.term));

/** Runs papermap and BERTopic on the bundled corpus with the same embeddings and scores both with one script. */
export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const papers = await corpusPapers();
  const { embeddings } = await embed(papers, { cacheDir: tmpPath('themes-vector-cache') });
  const docsFile = tmpPath('themes-docs.json');
  const vectorsFile = tmpPath('themes-vectors.f32');
  writeFileSync(docsFile, JSON.stringify(papers.map(paperText)));
  writeFileSync(vectorsFile, new Uint8Array(embeddings.vectors.buffer, embeddings.vectors.byteOffset, embeddings.vectors.byteLength));
  const input = { docs: docsFile, vectors: vectorsFile, dims: embeddings.dims, seed: SEED };

  const started = performance.now();
  const ours = findThemes(embeddings, papers, { seed: SEED });
  const oursMs = performance.now() - started;
  // Same partition (same k and seed), labels by c-TF-IDF rank alone: shows what the co-occurrence term choice adds.
  const plain = findThemes(embeddings, papers, { seed: SEED, k: ours.k, labelCohesion: 0 });
  // papermap's own seed dependence: the whole findThemes (UMAP, k choice, k-means) at each seed.
  const seedRuns = opts.quick ? [ours] : [ours, ...SEEDS.slice(1).map((seed) => findThemes(embeddings, papers, { seed }))];
  const seedPairs = seedRuns.flatMap((a, i) => seedRuns.slice(i + 1).map((b) => adjustedRandIndex(a.assignment, b.assignment)));
  const oursAri = seedPairs.length ? Math.round((seedPairs.reduce((s, v) => s + v, 0) / seedPairs.length) * 1e4) / 1e4 : Number.NaN;

  const bertopic = runPython<BertopicRun>('themes_bertopic.py', { ...input, k: null }, THREADS);
  const bertopicK = opts.quick ? undefined : runPython<BertopicRun>('themes_bertopic.py', { ...input, k: ours.k }, THREADS);
  const systems: Record<string, { topics: string[][]; assignment: number[] }> = {
    papermap: { topics: topicsOf(ours), assignment: ours.assignment },
    papermapPlain: { topics: topicsOf(plain), assignment: plain.assignment },
    bertopic: { topics: bertopic.topics, assignment: bertopic.assignment },
    ...(bertopicK ? { bertopicK: { topics: bertopicK.topics, assignment: bertopicK.assignment } } : {}),
  };
  // BERTopic's own seed dependence, the same way: mean ARI over every pair of 5 seeds (its outliers count as one group).
  let bertopicAri: number | undefined;
  if (!opts.quick) {
    const runs = [bertopic.assignment, ...SEEDS.slice(1).map((seed) => runPython<BertopicRun>('themes_bertopic.py', { ...input, seed, k: null }, THREADS).assignment)];
    const pairs = runs.flatMap((a, i) => runs.slice(i + 1).map((b) => adjustedRandIndex(a, b)));
    bertopicAri = Math.round((pairs.reduce((s, v) => s + v, 0) / pairs.length) * 1e4) / 1e4;
  }
  const scores = runPython<Record<string, Scores>>('themes_metrics.py', { ...input, systems }, THREADS);
  const p = scores.papermap as Scores;
  const b = scores.bertopic as Scores;
  const peer = `BERTopic ${bertopic.version} (UMAP+HDBSCAN)`;
  const corpus = `${papers.length} papers`;

  const rows: BenchRow[] = [
    row({ bench: 'themes', metric: `topic coherence, NPMI of top-10 terms (${corpus})`, unit: 'NPMI', papermap: p.npmi, peer, peerValue: b.npmi, higherIsBetter: true, note: `c-TF-IDF rank alone (no co-occurrence term choice): ${scores.papermapPlain?.npmi}` }),
    row({ bench: 'themes', metric: 'topic diversity, unique share of top-10 terms', unit: 'share', papermap: p.diversity, peer, peerValue: b.diversity, higherIsBetter: true, note: `c-TF-IDF rank alone: ${scores.papermapPlain?.diversity}` }),
    row({ bench: 'themes', metric: 'silhouette (cosine, full embeddings, outliers left out)', unit: 'silhouette', papermap: p.silhouette, peer, peerValue: b.silhouette, higherIsBetter: true, note: `topics ${p.topics} vs ${b.topics}; papers covered ${p.coverage} vs ${b.coverage}` }),
    row({ bench: 'themes', metric: `run time, ${THREADS} thread (papermap: whole findThemes incl. k choice, areas, sub-themes, stability)`, unit: 'ms', papermap: Math.round(oursMs), peer, peerValue: Math.round(bertopic.fitMs), higherIsBetter: false, note: 'peer: fit_transform on the given embeddings' }),
    row({ bench: 'themes', metric: `stability, mean adjusted Rand index between the themes of seeds ${SEEDS.join(',')}`, unit: 'ARI', papermap: oursAri, ...(bertopicAri === undefined ? {} : { peer, peerValue: bertopicAri }), higherIsBetter: true, note: `papermap k per seed ${seedRuns.map((r) => r.k).join(',')} (chosen by stability); peer: UMAP random_state varied` }),
  ];
  if (bertopicK && scores.bertopicK) {
    const c = scores.bertopicK;
    const peerK = `BERTopic ${bertopicK.version} (UMAP+k-means, k=${ours.k})`;
    rows.push(
      row({ bench: 'themes', metric: 'topic coherence at the same k', unit: 'NPMI', papermap: p.npmi, peer: peerK, peerValue: c.npmi, higherIsBetter: true }),
      row({ bench: 'themes', metric: 'topic diversity at the same k', unit: 'share', papermap: p.diversity, peer: peerK, peerValue: c.diversity, higherIsBetter: true }),
      row({ bench: 'themes', metric: 'silhouette at the same k', unit: 'silhouette', papermap: p.silhouette, peer: peerK, peerValue: c.silhouette, higherIsBetter: true }),
    );
  }
  return {
    rows,
    details: {
      papers: papers.length,
      seed: SEED,
      threads: THREADS,
      k: ours.k,
      kScores: ours.kScores,
      scores,
      papermapThemes: ours.themes.map((t) => `${t.size} ${t.label}`),
      papermapAreas: ours.areas.map((a) => `${a.size} ${a.label}: ${a.themeIds.join(',')}`),
      papermapSubThemes: ours.subThemes.map((s) => `${s.parentId}.${s.id} ${s.size} ${s.label}`),
      bertopicTopics: bertopic.topics.map((t) => t.slice(0, 5).join(', ')),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows.map(({ metric, papermap, peer, peerValue, ratio }) => ({ metric, papermap, peer, peerValue, ratio })));
  console.log(JSON.stringify(result.details, null, 2));
}
