import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS, startServer } from '../../src/server/index.js';
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
