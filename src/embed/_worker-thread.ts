// The embedding worker process's entry (src/embed/worker.ts forks it): answers { id, texts, options } messages with
// embedTexts' vectors.

import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isPapermapError } from '../errors.js';
import { embedTexts, type EmbedOptions } from './index.js';

/** A request from the main thread: texts to embed, or the end (after the requests sent before it are answered). */
export type WorkerRequest = { id: number; texts: string[]; options: Partial<EmbedOptions> } | { close: true };

/** The answer: the vectors, or the error to rethrow on the main thread. */
export type WorkerAnswer =
  | { id: number; modelId: string; dims: number; vectors: Float32Array }
  | { id: number; error: { code?: string; message: string; where?: { file: string; line?: number }; hint?: string } };

/**
 * Lowers this thread's scheduling priority by `niceness` over the process's own (Linux: setpriority on the thread id
 * from /proc/thread-self affects only this thread). With one intra-op thread, onnxruntime-node 1.14 runs inference on
 * the calling thread, so this is the priority of the inference itself: the main thread's HTTP answers preempt it.
 * Elsewhere it is skipped.
 */
function lowerPriority(niceness: number): void {
  if (niceness === 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + niceness));
  } catch {
    // no /proc (macOS, Windows) or not permitted: the thread keeps the process's priority
  }
}

const send = process.send?.bind(process);
if (!send) throw new Error('_worker-thread.js runs only as a child process forked by src/embed/worker.ts');
// The parent gone (or closing the channel) ends this process.
process.on('disconnect', () => process.exit(0));
// The first call loads the model at the process's own priority (a niced load can take many seconds on a busy machine);
// inference after it runs niced.
let lowered = false;
const lowerOnce = (): void => {
  if (!lowered) lowerPriority(Number(process.env.PAPERMAP_EMBED_NICENESS ?? 0));
  lowered = true;
};
process.on('message', (request: WorkerRequest) => {
  if ('close' in request) process.exit(0);
  embedTexts(request.texts, request.options).finally(lowerOnce).then(
    ({ modelId, dims, vectors }) => {
      send({ id: request.id, modelId, dims, vectors } satisfies WorkerAnswer);
    },
    (error: unknown) => {
      const e = error as Error;
      const answer: WorkerAnswer = isPapermapError(error)
        ? { id: request.id, error: { code: error.code, message: error.message, ...(error.where ? { where: error.where } : {}), ...(error.hint ? { hint: error.hint } : {}) } }
        : { id: request.id, error: { message: String(e?.message ?? error) } };
      send(answer);
    },
  );
});
