// A bounded work queue: at most `concurrency` jobs run, at most `maxWaiting` wait, and one more is refused at once.

/** Runs async jobs with a bound on both running and waiting work. */
export interface WorkQueue {
  /** Starts or queues the job; undefined (nothing started) when `maxWaiting` jobs already wait. */
  run<T>(job: () => Promise<T>): Promise<T> | undefined;
  /** Jobs running and waiting now. */
  readonly load: { running: number; waiting: number };
}

/**
 * A queue for embedding work. Refusing instead of queueing without bound is what keeps latency bounded under a crowd:
 * a refused client gets an answer (503, Retry-After) in microseconds, and the event loop stays free for work that
 * needs no model.
 */
export function workQueue(concurrency: number, maxWaiting: number): WorkQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    run<T>(job: () => Promise<T>): Promise<T> | undefined {
      if (running < concurrency) {
        running++;
        return Promise.resolve().then(job).finally(release);
      }
      if (waiting.length >= maxWaiting) return undefined;
      return new Promise<void>((start) => waiting.push(start)).then(() => job().finally(release));
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
