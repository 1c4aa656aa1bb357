// A save killed midway (SIGKILL while the index file is being written) leaves the last good index loadable.

import { spawn } from 'node:child_process';
import { mkdtempSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex, indexSize, similar } from '../../src/index/index.js';
import { openProject, readIndex, withWriter, writeIndex } from '../../src/project/index.js';
import { clusteredEmbeddings } from '../helpers/vectors.js';

/**
 * Starts the save loop and, once `saves` saves have completed, SIGKILLs it at the first file write it makes in the
 * project directory afterwards: that is, in the middle of the next save.
 */
function killMidSave(dir: string, sources: readonly string[], saves: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'save-loop.ts'), dir, ...sources], { stdio: ['ignore', 'pipe', 'inherit'] });
    let done = 0;
    const watcher = watch(dir, () => {
      if (done >= saves) child.kill('SIGKILL');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      done += chunk.toString().split('\n').filter((l) => l.startsWith('saved')).length;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => {
      watcher.close();
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`save loop ended by itself: ${code}`));
    });
  });
}

describe('index durability', () => {
  it('loads the last complete index after the saving process is killed in the middle of a save', async () => {
    // Big enough that writing the graph takes a while (≈ 12 MB), cheap parameters so building it does not.
    const sources = await Promise.all(
      [20000, 21000].map(async (n, i) => {
        const source = mkdtempSync(join(tmpdir(), 'pm-index-'));
        const index = buildIndex(clusteredEmbeddings(n, 128, i), { m: 8, efConstruction: 20 + i });
        await withWriter(source, { command: 'test', create: true }, (project) => writeIndex(project, index));
        return source;
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'pm-kill-'));
    for (const saves of [1, 2, 3]) {
      await killMidSave(dir, sources, saves);
      const index = readIndex(openProject(dir));
      expect([20000, 21000]).toContain(indexSize(index));
      expect(similar(index, 'p1', { k: 5 })).toHaveLength(5);
    }
  });
});
