import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';

/** The index page of build B in a merged directory (see mergeBuilds). */
export const SECOND_INDEX = 'index-b.html';

/**
 * One directory a single Parley server can serve two builds of the web app
 * from (`vite build` outputs): build A as it is, build B's assets beside A's
 * (Vite names them by their content, so a name both builds have is the same
 * file) and B's index.html as SECOND_INDEX. A page gets build B when its
 * document comes from SECOND_INDEX (servePage). Everything is served by the
 * server, from its own address: a page whose document a benchmark made up
 * itself counts as a public one, and Chromium then refuses it the loopback
 * address of the signaling socket (local network access checks).
 */
export function mergeBuilds(dirA: string, dirB: string): string {
  for (const dir of [dirA, dirB]) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`no web app build in ${dir} (index.html is missing)`);
  }
  const merged = mkdtempSync(join(tmpdir(), 'parley-ab-'));
  cpSync(dirA, merged, { recursive: true });
  // A's file stays where both have one: same name, same content.
  cpSync(join(dirB, 'assets'), join(merged, 'assets'), { recursive: true, force: false });
  cpSync(join(dirB, 'index.html'), join(merged, SECOND_INDEX));
  return merged;
}

/**
 * The next page load in `context` (`/r/<room>`) is answered with the
 * server's `/<indexFile>`: the page keeps its address, and gets that build.
 * Only that one request is intercepted: while any route is set, Playwright
 * holds every request of the context until it has looked at it, which on a
 * busy machine is load the page would carry all call long.
 */
export async function servePage(context: BrowserContext, indexFile: string): Promise<void> {
  await context.route(
    (url) => url.pathname.startsWith('/r/'),
    (route) => route.continue({ url: new URL(`/${indexFile}`, route.request().url()).toString() }),
    { times: 1 },
  );
}
