// The local server: the map page and a JSON API over query functions the CLI passes in, bound to 127.0.0.1.

import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lazyModule } from '../lazy.js';
import { isPapermapError, PapermapError, type ErrorCode } from '../errors.js';
import { intIn, resolveOptions } from '../options.js';
import { acceptedHost, acceptedOrigin } from './_origin.js';
import { QueueWaitExceeded, workQueue, type WorkQueue } from './_queue.js';
import type { Neighbour, Paper } from '../records.js';

const fastify = lazyModule<typeof import('fastify').default>('fastify');

/** Why a hit is related (see src/explain/): shared phrases and the best-matching sentence pair. */
export interface HitWhy {
  phrases: string[];
  sentences?: { query?: string; hit: string };
}

/** A query answer with its paper and, when the API gives one, why it is related. */
export type PaperHit = Neighbour & { paper: Paper; why?: HitWhy };

/** Ranking modes a query may ask for (`mode=`); the API's default applies when absent. */
export const QUERY_MODES = ['dense', 'lexical', 'hybrid'] as const;

/** The queries the server answers; the CLI builds them over a project (`papermap serve`), tests over fixtures. */
export interface ServerApi {
  /** The map page, or undefined when the project has none yet. */
  mapHtml(): string | undefined;
  /** One paper by id; throws PapermapError NOT_FOUND. */
  paper(id: string): Paper;
  /** Papers nearest to a known paper (id, DOI, arXiv id or title fragment); throws NOT_FOUND or AMBIGUOUS. */
  similar(ref: string, k: number, mode?: string): Promise<{ paper: Paper; neighbours: PaperHit[] }> | { paper: Paper; neighbours: PaperHit[] };
  /** Papers nearest in meaning to free text. */
  search(text: string, k: number, mode?: string): Promise<PaperHit[]>;
  /** The project's themes as JSON. */
  themes(): unknown;
  /** Releases what the API holds (its embedding worker, store connections); the server calls it when it closes. */
  close?(): Promise<void>;
}

/** Server limits. */
export interface ServerOptions {
  /** Largest k a query may ask for. Default 100. Range 1–10,000. */
  maxK: number;
  /** Longest search text, in characters. Default 1,000. Range 1–100,000. */
  maxQueryChars: number;
  /** Longest paper reference (id, DOI, title fragment), in characters. Default 300. Range 1–10,000. */
  maxRefChars: number;
  /**
   * Embedding work (searches) run at once. Default 1: the project API's embedding worker runs one inference at a time
   * on one core, so a second search would only wait there instead of in this queue, where the deadline and the 503
   * apply. Range 1–64.
   */
  embedConcurrency: number;
  /**
   * Searches that may wait for the embedder; one more is answered 503 with Retry-After at once, so a crowd of searches
   * never builds a queue that similar-paper queries (no model) would wait behind. Default 32 (at ~15 ms a query, half a
   * second of work). Range 0–10,000.
   */
  maxQueuedEmbeds: number;
  /**
   * Longest a search may wait for its query vector (queued plus embedding), in ms. Past it the search is answered 503
   * with Retry-After (a queued one is dropped without running), so no client waits until its own timeout (autocannon's
   * and most HTTP clients' are 10 s or more). The clock starts when the request is read: on a saturated machine a
   * client also waits for that (bench/serve.ts crowd at load 10: server-side ≤ 5.13 s, client-side up to 14 s).
   * Default 5,000. Range 100–60,000.
   */
  maxEmbedWaitMs: number;
  /**
   * Host names (besides loopback: localhost, 127.0.0.0/8, ::1) that the Host header may name: the address the server
   * was bound to. Anything else is refused (421), so a DNS-rebinding page cannot read the library. Default none.
   */
  allowedHosts: readonly string[];
}

/** Default server limits. */
export const SERVER_DEFAULTS: ServerOptions = { maxK: 100, maxQueryChars: 1000, maxRefChars: 300, embedConcurrency: 1, maxQueuedEmbeds: 32, maxEmbedWaitMs: 5000, allowedHosts: [] };

const serverChecks = {
  maxK: intIn(1, 10_000),
  maxQueryChars: intIn(1, 100_000),
  maxRefChars: intIn(1, 10_000),
  embedConcurrency: intIn(1, 64),
  maxQueuedEmbeds: intIn(0, 10_000),
  maxEmbedWaitMs: intIn(100, 60_000),
  allowedHosts: (v: unknown) => (Array.isArray(v) && v.every((h) => typeof h === 'string') ? undefined : 'a list of host names'),
};

