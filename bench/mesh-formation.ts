/**
 * Mesh formation, Parley against the raw-WebRTC baseline in the same run:
 *  - sixth joiner: five people hear each other, a sixth presses Join; time
 *    until all 30 directed paths carry audio;
 *  - sixth joiner into a settled call: the same, BENCH_MESH_STEADY_JOINS times
 *    into one call of five that has had 5 s without anyone arriving or
 *    leaving, each newcomer leaving before the next (see steadySixth);
 *  - six at once: all six press Join in the same moment (a burst of six
 *    getUserMedia calls, renders and 15 negotiations on two cores);
 *  - room of 10: eight headless participants sit in the room, two pages press
 *    Join together; time until both pages hear all nine others (the bots
 *    send to the pages and not to each other: see apps/bot --quiet-between-bots);
 *  - CPU per page during a steady six-person call, and in the same window the
 *    share of time each page's main thread spent blocked in synchronous RTP
 *    source reads (the speaking monitor's; the baseline makes none).
 * For Parley it also counts what the joins cost: offers, ICE restarts and
 * rebuilt connections, summed over the six pages of each run.
 */
import { describePeople, newRoomId, type NegotiationCounts, type Person } from '@parley/e2e/support';
import { cpuPerPage, loadAverage, threadCpuMs, threadReadings } from './lib/cpu';
import type { BenchProbe, LinkSteps } from './lib/probe';
import {
  browsersText,
  type Browsers,
  joinSettledCall,
  joinToAudioMs,
  launchBrowsers,
  leaveSettledCall,
  negotiationText,
  negotiationTotals,
  openBenchPerson,
  openPeople as openPeopleOnForm,
  pressJoin,
  readProbe,
  seatFive,
  wallTimes,
} from './lib/people';
import { BUSY_CORES, occupyCores } from './lib/busy';
import { percentile, waitFor, WaitTimedOut } from './lib/stats';
import { chosenTargets, compare, isParley, startTargets, waitBotsHear, type Target } from './lib/targets';

const RUNS = Number(process.env.BENCH_MESH_RUNS ?? 3);
/** Which scenarios to run (comma-separated: sixth, steady, burst, ten); all by default. */
const SCENARIOS = new Set((process.env.BENCH_MESH_SCENARIOS ?? 'sixth,steady,burst,ten').split(',').map((s) => s.trim()));
const SIX = 6;
/** How long the steady call's CPU (and blocked time) is measured, after the first sixth join. */
const CPU_WINDOW_MS = 10_000;
/** Sixth joiners into one settled call of five, per run (see steadySixth). */
const STEADY_JOINS = Number(process.env.BENCH_MESH_STEADY_JOINS ?? 4);

const openPeople = (browser: Browsers, target: Target, room: string, names: string[]) =>
  openPeopleOnForm(browser, target.baseUrl, room, names);

const firstAudioTimes = async (person: Person): Promise<number[]> => (await wallTimes(person)).firstAudio;
const joinClickAt = async (person: Person): Promise<number> => (await wallTimes(person)).joinAt as number;

async function costs(target: Target, people: Person[]): Promise<NegotiationCounts | undefined> {
  return isParley(target) ? negotiationTotals(people) : undefined;
}

/** What one join cost: `after` (the pages after it) less `before` (the same pages but the newcomer, before it). */
function costDelta(before: NegotiationCounts | undefined, after: NegotiationCounts | undefined): NegotiationCounts | undefined {
  if (!before || !after) return undefined;
  return {
    peerConnections: after.peerConnections - before.peerConnections,
    offers: after.offers - before.offers,
    iceRestarts: after.iceRestarts - before.iceRestarts,
    rebuilds: after.rebuilds - before.rebuilds,
  };
}

/** One link's steps, each as ms after the Join click (`sinceJoin` maps the link's page clock to that). */
function stepsLine(link: LinkSteps, sinceJoin: (t: number) => number): string {
  const at = (t: number | null) => (t === null ? '-' : String(Math.round(sinceJoin(t))));
  return `created ${at(link.createdAt)}, remote ${at(link.remoteAt)}, local ${at(link.localAt)}, ICE ${at(link.iceConnectedAt)}, connected ${at(link.connectedAt)}, audio ${at(link.audioAt)}`;
}

