// Child process for the durability test: commits the indexes of the given projects into a project, in turn, until it
// is killed. The test builds those indexes once; each child only loads them (building them took 2 s per child).

import { openProject, readIndex, withWriter, writeIndex } from '../../src/project/index.js';

const [dir, ...sources] = process.argv.slice(2) as [string, ...string[]];
const indexes = sources.map((source) => readIndex(openProject(source)));
for (let round = 0; ; round++) {
  const index = indexes[round % indexes.length] as ReturnType<typeof readIndex>;
  await withWriter(dir, { command: 'save-loop', create: true }, (project) => writeIndex(project, index));
  process.stdout.write(`saved ${round}\n`);
}
