// Third-party packages loaded on first use: a command that never clusters, lays out, bundles, parses XML or serves
// (most of them) does not pay for loading those libraries when it starts. Node-only code; never bundled for the page.

import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A getter that loads the CommonJS build of `specifier` on its first call and returns the same module after. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
