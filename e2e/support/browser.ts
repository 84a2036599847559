import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';
import { fakeMicrophoneWav } from './fake-microphone';

/** Flags that let WebRTC run between contexts in a sandbox (see shared/ENVIRONMENT.md). */
export const CHROMIUM_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Debian's Chromium where installed (CI); otherwise Playwright's own browser (a laptop). `extraArgs` go after the flags above. */
export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  const executablePath = candidates.find((p) => existsSync(p));
  const args = [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${fakeMicrophoneWav()}`, ...extraArgs];
  return { args, ...(executablePath ? { executablePath } : {}) };
}
