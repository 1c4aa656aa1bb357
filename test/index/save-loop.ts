// Child process for the durability test: commits ever-changing indexes into a project until it is killed.

import { buildIndex } from '../../src/index/index.js';
import { withWriter, writeIndex } from '../../src/project/index.js';
import { clusteredEmbeddings } from '../helpers/vectors.js';

const dir = process.argv[2] as string;
// Big enough that writing the graph takes a while (≈ 12 MB), cheap parameters so building it does not.
const sizes = [20000, 21000];
const built = sizes.map((n, i) => buildIndex(clusteredEmbeddings(n, 128, i), { m: 8, efConstruction: 20 + i }));
for (let round = 0; ; round++) {
  await withWriter(dir, { command: 'save-loop', create: true }, (project) => writeIndex(project, built[round % 2] as ReturnType<typeof buildIndex>));
  process.stdout.write(`saved ${sizes[round % 2]}\n`);
}
