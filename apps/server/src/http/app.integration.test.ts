import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const INDEX = '<!doctype html><title>Parley</title>';
let webDir: string;
let server: TestServer;

beforeAll(async () => {
  webDir = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await mkdir(path.join(webDir, 'assets'));
  await writeFile(path.join(webDir, 'index.html'), INDEX);
  await writeFile(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("hi")');
  server = await startTestServer({ webDir });
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
    expect(await res.json()).toMatchObject({ ok: true, rooms: 0, participants: 0 });
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
    const text = await (await get('/metrics', {})).text();
    expect(text).toMatch(/^parley_rooms 1$/m);
    expect(text).toMatch(/^parley_participants 1$/m);
    expect(text).toMatch(/^parley_sockets_open 1$/m);
    expect(text).toMatch(/^parley_messages_in 2$/m);
    ada.close();
    await ada.closed;
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
