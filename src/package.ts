// Where papermap is installed and which version it is: for the vendored models and the manifest.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (one level above this compiled file, dist/package.js). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
/** papermap's own version, from package.json. */
export const PAPERMAP_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
