/**
 * Mesh formation: six people press Join at the same moment; how long until all
 * 30 directed audio paths carry bytes (each page has 5 links with inbound
 * audio). Repeated RUNS times; prints each run and the median.
 */
import { freePort, newRoomId, ServerProcess, type Person } from '@parley/e2e/support';
import { launch, joinToAudioMs, openBenchPerson, pressJoin, readProbe } from './lib/people';
import { percentile } from './lib/stats';

const PEOPLE = Number(process.env.BENCH_MESH_PEOPLE ?? 6);
const RUNS = Number(process.env.BENCH_MESH_RUNS ?? 3);

export async function benchMeshFormation(): Promise<void> {
  const server = new ServerProcess(await freePort());
  await server.start();
  const browser = await launch();
  const results: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const room = newRoomId('bench-mesh');
      const people: Person[] = [];
      for (let i = 0; i < PEOPLE; i++) people.push(await openBenchPerson(browser, server.baseUrl, `P${i + 1}`, room));
      await Promise.all(people.map(pressJoin));
      const perPage = await Promise.all(people.map((p) => joinToAudioMs(p, PEOPLE - 1, 60_000)));
      // Wall clock across pages: from the first Join click to the last path's first byte.
      const spans = await Promise.all(people.map(async (p) => {
        const [origin, probe] = await Promise.all([p.page.evaluate(() => performance.timeOrigin), readProbe(p)]);
        return { joinedAt: origin + (probe.joinAt as number), flowingAt: origin + Math.max(...probe.firstAudio.slice(0, PEOPLE - 1)) };
      }));
      const allFlowingMs = Math.max(...spans.map((s) => s.flowingAt)) - Math.min(...spans.map((s) => s.joinedAt));
      results.push(allFlowingMs);
      console.log(`run ${run}: ${PEOPLE} people, ${PEOPLE * (PEOPLE - 1)} paths flowing ${Math.round(allFlowingMs)} ms after Join (slowest page ${Math.round(Math.max(...perPage))} ms, fastest ${Math.round(Math.min(...perPage))} ms)`);
      await Promise.all(people.map((p) => p.context.close()));
    }
    console.log(`mesh of ${PEOPLE}: all ${PEOPLE * (PEOPLE - 1)} paths flowing, median ${Math.round(percentile(results, 50))} ms over ${RUNS} runs`);
  } finally {
    await browser.close();
    await server.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMeshFormation();
}
