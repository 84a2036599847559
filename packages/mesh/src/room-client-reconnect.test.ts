import type { UserId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import { fakeEnvironment } from '../test-support/fake-environment';
import { FakeSignalServer, type FakeSignalServerOptions } from '../test-support/fake-signal-server';
import type { RoomEvents } from './events';
import { RoomClient } from './room-client';

/** Lets every in-memory delivery (microtasks) and promise chain run. */
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

function world(options: FakeSignalServerOptions = {}) {
  const server = new FakeSignalServer(options);
  const clock = new FakeClock();
  const advance = async (ms: number, stepMs = 50) => {
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      clock.advance(Math.min(stepMs, ms - elapsed));
      await flush();
    }
  };
  const person = (name: string) => {
    const fake = fakeEnvironment({ server, clock });
    const client = new RoomClient({ url: 'ws://fake/ws', displayName: name, env: fake.env });
    const seen = {
      joined: [] as UserId[],
      left: [] as RoomEvents['peerLeft'][],
      roomLeft: 0,
      rosters: [] as RoomEvents['roomJoined']['participants'][],
      updates: [] as RoomEvents['peerUpdated']['participant'][],
      sessions: [] as RoomEvents['sessionStarted'][],
      connection: [] as string[],
    };
    client.on('peerJoined', ({ participant }) => seen.joined.push(participant.userId));
    client.on('peerLeft', (event) => seen.left.push(event));
    client.on('roomLeft', () => seen.roomLeft++);
    client.on('roomJoined', ({ participants }) => seen.rosters.push(participants));
    client.on('peerUpdated', ({ participant }) => seen.updates.push(participant));
    client.on('sessionStarted', (event) => seen.sessions.push(event));
    client.on('connectionStateChanged', ({ to }) => seen.connection.push(to));
    const id = () => client.selfId ?? '';
    const reset = () => {
      seen.joined.length = 0;
      seen.left.length = 0;
      seen.roomLeft = 0;
      seen.updates.length = 0;
    };
    return { ...fake, client, seen, id, reset };
  };
  return { server, clock, advance, person };
}

type Person = ReturnType<ReturnType<typeof world>['person']>;

/** Everyone joins `friday`, one after the other, and every media path comes up. */
async function roomOf(w: ReturnType<typeof world>, names: string[]): Promise<Person[]> {
  const people: Person[] = [];
  for (const name of names) {
    const p = w.person(name);
    p.client.join('friday');
    await flush();
    people.push(p);
  }
  await flush();
  for (const p of people) for (const pc of p.peerConnections) pc.setConnectionState('connected');
  for (const p of people) p.reset();
  return people;
}

