import { expect, test } from '../support/fixtures';
import { chatTexts, sendChat } from '../support/chat';
import { Cluster } from '../support/cluster';
import { expectHearing, expectRoster, joinRoom, lastWelcome, newRoomId, openPerson, watchRoster, welcomes, type Person } from '../support/room';

/**
 * Two Parley nodes on one Redis and one PostgreSQL, behind HAProxy, all
 * real processes from Debian packages (support/cluster.ts).
 */
test.describe('several nodes', () => {
  test.setTimeout(150_000);

  test('four people, two on each node: one roster each, every path carries audio, chat in one order on every page', async ({ browser, people }) => {
    const cluster = await Cluster.start();
    try {
      const room = newRoomId('cluster');
      const [one, two] = cluster.nodes.map((node) => node.baseUrl);
      for (const [name, baseURL] of [
        ['Ada', one],
        ['Bob', one],
        ['Cara', two],
        ['Dan', two],
      ] as const) {
        const person = await openPerson(browser, name, { baseURL });
        people.push(person);
        await joinRoom(person, room);
      }
      const names = people.map((p) => p.name);
      await expectRoster(people, names);
      for (const listener of people) await expectHearing(listener, names.filter((n) => n !== listener.name));

      // One message from each node at once; whatever order the shared store gave them, every page shows that one.
      await Promise.all([sendChat(people[0]!.page, 'from node one'), sendChat(people[2]!.page, 'from node two'), sendChat(people[3]!.page, 'also node two')]);
      await expect.poll(() => chatTexts(people[1]!.page)).toHaveLength(3);
      const order = await chatTexts(people[1]!.page);
      expect([...order].sort()).toEqual(['also node two', 'from node one', 'from node two']);
      for (const person of people) await expect.poll(() => chatTexts(person.page)).toEqual(order);
    } finally {
      await cluster.dispose();
    }
  });

  test('kill -9 one node mid-call: its people come back through HAProxy as themselves, audio goes on, nobody listed twice, a message sent meanwhile arrives once', async ({ browser, people }) => {
    const cluster = await Cluster.start();
    try {
      const room = newRoomId('failover');
      for (const name of ['Ada', 'Bob', 'Cara', 'Dan']) {
        const person = await openPerson(browser, name, { baseURL: cluster.baseUrl });
        people.push(person);
        await joinRoom(person, room);
      }
      const names = people.map((p) => p.name);
      await expectRoster(people, names);
      for (const listener of people) await expectHearing(listener, names.filter((n) => n !== listener.name));
      const identities = await Promise.all(people.map(async (p) => (await lastWelcome(p.page)).userId));
      const welcomesBefore = await Promise.all(people.map((p) => welcomes(p.page)));

      // The node with the most sockets is the one whose loss shows most.
      const sockets = await Promise.all(cluster.nodes.map(async (node) => ((await (await fetch(`${node.baseUrl}/healthz`)).json()) as { sockets: number }).sockets));
      const victim = cluster.nodes[sockets[0]! >= sockets[1]! ? 0 : 1]!;
      const watches = await Promise.all(people.flatMap((watcher) => names.map((name) => watchRoster(watcher.page, name))));

      await victim.kill('SIGKILL');
      // Said while the node is gone: every page's outbox holds it until its socket is back.
      await sendChat(people[0]!.page, 'sent during the failover');

      // Those who were on the dead node came back through HAProxy, to the other node, as themselves.
      await expect
        .poll(async () => (await Promise.all(people.map((p, i) => welcomes(p.page).then((n) => n > welcomesBefore[i]!)))).filter(Boolean).length, {
          timeout: 30_000,
          message: 'somebody reconnected',
        })
        .toBeGreaterThan(0);
      for (const [i, person] of people.entries()) {
        await expect.poll(async () => (await lastWelcome(person.page)).userId, { timeout: 30_000 }).toBe(identities[i]);
      }
      await expectRoster(people, names, 30_000);
      for (const person of people) await expect.poll(() => chatTexts(person.page), { timeout: 30_000 }).toEqual(['sent during the failover']);
      for (const listener of people) await expectHearing(listener, names.filter((n) => n !== listener.name));

      // Nobody was ever listed twice, and nobody vanished, while it happened.
      for (const watch of watches) {
        const seen = await watch.stop();
        expect(seen.max).toBe(1);
        expect(seen.min).toBe(1);
      }
    } finally {
      await cluster.dispose();
    }
  });
});
