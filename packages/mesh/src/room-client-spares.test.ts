import type { ClientMessage, ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fakeEnvironment } from '../test-support/fake-environment';
import { person, welcomeFrame } from '../test-support/frames';
import { RoomClient } from './room-client';
import { SpareConnections } from './spare-connections';

const CONFIG: RTCConfiguration = { bundlePolicy: 'max-bundle', iceServers: [] };
/** Every link up this long (10 s, and up to 10 s more at random: the fake environment's random() is 0). */
const SETTLED_MS = 10_000;

/** A page whose idle moments the test plays, with its microphone and its spares. */
function setup(displayName: string) {
  const fake = fakeEnvironment();
  const idle: (() => void)[] = [];
  const spares = new SpareConnections({ createPeerConnection: fake.env.createPeerConnection, whenIdle: (work) => idle.push(work), logger: fake.logger });
  const track = { kind: 'audio', readyState: 'live', enabled: true } as unknown as MediaStreamTrack;
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const client = new RoomClient({ url: 'ws://test/ws', displayName, env: fake.env, spares });
  const server = (message: ServerMessage) => fake.socket().receive(message);
  const idleUntilDone = () => {
    for (let work = idle.shift(); work; work = idle.shift()) work();
  };
  const sent = (): ClientMessage[] => fake.socket().sentMessages;
  const open = () => fake.peerConnections.filter((pc) => pc.signalingState !== 'closed');
  const enter = (selfId: string, others: string[]) => {
    client.setLocalStream(stream);
    client.connect();
    fake.socket().open();
    server(welcomeFrame());
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId, participants: [selfId, ...others].map((id) => person(id)) });
  };
  return { ...fake, client, spares, track, server, idleUntilDone, sent, open, enter };
}

const descriptionsTo = (sent: ClientMessage[], to: string, type: 'offer' | 'answer') =>
  sent.filter((m) => m.type === 'peer.signal' && m.to === to && m.signal.kind === 'description' && m.signal.description.type === type);

describe('RoomClient with connections made ahead', () => {
  it('a newcomer answers every member on the connections its form made, and closes the ones left over', async () => {
    const page = setup('Zed');
    page.spares.want({ polite: true, track: page.track, count: 3, configuration: CONFIG });
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(3);

    page.enter('zed', ['ada', 'bob']);
    expect(page.peerConnections).toHaveLength(3); // Join made no connection of its own
    expect(page.open()).toHaveLength(2); // the one left over is closed
    for (const from of ['ada', 'bob']) {
      page.server({ type: 'peer.signal', from, signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: `offer from ${from}` } } });
    }
    await expect.poll(() => ['ada', 'bob'].map((to) => descriptionsTo(page.sent(), to, 'answer').length)).toEqual([1, 1]);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(3); // and none for later while its links form
  });

  it('a member keeps one ready once the call has settled, and greets the next newcomer on it', async () => {
    const page = setup('Ada');
    page.enter('ada', ['bob']);
    const [bobs] = page.peerConnections;
    bobs?.setConnectionState('connected');
    page.idleUntilDone();
    page.clock.advance(SETTLED_MS - 1);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(1); // not yet: the call is not settled

    page.clock.advance(1);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(2);

    page.server({ type: 'peer.joined', participant: person('zed') });
    await expect.poll(() => descriptionsTo(page.sent(), 'zed', 'offer').length).toBe(1);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(2); // the offer went out on the spare; none made while zed's link forms
  });

  it('a member makes none while a link is forming, and none after leaving', () => {
    const page = setup('Ada');
    page.enter('ada', ['bob', 'cy']);
    page.peerConnections[0]?.setConnectionState('connected');
    page.clock.advance(SETTLED_MS);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(2); // cy's link is still forming

    page.peerConnections[1]?.setConnectionState('connected');
    page.client.session.leave();
    page.clock.advance(SETTLED_MS);
    page.idleUntilDone();
    expect(page.peerConnections).toHaveLength(2);
    expect(page.open()).toHaveLength(0);
  });
});
