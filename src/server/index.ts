// The local server: the map page and a JSON API over query functions the CLI passes in, bound to 127.0.0.1.

import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { isPapermapError, type ErrorCode } from '../errors.js';
import type { Neighbour, Paper } from '../records.js';

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
  similar(ref: string, k: number, mode?: string): { paper: Paper; neighbours: PaperHit[] };
  /** Papers nearest in meaning to free text. */
  search(text: string, k: number, mode?: string): Promise<PaperHit[]>;
  /** The project's themes as JSON. */
  themes(): unknown;
}

/** Server limits. */
export interface ServerOptions {
  /** Largest k a query may ask for. Default 100. */
  maxK: number;
  /** Longest search text, in characters. Default 1,000. */
  maxQueryChars: number;
  /** Longest paper reference (id, DOI, title fragment), in characters. Default 300. */
  maxRefChars: number;
}

/** Default server limits. */
export const SERVER_DEFAULTS: ServerOptions = { maxK: 100, maxQueryChars: 1000, maxRefChars: 300 };

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
};

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode | 'INTERNAL'; message: string; hint?: string };
}

function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send(body);
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
  const opts = { ...SERVER_DEFAULTS, ...options };
  const app = Fastify({
    logger: false,
    bodyLimit: 1024,
    routerOptions: { maxParamLength: opts.maxRefChars },
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });
  const k = { type: 'integer', minimum: 1, maximum: opts.maxK, default: 10 } as const;
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
      return sendError(reply, error.statusCode, { error: { code: 'BAD_OPTION', message: error.message } });
    }
    return sendError(reply, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`, hint: 'routes: /, /api/papers/:id, /api/similar, /api/search, /api/themes' } }),
  );
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  app.get('/', async (_request, reply) => {
    const html = api.mapHtml();
    if (html === undefined) return sendError(reply, 503, { error: { code: 'PROJECT_MISSING', message: 'the project has no map.html yet', hint: 'run `papermap map` first' } });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });

  app.get<{ Params: { id: string } }>('/api/papers/:id', { schema: { params: { type: 'object', properties: { id: ref }, required: ['id'] } } }, async (request) => ({
    paper: api.paper(request.params.id),
  }));

  app.get<{ Querystring: { id: string; k: number; mode?: string } }>(
    '/api/similar',
    { schema: { querystring: { type: 'object', properties: { id: ref, k, mode }, required: ['id'] } } },
    async (request) => {
      const { paper, neighbours } = api.similar(request.query.id, request.query.k, request.query.mode);
      return { paper: summary(paper), k: request.query.k, ...(request.query.mode ? { mode: request.query.mode } : {}), results: hits(neighbours) };
    },
  );

  app.get<{ Querystring: { q: string; k: number; mode?: string } }>(
    '/api/search',
    { schema: { querystring: { type: 'object', properties: { q: text, k, mode }, required: ['q'] } } },
    async (request) => {
      const query = request.query.q.trim();
      return { query, k: request.query.k, ...(request.query.mode ? { mode: request.query.mode } : {}), results: hits(await api.search(query, request.query.k, request.query.mode)) };
    },
  );

  app.get('/api/themes', async () => api.themes());
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
  const app = buildServer(api, options);
  const host = listen.host ?? '127.0.0.1';
  await app.listen({ port: listen.port ?? 7411, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}/`, app, stop: () => app.close() };
}