describe('RoomClient across signaling outages', () => {
  it('rides out a server restart: the same people rejoin, keep their links, and nobody flickers', async () => {
    const w = world();
    const people = await roomOf(w, ['Ada', 'Bob', 'Cy']);
    const connectionsBefore = people.map((p) => p.peerConnections.length);
    expect(connectionsBefore).toEqual([2, 2, 2]);

    w.server.restart();
    await w.advance(1000);

    expect(w.server.roomMembers('friday').sort()).toEqual(people.map((p) => p.id()).sort());
    for (const p of people) {
      expect(p.seen.sessions.at(-1)?.resumed).toBe(true);
      expect(p.seen.joined).toEqual([]);
      expect(p.seen.left).toEqual([]);
      expect(p.seen.roomLeft).toBe(0);
      // No new RTCPeerConnection, none closed.
      expect(p.peerConnections).toHaveLength(2);
      expect(p.peerConnections.every((pc) => pc.connectionState === 'connected')).toBe(true);
      // The app's roster: everyone once, all online.
      const roster = p.seen.rosters.at(-1) ?? [];
      expect(roster.map((x) => x.userId).sort()).toEqual(people.map((x) => x.id()).sort());
      const latest = new Map(roster.map((x) => [x.userId, x.presence]));
      for (const update of p.seen.updates.filter((u) => latest.has(u.userId))) latest.set(update.userId, update.presence);
      expect([...latest.values()]).toEqual(['online', 'online', 'online']);
    }
  });

  it('lets go of someone who does not come back after the restart, once the grace is over', async () => {
    const w = world();
    const [ada, bob, cy] = await roomOf(w, ['Ada', 'Bob', 'Cy']);
    if (!ada || !bob || !cy) throw new Error('setup');
    w.server.restart();
    cy.client.close(); // Cy's page is gone while the server is down
    await w.advance(1000);

    for (const p of [ada, bob]) {
      expect(p.seen.left).toEqual([]);
      const shown = p.seen.rosters.at(-1)?.find((x) => x.userId === cy.id());
      expect(shown?.presence).toBe('reconnecting');
    }
    await w.advance(19_500, 500);
    for (const p of [ada, bob]) {
      expect(p.seen.left).toEqual([{ userId: cy.id(), reason: 'disconnected' }]);
      expect(p.peerConnections.filter((pc) => pc.connectionState !== 'closed')).toHaveLength(1);
    }
  });

  it('keeps the missing for the grace period the server announced, not a grace of its own', async () => {
    const w = world({ graceMs: 5_000 });
    const [ada, bob, cy] = await roomOf(w, ['Ada', 'Bob', 'Cy']);
    if (!ada || !bob || !cy) throw new Error('setup');
    w.server.restart();
    cy.client.close();
    await w.advance(1000); // back on the restarted server within this: Cy missing from the roster from then on
    for (const p of [ada, bob]) expect(p.seen.rosters.at(-1)?.find((x) => x.userId === cy.id())?.presence).toBe('reconnecting');
    await w.advance(3_500, 500);
    for (const p of [ada, bob]) expect(p.seen.left).toEqual([]);
    await w.advance(2_000, 500);
    for (const p of [ada, bob]) expect(p.seen.left).toEqual([{ userId: cy.id(), reason: 'disconnected' }]);
  });

  it('resumes after a blip: keeps everyone still there and drops whoever left meanwhile', async () => {
    const w = world();
    const [ada, bob, cy] = await roomOf(w, ['Ada', 'Bob', 'Cy']);
    if (!ada || !bob || !cy) throw new Error('setup');
    w.server.dropAll();
    await flush();
    cy.client.close();
    w.server.expireAbsent(cy.id()); // Cy's grace ends while Ada and Bob are still away: they miss peer.left
    await w.advance(1000);

    for (const p of [ada, bob]) {
      expect(p.seen.sessions.at(-1)).toMatchObject({ resumed: true });
      expect(p.seen.left).toEqual([{ userId: cy.id(), reason: 'disconnected' }]);
      expect(p.seen.joined).toEqual([]);
      expect(p.seen.roomLeft).toBe(0);
      expect(p.peerConnections).toHaveLength(2);
      expect(p.peerConnections.filter((pc) => pc.connectionState === 'connected')).toHaveLength(1);
    }
  });

  it('shows a peer coming back from reconnecting as an update, never a second join', async () => {
    const w = world();
    const [ada, bob] = await roomOf(w, ['Ada', 'Bob']);
    if (!ada || !bob) throw new Error('setup');
    w.server.drop(bob.id());
    await flush();
    expect(ada.seen.updates.at(-1)).toMatchObject({ userId: bob.id(), presence: 'reconnecting' });
    await w.advance(500);
    expect(ada.seen.updates.at(-1)).toMatchObject({ userId: bob.id(), presence: 'online' });
    expect(ada.seen.joined).toEqual([]);
    expect(ada.seen.left).toEqual([]);
    expect(ada.peerConnections).toHaveLength(1);
  });

  it('tells everyone the voice state that changed while the server was away', async () => {
    const w = world();
    const [ada, bob] = await roomOf(w, ['Ada', 'Bob']);
    if (!ada || !bob) throw new Error('setup');
    w.server.restart();
    await flush();
    ada.client.setVoice({ muted: true, deafened: false });
    await w.advance(1000);
    const bobSeesAda = [...(bob.seen.rosters.at(-1) ?? []), ...bob.seen.updates].filter((p) => p.userId === ada.id()).at(-1);
    expect(bobSeesAda?.muted).toBe(true);
    expect(ada.seen.rosters.at(-1)?.find((p) => p.userId === ada.id())?.muted).toBe(true);
  });

  it('retryNow reconnects at once when the server is back, without waiting out the backoff', async () => {
    const w = world();
    const [ada] = await roomOf(w, ['Ada']);
    if (!ada) throw new Error('setup');
    w.server.setAvailable(false);
    w.server.dropAll();
    await w.advance(30_000, 500); // the backoff has grown to several seconds
    expect(ada.seen.connection.at(-1)).toBe('reconnecting');
    w.server.setAvailable(true);
    ada.client.retryNow();
    await flush();
    expect(ada.seen.connection.at(-1)).toBe('connected');
    expect(w.server.roomMembers('friday')).toEqual([ada.id()]);
  });
});