/**
 * Where a join's time went, path by path: for each of the newcomer's links and each member's link
 * to it, when it reached each step (created, the peer's description applied, its own applied, ICE
 * connected, connected: ICE and DTLS, first audio), in ms after the newcomer's Join click. Links
 * that wait for each other's steps point at the page or the signaling; a link alone late between
 * ICE and connected, at DTLS.
 */
async function pathTimes(newcomer: Person, members: Person[]): Promise<string> {
  const clock = async (p: Person) => Promise.all([p.page.evaluate(() => performance.timeOrigin), readProbe(p)]);
  const [origin, probe] = await clock(newcomer);
  const wallJoin = origin + (probe.joinAt as number);
  // Each member's link to the newcomer: the newest one made after the Join, on the member's clock.
  const theirs = await Promise.all(
    members.map(async (m) => {
      const [o, p] = await clock(m);
      const link = p.links.filter((l) => o + l.createdAt >= wallJoin).at(-1);
      // How long its own RTP source reads held it (reads of 5 ms or more) from the Join until its link to the newcomer connected.
      const until = link?.connectedAt ?? Number.POSITIVE_INFINITY;
      const held = p.blockingReads.filter(([at]) => o + at >= wallJoin && at < until).reduce((sum, [, ms]) => sum + ms, 0);
      return `      ${m.name}: ${link ? stepsLine(link, (t) => o + t - wallJoin) : 'no new link'}; held by RTP source reads ${Math.round(held)} ms of that`;
    }),
  );
  return `    the newcomer's links, ms after Join:\n${ownSteps(probe)}\n    the members' links to it:\n${theirs.join('\n')}`;
}

/** A joiner's own links made since its Join (from its probe), one line of steps each, the first to carry audio first. */
function ownSteps(probe: BenchProbe): string {
  const joinAt = probe.joinAt as number;
  return probe.links
    .filter((l) => l.createdAt >= joinAt)
    .sort((a, b) => (a.audioAt ?? Infinity) - (b.audioAt ?? Infinity))
    .map((l) => `      ${stepsLine(l, (t) => t - joinAt)}`)
    .join('\n');
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `P${i + 1}`);

/**
 * What each page showed when a scenario did not complete: how many of its links had carried
 * audio, the negotiation it took (Parley), and its screen and console.
 */
async function explainFailure(target: Target, people: Person[], read?: NegotiationCounts): Promise<string> {
  const heard = await Promise.all(people.map(async (p) => `${p.name} ${(await readProbe(p)).firstAudio.length}`));
  const counts = read ?? (await costs(target, people).catch(() => undefined));
  return `Links carrying audio per page: ${heard.join(', ')}${negotiationText(counts)}\n${await describePeople(people)}`;
}

/** Runs `scenario`; when it fails, prints what the pages showed first. */
async function explained<T>(target: Target, people: Person[], scenario: () => Promise<T>): Promise<T> {
  try {
    return await scenario();
  } catch (error) {
    console.log(`What each page showed when ${target.name}'s scenario failed:\n${await explainFailure(target, people)}`);
    throw error;
  }
}

/** How long, in all, the pages' main threads have been blocked in synchronous RTP source reads (see probe.ts). */
async function blockedMsSoFar(people: Person[]): Promise<number> {
  const probes = await Promise.all(people.map(readProbe));
  return probes.reduce((sum, probe) => sum + probe.blockedMs, 0);
}

/** CPU per page by kind of thread (lib/cpu.ts threadCpuMs, this run's Chromium only), as a share of one core; and how each kind is scheduled. */
type ThreadShares = { shares: Map<string, number>; scheduling: Map<string, string> };