/** The one table from error codes to HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_OPTION: 400,
  INPUT_PARSE: 400,
  NOT_FOUND: 404,
  AMBIGUOUS: 409,
  INPUT_UNREADABLE: 500,
  MODEL_BACKEND: 500,
  MODEL_MISSING: 503,
  PROJECT_MISSING: 503,
  PROJECT_STALE: 503,
  PROJECT_BUSY: 503,
  PROJECT_DAMAGED: 500,
  STORE_UNAVAILABLE: 503,
};

/**
 * Codes only the server gives: BAD_REQUEST (a request HTTP cannot take: bad URL, bad JSON, headers or URL too long),
 * BAD_HOST (421: the Host header names neither loopback nor the bound address), BAD_ORIGIN (403: a cross-site page
 * sent something other than a simple GET), BUSY (503 with Retry-After: the embedding queue is full, or a search was
 * not embedded within maxEmbedWaitMs), INTERNAL (500).
 */
export type ServerErrorCode = 'BAD_REQUEST' | 'BAD_HOST' | 'BAD_ORIGIN' | 'BUSY' | 'INTERNAL';

/** The JSON body of every error answer, fastify's and Node's own included. */
export interface ErrorBody {
  error: { code: ErrorCode | ServerErrorCode; message: string; hint?: string };
}

/** Seconds a client is told to wait after a 503 BUSY. */
const RETRY_AFTER_S = 1;

function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8').send(body);
}

/** Answers on a raw socket when Node's HTTP parser refuses a request before fastify sees it (431, 414, 400). */
function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const [status, text, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'request headers are too large']
      : error.code === 'HPE_URI_TOO_LONG' // not raised by llhttp today; kept for older parsers
        ? [414, 'URI Too Long', 'request URL is too long']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message } } satisfies ErrorBody);
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** A k as typed: plain decimal digits only (no 1e1, 0x10, spaces, signs), from 1 to maxK. */
function parseK(value: unknown, maxK: number): number {
  if (value === undefined) return 10;
  if (typeof value !== 'string' || !/^[0-9]{1,6}$/.test(value)) {
    throw new PapermapError('BAD_OPTION', `k is '${String(value).slice(0, 40)}': expected a whole number from 1 to ${maxK}, in plain digits`);
  }
  const k = Number(value);
  if (k < 1 || k > maxK) throw new PapermapError('BAD_OPTION', `k is ${k}: expected a whole number from 1 to ${maxK}`);
  return k;
}

/** A paper as listed in answers: enough to show, without its sources. */
function summary(paper: Paper): Record<string, unknown> {
  return { id: paper.id, title: paper.title ?? null, year: paper.year ?? null, authors: paper.authors };
}

function hits(list: readonly PaperHit[]): Record<string, unknown>[] {
  return list.map((h) => ({ id: h.id, score: Math.round(h.score * 1e4) / 1e4, title: h.paper.title ?? null, year: h.paper.year ?? null, why: h.why ?? null }));
}

/**
 * Builds the app (not listening yet). Routes:
 *   GET /                       the map page
 *   GET /api/papers/:id         one paper
 *   GET /api/similar?id=&k=&mode=   papers nearest a paper, each with why (mode: dense, lexical, hybrid)
 *   GET /api/search?q=&k=&mode=     papers nearest free text, each with why
 *   GET /api/themes             the themes
 * Every parameter is checked by a JSON schema (types, bounds, lengths); failures and PapermapErrors become JSON errors
 * with the status from HTTP_STATUS; anything else is a 500 without internals. Nothing a client sends can crash it.
 */
