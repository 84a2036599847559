import pino from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Bus } from '../cluster/bus';
import { createRedisBus } from '../cluster/redis-bus';
import type { Config } from '../config';
import type { ChatStore } from '../store/chat-store';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';
import { openSqliteChatStore } from '../store/sqlite-chat-store';
import { startTestRedis, type TestRedis } from './redis';
import { startTestServer, type TestServer } from './test-server';

export type RedisNode = TestServer & { bus: Bus };

export type RedisNodes = {
  /** The Redis the nodes share (to kill, restart or relay); there once the file's tests run. */
  readonly redis: TestRedis;
  /** Runs `cleanup` once the current test ends, whatever its outcome; the latest first. */
  afterThisTest(cleanup: () => Promise<void> | void): void;
  /** A node on `streamKey`, closed after the test; it reaches Redis at `redisUrl` when given (a relay). */
  node(streamKey: string, options?: { config?: Partial<Config>; redisUrl?: string }): Promise<RedisNode>;
};

/**
 * Several nodes on one Redis, as PARLEY_REDIS_URL makes them, in one test
 * process: the Redis is started before the file's tests and stopped after
 * them. The nodes share one chat store and one room-settings store, standing
 * in for the PostgreSQL every node would name, and one `secret`, so each
 * accepts the others' resume tokens. Call it at the top of a test file.
 */
export function useRedisNodesPerFile(secret: Buffer): RedisNodes {
  let redis: TestRedis | undefined;
  let chat: ChatStore | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];
  const roomSettings = createMemoryRoomSettingsStore();

  beforeAll(async () => {
    redis = await startTestRedis();
    chat = openSqliteChatStore(':memory:', Date.now);
  });
  afterAll(async () => {
    await chat?.close();
    await redis?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const started = (): { redis: TestRedis; chat: ChatStore } => {
    if (!redis || !chat) throw new Error('the test Redis is not started yet: use it inside a test or a hook');
    return { redis, chat };
  };

  return {
    get redis() {
      return started().redis;
    },
    afterThisTest(cleanup) {
      cleanups.push(cleanup);
    },
    async node(streamKey, { config = {}, redisUrl } = {}) {
      const { redis: shared, chat: chatStore } = started();
      const logger = pino({ level: process.env.BUS_LOG ?? 'silent' });
      const bus: Bus = createRedisBus(redisUrl ?? shared.url, { logger, streamKey, syncWaitMs: 500 });
      const server = await startTestServer(config, { bus, chatStore, roomSettings, secret, logger });
      cleanups.push(async () => {
        await server.close();
        await bus.close();
      });
      return { ...server, bus };
    },
  };
}
