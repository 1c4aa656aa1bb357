// Choosing the model: `--model` on the real CLI records the model id in the manifest, a project keeps its model on
// later runs until another is asked for, recorded ids map back to options, and a missing fp32 file says how
// to re-create it.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, embed, embedTexts, modelId, optionsForModelId } from '../../src/embed/index.js';
import { papermap } from '../helpers/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIB = join(ROOT, 'test', 'fixtures', 'bibtex-new', 'three-new-papers.bib');

function manifestModel(project: string): string {
  return (JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8')) as { model: { id: string } }).model.id;
}

describe('model choice', () => {
  it('records the chosen model and keeps it on later runs until another is asked for', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'papermap-model-')), 'p');
    expect(papermap(['ingest', BIB, '-p', project]).code).toBe(0);
    const first = papermap(['embed', '--model', 'all-MiniLM-L6-v2', '-p', project, '--json']);
    expect(first.code).toBe(0);
    expect(manifestModel(project)).toBe('all-MiniLM-L6-v2/int8');
    const second = papermap(['embed', '--model', 'bge-small-en-v1.5', '-p', project, '--json']);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as { model: string; upToDate: boolean }).upToDate).toBe(false);
    expect(manifestModel(project)).toBe('bge-small-en-v1.5/int8/mean');
    const again = papermap(['embed', '-p', project, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ model: 'bge-small-en-v1.5/int8/mean', upToDate: true });
    // A project whose bge vectors were [CLS]-pooled by an earlier papermap keeps bge and gets them made again.
    const manifestFile = join(project, 'manifest.json');
    writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replaceAll('bge-small-en-v1.5/int8/mean', 'bge-small-en-v1.5/int8'));
    const redone = papermap(['embed', '-p', project, '--json']);
    expect(redone.code).toBe(0);
    expect(JSON.parse(redone.stdout)).toMatchObject({ model: 'bge-small-en-v1.5/int8/mean', upToDate: false });
  });

  it('rejects an unknown model by name', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'papermap-model-')), 'p');
    expect(papermap(['ingest', BIB, '-p', project]).code).toBe(0);
    const run = papermap(['embed', '--model', 'gpt-9', '-p', project, '--json']);
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'BAD_OPTION' } });
  });

  it('maps every recorded model id back to the options that made it', () => {
    for (const id of ['bge-small-en-v1.5/int8/mean', 'bge-small-en-v1.5/fp32/mean', 'all-MiniLM-L6-v2/int8', 'all-MiniLM-L6-v2/fp32']) {
      const o = optionsForModelId(id);
      expect(modelId(o.model, o.quantized)).toBe(id);
    }
    expect(() => optionsForModelId('gpt-9/int8')).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
    // bge's [CLS]-pooled vectors of earlier versions: never mixed with today's mean-pooled ones.
    expect(() => optionsForModelId('bge-small-en-v1.5/int8')).toThrow(expect.objectContaining({ code: 'PROJECT_STALE' }));
  });

  it('loads no model when every text is in the cache (a damaged weights file is never read)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papermap-lazy-'));
    const modelDir = join(dir, 'models');
    cpSync(join(DEFAULT_MODEL_DIR, 'all-MiniLM-L6-v2'), join(modelDir, 'all-MiniLM-L6-v2'), { recursive: true });
    const papers = [{ id: 'p1', title: 'Task vectors', abstract: 'Editing models with task arithmetic.', authors: [], sources: [] }];
    const options = { model: 'all-MiniLM-L6-v2' as const, cacheDir: join(dir, 'cache') };
    const first = await embed(papers, options);
    expect(first.embedded).toBe(1);
    // The same model from another folder (models are kept loaded per folder), its weights damaged.
    writeFileSync(join(modelDir, 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx'), 'not a model');
    await expect(embedTexts(['x'], { ...options, modelDir })).rejects.toThrow();
    const second = await embed(papers, { ...options, modelDir });
    expect(second).toMatchObject({ embedded: 0, cacheHits: 1 });
    expect(second.embeddings.vectors).toEqual(first.embeddings.vectors);
  });

  it('gives MODEL_MISSING with the re-create hint when a model file is absent', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'papermap-nomodel-'));
    await expect(embedTexts(['x'], { modelDir: empty, model: 'bge-small-en-v1.5', quantized: false })).rejects.toMatchObject({ code: 'MODEL_MISSING', hint: expect.stringContaining('PROVENANCE.md') });
  });
});
