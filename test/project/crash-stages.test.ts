// A writer killed at any of its flush and rename points: ingest, embed, index, themes, map (see test/helpers/crash.ts).

import { crashSuite } from '../helpers/crash.js';

crashSuite(['ingest', 'ingest --replace', 'embed', 'index --m 12', 'themes -k 5', 'map --seed 7']);
