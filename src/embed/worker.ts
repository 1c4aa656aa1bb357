// Query embedding off the main thread: one child process owns the model and answers embedTexts calls in order.
// A child process, not a worker thread: onnxruntime-node 1.14 keeps native state per process, and a worker thread that
// ends while the main thread also holds a session corrupted the heap (`free(): invalid next size`, abort) in tests.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { PapermapError, type ErrorCode } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import { PACKAGE_ROOT } from '../package.js';
import type { EmbedOptions } from './index.js';
import type { WorkerAnswer, WorkerRequest } from './_worker-thread.js';

/** Options of an embedding worker. */
export interface EmbedWorkerOptions {
  /**
   * ONNX intra-op threads of the worker's model. Default 1: the worker is one core's worth of inference, the other
   * core stays with the main thread (HTTP, HNSW, BM25). Range 0–256 (0: onnxruntime's choice, every core).
   */
  threads: number;
  /**
   * Nice increment of the worker thread once its model is loaded (Linux only; ignored elsewhere), so the main thread's
   * answers preempt inference when both want a core. It also yields to other processes: on a machine busy with niced
   * jobs a high value starves searches (they are then shed with 503). Default 10: measured in bench/serve.ts (crowd
   * rows). Range 0–19; 0 leaves it.
   */
  niceness: number;
}

/** Default embedding worker options. */
export const EMBED_WORKER_DEFAULTS: EmbedWorkerOptions = { threads: 1, niceness: 10 };

const WORKER_CHECKS = { threads: intIn(0, 256), niceness: intIn(0, 19) };

/** The options a worker call takes: those of embedTexts that can cross a thread (no callback, no cache). */
export type WorkerEmbedOptions = Partial<Omit<EmbedOptions, 'onProgress' | 'cacheDir' | 'threads'>>;

/** An embedding worker: embedTexts on another thread, and a close that ends it. */
export interface EmbedWorker {
  /** embedTexts(texts, options) run in the worker with its thread count: the same code, the same vectors. */
  embedTexts(texts: readonly string[], options?: WorkerEmbedOptions): Promise<{ modelId: string; dims: number; vectors: Float32Array }>;
  /** Ends the thread; calls still waiting are rejected. */
  close(): Promise<void>;
}

/** The compiled entry: next to this file in dist/, or dist/'s copy when this file runs from source (tests, tsx). */
function entryFile(): string {
  const beside = fileURLToPath(new URL('./_worker-thread.js', import.meta.url));
  return existsSync(beside) ? beside : join(PACKAGE_ROOT, 'dist', 'embed', '_worker-thread.js');
}

/**
 * Starts a worker lazily (the thread and its model load on the first call) that embeds texts with embedTexts from
 * this folder. onnxruntime-node 1.14 runs inference synchronously on the thread that calls it, so a server that
 * embedded on its main thread could answer nothing else meanwhile. The child keeps this process alive only while a
 * call waits for its answer, is restarted on the next call if it dies, and answers calls in the order they were made.
 */
export function startEmbedWorker(options?: Partial<EmbedWorkerOptions>): EmbedWorker {
  const opts = resolveOptions(EMBED_WORKER_DEFAULTS, options, WORKER_CHECKS);
  let worker: ChildProcess | undefined;
  let nextId = 0;
  let closed = false;
  const pending = new Map<number, { resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    worker?.channel?.unref();
  };
  const thread = (): ChildProcess => {
    if (worker) return worker;
    // Plain node on the compiled entry (no test or tsx loaders); 'advanced' serialisation carries the Float32Array as is.
    const started = fork(entryFile(), [], { execArgv: [], serialization: 'advanced', env: { ...process.env, PAPERMAP_EMBED_NICENESS: String(opts.niceness) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    started.unref();
    started.channel?.unref();
    started.on('message', (answer: WorkerAnswer) => {
      const call = pending.get(answer.id);
      pending.delete(answer.id);
      // Idle, the channel keeps no process alive; a call waiting for its answer does.
      if (pending.size === 0) started.channel?.unref();
      call?.resolve(answer);
    });
    started.on('error', (error) => {
      if (worker === started) worker = undefined;
      failAll(new PapermapError('MODEL_BACKEND', `the embedding worker failed: ${error.message}`));
    });
    started.on('exit', (code, signal) => {
      if (worker === started) worker = undefined;
      if (!closed) failAll(new PapermapError('MODEL_BACKEND', `the embedding worker exited (${signal ?? `code ${code}`})`));
    });
    worker = started;
    return started;
  };
  return {
    async embedTexts(texts, callOptions = {}) {
      if (closed) throw new PapermapError('MODEL_BACKEND', 'the embedding worker is closed');
      const id = nextId++;
      const request: WorkerRequest = { id, texts: [...texts], options: { ...callOptions, threads: opts.threads } };
      const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const child = thread();
        child.channel?.ref();
        child.send(request);
      });
      if ('error' in answer) {
        const { code, message, where, hint } = answer.error;
        throw code ? new PapermapError(code as ErrorCode, message, where, hint) : new PapermapError('MODEL_BACKEND', `embedding failed in the worker: ${message}`);
      }
      return { modelId: answer.modelId, dims: answer.dims, vectors: answer.vectors };
    },
    async close() {
      closed = true;
      const ending = worker;
      worker = undefined;
      failAll(new PapermapError('MODEL_BACKEND', 'the embedding worker was closed'));
      if (!ending || ending.exitCode !== null || ending.signalCode !== null) return;
      // A separate process: stopping it mid-inference cannot harm this one.
      const exited = new Promise<void>((done) => ending.once('exit', () => done()));
      ending.ref(); // until it has gone, so that a caller awaiting close() is not left with an empty event loop
      ending.kill('SIGKILL');
      await exited;
    },
  };
}
