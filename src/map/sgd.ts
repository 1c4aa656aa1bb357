// The layout's SGD epochs in shares: the edge list split by the point each edge moves, one share per thread.
//
// umap-js runs UMAP's SGD (McInnes et al. 2018, §3.2 and Algorithm 5) over every edge in one pass per epoch, moving
// the edge's head towards its tail (and the tail towards the head), and the head away from a few random points. At
// 100,000 papers that pass was ~90 % of the map step, on one core. Here the points are cut into SHARES contiguous
// ranges; share s processes the edges whose head it owns, in umap-js's order, with its own seeded random stream.
// Within an epoch a share reads and moves its own points live, reads the other shares' points as they were at the
// start of the epoch (a copy), and adds the moves it makes to their points into its own delta buffer, which is
// applied (share by share, in order) when every share has finished the epoch. Nothing a share computes depends on
// when the others run, so the layout is the same whether the shares run on one thread or several, in any timing: the
// same input and seed give the same map on every machine. What changes against umap-js's single pass is that a
// share sees the other shares' points up to 1/SGD_SYNCS of an epoch late, as in Hogwild-style parallel SGD (Recht et al. 2011) and
// umap-learn's parallel=True, minus their races.

import { Worker } from 'node:worker_threads';
import { seededRandom } from '../random.js';
import { workerEntry } from '../threads.js';

/** Shares the edge list is cut into (and threads that run them, when the machine has the cores). */
export const SGD_SHARES = 2;

/**
 * Times per epoch the shares meet (each runs the next part of its edges, then the copy is refreshed and the moves
 * handed over), so a share sees the others' points at most 1/SGD_SYNCS of an epoch late. At 100,000 papers meeting
 * once per epoch lost 0.0115 of T(10) against umap-js's single pass (0.6545 against 0.666); a meeting costs a copy
 * of the layout and a pass over the delta buffers (1.6 MB each at 100,000 papers).
 */
export const SGD_SYNCS = 8;

/** The edges of the SGD with their sampling schedule, in umap-js's order (each edge moves its head). */
export interface SgdEdges {
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  epochOfNextSample: Float64Array;
  epochsPerNegativeSample: Float64Array;
  epochOfNextNegativeSample: Float64Array;
}

/** The state umap-js keeps for its typed SGD (patches/umap-js+1.4.0.patch), as far as the epochs read it. */
export interface SgdState extends SgdEdges {
  flat: Float64Array;
  moveOther: boolean;
  initialAlpha: number;
  gamma: number;
  a: number;
  b: number;
  dim: number;
  nEpochs: number;
  nVertices: number;
}

/** One share's edges and buffers, all on shared memory so a worker thread can run it. */
export interface SgdShare extends SgdEdges {
  index: number;
  /** First point owned by this share, and the one after its last. */
  from: number;
  to: number;
  /** Moves this share made to other shares' points during the current epoch (n × dim). */
  delta: Float64Array;
  seed: number;
}

/** Everything every share reads: the live layout, its copy at the start of the epoch, and the constants. */
export interface SgdShared {
  flat: Float64Array;
  snapshot: Float64Array;
  /** [step to run + 1 (step = epoch · SGD_SYNCS + part; 0: none yet, −1: stop), shares done with it] */
  control: Int32Array;
  moveOther: boolean;
  gamma: number;
  a: number;
  b: number;
  dim: number;
  nVertices: number;
}

function sharedF64(from: ArrayLike<number>): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(from.length * 8));
  out.set(from);
  return out;
}

function sharedI32(from: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(from.length * 4));
  out.set(from);
  return out;
}

