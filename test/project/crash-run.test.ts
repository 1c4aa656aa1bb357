// A writer killed at any of its flush and rename points: `papermap run` (see test/helpers/crash.ts).

import { crashSuite } from '../helpers/crash.js';

// `run` writes every artefact: 22 kill points, 19 of them before the commit, so they are shared over 7 tests.
crashSuite(['run with new papers'], { before: 7, after: 3 });
