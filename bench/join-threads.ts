/**
 * What a sixth joiner's renderer does, thread by thread, while it joins a
 * settled call of five: whether its threads wait for the CPU or for each
 * other. The newcomer's page gets a renderer process of its own (the
 * browser keeps no spare one), and from the Join click until all 30 paths
 * carry audio its threads are read from /proc every few ms: each thread's
 * state (R: running or waiting for a core) and CPU time. Printed per join,
 * each target's joins into a call of its own, one target after the other
 * (compare them within one run, and mind the load line): the join's time,
 * when the newcomer's connections were made (first to last) and applied
 * their own description, then per 100 ms window after the click each
 * thread that ran or was runnable in a quarter of the samples, as
 * `name CPU-ms R runnable-samples/samples`. CPU is counted in the kernel's
 * 10 ms ticks, so a window's figure is coarse; the runnable count is not.
 *
 * BENCH_THREADS_JOINS joins per target (3); BENCH_MESH_TARGETS as in
 * mesh-formation.ts.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { newRoomId, withNewRenderer, WITHOUT_SPARE_RENDERER, type Person } from '@parley/e2e/support';
import { loadAverage, processThreads } from './lib/cpu';
import { launch, leaveSettledCall, openBenchPerson, openPeople, pressJoin, readProbe, seatFive, SETTLE_MS, sixthJoined } from './lib/people';
import { chosenTargets, startTargets, type Target } from './lib/targets';

const JOINS = Number(process.env.BENCH_THREADS_JOINS ?? 3);
const SAMPLE_EVERY_MS = 5;
const WINDOW_MS = 100;
/** How much of the join the windows cover. */
const SHOWN_MS = 1_500;

type Sample = { at: number; threads: ReturnType<typeof processThreads> };

/** One line per window: the threads that ran or were runnable in at least a quarter of its samples. */
function windows(samples: Sample[], joinAt: number): string[] {
  const lines: string[] = [];
  for (let from = 0; from < SHOWN_MS; from += WINDOW_MS) {
    const inside = samples.filter((s) => s.at - joinAt >= from && s.at - joinAt < from + WINDOW_MS);
    const first = inside[0];
    const last = inside.at(-1);
    if (!first || !last || inside.length < 2) continue;
    const threads: string[] = [];
    for (const [key, now] of last.threads) {
      const cpuMs = now.cpuMs - (first.threads.get(key)?.cpuMs ?? now.cpuMs);
      const runnable = inside.filter((s) => s.threads.get(key)?.state === 'R').length;
      if (cpuMs > 0 || runnable >= inside.length / 4) threads.push(`${key.split('#')[0]} ${cpuMs} R ${runnable}/${inside.length}`);
    }
    lines.push(`    ${from}-${from + WINDOW_MS} ms: ${threads.join('; ') || 'nothing'}`);
  }
  return lines;
}

/** When the newcomer's connections were made, and applied their own description, ms after its Join (first and last). */
async function linkSpan(sixth: Person): Promise<string> {
  const probe = await readProbe(sixth);
  const joinAt = probe.joinAt as number;
  const own = probe.links.filter((l) => l.createdAt >= joinAt);
  const span = (times: number[]) => `${Math.round(Math.min(...times) - joinAt)}-${Math.round(Math.max(...times) - joinAt)}`;
  return `connections made ${span(own.map((l) => l.createdAt))} ms, own descriptions applied ${span(own.map((l) => l.localAt ?? Number.NaN))} ms`;
}

async function joins(target: Target, browser: Awaited<ReturnType<typeof launch>>): Promise<void> {
  const room = newRoomId('bench-threads');
  const five = await openPeople(browser, target.baseUrl, room, ['P1', 'P2', 'P3', 'P4', 'P5']);
  try {
    await seatFive(five);
    for (let k = 1; k <= JOINS; k++) {
      const { opened: sixth, rendererPid } = await withNewRenderer(() => openBenchPerson(browser, target.baseUrl, `S${k}`, room));
      await pause(SETTLE_MS);
      const samples: Sample[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push({ at: Date.now(), threads: processThreads(rendererPid) });
          await pause(SAMPLE_EVERY_MS);
        }
      })();
      await pressJoin(sixth);
      const { joinAt, lastPath } = await sixthJoined(sixth, five, 60_000);
      sampling = false;
      await sampler;
      console.log(`${target.name} S${k}: all 30 paths ${Math.round(lastPath - joinAt)} ms after Join; ${await linkSpan(sixth)} (load ${loadAverage()})`);
      for (const line of windows(samples, joinAt)) console.log(line);
      await leaveSettledCall(sixth, five);
    }
  } finally {
    await Promise.all(five.map((p) => p.context.close()));
  }
}

const targets = await startTargets();
const browser = await launch([WITHOUT_SPARE_RENDERER]);
try {
  console.log(`load before: ${loadAverage()}; one browser for all pages`);
  for (const target of chosenTargets(targets)) await joins(target, browser);
  console.log(`load after: ${loadAverage()}`);
} finally {
  await browser.close();
  await Promise.all(targets.map((t) => t.dispose()));
}