async function sixthJoiner(browser: Browsers, target: Target, measureCpu: boolean): Promise<{ ms: number; cpu?: number; blocked?: number; threads?: ThreadShares }> {
  const people = await openPeople(browser, target, newRoomId('bench-sixth'), names(SIX));
  try {
    const five = people.slice(0, SIX - 1);
    await seatFive(five);
    const sixth = people[SIX - 1] as Person;
    await pressJoin(sixth);
    await explained(target, people, () => Promise.all(people.map((p) => joinToAudioMs(p, SIX - 1, 60_000))));
    const pressedAt = await joinClickAt(sixth);
    const arrivals = await Promise.all(people.map(firstAudioTimes));
    const last = Math.max(...arrivals.map((times) => Math.max(...times)));
    const ms = last - pressedAt;
    console.log(`  ${target.name}: sixth joiner, all 30 paths ${Math.round(ms)} ms after Join${negotiationText(await costs(target, people))}`);
    // Where the time went: when the sixth heard each member, and when each member heard the sixth
    // (a member's newest path), in ms after the Join.
    const after = (t: number) => Math.round(t - pressedAt);
    const sixthHears = (arrivals[SIX - 1] ?? []).map(after).sort((a, b) => a - b);
    const membersHear = arrivals.slice(0, SIX - 1).map((times) => after(Math.max(...times)));
    console.log(`    the sixth hears the five at ${sixthHears.join(', ')} ms; the five hear the sixth at ${membersHear.join(', ')} ms`);
    if (!measureCpu) return { ms };
    const blockedBefore = await blockedMsSoFar(people);
    const threadsBefore = threadCpuMs();
    const cpu = await cpuPerPage(SIX, CPU_WINDOW_MS);
    const threadsAfter = threadReadings();
    const shares = new Map(
      [...threadsAfter.cpuMs].filter(([kind]) => !kind.startsWith('server ')).map(([kind, ms]) => [kind, (ms - (threadsBefore.get(kind) ?? 0)) / SIX / CPU_WINDOW_MS] as const),
    );
    // The share of the same window an average page spent blocked.
    const blocked = ((await blockedMsSoFar(people)) - blockedBefore) / SIX / CPU_WINDOW_MS;
    console.log(`    then, in the steady call of six: CPU per page ${(cpu * 100).toFixed(0)}% of a core, main thread blocked in RTP source reads ${(blocked * 100).toFixed(1)}%`);
    return { ms, cpu, blocked, threads: { shares, scheduling: threadsAfter.scheduling } };
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
  }
}

/**
 * A sixth joining a settled call of five, STEADY_JOINS times in a row: each
 * newcomer has sat on the join form for SETTLE_MS (as someone typing a name),
 * the five have had SETTLE_MS without anyone arriving or leaving, and it
 * leaves (Leave) before the next one comes. One room set-up gives several
 * samples, so this median shakes less than the sixth joiner's above.
 * A join whose 30 paths did not all carry audio within a minute is a sample
 * of Infinity: the pages are described, that call ends there, and the run
 * goes on (a failure in one target must not cost the comparison). A call of
 * five that never formed is described and gives no sample. A newcomer still
 * listed by a member a minute after it pressed Leave ends that call too
 * (`leftBehind`), its join counted.
 */
async function steadySixth(browser: Browsers, target: Target): Promise<{ samples: number[]; leftBehind: boolean }> {
  const room = newRoomId('bench-steady');
  const five = await openPeople(browser, target, room, names(SIX - 1));
  const open = (k: number) => openBenchPerson(browser, target.baseUrl, `S${k}`, room);
  const samples: number[] = [];
  let next: Person | undefined;
  let before: NegotiationCounts | undefined;
  try {
    await seatFive(five);
    next = await open(1);
    for (let k = 1; k <= STEADY_JOINS; k++) {
      const sixth = next;
      before = await costs(target, five);
      const ms = await joinSettledCall(sixth, five);
      samples.push(ms);
      const after = await costs(target, [...five, sixth]);
      console.log(`  ${target.name}: settled call, sixth joiner ${k}, all 30 paths ${Math.round(ms)} ms after Join${negotiationText(costDelta(before, after))}`);
      console.log(await pathTimes(sixth, five));
      try {
        await leaveSettledCall(sixth, five);
      } catch (error) {
        // Its join is counted. A call whose members still list the newcomer a minute after it
        // left (or that fell apart meanwhile) takes no more joins: described, and ended here.
        console.log(`  ${target.name}: settled call, sixth joiner ${k} left, but the call did not return to its five: ${String(error)}`);
        console.log(`What each page showed:\n${await describePeople([...five, sixth])}`);
        return { samples, leftBehind: true };
      }
      if (k < STEADY_JOINS) next = await open(k + 1);
    }
    return { samples, leftBehind: false };
  } catch (error) {
    // Before the first newcomer was opened, it was the call of five that did not form: no join to count.
    const what = next ? `sixth joiner ${samples.length + 1}, not complete` : 'the five did not form';
    console.log(`  ${target.name}: settled call, ${what}: ${String(error)}`);
    // A newcomer that pressed Join: where its links got to, and the negotiation they took.
    const people = next ? [...five, next] : five;
    const counts = await costs(target, people).catch(() => undefined);
    const joined = next !== undefined && (await readProbe(next).catch(() => undefined))?.joinAt != null;
    if (joined) {
      console.log(`    this join so far${negotiationText(costDelta(before, counts)) || ': no negotiation counts'}`);
      console.log(await pathTimes(next as Person, five).catch((e) => `    (steps not read: ${String(e)})`));
    }
    console.log(`What each page showed when the settled call failed:\n${await explainFailure(target, people, counts)}`);
    if (!(error instanceof WaitTimedOut)) throw error;
    return { samples: next ? [...samples, Number.POSITIVE_INFINITY] : samples, leftBehind: false };
  } finally {
    // The last newcomer's page is closed already when it left; a failed one's is not.
    await Promise.all([...five, ...(next ? [next] : [])].map((p) => p.context.close().catch(() => undefined)));
  }
}

