// A writer killed at any of its flush and rename points: `papermap run` (see test/helpers/crash.ts).

import { crashSuite } from '../helpers/crash.js';

crashSuite(['run with new papers']);
