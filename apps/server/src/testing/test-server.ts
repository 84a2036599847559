import pino from 'pino';
import { systemClock } from '../clock';
import { parseConfig, type Config } from '../config';
import { randomIds } from '../ids';
import { createParleyServer, type ParleyServer } from '../server';

export type TestServer = { server: ParleyServer; wsUrl: string; httpUrl: string; close(): Promise<void> };

/** A real server on an ephemeral loopback port, logging nothing. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const parsed = parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.message);
  const config: Config = { ...parsed.config, ...overrides };
  const server = createParleyServer(config, { logger: pino({ level: 'silent' }), clock: systemClock, ids: randomIds });
  const port = await server.listen();
  return {
    server,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    httpUrl: `http://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}
