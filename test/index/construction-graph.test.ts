// `papermap index` on a project of CONSTRUCTION_GRAPH_FROM papers keeps the neighbour graph its build found as the
// project's knn artefact, so the themes and map steps read it instead of querying the index for every paper.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIndex, CONSTRUCTION_GRAPH_FROM, CONSTRUCTION_GRAPH_K } from '../../src/index/index.js';
import { freshness, openProject, readKnn, withWriter, writeEmbeddings, writePapers } from '../../src/project/index.js';
import type { Paper } from '../../src/records.js';
import { papermap } from '../helpers/cli.js';
import { clusteredEmbeddings } from '../helpers/vectors.js';

const TOPICS = ['model merging', 'speech recognition', 'robot grasping', 'protein folding', 'machine translation', 'graph networks'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function project(n: number): Promise<{ dir: string; vectors: ReturnType<typeof clusteredEmbeddings> }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'papermap-cgraph-')), 'p');
  dirs.push(dir);
  const vectors = { ...clusteredEmbeddings(n, 8, 11), modelId: 'test/synthetic' };
  const papers: Paper[] = vectors.ids.map((id, i) => ({ id, title: `Paper ${i} on ${TOPICS[i % TOPICS.length] as string}`, abstract: `We study ${TOPICS[i % TOPICS.length] as string} (${i}).`, authors: [], sources: [] }));
  await withWriter(dir, { command: 'test', create: true }, (p) => {
    writePapers(p, papers, []);
    writeEmbeddings(p, vectors, { options: { model: 'test/synthetic' } });
  });
  return { dir, vectors };
}

describe('the neighbour graph of a fresh index', () => {
  it(`is committed by \`papermap index\` from ${CONSTRUCTION_GRAPH_FROM} papers, the graph the same build finds in memory`, async () => {
    const { dir, vectors } = await project(CONSTRUCTION_GRAPH_FROM);
    const run = papermap(['index', '-p', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const committed = openProject(dir);
    expect(freshness(committed, 'knn').state).toBe('fresh');
    const stored = readKnn(committed, CONSTRUCTION_GRAPH_FROM, CONSTRUCTION_GRAPH_K);
    expect(stored).toEqual(buildIndex(vectors).graph);
  }, 60_000);

  it('is not made for a smaller project (its graph is queried when themes or the map first need it)', async () => {
    const { dir } = await project(2000);
    expect(papermap(['index', '-p', dir, '--json']).code).toBe(0);
    expect(openProject(dir).manifest.artefacts.knn).toBeUndefined();
  });
});
