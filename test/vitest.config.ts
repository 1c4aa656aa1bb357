// Vitest settings for `npm test`: the repo root as root, generous timeouts for the real model on two cores, and one
// shared corpus project built once by the real CLI (test/global-setup.ts).

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 100_000,
    // Two cores: more parallel workers only fight over them while the model runs.
    maxWorkers: 2,
  },
});
