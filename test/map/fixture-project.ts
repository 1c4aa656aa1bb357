// A real project over the map fixture papers (real model, real index, themes by topic) in a temporary directory.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedCommand, indexCommand } from '../../src/pipeline/index.js';
import { putArtefact, withWriter, writePapers } from '../../src/project/index.js';
import type { Paper, Theme } from '../../src/records.js';

/** The 26 fixture papers: eight each on model merging, proteins and RLHF, plus a markup title and an untitled paper. */
export const MAP_PAPERS = JSON.parse(readFileSync(new URL('../fixtures/map/papers.json', import.meta.url), 'utf8')) as Paper[];

/** Theme of each fixture paper by its topic (the hand-written truth, standing in for `papermap themes`). */
function fixtureThemes(papers: readonly Paper[]): Theme[] {
  const topics = [
    { label: 'model merging · task vectors', test: /merg|task|soup|weights/i },
    { label: 'protein structure · folding', test: /protein/i },
    { label: 'preference optimisation · rlhf', test: /prefer|feedback|reward|instruct/i },
  ];
  return topics.map((topic, id) => {
    const paperIds = papers.filter((p) => topics.findIndex((t) => t.test.test(`${p.title ?? ''} ${p.abstract}`)) === id).map((p) => p.id);
    return { id, label: topic.label, terms: [], size: paperIds.length, paperIds, representativeIds: paperIds.slice(0, 3) };
  });
}

/** Makes a project with papers, vectors, index and themes; returns its directory. */
export async function makeMapProject(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-map-'));
  await withWriter(dir, { command: 'test', create: true }, (project) => writePapers(project, MAP_PAPERS, []));
  await embedCommand({ project: dir });
  await indexCommand({ project: dir });
  await withWriter(dir, { command: 'test' }, (project) => {
    putArtefact(project, 'themes', `${JSON.stringify({ themes: fixtureThemes(MAP_PAPERS), areas: [] })}\n`, { options: { k: null }, seed: 42 });
  });
  return dir;
}
