// A layout worker thread's entry (sgd.ts optimizeInShares starts it): runs one share's parts of epochs as the main
// thread signals them on shared memory, and counts itself done after each.

import { workerData } from 'node:worker_threads';
import { seededRandom } from '../random.js';
import { alphaOf, runShareEpoch, SGD_SYNCS, type SgdShare, type SgdShared } from './sgd.js';

const { shared, share, initialAlpha, nEpochs } = workerData as { shared: SgdShared; share: SgdShare; initialAlpha: number; nEpochs: number };
const random = seededRandom(share.seed);
const control = shared.control;
for (let epoch = 0; ; ) {
  Atomics.wait(control, 0, epoch);
  const next = Atomics.load(control, 0);
  if (next < 0) break;
  if (next === epoch) continue;
  const step = next - 1;
  const n = Math.floor(step / SGD_SYNCS);
  runShareEpoch(shared, share, random, n, alphaOf(initialAlpha, nEpochs, n), step % SGD_SYNCS, SGD_SYNCS);
  epoch = next;
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
}
