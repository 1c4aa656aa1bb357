// A bounded work queue with a deadline: at most `concurrency` jobs run, at most `maxWaiting` wait, one more is refused
// at once, and no caller waits longer than `deadlineMs` for its answer.

/** Rejects a caller whose job was not done within the deadline (dropped from the queue, or still running). */
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
 * a refused client gets an answer (503, Retry-After) at once, and so does one whose job is not done by the deadline:
 * a waiting job is then dropped without running, a running one keeps its slot until it ends (the model is busy until
 * then) but its caller is answered already, so no client waits until its own timeout.
 *
 * Jobs start from the event loop's check phase (setImmediate), never inside the request's own callback: a job that
 * computes synchronously on this thread (a ServerApi embedding in process) would otherwise block the loop before the
 * next request is even read. Started from the check phase, one turn reads every pending request, then runs one job.
 */
export function workQueue(concurrency: number, maxWaiting: number, deadlineMs = Infinity): WorkQueue {
  let running = 0;
  const waiting: { start: () => void }[] = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      setImmediate(next.start);
    }
  };
  return {
    run<T>(job: () => Promise<T>): Promise<T> | undefined {
      if (running >= concurrency && waiting.length >= maxWaiting) return undefined;
      const since = performance.now();
      return new Promise<T>((resolve, reject) => {
        const entry = {
          start: () => {
            job().then(
              (value) => (clearTimeout(timer), resolve(value)),
              (error: unknown) => (clearTimeout(timer), reject(error)),
            ).finally(release);
          },
        };
        // After the deadline the caller is answered; a job still waiting leaves the queue without running.
        const timer = Number.isFinite(deadlineMs)
          ? setTimeout(() => {
              const at = waiting.indexOf(entry);
              if (at >= 0) waiting.splice(at, 1);
              reject(new QueueWaitExceeded(performance.now() - since));
            }, deadlineMs).unref()
          : undefined;
        if (running < concurrency) {
          running++;
          setImmediate(entry.start);
        } else {
          waiting.push(entry);
        }
      });
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
