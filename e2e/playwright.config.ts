import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/browser';

const port = Number(process.env.PARLEY_E2E_PORT ?? 8791);

export default defineConfig({
  testDir: './tests',
  // WebRTC between several contexts is CPU-bound on a 2-core machine: one test at a time
  // keeps audio timing honest. A flaky test is a bug, so no retries hide one.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(),
    // Recording a trace snapshots every page at every action: on two cores it made the suite
    // 45% slower (voice-room.spec.ts: 86 s against 58 s) and starved the pages' audio and
    // negotiation. A failing test prints what each page showed instead (fixtures.ts);
    // PARLEY_E2E_TRACE=1 records traces again for reading one failure closely.
    trace: process.env.PARLEY_E2E_TRACE ? 'retain-on-failure' : 'off',
  },
  webServer: {
    command: 'node ../apps/server/dist/main.js',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-e2e-shared-')),
    },
    timeout: 30_000,
  },
});