/** Cuts the state's edges into `shares` by the owner of each edge's head; edge order within a share is kept. */
export function makeShares(state: SgdState, shares: number, seed: number): { shared: SgdShared; shares: SgdShare[] } {
  const n = state.nVertices;
  const bounds = Array.from({ length: shares + 1 }, (_, s) => Math.round((s * n) / shares));
  const ownerOf = (v: number): number => {
    let s = 0;
    while (v >= (bounds[s + 1] as number)) s++;
    return s;
  };
  const edgesOf: number[][] = Array.from({ length: shares }, () => []);
  for (let e = 0; e < state.head.length; e++) (edgesOf[ownerOf(state.head[e] as number)] as number[]).push(e);
  const pick = <T extends Float64Array | Int32Array>(source: T, edges: number[]): number[] => edges.map((e) => source[e] as number);
  return {
    shared: {
      flat: sharedF64(state.flat),
      snapshot: sharedF64(state.flat),
      control: new Int32Array(new SharedArrayBuffer(8)),
      moveOther: state.moveOther,
      gamma: state.gamma,
      a: state.a,
      b: state.b,
      dim: state.dim,
      nVertices: n,
    },
    shares: edgesOf.map((edges, s) => ({
      index: s,
      from: bounds[s] as number,
      to: bounds[s + 1] as number,
      head: sharedI32(pick(state.head, edges)),
      tail: sharedI32(pick(state.tail, edges)),
      epochsPerSample: sharedF64(pick(state.epochsPerSample, edges)),
      epochOfNextSample: sharedF64(pick(state.epochOfNextSample, edges)),
      epochsPerNegativeSample: sharedF64(pick(state.epochsPerNegativeSample, edges)),
      epochOfNextNegativeSample: sharedF64(pick(state.epochOfNextNegativeSample, edges)),
      delta: new Float64Array(new SharedArrayBuffer(n * state.dim * 8)),
      // A well-mixed seed per share (splitmix32 finaliser), so no two shares draw the same negative samples.
      seed: mix(seed, s),
    })),
  };
}

