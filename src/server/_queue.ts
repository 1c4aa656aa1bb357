// A bounded work queue: at most `concurrency` jobs run, at most `maxWaiting` wait, and one more is refused at once.

/** Thrown (rejected) for a queued job that waited longer than `maxWaitMs` and was dropped without running. */
export class QueueWaitExceeded extends Error {
  constructor(readonly waitedMs: number) {
    super(`waited ${Math.round(waitedMs)} ms for the model`);
    this.name = 'QueueWaitExceeded';
  }
}

/** Runs async jobs with a bound on both running and waiting work. */
export interface WorkQueue {
  /** Starts or queues the job; undefined (nothing started) when `maxWaiting` jobs already wait. */
  run<T>(job: () => Promise<T>): Promise<T> | undefined;
  /** Jobs running (or about to start) and waiting now. */
  readonly load: { running: number; waiting: number };
}

/**
 * A queue for embedding work. Refusing instead of queueing without bound is what keeps latency bounded under a crowd:
 * a refused client gets an answer (503, Retry-After) at once.
 *
 * Every job starts from the event loop's check phase (setImmediate), never inside the request's own callback. Query
 * inference in onnxruntime-node 1.14 runs synchronously on the main thread; started at once, each search would block
 * the loop before the next request is even read, so the queue would never fill (nothing refused) and every request read
 * in the same turn, similar ones included, would wait behind all the searches read before it. Started from the check
 * phase, one turn reads every pending request (similar answered, searches queued or refused), then runs one job.
 */
export function workQueue(concurrency: number, maxWaiting: number, maxWaitMs = Infinity): WorkQueue {
  let running = 0;
  const waiting: { since: number; start: () => void; drop: (error: Error) => void }[] = [];
  const release = (): void => {
    running--;
    // A job that waited too long is answered (rejected) instead of run: its client is better told to retry than kept
    // waiting until it gives up, and the model's time goes to jobs whose clients still wait.
    let next = waiting.shift();
    while (next && performance.now() - next.since > maxWaitMs) {
      next.drop(new QueueWaitExceeded(performance.now() - next.since));
      next = waiting.shift();
    }
    if (next) {
      running++;
      setImmediate(next.start);
    }
  };
  return {
    run<T>(job: () => Promise<T>): Promise<T> | undefined {
      if (running < concurrency) {
        running++;
        return new Promise<void>((start) => setImmediate(start)).then(() => job().finally(release));
      }
      if (waiting.length >= maxWaiting) return undefined;
      return new Promise<void>((start, drop) => waiting.push({ since: performance.now(), start, drop })).then(() => job().finally(release));
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
