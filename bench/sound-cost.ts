/**
 * What a short sound costs the machine, played the two ways Parley can play
 * its room's sounds (apps/web/src/features/voice/cue-context.ts), on one
 * otherwise idle page:
 *
 * - `element`: a sinkless AudioContext (`sinkId: { type: 'none' }`) that is
 *   resumed for the sound, its MediaStreamAudioDestinationNode played by an
 *   <audio> element, both stopped again after (how the sounds went out until
 *   2026-12-07, and still do where a context cannot choose its speaker);
 * - `device`: an AudioContext with a device and `latencyHint: 'playback'`
 *   (the device's largest buffers), resumed for the sound and suspended after;
 * - `interactive`: the same with `latencyHint: 'interactive'` (small
 *   buffers), how they go out now;
 * - `idle`: the page doing nothing as long, the control.
 *
 * Each way plays BENCH_SOUNDS (15) two-note sounds a second apart in a page
 * of its own, and the CPU of every thread of the Chromium processes this
 * benchmark started is read from /proc before and after (lib/cpu.ts); the
 * ways take turns BENCH_ROUNDS (3) times. Printed: each reading with its
 * busiest threads, then each way's median and the ratio device / element.
 * A mechanism benchmark: the page is written here, not Parley's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAverage, threadCpuMs } from './lib/cpu';
import { launch } from './lib/people';
import { percentile } from './lib/stats';

const SOUNDS = Number(process.env.BENCH_SOUNDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WAYS = ['idle', 'element', 'device', 'interactive'] as const;

const PAGE = `<!doctype html><title>sounds</title><link rel="icon" href="data:,"><script>
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Parley's join sound: two soft sine notes under a gain envelope.
function notes(context, out) {
  const t = context.currentTime + 0.05;
  for (const [hz, at, length] of [[659.25, 0, 0.14], [880, 0.11, 0.22]]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = hz;
    gain.gain.setValueAtTime(0, t + at);
    gain.gain.linearRampToValueAtTime(0.08, t + at + 0.012);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + at + length);
    oscillator.connect(gain).connect(out);
    oscillator.start(t + at);
    oscillator.stop(t + at + length);
  }
}
window.ways = {
  async element(count) {
    const context = new AudioContext({ latencyHint: 'interactive', sinkId: { type: 'none' } });
    await context.suspend();
    const destination = context.createMediaStreamDestination();
    const element = new Audio();
    for (let i = 0; i < count; i++) {
      await context.resume();
      element.srcObject = destination.stream;
      element.play().catch(() => undefined);
      notes(context, destination);
      await sleep(650);
      element.pause();
      element.srcObject = null;
      await context.suspend();
      await sleep(350);
    }
  },
  async device(count, latencyHint = 'playback') {
    const context = new AudioContext({ latencyHint });
    await context.suspend();
    for (let i = 0; i < count; i++) {
      await context.resume();
      notes(context, context.destination);
      await sleep(650);
      await context.suspend();
      await sleep(350);
    }
  },
  interactive: (count) => window.ways.device(count, 'interactive'),
  idle: (count) => sleep(count * 1000),
};
</script>`;

const minus = (a: Map<string, number>, b: Map<string, number>) => new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0)] as const));
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

const server = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html');
  response.end(PAGE);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await launch();
const readings = new Map<string, number[]>(WAYS.map((way) => [way, []]));
try {
  console.log(`sound cost: ${SOUNDS} sounds a second apart per reading, one page (load ${loadAverage()})`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const way of WAYS) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForTimeout(1_000);
      const from = threadCpuMs();
      await page.evaluate(([name, count]) => (window as unknown as { ways: Record<string, (n: number) => Promise<void>> }).ways[name]!(count), [way, SOUNDS] as const);
      const used = minus(threadCpuMs(), from);
      await context.close();
      readings.get(way)?.push(sum(used));
      const busiest = [...used].filter(([, ms]) => ms >= 20).sort((a, b) => b[1] - a[1]).slice(0, 6);
      console.log(`${way}, round ${round}: ${sum(used)} ms of CPU (load ${loadAverage()}); ${busiest.map(([name, ms]) => `${name} ${ms}`).join(', ')}`);
    }
  }
  const median = (way: string) => percentile(readings.get(way) ?? [], 50);
  for (const way of WAYS) console.log(`${way}: median ${Math.round(median(way))} ms of CPU for ${SOUNDS} sounds (${(readings.get(way) ?? []).join(', ')})`);
  const idle = median('idle');
  const perSound = (way: string) => (median(way) - idle) / SOUNDS;
  console.log(`per sound, less idle: element ${perSound('element').toFixed(1)} ms, device ${perSound('device').toFixed(1)} ms, interactive ${perSound('interactive').toFixed(1)} ms`);
  console.log(`ratio device / element ${(perSound('device') / perSound('element')).toFixed(2)}x, interactive / element ${(perSound('interactive') / perSound('element')).toFixed(2)}x`);
} finally {
  await browser.close();
  server.close();
}
