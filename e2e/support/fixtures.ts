import { test as base } from '@playwright/test';
import { closeAll, describePeople, expectNoCspViolations, type Person } from './room';
import { freePort, ServerProcess } from './server-process';

/**
 * Tests that kill the signaling server start their own: a real child process
 * on a free port with its own data directory and secret, so a restart on the
 * same port finds the same secret (resume tokens stay valid) and data.
 */
export const test = base.extend<{ serverEnv: Record<string, string>; server: ServerProcess; people: Person[] }>({
  serverEnv: [{}, { option: true }],
  server: async ({ serverEnv }, use) => {
    const server = new ServerProcess(await freePort(), { PARLEY_SECRET: 'e2e-secret-0123456789abcdef', ...serverEnv });
    await server.start();
    await use(server);
    await server.dispose();
  },
  baseURL: async ({ server }, use) => {
    await use(server.baseUrl);
  },
  people: async ({}, use, testInfo) => {
    const people: Person[] = [];
    await use(people);
    if (testInfo.status !== testInfo.expectedStatus && people.length > 0) {
      console.log(`\nWhat each page showed when "${testInfo.title}" failed:\n${await describePeople(people)}\n`);
    }
    await closeAll(people);
    expectNoCspViolations(people);
  },
});

export { expect } from '@playwright/test';
