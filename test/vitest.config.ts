// Vitest settings for `npm test`: the repo root as root, generous timeouts for the real model on two cores, and one
// shared corpus project built once by the real CLI (test/global-setup.ts).

import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The longest files (seconds of one worker each, fresh clone, 2026-12-02), started first. On a fresh clone vitest has
 * no durations yet and starts larger files first; the crash suites are two short files that run ~100 s each, so they
 * started last and ran side by side at the end: 299 s of wall time where the work was 264 s per worker.
 */
const LONGEST_FIRST = [
  'test/project/crash-run.test.ts',
  'test/project/crash-stages.test.ts',
  'test/project/lock.test.ts',
  'test/cli/related.test.ts',
  'test/themes/themes.test.ts',
  'test/cli/themes.test.ts',
  'test/embed/int8-agreement.test.ts',
  'test/embed/parity.test.ts',
  'test/index/construction-graph.test.ts',
  'test/themes/corpus.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(relative(ROOT, f.moduleId));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    // Array sort is stable: files off the list keep vitest's own order after those on it.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    root: ROOT,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 100_000,
    // Two cores: more parallel workers only fight over them while the model runs.
    maxWorkers: 2,
    // Test files share a worker's modules (no test mocks a module or changes the environment): each file no longer
    // imports the stack and loads the model afresh. 2026-12-02, idle: 164 s -> 149 s, CPU 301 s -> 270 s.
    isolate: false,
    sequence: { sequencer: LongestFirst },
  },
});
