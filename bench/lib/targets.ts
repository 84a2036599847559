/**
 * The two things every comparing benchmark runs, in the same run: Parley
 * (the built server, web app and headless participants) and the raw-WebRTC
 * baseline (bench/baseline: a ws relay, a plain page, one offer per pair).
 * Both serve `/r/<room>` pages with a "Display name" field, a Join button,
 * a Participants list and a Leave button, so the same page helpers drive both.
 */
import { BotProcess, freePort, ServerProcess } from '@parley/e2e/support';
import { startBaselineBots } from '../baseline/bot';
import { startBaselineServer } from '../baseline/server';
import { waitFor } from './stats';

/** 'candidate': Parley serving another build of the web app (BENCH_CANDIDATE_WEB_DIR), for an A/B in one run. */
export type TargetName = 'parley' | 'candidate' | 'baseline';

/** Parley, whichever build of its web app. */
export const isParley = (target: Target) => target.name !== 'baseline';

/** Headless participants that send a tone to the pages and nothing to each other. */
export type Bots = {
  /** Every bot has received audio from every one of `names`. */
  hear(names: string[]): boolean;
  close(): Promise<void>;
};

export type Target = {
  name: TargetName;
  baseUrl: string;
  startBots(room: string, count: number): Promise<Bots>;
  /** The server's state and last output, for a failure message. */
  describe(): string;
  dispose(): Promise<void>;
};

const botNames = (count: number) => Array.from({ length: count }, (_, i) => `Bot ${i + 1}`);

/**
 * Every participant of a benchmark comes from 127.0.0.1, which the server's
 * per-address limits (meant for strangers) would count as one abusive host.
 */
export const ONE_ADDRESS_ENV: Record<string, string> = {
  PARLEY_MAX_SOCKETS_PER_ADDRESS: '10000',
  PARLEY_MAX_HANDSHAKES_PER_MIN: '100000',
  PARLEY_MAX_ROOMS_PER_MIN: '100000',
  PARLEY_CHAT_ADDRESS_RATE_PER_S: '10000',
  PARLEY_CHAT_ADDRESS_BURST: '100000',
};

export async function startParley(name: 'parley' | 'candidate' = 'parley', webDir?: string): Promise<Target> {
  const server = new ServerProcess(await freePort(), webDir === undefined ? ONE_ADDRESS_ENV : { ...ONE_ADDRESS_ENV, PARLEY_WEB_DIR: webDir });
  await server.start();
  return {
    name,
    baseUrl: server.baseUrl,
    async startBots(room, count) {
      const bots = await BotProcess.start({ url: server.baseUrl, room, name: 'Bot', count, args: ['--quiet-between-bots'] });
      return {
        hear: (names) =>
          bots.latest().length === count &&
          bots.latest().every((report) => names.every((name) => report.peers.some((peer) => peer.name === name && peer.bytes > 0))),
        close: () => bots.dispose(),
      };
    },
    describe: () => server.describe(),
    dispose: () => server.dispose(),
  };
}

export async function startBaseline(): Promise<Target> {
  const server = await startBaselineServer(0);
  return {
    name: 'baseline',
    baseUrl: server.baseUrl,
    async startBots(room, count) {
      const bots = await startBaselineBots({ url: server.baseUrl, room, names: botNames(count), audioBetweenBots: false });
      return {
        hear: (names) => {
          const heard = Object.values(bots.hearing());
          return heard.length === count && heard.every((list) => names.every((name) => list.includes(name)));
        },
        close: () => bots.close(),
      };
    },
    describe: () => 'the baseline server runs in this process',
    dispose: () => server.close(),
  };
}

/**
 * Parley and the baseline; with BENCH_CANDIDATE_WEB_DIR (a directory holding
 * another build of the web app, e.g. `vite build --outDir /tmp/web-b`) also
 * the candidate, a second Parley server serving that build, run beside them.
 */
export async function startTargets(): Promise<Target[]> {
  const candidateDir = process.env.BENCH_CANDIDATE_WEB_DIR;
  const candidate = candidateDir ? [await startParley('candidate', candidateDir)] : [];
  return [await startParley(), ...candidate, await startBaseline()];
}

/** The targets BENCH_MESH_TARGETS names (comma-separated: parley, candidate, baseline); all started by default, and a ratio needs two. */
export function chosenTargets(targets: Target[]): Target[] {
  const names = process.env.BENCH_MESH_TARGETS;
  if (!names) return targets;
  const chosen = new Set(names.split(',').map((s) => s.trim()));
  return targets.filter((t) => chosen.has(t.name));
}

export async function waitBotsHear(bots: Bots, names: string[], timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (bots.hear(names) ? true : undefined), timeoutMs, `every bot hearing ${names.join(', ')}`);
}

/** "Parley 812 ms, baseline 640 ms, 1.27x" (or another pair: "candidate 700 ms, parley 812 ms, 0.86x"): the first over the second. */
export function compare(label: string, firstMs: number, secondMs: number, names: [string, string] = ['Parley', 'baseline']): string {
  return `${label}: ${names[0]} ${Math.round(firstMs)} ms, ${names[1]} ${Math.round(secondMs)} ms, ratio ${(firstMs / secondMs).toFixed(2)}x`;
}
