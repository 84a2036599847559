/**
 * Join to first inbound audio byte, Parley against the raw-WebRTC baseline in
 * the same run: Ada sits in a room; a second person opens the room link,
 * types a name and presses Join, JOINS times per target, the targets taking
 * turns so that both see the same machine. Measured with the page's own clock
 * from the Join click to the first inbound-rtp audio byte, both directions.
 *
 * Between typing the name and pressing Join the bench waits BENCH_THINK_MS
 * (default 1000), as a person would: a page clicked the instant its load
 * event fires is still compiling and laying itself out, which no user ever
 * sees and which says more about bundle size than about joining. Both
 * targets get the same pause; BENCH_THINK_MS=0 measures the instant click.
 * With BENCH_CANDIDATE_WEB_DIR (see lib/targets.ts) a third target takes its
 * turn too, and is compared with both.
 */
import { newRoomId, rosterItem, type Person } from '@parley/e2e/support';
import { browsersText, type Browsers, launchBrowsers, openBenchPerson, pressJoin, untilHeard, waitListed, wallTimes } from './lib/people';
import { percentile } from './lib/stats';
import { compare, startTargets, type Target } from './lib/targets';
import { loadAverage } from './lib/cpu';

const JOINS = Number(process.env.BENCH_JOINS ?? 20);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);

type Samples = { joinerHears: number[]; roomHears: number[] };

async function oneJoin(browser: Browsers, target: Target, ada: Person, room: string, i: number, samples: Samples): Promise<void> {
  const bob = await openBenchPerson(browser, target.baseUrl, `Bob ${i + 1}`, room);
  await new Promise((resolve) => setTimeout(resolve, THINK_MS));
  await pressJoin(bob);
  await untilHeard(bob, 1, 20_000);
  const bobTimes = await wallTimes(bob);
  const joinAt = bobTimes.joinAt as number;
  samples.joinerHears.push((bobTimes.firstAudio[0] as number) - joinAt);
  // Ada's first audio since Bob's Join: her link to him.
  await untilHeard(ada, 1, 20_000, joinAt);
  samples.roomHears.push(((await wallTimes(ada)).firstAudio.find((t) => t > joinAt) as number) - joinAt);
  // Leave properly: a closed Parley tab stays listed as reconnecting for the grace period.
  await bob.page.getByRole('button', { name: 'Leave' }).click();
  await rosterItem(ada.page, bob.name).waitFor({ state: 'detached' });
  await bob.context.close();
}

export async function benchJoinLatency(): Promise<void> {
  const targets = await startTargets();
  const browser = await launchBrowsers();
  try {
    console.log(`load before: ${loadAverage()}; ${THINK_MS} ms between typing the name and pressing Join; ${browsersText()}`);
    const rooms = targets.map(() => newRoomId('bench-join'));
    const adas = await Promise.all(targets.map((t, k) => openBenchPerson(browser, t.baseUrl, 'Ada', rooms[k] as string)));
    for (const ada of adas) {
      await pressJoin(ada);
      await waitListed(ada);
    }
    const samples: Samples[] = targets.map(() => ({ joinerHears: [], roomHears: [] }));
    for (let i = 0; i < JOINS; i++) {
      for (const [k, target] of targets.entries()) {
        await oneJoin(browser, target, adas[k] as Person, rooms[k] as string, i, samples[k] as Samples);
      }
    }
    const of = (name: string) => samples[targets.findIndex((t) => t.name === name)];
    const pairs = [['parley', 'baseline', 'Parley'], ['candidate', 'baseline', 'candidate'], ['candidate', 'parley', 'candidate']] as const;
    for (const [first, second, label] of pairs) {
      const a = of(first);
      const b = of(second);
      if (!a || !b) continue;
      const names: [string, string] = [label, second];
      const prefix = first === 'parley' ? '' : '  the candidate build, ';
      for (const p of [50, 95]) {
        console.log(prefix + compare(`two-person join, joiner hears the room, p${p} of ${JOINS}`, percentile(a.joinerHears, p), percentile(b.joinerHears, p), names));
        console.log(prefix + compare(`two-person join, the room hears the joiner, p${p} of ${JOINS}`, percentile(a.roomHears, p), percentile(b.roomHears, p), names));
      }
    }
    console.log(`load after: ${loadAverage()}`);
  } finally {
    await browser.close();
    for (const target of targets) await target.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchJoinLatency();
}