/** Six pressing Join at once; a round whose 30 paths did not all carry audio within a minute is a sample of Infinity, as in steadySixth. */
async function sixAtOnce(browser: Browsers, target: Target): Promise<number> {
  const people = await openPeople(browser, target, newRoomId('bench-burst'), names(SIX));
  try {
    await Promise.all(people.map(pressJoin));
    try {
      await explained(target, people, () => Promise.all(people.map((p) => joinToAudioMs(p, SIX - 1, 60_000))));
    } catch (error) {
      if (!(error instanceof WaitTimedOut)) throw error;
      console.log(`  ${target.name}: six at once, not complete: ${String(error)}`);
      return Number.POSITIVE_INFINITY;
    }
    const first = Math.min(...(await Promise.all(people.map(joinClickAt))));
    const last = Math.max(...(await Promise.all(people.map(async (p) => Math.max(...(await firstAudioTimes(p)))))));
    console.log(`  ${target.name}: six at once, all 30 paths ${Math.round(last - first)} ms after the first Join${negotiationText(await costs(target, people))}`);
    return last - first;
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
  }
}

async function roomOfTen(browser: Browsers, target: Target): Promise<number> {
  const room = newRoomId('bench-ten');
  const bots = await target.startBots(room, 8);
  const people = await openPeople(browser, target, room, ['Ada', 'Bob']);
  try {
    await Promise.all(people.map(pressJoin));
    const ms = Math.max(...(await Promise.all(people.map((p) => joinToAudioMs(p, 9, 60_000)))));
    await waitBotsHear(bots, ['Ada', 'Bob']);
    console.log(`  ${target.name}: room of 10, both pages hear all 9 others ${Math.round(ms)} ms after Join; every bot hears both pages`);
    for (const person of people) console.log(`    ${person.name}'s links, ms after its Join:\n${ownSteps(await readProbe(person))}`);
    return ms;
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
    await bots.close();
  }
}

/** Where a page's CPU goes in the steady call, by kind of thread, the largest differences first (run 1's window). */
function describeThreads(parley: ThreadShares, baseline: ThreadShares): string {
  const kinds = [...new Set([...parley.shares.keys(), ...baseline.shares.keys()])];
  const share = (of: ThreadShares, kind: string) => of.shares.get(kind) ?? 0;
  const shown = kinds
    .filter((kind) => Math.max(share(parley, kind), share(baseline, kind)) >= 0.002)
    .sort((a, b) => Math.abs(share(parley, b) - share(baseline, b)) - Math.abs(share(parley, a) - share(baseline, a)));
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const how = (kind: string) => parley.scheduling.get(kind) || baseline.scheduling.get(kind);
  const rows = shown.map((kind) => `    ${kind}${how(kind) ? ` (${how(kind)})` : ''}: Parley ${percent(share(parley, kind))}, baseline ${percent(share(baseline, kind))}`);
  return `  the same window by kind of thread, per page (share of a core; largest differences first; how the kernel schedules it where not ordinary):\n${rows.join('\n')}`;
}

