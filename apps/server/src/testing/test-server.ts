import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { systemClock } from '../clock';
import { parseConfig, type Config } from '../config';
import { randomIds } from '../ids';
import { createParleyServer, type ParleyServer, type ServerDeps } from '../server';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';
import { openSqliteChatStore } from '../store/sqlite-chat-store';
import { SIGNALING_PATH } from '../transport/signaling';

export type TestServer = { server: ParleyServer; wsUrl: string; httpUrl: string; close(): Promise<void> };

/** The configuration a test server starts from: loopback, ephemeral port, silent. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const parsed = parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.message);
  return { ...parsed.config, ...overrides };
}

/**
 * A real server on an ephemeral loopback port, logging nothing. Each gets its
 * own random secret unless the test passes one (to restart "the same" server),
 * and its own in-memory chat store (closed with it) and room settings unless
 * the test passes them (a test's own stores are the test's to close).
 */
export async function startTestServer(overrides: Partial<Config> = {}, deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  const clock = deps.clock ?? systemClock;
  const ownsStore = deps.chatStore === undefined;
  const chatStore = deps.chatStore ?? openSqliteChatStore(':memory:', clock.now);
  const server = createParleyServer(testConfig(overrides), {
    logger: pino({ level: 'silent' }),
    clock,
    ids: randomIds,
    secret: randomBytes(32),
    roomSettings: createMemoryRoomSettingsStore(),
    ...deps,
    chatStore,
  });
  const port = await server.listen();
  return {
    server,
    wsUrl: `ws://127.0.0.1:${port}${SIGNALING_PATH}`,
    httpUrl: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      if (ownsStore) await chatStore.close();
    },
  };
}