export function buildServer(api: ServerApi, options?: Partial<ServerOptions>): FastifyInstance {
  const opts = resolveOptions(SERVER_DEFAULTS, options, serverChecks);
  const embedQueue: WorkQueue = workQueue(opts.embedConcurrency, opts.maxQueuedEmbeds, opts.maxEmbedWaitMs);
  /** Response bodies of similar answers, by answer object; gone with the answers the API drops. */
  const similarBodies = new WeakMap<object, string>();
  const app = fastify()({
    logger: false,
    bodyLimit: 1024,
    routerOptions: { maxParamLength: opts.maxRefChars },
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
    clientErrorHandler: clientError,
    // Node answers a missing Host with a bare 400 of its own; the onRequest hook answers it in JSON instead.
    http: { requireHostHeader: false },
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (bad percent-encoding?)' : status === 414 ? `a path part is longer than ${opts.maxRefChars} characters` : error.message.slice(0, 200);
      void sendError(reply, status, { error: { code: 'BAD_REQUEST', message } });
    },
  });
  // k is read as text and checked by parseK, since JSON-schema coercion takes 1e1, 0x10 and ' 5' for numbers.
  const k = { type: 'string' } as const;
  const ref = { type: 'string', minLength: 1, maxLength: opts.maxRefChars } as const;
  const text = { type: 'string', minLength: 1, maxLength: opts.maxQueryChars, pattern: '\\S' } as const;
  const mode = { type: 'string', enum: [...QUERY_MODES] } as const;

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (isPapermapError(error)) {
      return sendError(reply, HTTP_STATUS[error.code] ?? 500, { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
    }
    if (error.validation) {
      return sendError(reply, 400, { error: { code: 'BAD_OPTION', message: `${error.validationContext ?? 'request'} ${error.validation[0]?.instancePath || ''} ${error.validation[0]?.message ?? 'is invalid'}`.replace(/\s+/g, ' ').trim() } });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, { error: { code: 'BAD_REQUEST', message: error.message } });
    }
    return sendError(reply, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`, hint: 'routes: /, /api/papers/:id, /api/similar, /api/search, /api/themes' } }),
  );
  // Loopback or the bound address only in Host (DNS rebinding), and a cross-site page may send only simple GETs.
  // Both hooks are callback-style: they run on every request, and an async hook costs a promise and a microtask each.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!acceptedHost(request.headers.host, opts.allowedHosts)) {
      sendError(reply, 421, { error: { code: 'BAD_HOST', message: `Host '${String(request.headers.host ?? '').slice(0, 100)}' is not this server`, hint: 'open the server by the address it printed (http://127.0.0.1:…)' } });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && request.method !== 'GET' && request.method !== 'HEAD' && !acceptedOrigin(origin, opts.allowedHosts)) {
      sendError(reply, 403, { error: { code: 'BAD_ORIGIN', message: `requests from origin '${origin.slice(0, 100)}' are refused` } });
      return;
    }
    done();
  });
  app.addHook('onSend', (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    done(null, payload);
  });

  app.get('/', async (_request, reply) => {
    const html = api.mapHtml();
    if (html === undefined) return sendError(reply, 503, { error: { code: 'PROJECT_MISSING', message: 'the project has no map.html yet', hint: 'run `papermap map` first' } });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });

  app.get<{ Params: { id: string } }>('/api/papers/:id', { schema: { params: { type: 'object', properties: { id: ref }, required: ['id'] } } }, async (request) => ({
    paper: api.paper(request.params.id),
  }));

  app.get<{ Querystring: { id: string; k?: string; mode?: string } }>(
    '/api/similar',
    { schema: { querystring: { type: 'object', properties: { id: ref, k, mode }, required: ['id'] } } },
    async (request, reply) => {
      const kValue = parseK(request.query.k, opts.maxK);
      const answer = await api.similar(request.query.id, kValue, request.query.mode);
      // An API that keeps its answers (projectApi, per commit) gives the same object for the same query: its body is
      // serialised once. Serialising was the largest share of a crowd of similar queries (bench/serve.ts).
      let body = similarBodies.get(answer);
      if (body === undefined) {
        body = JSON.stringify({ paper: summary(answer.paper), k: kValue, ...(request.query.mode ? { mode: request.query.mode } : {}), results: hits(answer.neighbours) });
        similarBodies.set(answer, body);
      }
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Querystring: { q: string; k?: string; mode?: string } }>(
    '/api/search',
    { schema: { querystring: { type: 'object', properties: { q: text, k, mode }, required: ['q'] } } },
    async (request, reply) => {
      const kValue = parseK(request.query.k, opts.maxK);
      const query = request.query.q.trim();
      const busy = (message: string) => {
        reply.header('retry-after', String(RETRY_AFTER_S));
        return sendError(reply, 503, { error: { code: 'BUSY', message, hint: `retry in ${RETRY_AFTER_S} s` } });
      };
      const results = embedQueue.run(() => api.search(query, kValue, request.query.mode));
      if (results === undefined) return busy(`${opts.maxQueuedEmbeds} searches are already waiting for the model`);
      try {
        return { query, k: kValue, ...(request.query.mode ? { mode: request.query.mode } : {}), results: hits(await results) };
      } catch (error) {
        if (error instanceof QueueWaitExceeded) return busy(`the model is busy: this search ${error.message}`);
        throw error;
      }
    },
  );

  app.get('/api/themes', async () => api.themes());
  app.addHook('onClose', async () => {
    await api.close?.();
  });
  return app;
}

/** Where to listen. */
export interface ListenOptions {
  /** Default 7411; 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: only this machine can connect. */
  host: string;
}

/** Starts the server; returns its URL and a stop function that closes connections and resolves when done. */
export async function startServer(api: ServerApi, listen: Partial<ListenOptions> = {}, options?: Partial<ServerOptions>): Promise<{ url: string; app: FastifyInstance; stop: () => Promise<void> }> {
  const host = listen.host ?? '127.0.0.1';
  // The bound address is a name the Host header may carry (e.g. --host 192.168.1.5 or --host myhost.local).
  const app = buildServer(api, { ...options, allowedHosts: [...(options?.allowedHosts ?? []), host] });
  await app.listen({ port: listen.port ?? 7411, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}/`, app, stop: () => app.close() };
}
