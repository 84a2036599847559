import type { ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fakeEnvironment } from '../test-support/fake-environment';
import { person, welcomeFrame } from '../test-support/frames';
import type { RoomEvents } from './events';
import { RoomClient } from './room-client';

function setup() {
  const fake = fakeEnvironment();
  const client = new RoomClient({ url: 'ws://test/ws', displayName: 'Ada', env: fake.env });
  const events: { [K in keyof RoomEvents]?: RoomEvents[K][] } = {};
  const names: (keyof RoomEvents)[] = ['roomJoined', 'roomLeft', 'peerJoined', 'peerUpdated', 'peerLeft', 'error', 'sessionStarted'];
  for (const name of names) {
    client.on(name, (payload) => ((events[name] ??= [] as never[]) as unknown[]).push(payload));
  }
  const server = (message: ServerMessage) => fake.socket().receive(message);
  const welcome = () => {
    fake.socket().open();
    server(welcomeFrame());
  };
  const sentTypes = () => fake.socket().sentMessages.map((m) => m.type);
  return { ...fake, client, events, server, welcome, sentTypes };
}

describe('RoomClient', () => {
  it('joins after the handshake and reports the roster, self included', () => {
    const { client, server, welcome, events, sentTypes, socket, peerConnections } = setup();
    client.join('friday', { muted: true, deafened: false });
    welcome();
    expect(events.sessionStarted).toEqual([{ userId: 'ada', resumeToken: 't', resumed: false }]);
    expect(socket().sentMessages.at(-1)).toEqual({ type: 'room.join', roomId: 'friday', voice: { muted: true, deafened: false }, displayName: 'Ada' });
    expect(sentTypes()).toEqual(['session.hello', 'room.join']);
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada', { muted: true }), person('bob')] });
    expect(events.roomJoined?.[0]?.participants.map((p) => p.userId)).toEqual(['ada', 'bob']);
    expect(client.selfId).toBe('ada');
    expect(peerConnections).toHaveLength(1);
  });

  it('mutes self when deafened, tells the server, and reports the change', () => {
    const { client, server, welcome, events, socket } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    client.setVoice({ muted: false, deafened: true });
    expect(socket().sentMessages.at(-1)).toEqual({ type: 'voice.state', muted: true, deafened: true });
    expect(events.peerUpdated?.at(-1)?.participant).toMatchObject({ userId: 'ada', muted: true, deafened: true });
    client.setVoice({ muted: false, deafened: false });
    expect(events.peerUpdated?.at(-1)?.participant).toMatchObject({ userId: 'ada', muted: false, deafened: false });
  });

  it('sets mute and deafen together with one voice.state to the server', () => {
    const { client, server, welcome, socket } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    client.setVoice({ muted: true, deafened: true });
    const before = socket().sentMessages.length;
    client.setVoice({ muted: true, deafened: false });
    expect(socket().sentMessages.slice(before)).toEqual([{ type: 'voice.state', muted: true, deafened: false }]);
    client.setVoice({ muted: false, deafened: true });
    expect(socket().sentMessages.at(-1)).toEqual({ type: 'voice.state', muted: true, deafened: true });
  });

  it('follows peers joining, changing voice state and leaving', () => {
    const { client, server, welcome, events, peerConnections } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    server({ type: 'peer.joined', participant: person('bob') });
    expect(events.peerJoined?.map((e) => e.participant.userId)).toEqual(['bob']);
    server({ type: 'voice.state', userId: 'bob', muted: true, deafened: false });
    expect(events.peerUpdated?.at(-1)?.participant).toMatchObject({ userId: 'bob', muted: true });
    server({ type: 'peer.presence', userId: 'bob', presence: 'reconnecting' });
    expect(events.peerUpdated?.at(-1)?.participant).toMatchObject({ userId: 'bob', presence: 'reconnecting' });
    server({ type: 'peer.left', userId: 'bob', reason: 'disconnected' });
    expect(events.peerLeft).toEqual([{ userId: 'bob', reason: 'disconnected' }]);
    expect(peerConnections.map((pc) => pc.connectionState)).toEqual(['closed']);
  });

  it('takes a peer voice state from its control channel as well', async () => {
    const { client, server, welcome, events, peerConnections } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'bob', participants: [person('ada'), person('bob')] });
    // bob > ada: bob is polite and opens its channel end only after an offer; make one arrive.
    server({ type: 'peer.signal', from: 'ada', signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: '' } } });
    await expect.poll(() => peerConnections[0]?.channels[0]).toBeDefined();
    const channel = peerConnections[0]?.channels[0];
    channel?.open();
    channel?.peerSends({ type: 'voice.state', muted: true, deafened: true });
    expect(events.peerUpdated?.at(-1)?.participant).toMatchObject({ userId: 'ada', muted: true, deafened: true });
  });

  it('ignores signals from people who are not in the room', () => {
    const { client, server, welcome, peerConnections } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada')] });
    server({ type: 'peer.signal', from: 'mallory', signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: '' } } });
    expect(peerConnections).toHaveLength(0);
  });

  it('leaves: tells the server, closes every link and reports roomLeft', () => {
    const { client, server, welcome, events, socket, peerConnections } = setup();
    client.connect();
    welcome();
    client.join('friday');
    server({ type: 'room.joined', roomId: 'friday', selfId: 'ada', participants: [person('ada'), person('bob'), person('cy')] });
    client.leave();
    expect(socket().sentMessages.at(-1)).toEqual({ type: 'room.leave' });
    expect(events.roomLeft).toEqual([{ roomId: 'friday' }]);
    expect(peerConnections.map((pc) => pc.connectionState)).toEqual(['closed', 'closed']);
    server({ type: 'room.left', roomId: 'friday' });
    expect(events.roomLeft).toHaveLength(1);
  });

  it('reports a server error as a recoverable MeshError', () => {
    const { client, server, welcome, events } = setup();
    client.connect();
    welcome();
    server({ type: 'error', code: 'room_full', message: 'room is full', inReplyTo: 'room.join' });
    expect(events.error?.[0]?.error).toMatchObject({ reason: 'signalingRejected', recoverable: true });
  });
});
