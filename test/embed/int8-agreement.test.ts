// The int8 model (papermap's default) agrees with fp32 on the corpus: top-10 neighbour lists overlap ≥ 0.9 on average.

import { describe, expect, it } from 'vitest';
import { embed } from '../../src/embed/index.js';
import { exactSearch } from '../../src/index/index.js';
import { openProject, readEmbeddings, readPapers } from '../../src/project/index.js';
import type { Embeddings } from '../../src/records.js';
import { corpusProject } from '../helpers/corpus-project.js';

function topTen(e: Embeddings, row: number): Set<string> {
  const q = e.vectors.subarray(row * e.dims, (row + 1) * e.dims);
  return new Set(exactSearch(e, q, 10, new Set([e.ids[row] as string])).map((n) => n.id));
}

describe('int8 against fp32 on the corpus', () => {
  it('keeps top-10 neighbour agreement ≥ 0.9 and per-paper cosine ≥ 0.98', async () => {
    const project = openProject(corpusProject());
    const int8 = readEmbeddings(project);
    expect(int8.modelId).toBe('all-MiniLM-L6-v2/int8');
    const { embeddings: fp32 } = await embed(readPapers(project), { quantized: false });
    expect(fp32.ids).toEqual(int8.ids);
    let agreement = 0;
    for (let row = 0; row < int8.ids.length; row++) {
      const a = topTen(fp32, row);
      agreement += [...topTen(int8, row)].filter((id) => a.has(id)).length / 10;
      let cos = 0;
      for (let d = 0; d < int8.dims; d++) cos += (int8.vectors[row * int8.dims + d] as number) * (fp32.vectors[row * fp32.dims + d] as number);
      expect(cos).toBeGreaterThanOrEqual(0.98);
    }
    expect(agreement / int8.ids.length).toBeGreaterThanOrEqual(0.9);
  });
});
