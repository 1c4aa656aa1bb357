// hybrid: fuses the dense (embedding) ranking with the lexical (BM25) ranking of the same query into one ranking
// (the fusion itself is in fusion.ts, which the map page bundles for its offline search).

import type { Neighbour } from '../records.js';
import { checkRelated, DEFAULT_RELATED_MODE, fusionPool, fuseRelated, type FusionOptions, type RelatedMode, type RelatedQueryInput } from './fusion.js';
import { search, vectorOf, type PaperIndex } from './index.js';
import type { LexicalIndex } from './lexical.js';

export {
  candidatesOf, checkRelated, DEFAULT_RELATED_MODE, FUSION_DEFAULTS, FUSION_POOL, fuseCandidates, fuseRankings, fuseRelated, fusionPool, rankingAgreement, RELATED_MODES,
  type DenseSide, type FusionCandidate, type FusionOptions, type RelatedMode, type RelatedQueryInput,
} from './fusion.js';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** fuseRelated over a local HNSW index. */
export function rankRelated(index: PaperIndex, lexical: LexicalIndex | (() => LexicalIndex), query: RelatedQueryInput, k: number, mode: RelatedMode = DEFAULT_RELATED_MODE, fusion?: Partial<FusionOptions>): Neighbour[] {
  checkRelated(mode, k);
  const vector = 'paperId' in query ? vectorOf(index, query.paperId) : query.vector;
  const exclude = 'paperId' in query ? [query.paperId] : [];
  const hits = mode === 'lexical' ? [] : search(index, vector, { k: fusionPool(k), exclude });
  return fuseRelated({ hits, cosine: (id) => (index.labelOf.has(id) ? dot(vector, vectorOf(index, id)) : undefined), allowed: (id) => index.labelOf.has(id) }, lexical, query, k, mode, fusion);
}
