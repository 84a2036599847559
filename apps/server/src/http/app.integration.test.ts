import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const INDEX = '<!doctype html><title>Parley</title>';
const METRICS_TOKEN = 'scrape-token-0123456789';
let webDir: string;
let server: TestServer;
/** Every line the server logged, parsed. */
let logLines: { level: number; msg: string }[];

beforeAll(async () => {
  webDir = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await mkdir(path.join(webDir, 'assets'));
  await writeFile(path.join(webDir, 'index.html'), INDEX);
  await writeFile(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("hi")');
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  server = await startTestServer({ webDir, metricsToken: METRICS_TOKEN }, { logger: pino({ level: 'debug' }, sink) });
});

afterAll(async () => {
  await server.close();
  await rm(webDir, { recursive: true, force: true });
});

const get = (pathname: string, headers: Record<string, string> = { accept: 'text/html' }) =>
  fetch(`${server.httpUrl}${pathname}`, { headers });

describe('http', () => {
  it('answers /healthz with ok', async () => {
    const res = await get('/healthz', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, rooms: 0, participants: 0, database: { kind: 'sqlite', ok: true } });
  });

  it.each(['/', '/r/friday', '/r/friday/'])('serves index.html for the page %s', async (page) => {
    const res = await get(page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toBe(INDEX);
  });

  it('serves built assets as immutable', async () => {
    const res = await get('/assets/app-1234.js', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toBe('console.log("hi")');
  });

  it('answers 404 for a missing asset instead of the page', async () => {
    expect((await get('/assets/gone-9999.js')).status).toBe(404);
  });

  it('counts rooms, participants and sockets in /metrics', async () => {
    const ada = await TestClient.connect(server.wsUrl, 'Ada');
    ada.send({ type: 'room.join', roomId: 'friday' });
    await ada.next('room.joined');
    const text = await (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();
    expect(text).toMatch(/^parley_rooms 1$/m);
    expect(text).toMatch(/^parley_participants 1$/m);
    expect(text).toMatch(/^parley_sockets_open 1$/m);
    expect(text).toMatch(/^parley_messages_in 2$/m);
    ada.close();
    await ada.closed;
  });

  it('says in /metrics how late the event loop ran since the previous scrape', async () => {
    const scrape = async () => (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();
    const worst = (text: string) => Number(/^parley_event_loop_delay_max_seconds (\S+)$/m.exec(text)?.[1]);
    await scrape();
    // Hold the loop for 300 ms, as a burst of work would: every socket waits that long.
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // busy
    }
    // The stall is read once, by the first scrape after the loop next ran its timer.
    const readings: number[] = [];
    let text = '';
    while (!readings.some((s) => s >= 0.25) && readings.length < 10) {
      text = await scrape();
      readings.push(worst(text));
    }
    expect(text).toMatch(/^# TYPE parley_event_loop_delay_p99_seconds gauge$/m);
    expect(Math.max(...readings)).toBeGreaterThanOrEqual(0.25);
    // The next scrape covers only the time since that one.
    expect(worst(await scrape())).toBeLessThan(0.25);
  });

  it.each([
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer scrape-token-0123456780' }],
    ['a prefix of the token', { authorization: 'Bearer scrape-token' }],
    ['the token without Bearer', { authorization: METRICS_TOKEN }],
  ])('refuses /metrics with %s: 401 and no counters', async (_what, headers) => {
    const res = await get('/metrics', headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toContain('parley_');
  });

  it('puts the security headers on the page, the assets and the API', async () => {
    for (const [page, headers] of [['/r/friday', undefined], ['/assets/app-1234.js', {}], ['/healthz', {}]] as const) {
      const res = await get(page, headers);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('permissions-policy')).toContain('microphone=(self)');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('cross-origin-embedder-policy')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it("serves the page with a CSP that allows its own scripts, styles and sockets, and nothing inline", async () => {
    const csp = (await get('/r/friday')).headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }));
    const host = new URL(server.httpUrl).host;
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|upgrade-insecure-requests/);
  });

  it.each(['/%', '/r/%E0%A4%A', '/assets/%zz.js'])('answers the malformed URL %s with 400 in plain text, logged below warn', async (page) => {
    logLines.length = 0;
    const res = await get(page);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).toMatch(/^Bad Request/);
    expect(body).not.toMatch(/URIError|\bat /);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
    expect((await get('/healthz', {})).status).toBe(200);
  });
});

describe('http without a metrics token', () => {
  it('answers /metrics with 404, bearer or not, and still serves /healthz', async () => {
    const bare = await startTestServer({ webDir });
    try {
      for (const headers of [{ accept: 'text/html' }, { authorization: `Bearer ${METRICS_TOKEN}` }] as Record<string, string>[]) {
        const res = await fetch(`${bare.httpUrl}/metrics`, { headers });
        expect(res.status).toBe(404);
        expect(await res.text()).not.toContain('parley_');
      }
      expect((await fetch(`${bare.httpUrl}/healthz`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('http without a built web app', () => {
  it('still answers /healthz and says the app is not built', async () => {
    const bare = await startTestServer({ webDir: path.join(webDir, 'missing') });
    try {
      expect((await fetch(`${bare.httpUrl}/healthz`)).status).toBe(200);
      const res = await fetch(`${bare.httpUrl}/r/friday`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('not built');
    } finally {
      await bare.close();
    }
  });
});
