import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS, startServer, type ServerApi } from '../../src/server/index.js';
import { fakeApi } from './fake-api.js';

let url = '';
let stop: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ url, stop } = await startServer(fakeApi(), { port: 0 }));
});
afterAll(async () => {
  await stop();
});

async function get(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // the map page is HTML
  }
  return { status: response.status, body, headers: response.headers };
}

describe('papermap server', () => {
  it('listens on 127.0.0.1 only, on the port it was given', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the map page at /', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.body).toContain('<title>map</title>');
  });

  it('answers one paper by id, and 404 with a JSON error for an unknown id', async () => {
    const ok = await get('/api/papers/arxiv%3A2401.00009');
    expect(ok.status).toBe(200);
    expect(ok.body.paper.title).toBe('Protein structure prediction with attention');
    const ids = await get(`/api/papers/${encodeURIComponent('doi:10.1000/xyz 1')}`);
    expect(ids.body.paper.id).toBe('doi:10.1000/xyz 1');
    const missing = await get('/api/papers/arxiv%3A9999.99999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('ranks the other merging paper first for a merging paper', async () => {
    const r = await get('/api/similar?id=arxiv:2401.00001&k=2');
    expect(r.status).toBe(200);
    expect(r.body.paper.id).toBe('arxiv:2401.00001');
    expect(r.body.results).toHaveLength(2);
    expect(r.body.results[0].title).toMatch(/merg|task arithmetic/i);
  });

  it('searches free text', async () => {
    const r = await get('/api/search?q=protein%20folds&k=1');
    expect(r.status).toBe(200);
    expect(r.body.results[0].title).toMatch(/protein/i);
  });

  it('serves the themes', async () => {
    const r = await get('/api/themes');
    expect(r.body.themes[0].label).toBe('model merging');
  });

  it.each([
    ['/api/similar?id=arxiv:2401.00001&k=0', 400],
    ['/api/similar?id=arxiv:2401.00001&k=101', 400],
    ['/api/similar?id=arxiv:2401.00001&k=2.5', 400],
    ['/api/similar?id=arxiv:2401.00001&k=ten', 400],
    ['/api/similar?id=arxiv:2401.00001&mode=best', 400],
    ['/api/similar?id=arxiv:2401.00001&k=1&k=2', 400],
    ['/api/similar?id=arxiv:2401.00001&k=1e1', 400],
    ['/api/similar?id=arxiv:2401.00001&k=0x10', 400],
    ['/api/similar?id=arxiv:2401.00001&k=%205', 400],
    ['/api/similar?id=arxiv:2401.00001&k=%2B5', 400],
    ['/api/similar?id=arxiv:2401.00001&k=', 400],
    ['/api/search?q=protein&k=1.0', 400],
    [`/api/papers/${'x'.repeat(301)}`, 414],
    ['/api/papers/%E0%A4%A', 400],
    ['/api/similar?k=3', 400],
    ['/api/similar?id=', 400],
    [`/api/similar?id=${'x'.repeat(301)}`, 400],
    ['/api/similar?id=merging', 409],
    ['/api/similar?id=nope', 404],
    ['/api/search', 400],
    ['/api/search?q=%20%20', 400],
    [`/api/search?q=${'a'.repeat(1001)}`, 400],
    ['/api/nothing-here', 404],
    ['/api/search?q=explode', 500],
  ])('%s answers %i with a JSON error', async (path, status) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBeTypeOf('string');
    expect(r.body.error.message).toBeTypeOf('string');
    expect(JSON.stringify(r.body)).not.toContain('internal detail');
  });

  it.each(['/api/search?q=%E0%A4%A', '/api/papers/%E0%A4%A', '/api/similar?id=%00&k=1', '/api/papers/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/'])('answers malformed %s without a server error', async (path) => {
    const r = await get(path);
    expect(r.status).toBeLessThan(500);
  });

  it('keeps answering after bad requests', async () => {
    const r = await get('/api/similar?id=arxiv:2401.00002&k=1');
    expect(r.status).toBe(200);
  });

  it('maps every error code to a 4xx or 5xx status in one table', () => {
    for (const status of Object.values(HTTP_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
    expect(HTTP_STATUS.NOT_FOUND).toBe(404);
    expect(HTTP_STATUS.BAD_OPTION).toBe(400);
  });
});

/** Sends raw HTTP (any Host, any header size) and returns the status line's code, headers text and body. */
function rawRequest(base: string, request: string): Promise<{ status: number; head: string; body: any }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let out = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    socket.on('data', (d) => {
      out += d.toString();
      // one answer is enough; the server may keep the connection open
      const split = out.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(out.slice(0, split));
      if (split >= 0 && length && Buffer.byteLength(out.slice(split + 4)) >= Number(length[1])) socket.end();
    });
    socket.on('close', () => {
      const [head = '', body = ''] = out.split('\r\n\r\n');
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // not JSON: the assertion on body shows it
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), head, body: parsed });
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('papermap server against hostile clients', () => {
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST:7411', '[::1]:80', '127.0.0.2', 'app.localhost'])('answers Host %s', async (host) => {
    const r = await rawRequest(url, `GET /api/similar?id=arxiv:2401.00002&k=1 HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(r.status).toBe(200);
  });

  it.each(['evil.example', 'evil.example:7411', '127.0.0.1.evil.example', '[::2]', '', 'localhost@evil.example'])('refuses Host %j with 421 and a JSON error (DNS rebinding)', async (host) => {
    const r = await rawRequest(url, `GET /api/similar?id=arxiv:2401.00002&k=1 HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(r.status).toBe(421);
    expect(r.body.error.code).toBe('BAD_HOST');
  });

  it('refuses a request without Host in JSON', async () => {
    const r = await rawRequest(url, 'GET /api/themes HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(r.status).toBe(421);
    expect(r.body.error.code).toBe('BAD_HOST');
  });

  it('refuses anything but a simple GET from another origin, and takes its own', async () => {
    const post = (origin: string) => rawRequest(url, `POST /api/similar HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    const foreign = await post('http://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('BAD_ORIGIN');
    const own = await post(url.replace(/\/$/, ''));
    expect(own.status).toBe(404); // no POST route: past the origin check, answered by the not-found handler
    expect(own.body.error.code).toBe('NOT_FOUND');
    const get = await rawRequest(url, 'GET /api/themes HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n\r\n');
    expect(get.status).toBe(200);
  });

  it('answers 431, bad JSON and unparseable requests with {error:{code,message}}', async () => {
    const big = await rawRequest(url, `GET /api/themes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.body.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.any(String) });
    const badJson = await rawRequest(url, 'POST /api/similar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{x}');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('BAD_REQUEST');
    const garbage = await rawRequest(url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('BAD_REQUEST');
  });
});