function mix(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Part `part` of `parts` of one epoch of one share: umap-js's optimizeLayoutStepTyped on that part of the share's
 * edges, reading other shares' points from the snapshot and putting its moves of them into the share's delta buffer.
 * For 2-D layouts (every map) with umap-js's per-dimension loops written out: the same operations in the same order,
 * so the same layout to the last bit, in about 0.7 of the time (100,000 papers: 0.43 s an epoch against 0.60).
 */
export function runShareEpoch(shared: SgdShared, share: SgdShare, random: () => number, n: number, alpha: number, part = 0, parts = 1): void {
  const { flat, snapshot, moveOther, gamma, a, b, nVertices } = shared;
  const { head, tail, epochsPerSample, epochOfNextSample, epochsPerNegativeSample, epochOfNextNegativeSample, delta, from, to } = share;
  const clip = (v: number): number => (v > 4.0 ? 4.0 : v < -4.0 ? -4.0 : v);
  const first = Math.floor((part * epochsPerSample.length) / parts);
  const end = Math.floor(((part + 1) * epochsPerSample.length) / parts);
  for (let i = first; i < end; i++) {
    if ((epochOfNextSample[i] as number) > n) continue;
    const j = head[i] as number;
    const k = tail[i] as number;
    const jo = 2 * j;
    const ko = 2 * k;
    const kOwn = k >= from && k < to;
    const kFrom = kOwn ? flat : snapshot;
    let jx = flat[jo] as number;
    let jy = flat[jo + 1] as number;
    const dx = jx - (kFrom[ko] as number);
    const dy = jy - (kFrom[ko + 1] as number);
    const distSquared = 0.0 + dx * dx + dy * dy;
    let gradCoeff = 0;
    if (distSquared > 0) {
      const powB = Math.exp(b * Math.log(distSquared));
      gradCoeff = (-2.0 * a * b * (powB / distSquared)) / (a * powB + 1.0);
    }
    // As the loop over d: the head's x moves before its y difference is taken, and the tail reads the moved head.
    const gx = clip(gradCoeff * (jx - (kFrom[ko] as number)));
    jx += gx * alpha;
    flat[jo] = jx;
    if (moveOther) {
      if (kOwn) flat[ko] = (flat[ko] as number) - gx * alpha;
      else delta[ko] = (delta[ko] as number) - gx * alpha;
    }
    const gy = clip(gradCoeff * (jy - (kFrom[ko + 1] as number)));
    jy += gy * alpha;
    flat[jo + 1] = jy;
    if (moveOther) {
      if (kOwn) flat[ko + 1] = (flat[ko + 1] as number) - gy * alpha;
      else delta[ko + 1] = (delta[ko + 1] as number) - gy * alpha;
    }
    epochOfNextSample[i] = (epochOfNextSample[i] as number) + (epochsPerSample[i] as number);
    const nNegSamples = Math.floor((n - (epochOfNextNegativeSample[i] as number)) / (epochsPerNegativeSample[i] as number));
    for (let p = 0; p < nNegSamples; p++) {
      const k1 = Math.floor(random() * nVertices);
      // The head itself: at distance 0 from itself, skipped as umap-js skips it (its row is held in jx, jy meanwhile).
      if (k1 === j) continue;
      const ko1 = 2 * k1;
      const k1From = k1 >= from && k1 < to ? flat : snapshot;
      const ex = jx - (k1From[ko1] as number);
      const ey = jy - (k1From[ko1 + 1] as number);
      const ds = 0.0 + ex * ex + ey * ey;
      let gc = 0.0;
      if (ds > 0.0) {
        gc = 2.0 * gamma * b;
        gc /= (0.001 + ds) * (a * Math.exp(b * Math.log(ds)) + 1);
      }
      const nx = gc > 0.0 ? clip(gc * (jx - (k1From[ko1] as number))) : 4.0;
      jx += nx * alpha;
      const ny = gc > 0.0 ? clip(gc * (jy - (k1From[ko1 + 1] as number))) : 4.0;
      jy += ny * alpha;
    }
    flat[jo] = jx;
    flat[jo + 1] = jy;
    epochOfNextNegativeSample[i] = (epochOfNextNegativeSample[i] as number) + nNegSamples * (epochsPerNegativeSample[i] as number);
  }
}

/** The rate of epoch n, as umap-js sets it after each epoch (the first two epochs both run at the initial rate). */
export function alphaOf(initialAlpha: number, nEpochs: number, n: number): number {
  return n === 0 ? initialAlpha : initialAlpha * (1.0 - (n - 1) / nEpochs);
}

/** Longest wait for a worker thread's epoch before giving up (a loaded machine can be slow, a dead worker never answers). */
const WORKER_WAIT_MS = 10 * 60 * 1000;

/**
 * Runs every remaining epoch of umap-js's typed SGD state in SGD_SHARES shares, on up to `threads` threads (this one
 * and worker threads), and writes the layout back into `state.flat`. The result does not depend on `threads`.
 */
export function optimizeInShares(state: SgdState, seed: number, threads: number, onEpoch?: (done: number, total: number) => void): void {
  if (state.dim !== 2) throw new Error(`the map's SGD lays out 2 dimensions, not ${state.dim}`);
  const { shared, shares } = makeShares(state, SGD_SHARES, seed);
  const randoms = shares.map((s) => seededRandom(s.seed));
  const inWorkers = threads > 1 ? shares.slice(1, threads) : [];
  const local = shares.filter((s) => !inWorkers.includes(s));
  const workers = inWorkers.map((share) => new Worker(workerEntry('map/_sgd-worker.js'), { workerData: { shared, share, initialAlpha: state.initialAlpha, nEpochs: state.nEpochs }, execArgv: [] }));
  const { flat, snapshot, control } = shared;
  try {
    for (let n = 0; n < state.nEpochs; n++) {
      const alpha = alphaOf(state.initialAlpha, state.nEpochs, n);
      for (let part = 0; part < SGD_SYNCS; part++) {
        snapshot.set(flat);
        Atomics.store(control, 1, 0);
        Atomics.store(control, 0, n * SGD_SYNCS + part + 1);
        Atomics.notify(control, 0);
        for (const share of local) runShareEpoch(shared, share, randoms[share.index] as () => number, n, alpha, part, SGD_SYNCS);
        const started = Date.now();
        for (let done = Atomics.load(control, 1); done < workers.length; done = Atomics.load(control, 1)) {
          if (Atomics.wait(control, 1, done, 1000) === 'timed-out' && Date.now() - started > WORKER_WAIT_MS) throw new Error('a layout worker thread did not finish its epoch');
        }
        // A share moves other shares' points only through its delta, so only the ranges it does not own hold moves.
        for (const share of shares) {
          const delta = share.delta;
          const own = [share.from * state.dim, share.to * state.dim];
          for (const [from, to] of [[0, own[0] as number], [own[1] as number, delta.length]] as const) {
            for (let v = from; v < to; v++) {
              const m = delta[v] as number;
              if (m !== 0) {
                flat[v] = (flat[v] as number) + m;
                delta[v] = 0;
              }
            }
          }
        }
      }
      onEpoch?.(n + 1, state.nEpochs);
    }
  } finally {
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
    for (const w of workers) void w.terminate();
  }
  state.flat.set(flat);
}

