import { parseServerMessage, type Participant } from '@parley/protocol';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useRedisNodesPerFile } from '../testing/redis-nodes';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy';
import { TestClient } from '../testing/test-client';
import type { TestServer } from '../testing/test-server';

/**
 * Redis killed under two nodes whose people share a room, and started again
 * empty (no persistence, as the README runs it): the stream, the leases and
 * every entry nobody had read yet are gone. What the people notice is
 * asserted: every page's roster lists everyone exactly once, as they are,
 * signals and chat cross between the nodes again, and chat acknowledged
 * before is in the history. The nodes share one chat store, standing in for
 * the PostgreSQL they would share (pg-chat-store.integration.test.ts).
 *
 * To lose an entry some node had read and another had not, a node reaches
 * Redis through a relay the test can hold (testing/tcp-proxy.ts): what that
 * node is sent meanwhile dies with Redis.
 */
const nodes = useRedisNodesPerFile(Buffer.alloc(32, 9));

let streams = 0;
const stream = () => `parley:restart-test:${process.pid}:${++streams}`;

const node = (streamKey: string, via?: TcpProxy): Promise<TestServer> =>
  nodes.node(streamKey, via === undefined ? {} : { redisUrl: `redis://127.0.0.1:${via.port}` });

async function relay(): Promise<TcpProxy> {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: nodes.redis.port });
  nodes.afterThisTest(() => proxy.close());
  return proxy;
}

/**
 * Someone in a room, with their page's roster: what room.joined, peer.* and
 * voice.state made of it, their own voice as they set it (as the page shows it).
 */
type Person = { client: TestClient; roomId: string; roster(): string[]; voice(muted: boolean, deafened: boolean): void };

async function person(server: TestServer, name: string, roomId: string): Promise<Person> {
  const client = await TestClient.connect(server.wsUrl, name);
  nodes.afterThisTest(() => client.close());
  let listed = new Map<string, Participant>();
  let own = { muted: false, deafened: false };
  client.socket.on('message', (data) => {
    const parsed = parseServerMessage(String(data));
    if (!parsed.ok) return;
    const message = parsed.value;
    const update = (userId: string, change: Partial<Participant>) => {
      const current = listed.get(userId);
      if (current) listed.set(userId, { ...current, ...change });
    };
    switch (message.type) {
      case 'room.joined':
        // A fresh roster takes the place of what the page had, as the page's own merge does.
        listed = new Map(message.participants.map((p) => [p.userId, p]));
        return;
      case 'peer.joined':
        listed.set(message.participant.userId, message.participant);
        return;
      case 'peer.left':
        listed.delete(message.userId);
        return;
      case 'room.left':
        listed = new Map();
        return;
      case 'peer.presence':
        return update(message.userId, { presence: message.presence });
      case 'voice.state':
        return update(message.userId, { muted: message.muted, deafened: message.deafened });
      default:
        return;
    }
  });
  client.send({ type: 'room.join', roomId });
  await client.next('room.joined', undefined, 15_000);
  return {
    client,
    roomId,
    roster: () =>
      [...listed.values()]
        .map((p) => (p.userId === client.userId ? { ...p, ...own } : p))
        .map((p) => [p.displayName, p.presence === 'online' ? '' : ` ${p.presence}`, p.muted ? ' muted' : '', p.deafened ? ' deafened' : ''].join(''))
        .sort(),
    voice(muted, deafened) {
      own = { muted, deafened };
      client.send({ type: 'voice.state', muted, deafened });
    },
  };
}

/** Every page shows `expected`, each person once. */
async function everyoneSees(people: Person[], expected: string[]): Promise<void> {
  await expect.poll(() => people.map((p) => p.roster()), { timeout: 15_000, interval: 100 }).toEqual(people.map(() => expected));
}

/** How many people a node holds in its rooms, as /healthz says. */
async function participantsOn(server: TestServer): Promise<number> {
  const res = await fetch(`${server.httpUrl}/healthz`);
  return ((await res.json()) as { participants: number }).participants;
}

let said = 0;
/** `who` posts `text` to their room; resolves with the seq of the ack. */
async function say(who: Person, text: string): Promise<number> {
  const clientId = `message-${process.pid}-${++said}`;
  who.client.send({ type: 'chat.send', roomId: who.roomId, clientId, text });
  return (await who.client.next('chat.ack', (m) => m.message.clientId === clientId, 10_000)).message.seq;
}

