// Independent jobs of a synchronous computation spread over worker threads: each job's answer is its own, so the
// answers do not depend on how many threads ran them or in what order.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { PACKAGE_ROOT } from './package.js';

/** Longest wait for a worker thread's answers (a loaded machine can be slow; a dead worker never answers). */
const WORKER_WAIT_MS = 30 * 60 * 1000;

/**
 * The compiled file of a worker entry given by its path under src/ ('themes/_jobs.js'): the file beside the caller's
 * compiled module in dist/, also when the caller runs from source (tests, tsx), where worker threads get no loader.
 */
export function workerEntry(relative: string): string {
  return join(PACKAGE_ROOT, 'dist', relative);
}

/**
 * Runs `run(job, context)` for every job and returns the answers in job order. With threads > 1 and a compiled
 * `entry` (a module that calls serveJobs with the same `run`), jobs 0, threads, 2·threads, … run on this thread and
 * the others on threads − 1 worker threads, each given `context` once; this thread blocks until they answer, so the
 * caller stays synchronous. Jobs, context and answers cross threads by structured clone (typed arrays are cheap).
 */
export function runJobs<J, C, R>(entry: string, jobs: readonly J[], context: C, threads: number, run: (job: J, context: C) => R): R[] {
  const parts = Math.max(1, Math.min(threads, jobs.length));
  if (parts === 1 || !existsSync(entry)) return jobs.map((job) => run(job, context));
  const started = Array.from({ length: parts - 1 }, (_, w) => {
    const mine = jobs.flatMap((job, i) => (i % parts === w + 1 ? [job] : []));
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(entry, { workerData: { jobs: mine, context, port: port2, flag }, transferList: [port2], execArgv: [] });
    return { worker, port: port1, flag };
  });
  const answers = new Array<R>(jobs.length);
  try {
    jobs.forEach((job, i) => {
      if (i % parts === 0) answers[i] = run(job, context);
    });
    started.forEach(({ port, flag }, w) => {
      const since = Date.now();
      while (Atomics.load(flag, 0) === 0) {
        if (Atomics.wait(flag, 0, 0, 1000) === 'timed-out' && Date.now() - since > WORKER_WAIT_MS) throw new Error('a worker thread did not answer');
      }
      const message = receiveMessageOnPort(port)?.message as { answers?: R[]; error?: string } | undefined;
      if (!message?.answers) throw new Error(`a worker thread failed: ${message?.error ?? 'no answer'}`);
      message.answers.forEach((answer, j) => (answers[j * parts + w + 1] = answer));
    });
  } finally {
    for (const { worker, port } of started) {
      port.close();
      void worker.terminate();
    }
  }
  return answers;
}

/** The worker side of runJobs: answers the jobs it was started with, then signals the waiting thread. */
export function serveJobs<J, C, R>(run: (job: J, context: C) => R): void {
  const { jobs, context, port, flag } = workerData as { jobs: J[]; context: C; port: MessagePort; flag: Int32Array };
  try {
    port.postMessage({ answers: jobs.map((job) => run(job, context)) });
  } catch (error) {
    port.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
