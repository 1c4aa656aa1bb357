// A bounded work queue: at most `concurrency` jobs run, at most `maxWaiting` wait, and one more is refused at once.

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
export function workQueue(concurrency: number, maxWaiting: number): WorkQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      setImmediate(next);
    }
  };
  return {
    run<T>(job: () => Promise<T>): Promise<T> | undefined {
      if (running < concurrency) {
        running++;
        return new Promise<void>((start) => setImmediate(start)).then(job).finally(release);
      }
      if (waiting.length >= maxWaiting) return undefined;
      return new Promise<void>((start) => waiting.push(start)).then(job).finally(release);
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