export async function benchMeshFormation(): Promise<void> {
  const targets = await startTargets();
  const browser = await launchBrowsers();
  const results = new Map<string, number[]>();
  const note = (key: string, value: number) => results.set(key, [...(results.get(key) ?? []), value]);
  const threads = new Map<string, ThreadShares>();
  // A machine already busy (BENCH_BUSY_CORES): started after the servers and the browser, as a user's other work would be.
  const release = occupyCores(BUSY_CORES);
  try {
    console.log(`load before: ${loadAverage()}; ${browsersText()}${BUSY_CORES ? `; ${BUSY_CORES} core(s) kept busy by other processes` : ''}`);
    for (let run = 1; run <= RUNS; run++) {
      console.log(`run ${run}`);
      // Each run starts with the next target: the machine's load drifts over a run.
      const chosen = chosenTargets(targets);
      const order = [...chosen.slice((run - 1) % chosen.length), ...chosen.slice(0, (run - 1) % chosen.length)];
      for (const target of order) {
        try {
          if (SCENARIOS.has('sixth')) {
            const sixth = await sixthJoiner(browser, target, run === 1);
            note(`${target.name}:sixth`, sixth.ms);
            if (sixth.cpu !== undefined) note(`${target.name}:cpu`, sixth.cpu);
            if (sixth.blocked !== undefined) note(`${target.name}:blocked`, sixth.blocked);
            if (sixth.threads) threads.set(target.name, sixth.threads);
          }
          if (SCENARIOS.has('steady')) {
            const { samples, leftBehind } = await steadySixth(browser, target);
            for (const ms of samples) note(`${target.name}:steady`, ms);
            note(`${target.name}:steady-left-behind`, leftBehind ? 1 : 0);
          }
          if (SCENARIOS.has('burst')) note(`${target.name}:burst`, await sixAtOnce(browser, target));
          if (SCENARIOS.has('ten')) note(`${target.name}:ten`, await roomOfTen(browser, target));
        } catch (error) {
          console.log(target.describe());
          throw error;
        }
      }
    }
    const median = (key: string) => percentile(results.get(key) ?? [], 50);
    // Only what ran, and with both targets: a scenario or target left out prints no ratio.
    const both = (scenario: string) => results.has(`parley:${scenario}`) && results.has(`baseline:${scenario}`);
    const summaries: Array<[string, string]> = [
      ['sixth', 'sixth joiner into five, all 30 paths'],
      ['steady', `sixth joiner into a settled call of five, all 30 paths (${STEADY_JOINS} joins per run)`],
      ['burst', 'six at once, all 30 paths'],
      ['ten', 'room of 10 (2 pages + 8 bots), both pages hear 9'],
    ];
    for (const target of chosenTargets(targets)) {
      for (const [scenario, what] of [['steady', 'settled sixth joins'], ['burst', 'six-at-once rounds']] as const) {
        const samples = results.get(`${target.name}:${scenario}`);
        if (samples) console.log(`${what} not complete within a minute, ${target.name}: ${samples.filter((ms) => ms === Number.POSITIVE_INFINITY).length} of ${samples.length}`);
      }
      const calls = results.get(`${target.name}:steady-left-behind`);
      if (calls) console.log(`settled calls ended early, a newcomer still listed a minute after it left, ${target.name}: ${calls.filter((n) => n === 1).length} of ${calls.length}`);
    }
    for (const [scenario, label] of summaries) {
      if (both(scenario)) {
        const n = results.get(`parley:${scenario}`)?.length ?? RUNS;
        console.log(compare(`${label}, median of ${n}`, median(`parley:${scenario}`), median(`baseline:${scenario}`)));
      }
      for (const other of ['baseline', 'parley'] as const) {
        if (results.has(`candidate:${scenario}`) && results.has(`${other}:${scenario}`)) {
          console.log(compare(`  the candidate build, ${label}`, median(`candidate:${scenario}`), median(`${other}:${scenario}`), ['candidate', other]));
        }
      }
    }
    if (both('cpu')) {
      const [parleyCpu, baselineCpu] = [median('parley:cpu'), median('baseline:cpu')];
      console.log(
        `CPU per page, steady six-person call (all Chromium processes / 6, over 10 s): Parley ${(parleyCpu * 100).toFixed(0)}% of a core, baseline ${(baselineCpu * 100).toFixed(0)}%, ratio ${(parleyCpu / baselineCpu).toFixed(2)}x`,
      );
      const [parleyBlocked, baselineBlocked] = [median('parley:blocked'), median('baseline:blocked')];
      console.log(
        `  main thread blocked in synchronous RTP source reads, same window (average page): Parley ${(parleyBlocked * 100).toFixed(1)}% of the time, baseline ${(baselineBlocked * 100).toFixed(1)}%`,
      );
    }
    const [parleyThreads, baselineThreads] = [threads.get('parley'), threads.get('baseline')];
    if (parleyThreads && baselineThreads) console.log(describeThreads(parleyThreads, baselineThreads));
    console.log(`load after: ${loadAverage()}`);
  } finally {
    release();
    await browser.close();
    for (const target of targets) await target.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMeshFormation();
}
