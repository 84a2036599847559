import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from './postgres';

/** What a test opens on the server and wants closed after it: a store, a pool. */
type Closable = { close(): Promise<void> };

export type PostgresSuite = Omit<TestPostgres, 'stop'> & {
  /** Closes `opened` after the current test, whatever its outcome; returns it. */
  closeAfterEach<T extends Closable>(opened: T): T;
};

/**
 * One PostgreSQL (testing/postgres.ts) for the tests of the file that calls
 * this at its top: started before them, stopped after them, and whatever a
 * test handed to closeAfterEach closed once it ends. Kept apart from
 * postgres.ts, which e2e/ imports without vitest.
 */
export function usePostgresPerFile(): PostgresSuite {
  let server: TestPostgres | undefined;
  const opened: Closable[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const closable of opened.splice(0)) await closable.close();
  });
  const started = (): TestPostgres => {
    if (!server) throw new Error('the test PostgreSQL is not started yet: use it inside a test or a hook');
    return server;
  };
  return {
    createDatabase: () => started().createDatabase(),
    restart: (options) => started().restart(options),
    pause: () => started().pause(),
    resume: () => started().resume(),
    closeAfterEach(closable) {
      opened.push(closable);
      return closable;
    },
  };
}