describe('papermap server under a crowd of searches', () => {
  it('answers 503 with Retry-After once the embedding queue is full, while similar answers at once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    const api: ServerApi = { ...fakeApi(), search: async () => (await gate, []) };
    const server = await startServer(api, { port: 0 }, { maxQueuedEmbeds: 2 });
    try {
      const searches = Array.from({ length: 5 }, () => fetch(new URL('/api/search?q=slow', server.url), { signal: AbortSignal.timeout(5000) }));
      // 1 running + 2 waiting; the other 2 are refused without waiting for the model
      const similar = await fetch(new URL('/api/similar?id=arxiv:2401.00001&k=1', server.url), { signal: AbortSignal.timeout(5000) });
      expect(similar.status).toBe(200);
      await new Promise((done) => setTimeout(done, 50));
      release();
      const answers = await Promise.all(searches);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 503, 503]);
      const busy = answers.find((a) => a.status === 503);
      expect(busy?.headers.get('retry-after')).toBe('1');
      expect((await busy?.json()).error.code).toBe('BUSY');
    } finally {
      release();
      await server.stop();
    }
  });

  it('answers 503 BUSY to every search not embedded within maxEmbedWaitMs, running or queued, instead of keeping it waiting', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    let started = 0;
    const api: ServerApi = { ...fakeApi(), search: async () => (started++, await gate, []) };
    const server = await startServer(api, { port: 0 }, { maxQueuedEmbeds: 5, maxEmbedWaitMs: 100 });
    try {
      // none is embedded within the 100 ms deadline: all three are answered then, long before the client gives up
      const searches = Array.from({ length: 3 }, () => fetch(new URL('/api/search?q=slow', server.url), { signal: AbortSignal.timeout(5000) }));
      const answers = await Promise.all(searches);
      expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
      expect(started).toBe(1); // the queued two were dropped without running
      release();
      await new Promise((done) => setTimeout(done, 50));
      // the slot is free again once the running job ends
      expect((await fetch(new URL('/api/search?q=protein', server.url))).status).toBe(200);
      const busy = answers.find((a) => a.status === 503);
      expect(busy?.headers.get('retry-after')).toBe('1');
      expect((await busy?.json()).error).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/waited \d+ ms/) });
    } finally {
      release();
      await server.stop();
    }
  });

  it('closes its API (the embedding worker) when it stops', async () => {
    let closed = 0;
    const server = await startServer({ ...fakeApi(), close: async () => void closed++ }, { port: 0 });
    expect(closed).toBe(0);
    await server.stop();
    expect(closed).toBe(1);
  });

  it('takes the bound address as a Host, and refuses bad limits as BAD_OPTION', async () => {
    await expect(startServer(fakeApi(), { port: 0 }, { maxQueuedEmbeds: -1 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    const server = await startServer(fakeApi(), { port: 0, host: '127.0.0.1' }, { allowedHosts: ['papers.internal'] });
    try {
      const r = await rawRequest(server.url, 'GET /api/themes HTTP/1.1\r\nHost: papers.internal:8080\r\n\r\n');
      expect(r.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
