import { describe, expect, it } from 'vitest';
import type { Config } from '../config';
import { useRedisNodesPerFile, type RedisNode } from '../testing/redis-nodes';
import { TestClient } from '../testing/test-client';
import type { TestServer } from '../testing/test-server';

/**
 * Several nodes on one Redis, as PARLEY_REDIS_URL makes them: people
 * connected to different nodes share one room. The nodes here run in one
 * process and share one chat store and one room-settings store, standing in
 * for the PostgreSQL every node would name (pg-chat-store.integration.test.ts
 * tests that store on a real PostgreSQL).
 */
const nodes = useRedisNodesPerFile(Buffer.alloc(32, 7));
const node = (streamKey: string, config: Partial<Config> = {}): Promise<RedisNode> => nodes.node(streamKey, { config });

async function person(server: TestServer, name: string, roomId: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name);
  nodes.afterThisTest(() => client.close());
  client.send({ type: 'room.join', roomId });
  await client.next('room.joined');
  return client;
}

let streams = 0;
const stream = () => `parley:test:${process.pid}:${++streams}`;

describe('nodes sharing a Redis bus', () => {
  it('put people on different nodes in one room: one roster, signals and voice relayed, chat in one order', async () => {
    const key = stream();
    const [one, two] = await Promise.all([node(key), node(key)]);
    const ada = await person(one, 'Ada', 'den');
    const bob = await person(two, 'Bob', 'den');

    expect((await ada.next('peer.joined')).participant).toMatchObject({ userId: bob.userId, displayName: 'Bob' });
    const cara = await TestClient.connect(one.wsUrl, 'Cara');
    nodes.afterThisTest(() => cara.close());
    cara.send({ type: 'room.join', roomId: 'den' });
    expect((await cara.next('room.joined')).participants.map((p) => p.displayName)).toEqual(['Ada', 'Bob', 'Cara']);
    expect((await bob.next('peer.joined', (m) => m.participant.displayName === 'Cara')).participant.userId).toBe(cara.userId);

    // A signal from Ada (node one) reaches Bob (node two), stamped by Ada's node.
    const signal = { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0' } };
    ada.send({ type: 'peer.signal', to: bob.userId, signal });
    expect(await bob.next('peer.signal')).toEqual({ type: 'peer.signal', from: ada.userId, signal });

    bob.send({ type: 'voice.state', muted: true, deafened: false });
    expect(await ada.next('voice.state', (m) => m.userId === bob.userId)).toMatchObject({ muted: true });

    // Chat from both nodes: one seq order everywhere.
    ada.send({ type: 'chat.send', roomId: 'den', clientId: 'ada-000001', text: 'from one' });
    await ada.next('chat.ack');
    bob.send({ type: 'chat.send', roomId: 'den', clientId: 'bob-000001', text: 'from two' });
    await bob.next('chat.ack');
    const atBob = await bob.next('chat.message');
    const atAda = await ada.next('chat.message');
    expect(atBob.message).toMatchObject({ text: 'from one', seq: 1 });
    expect(atAda.message).toMatchObject({ text: 'from two', seq: 2 });
    const atCara = [await cara.next('chat.message'), await cara.next('chat.message')].map((m) => [m.message.seq, m.message.text]);
    expect(atCara).toEqual([
      [1, 'from one'],
      [2, 'from two'],
    ]);
  });

  it('lets a node that starts later catch up: its first joiner sees who is in the room on the others', async () => {
    const key = stream();
    const one = await node(key);
    const ada = await person(one, 'Ada', 'attic');
    const late = await node(key);
    const bob = await TestClient.connect(late.wsUrl, 'Bob');
    nodes.afterThisTest(() => bob.close());
    bob.send({ type: 'room.join', roomId: 'attic' });
    const joined = await bob.next('room.joined');
    expect(joined.participants.map((p) => p.displayName)).toEqual(['Ada', 'Bob']);
    expect((await ada.next('peer.joined')).participant.displayName).toBe('Bob');
  });

  it('resumes someone through another node as themselves: online again everywhere, in the same place in the roster', async () => {
    const key = stream();
    const [one, two] = await Promise.all([node(key), node(key)]);
    const ada = await person(one, 'Ada', 'porch');
    const bob = await person(one, 'Bob', 'porch');
    await ada.next('peer.joined');
    const token = bob.resumeToken;
    bob.close();
    await ada.next('peer.presence', (m) => m.userId === bob.userId && m.presence === 'reconnecting');

    const back = await TestClient.connect(two.wsUrl, 'Bob', { resumeToken: token });
    nodes.afterThisTest(() => back.close());
    expect(back.userId).toBe(bob.userId);
    expect(back.welcome?.roomId).toBe('porch');
    await ada.next('peer.presence', (m) => m.userId === bob.userId && m.presence === 'online');
    const roster = await back.next('room.joined');
    expect(roster.participants.map((p) => [p.displayName, p.presence])).toEqual([
      ['Ada', 'online'],
      ['Bob', 'online'],
    ]);
  });

  it('rides out a Redis restart: the nodes reconnect by themselves and the room works across them again', async () => {
    const key = stream();
    const [one, two] = await Promise.all([node(key), node(key)]);
    const ada = await person(one, 'Ada', 'cellar');
    const bob = await person(two, 'Bob', 'cellar');
    await ada.next('peer.joined');

    await nodes.redis.restart({ downMs: 300 });

    // Redis came back empty; what is said now still crosses between the nodes.
    const signal = { kind: 'description', epoch: 2, description: { type: 'offer', sdp: 'v=0' } };
    await expect
      .poll(
        async () => {
          ada.send({ type: 'peer.signal', to: bob.userId, signal });
          return bob.next('peer.signal').then(
            () => true,
            () => false,
          );
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    bob.send({ type: 'chat.send', roomId: 'cellar', clientId: 'bob-after-restart', text: 'still here' });
    expect((await ada.next('chat.message')).message.text).toBe('still here');
  }, 40_000);

  it("turns a dead node's people reconnecting everywhere within seconds; who resumes elsewhere is back as themselves, who does not leaves after the grace", async () => {
    const key = stream();
    const [doomed, survivor] = await Promise.all([node(key, { graceMs: 1_500 }), node(key, { graceMs: 1_500 })]);
    const ada = await person(survivor, 'Ada', 'hall');
    const bob = await person(doomed, 'Bob', 'hall');
    const cara = await person(doomed, 'Cara', 'hall');
    await ada.next('peer.joined', (m) => m.participant.displayName === 'Cara');

    // The node dies without a word: its lease stops, and nothing it would say reaches the others.
    const died = Date.now();
    await doomed.bus.close();
    await doomed.close();
    // Three missed looks a second apart after the lease is gone: longer than a reply's usual 3 s.
    for (const who of [bob, cara]) await ada.next('peer.presence', (m) => m.userId === who.userId && m.presence === 'reconnecting', 10_000);
    const noticedMs = Date.now() - died;
    expect(noticedMs).toBeLessThan(15_000);

    const back = await TestClient.connect(survivor.wsUrl, 'Bob', { resumeToken: bob.resumeToken });
    nodes.afterThisTest(() => back.close());
    expect(back.userId).toBe(bob.userId);
    expect((await back.next('room.joined')).participants.find((p) => p.userId === bob.userId)?.presence).toBe('online');
    await ada.next('peer.presence', (m) => m.userId === bob.userId && m.presence === 'online');
    expect((await ada.next('peer.left', (m) => m.userId === cara.userId)).reason).toBe('disconnected');
    // Bob stays: the grace that removed Cara was not his any more.
    await person(survivor, 'Dan', 'hall');
    back.send({ type: 'room.join', roomId: 'hall' });
    expect((await back.next('room.joined')).participants.map((p) => [p.displayName, p.presence])).toEqual([
      ['Ada', 'online'],
      ['Bob', 'online'],
      ['Dan', 'online'],
    ]);
  }, 40_000);
});
