// On the bundled corpus, the saved HNSW index finds the exact top-10 (recall@10 ≥ 0.99 with default parameters).

import { describe, expect, it } from 'vitest';
import { exactSearch, similar } from '../../src/index/index.js';
import { openProject, readEmbeddings, readIndex } from '../../src/project/index.js';
import { corpusProject } from '../helpers/corpus-project.js';

describe('recall on the corpus', () => {
  it('agrees with exact search for every paper', () => {
    const project = openProject(corpusProject());
    const embeddings = readEmbeddings(project);
    const index = readIndex(project, { modelId: embeddings.modelId, dims: embeddings.dims });
    let found = 0;
    embeddings.ids.forEach((id, row) => {
      const query = embeddings.vectors.subarray(row * embeddings.dims, (row + 1) * embeddings.dims);
      const truth = new Set(exactSearch(embeddings, query, 10, new Set([id])).map((n) => n.id));
      found += similar(index, id, { k: 10 }).filter((n) => truth.has(n.id)).length;
    });
    expect(embeddings.ids.length).toBeGreaterThan(400);
    expect(found / (embeddings.ids.length * 10)).toBeGreaterThanOrEqual(0.99);
  });
});
