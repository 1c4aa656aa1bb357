// Benchmark: the neighbour graph the themes and map steps share (index.ts graphRows): its queries' beam from
// GRAPH_BEAM_FROM papers, graphEf (2 × the neighbours asked for), against the index's own efSearch (64), on real vectors: the bundled corpus and the 15,000
// real arXiv abstracts (MiniLM; bench/quality.ts ARXIV_PROJECTS), and the 100,000 real abstracts' TF-IDF stand-in of
// the scale bench when its project exists. Rows: recall@16 of the graph rows against exact search (500 seeded rows),
// graph rows per second on one thread, and the T(10) of the map laid out from each graph (real vectors only). With the
// papers' texts, also the rate of the blended graph `themes --words` builds from it (hybridGraph: each row's TF-IDF
// neighbours found and fused with its embedding neighbours), against the embedding graph's own rate.

import { existsSync } from 'node:fs';
import { buildIndex, exactSearch, GRAPH_BEAM_FROM, graphEf, graphRows, INDEX_DEFAULTS } from '../src/index/index.js';
import { projectMap } from '../src/map/index.js';
import { trustworthiness } from '../src/map/trustworthiness.js';
import { openProject, readEmbeddings, readIndex } from '../src/project/index.js';
import type { Embeddings, NeighbourGraph, Paper } from '../src/records.js';
import { hybridGraph, WORDS_WEIGHT } from '../src/themes/index.js';
import { corpusPapers } from './corpus.js';
import { row, tmpPath, type BenchResult, type BenchRow } from './lib.js';
import { ARXIV_PROJECTS, readProjectPapers, readProjectVectors } from './quality.js';
import { corpusEmbeddings } from './vectors.js';

const NEIGHBOURS = 15;
const CHECKED = 500;

type Index = ReturnType<typeof buildIndex>;

function recallOf(e: Embeddings, graph: NeighbourGraph, rows: readonly number[]): number {
  const rowOf = new Map(e.ids.map((id, i) => [id, i]));
  let hit = 0;
  for (const r of rows) {
    const truth = new Set(exactSearch(e, e.vectors.subarray(r * e.dims, (r + 1) * e.dims), NEIGHBOURS + 1).map((h) => rowOf.get(h.id)).filter((j) => j !== r).slice(0, NEIGHBOURS));
    for (const j of (graph.indices[r] as number[]).slice(0, NEIGHBOURS)) if (truth.has(j)) hit++;
  }
  return hit / (rows.length * NEIGHBOURS);
}

function t10(e: Embeddings, graph: NeighbourGraph): number {
  const points = projectMap(e, { knn: graph });
  const xy = new Float64Array(2 * points.length);
  points.forEach((p, i) => xy.set([p.x, p.y], 2 * i));
  return trustworthiness(e, xy, { k: 10, sample: 1000 });
}

function measure(name: string, e: Embeddings, index: Index, withMap: boolean, papers?: ReadonlyMap<string, Paper>): BenchRow[] {
  const n = e.ids.length;
  const rows = Array.from({ length: Math.min(CHECKED, n) }, (_, i) => Math.floor((i * n) / Math.min(CHECKED, n)));
  // The beam the graph uses from GRAPH_BEAM_FROM papers, measured at every size.
  const beam = graphEf(NEIGHBOURS, index.params.efSearch, GRAPH_BEAM_FROM);
  // Warm the code up first: on the bundled corpus a cold first pass is mostly compiling, and it is the first beam's.
  graphRows(index, e.ids, NEIGHBOURS, 0, Math.min(n, 200), e, beam);
  const runs = [beam, index.params.efSearch].map((ef) => {
    const t0 = performance.now();
    const graph = graphRows(index, e.ids, NEIGHBOURS, 0, n, e, ef);
    const rate = n / ((performance.now() - t0) / 1000);
    return { ef, graph, rate, recall: recallOf(e, graph, rows), t: withMap ? t10(e, graph) : undefined };
  });
  const [mine, peer] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const label = `${name} (${n.toLocaleString('en')} papers)`;
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const out = [
    row({ bench: 'graph', metric: `graph rows/s, one thread, beam ${mine.ef} vs ${peer.ef}, ${label}`, unit: 'rows/s', papermap: Math.round(mine.rate), peer: `beam ${peer.ef} (efSearch)`, peerValue: Math.round(peer.rate), higherIsBetter: true }),
    row({ bench: 'graph', metric: `graph recall@${NEIGHBOURS} vs exact, beam ${mine.ef} vs ${peer.ef}, ${label}`, unit: 'recall', papermap: r3(mine.recall), peer: `beam ${peer.ef} (efSearch)`, peerValue: r3(peer.recall), higherIsBetter: true, note: `${rows.length} rows` }),
  ];
  if (papers) {
    const vectors = e.ids.map((_, r) => e.vectors.subarray(r * e.dims, (r + 1) * e.dims));
    const texts = e.ids.map((id) => papers.get(id));
    if (n < 2000) hybridGraph(mine.graph, vectors, texts, NEIGHBOURS, WORDS_WEIGHT); // warm-up, as above
    const t0 = performance.now();
    hybridGraph(mine.graph, vectors, texts, NEIGHBOURS, WORDS_WEIGHT);
    const rate = n / ((performance.now() - t0) / 1000);
    out.push(row({ bench: 'graph', metric: `words graph rows/s, one thread (themes --words: blended from the embedding's graph), ${label}`, unit: 'rows/s', papermap: Math.round(rate), peer: `the embedding's graph (beam ${mine.ef})`, peerValue: Math.round(mine.rate), higherIsBetter: true, note: 'the words graph is built on top of the embedding graph: the two costs add' }));
  }
  if (mine.t !== undefined && peer.t !== undefined) {
    out.push(row({ bench: 'graph', metric: `map T(10) from the graph, beam ${mine.ef} vs ${peer.ef}, ${label}`, unit: 'T(10)', papermap: r3(mine.t), peer: `beam ${peer.ef} (efSearch)`, peerValue: r3(peer.t), higherIsBetter: true, note: 'the map step on the same vectors, seed 42; 1,000 sampled points' }));
  }
  return out;
}

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const corpus = await corpusEmbeddings();
  rows.push(...measure('bundled corpus', corpus, buildIndex(corpus), true, new Map((await corpusPapers()).map((p) => [p.id, p]))));
  const arxiv = readProjectVectors(ARXIV_PROJECTS.minilm);
  if (arxiv) rows.push(...measure('arXiv real abstracts, MiniLM', arxiv, buildIndex(arxiv), true, readProjectPapers(ARXIV_PROJECTS.minilm)));
  const scale = tmpPath('scale-project-100000');
  if (existsSync(`${scale}/manifest.json`)) {
    const project = openProject(scale);
    // The stand-in's map takes minutes to score; its graph rows are the point here.
    rows.push(...measure('scale stand-in, TF-IDF projection of real abstracts', readEmbeddings(project), readIndex(project), false));
  }
  return { rows, details: { neighbours: NEIGHBOURS, checked: CHECKED, index: INDEX_DEFAULTS } };
}

