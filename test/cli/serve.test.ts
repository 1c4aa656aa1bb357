import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMapProject } from '../map/fixture-project.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
let dir = '';

/** Starts `papermap serve --port 0` and resolves with the URL it prints. */
function serve(): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--project', dir, '--port', '0']);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    child.stdout.on('data', () => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, output: () => out, exited });
      }
    });
    child.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
}

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
function hostGet(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, base), { headers: { host }, timeout: 60_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  return { status: r.status, body: await r.json() };
}

/**
 * A GET that honours 503 + Retry-After as a client should: a search sent while the model is still loading (seconds on
 * a busy machine) is answered 503 BUSY at the server's deadline rather than kept waiting.
 */
async function getRetrying(url: string): Promise<{ status: number; body: any }> {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (r.status !== 503 || attempt >= 10) return { status: r.status, body: await r.json() };
    expect((await r.json()).error.code).toBe('BUSY');
    await new Promise((done) => setTimeout(done, 1000 * Number(r.headers.get('retry-after'))));
  }
}

beforeAll(async () => {
  dir = await makeMapProject();
  spawnSync(process.execPath, [BIN, 'map', '--project', dir], { timeout: 60_000 });
}, 90_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('papermap serve', () => {
  it('serves the map and answers the API over the real index and model, then stops on SIGTERM', async () => {
    const s = await serve();
    try {
      const page = await fetch(s.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<canvas id="map-canvas"');
      const similar = await getJson(`${s.url}api/similar?id=arxiv:2401.00009&k=3`);
      expect(similar.status).toBe(200);
      expect(similar.body.results).toHaveLength(3);
      expect(similar.body.results[0].title).toMatch(/protein/i);
      const search = await getRetrying(`${s.url}api/search?q=${encodeURIComponent('averaging the weights of fine-tuned models')}&k=3`);
      expect(search.status).toBe(200);
      expect(search.body.results[0].title).toMatch(/merg|soup|averag/i);
      const themes = await getJson(`${s.url}api/themes`);
      expect(themes.body.themes.map((t: { label: string }) => t.label)).toContain('protein structure · folding');
      expect(themes.body.themes[0].paperIds).toBeUndefined();
      const paper = await getJson(`${s.url}api/papers/${encodeURIComponent('title:markup')}`);
      expect(paper.body.paper.title).toBe('<img src=x onerror=alert(1)>');
      const missing = await getJson(`${s.url}api/papers/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const bad = await getJson(`${s.url}api/similar?id=arxiv:2401.00009&k=100000`);
      expect(bad.status).toBe(400);
      for (const k of ['1e1', '0x10', '%205']) {
        const loose = await getJson(`${s.url}api/similar?id=arxiv:2401.00009&k=${k}`);
        expect(loose.status).toBe(400);
        expect(loose.body.error.code).toBe('BAD_OPTION');
      }
      // DNS rebinding: the real server over the real project refuses a foreign Host with a JSON error
      const rebound = await hostGet(s.url, '/api/similar?id=arxiv:2401.00009&k=3', 'evil.example');
      expect(rebound.status).toBe(421);
      expect(JSON.parse(rebound.body).error.code).toBe('BAD_HOST');
      const local = await hostGet(s.url, '/api/similar?id=arxiv:2401.00009&k=3', `localhost:${new URL(s.url).port}`);
      expect(local.status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('stopped');
  }, 60_000);

  it('stops cleanly on SIGINT', async () => {
    const s = await serve();
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/SIGINT: stopping\s+stopped/);
  }, 60_000);

  it('refuses a bad port with exit 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--project', dir, '--port', '70000'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('port');
  });
});