/** A signal from `from` reaches `to`, and chat from `to` reaches `from`, across the nodes. */
async function talkAcross(from: Person, to: Person, text: string): Promise<void> {
  const signal = { kind: 'description', epoch: 7, description: { type: 'offer', sdp: 'v=0' } };
  from.client.send({ type: 'peer.signal', to: to.client.userId, signal });
  expect((await to.client.next('peer.signal', undefined, 10_000)).from).toBe(from.client.userId);
  await say(to, text);
  expect((await from.client.next('chat.message', (m) => m.message.text === text, 10_000)).message.userId).toBe(to.client.userId);
}

/** The room's history as `who` reads it: texts, oldest first. */
async function history(who: Person): Promise<string[]> {
  who.client.send({ type: 'chat.history', roomId: who.roomId, requestId: 1 });
  return (await who.client.next('chat.history')).messages.map((m) => m.text);
}

/** Until Redis holds a new epoch: the node that can reach it has claimed the new stream. */
async function claimed(streamKey: string): Promise<void> {
  const probe = new Redis(nodes.redis.url, { lazyConnect: true });
  try {
    await probe.connect();
    await expect.poll(() => probe.exists(`${streamKey}:epoch`), { timeout: 10_000, interval: 50 }).toBe(1);
  } finally {
    probe.disconnect();
  }
}

describe('nodes on a Redis that restarts empty', () => {
  it('come back by themselves: what people did while it was down counts, every roster lists everyone once, talk crosses again', async () => {
    const key = stream();
    const [one, two] = await Promise.all([node(key), node(key)]);
    const ada = await person(one, 'Ada', 'cellar');
    const bob = await person(two, 'Bob', 'cellar');
    const dan = await person(two, 'Dan', 'cellar');
    await everyoneSees([ada, bob, dan], ['Ada', 'Bob', 'Dan']);
    await say(ada, 'said before Redis died');

    await nodes.redis.kill();
    // While Redis is away: Ada mutes, Dan leaves, Cara arrives through node one.
    ada.voice(true, false);
    dan.client.send({ type: 'room.leave' });
    const caraJoining = person(one, 'Cara', 'cellar');
    await nodes.redis.start();

    const cara = await caraJoining;
    await everyoneSees([ada, bob, cara], ['Ada muted', 'Bob', 'Cara']);
    expect([await participantsOn(one), await participantsOn(two)]).toEqual([3, 3]);
    await talkAcross(ada, bob, 'after the restart');
    expect(await history(bob)).toEqual(['said before Redis died', 'after the restart']);
  }, 60_000);

  for (const claimer of ['the node that had read everything', 'the node that had missed it'] as const) {
    it(`agree again when one node had read what another never got, and ${claimer} claims the new stream`, async () => {
      const key = stream();
      const [toOne, toTwo] = await Promise.all([relay(), relay()]);
      const [one, two] = await Promise.all([node(key, toOne), node(key, toTwo)]);
      const room = `vault-${streams}`;
      const ada = await person(one, 'Ada', room);
      const dan = await person(one, 'Dan', room);
      const bob = await person(two, 'Bob', room);
      await everyoneSees([ada, dan, bob], ['Ada', 'Bob', 'Dan']);

      // Node two stops hearing Redis. Node one's people go on; node one reads it all back.
      toTwo.hold();
      const cara = await person(one, 'Cara', room);
      ada.voice(true, false);
      dan.client.send({ type: 'room.leave' });
      await everyoneSees([ada, cara], ['Ada muted', 'Bob', 'Cara']);
      expect(await say(ada, 'node two never heard this')).toBe(1);
      // Bob deafens: node two writes it, and it dies on the way with Redis.
      bob.voice(false, true);
      expect(bob.roster()).toEqual(['Ada', 'Bob deafened', 'Dan']);

      if (claimer === 'the node that had missed it') toOne.hold();
      await nodes.redis.kill();
      await nodes.redis.start();
      if (claimer === 'the node that had missed it') {
        toTwo.release();
        await claimed(key);
        toOne.release();
      } else {
        await claimed(key);
        toTwo.release();
      }

      await everyoneSees([ada, bob, cara], ['Ada muted', 'Bob deafened', 'Cara']);
      expect([await participantsOn(one), await participantsOn(two)]).toEqual([3, 3]);
      await talkAcross(ada, bob, 'heard across again');
      expect(await history(bob)).toEqual(['node two never heard this', 'heard across again']);
    }, 60_000);
  }
});
