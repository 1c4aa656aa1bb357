// `papermap index --store milvus` and the commands that then use the recorded Milvus store: similar, search, map,
// incremental updates, the year filter, and one clear error line when the server cannot be reached.
//
// Needs PAPERMAP_MILVUS_ADDRESS (`bash scripts/milvus.sh test` sets it); skipped without it, except in CI (CI=true).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMilvusStore } from '../../src/index/index.js';
import type { HitRow } from '../../src/pipeline/index.js';
import { papermap } from '../helpers/cli.js';
import { artefactFile, copyOfCorpusProject, corpusProject } from '../helpers/corpus-project.js';

const MILVUS_ADDRESS = process.env.PAPERMAP_MILVUS_ADDRESS;
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const RUN = `cli${process.pid}_${Date.now().toString(36)}`;

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

function manifest(project: string): { artefacts: { index: { options: Record<string, unknown> } } } {
  return JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8'));
}

describe('papermap index --store milvus errors', () => {
  it('names the address in one line, exit 1, when nothing listens there', () => {
    const project = copyOfCorpusProject();
    const r = papermap(['index', '--store', 'milvus', '--milvus-address', '127.0.0.1:1', '-p', project]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^papermap: cannot reach Milvus at 127\.0\.0\.1:1\b/);
    expect(r.stderr.split('\n')[0]).not.toMatch(/\s{2}at /);
  });

  it('asks for an address when --store milvus has none', () => {
    const r = papermap(['index', '--store', 'milvus', '-p', copyOfCorpusProject()], { env: { PAPERMAP_MILVUS_ADDRESS: '' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--milvus-address');
  });
});

(MILVUS_ADDRESS ? describe : describe.skip)('a project on Milvus', () => {
  afterAll(async () => {
    const store = await openMilvusStore({ address: MILVUS_ADDRESS as string, collection: `c_${RUN}` }).catch(() => undefined);
    await store?.drop();
    await store?.close();
  });

  it('records the store, answers like the local index, updates incrementally and maps', () => {
    const project = copyOfCorpusProject();
    const collection = `c_${RUN}`;
    const local = json<{ results: HitRow[] }>(papermap(['similar', 'Merging Models with Fisher-Weighted Averaging', '-p', corpusProject(), '--json']).stdout).results;

    const built = papermap(['index', '--store', 'milvus', '--milvus-address', MILVUS_ADDRESS as string, '--collection', collection, '-p', project, '--json']);
    expect(built.stderr).toBe('');
    expect(json<{ rebuilt: boolean; store: string }>(built.stdout)).toMatchObject({ rebuilt: true, store: `milvus ${MILVUS_ADDRESS}/${collection}` });
    expect(manifest(project).artefacts.index.options).toMatchObject({ store: 'milvus', address: MILVUS_ADDRESS, collection });
    expect(readFileSync(join(project, 'manifest.json'), 'utf8')).not.toMatch(/token/i);

    // No flags from here on: the manifest says where the vectors are.
    const again = json<{ upToDate: boolean }>(papermap(['index', '-p', project, '--json']).stdout);
    expect(again.upToDate).toBe(true);
    const similar = papermap(['similar', 'Merging Models with Fisher-Weighted Averaging', '-p', project, '--json']);
    expect(similar.code).toBe(0);
    const onMilvus = json<{ results: HitRow[] }>(similar.stdout).results;
    const overlap = onMilvus.filter((h) => local.some((l) => l.id === h.id)).length;
    expect(overlap).toBeGreaterThanOrEqual(9);
    const search = json<{ results: HitRow[] }>(papermap(['search', 'mixture of experts', '-k', '5', '--years', '2022-2023', '-p', project, '--json']).stdout).results;
    expect(search).toHaveLength(5);
    for (const hit of search) expect(hit.year === 2022 || hit.year === 2023).toBe(true);

    // The map's neighbours come from Milvus now (the index changed, so the map is rebuilt).
    const papersBefore = readFileSync(artefactFile(project, 'papers'), 'utf8').trim().split('\n').length;
    const map = papermap(['map', '-p', project, '--json']);
    expect(map.stderr).toBe('');
    expect(json<{ papers: number; upToDate: boolean }>(map.stdout)).toMatchObject({ papers: papersBefore, upToDate: false });

    expect(papermap(['ingest', join(FIXTURES, 'bibtex-new', 'three-new-papers.bib'), '-p', project]).code).toBe(0);
    expect(papermap(['embed', '-p', project]).code).toBe(0);
    const update = json<{ added: number; changed: number; removed: number; rebuilt: boolean; papers: number }>(papermap(['index', '-p', project, '--json']).stdout);
    expect(update).toMatchObject({ added: 3, changed: 0, removed: 0, rebuilt: false, papers: papersBefore + 3 });
    const coral = json<{ results: HitRow[] }>(papermap(['search', 'coral reef bleaching', '-k', '1', '-p', project, '--json']).stdout).results;
    expect(coral[0]?.title).toBe('Coral Reef Bleaching Detection from Underwater Imagery');

    // Back to the local store: a rebuild, recorded too.
    const back = json<{ rebuilt: boolean; store: string }>(papermap(['index', '--store', 'local', '-p', project, '--json']).stdout);
    expect(back).toMatchObject({ rebuilt: true, store: 'local' });
    expect(manifest(project).artefacts.index.options.store).toBeUndefined();
  });
});
