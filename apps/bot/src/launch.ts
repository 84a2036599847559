import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * The command line that runs the bot without pnpm in between: Node with
 * tsx's loader, resolved from this package. One process (the tsx CLI would
 * run the bot in a child), so a signal reaches the bot itself and a SIGKILL
 * leaves no orphan behind.
 */
export function botCommand(args: string[]): { command: string; args: string[] } {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', loader, MAIN, ...args] };
}
