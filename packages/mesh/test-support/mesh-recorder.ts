import type { UserId } from '@parley/protocol';
import type { LinkState, RoomEvents } from '../src/events';
import type { RoomClient } from '../src/room-client';

/** Records what a RoomClient reported, so tests can wait for conditions on it. */
export function recordMesh(client: RoomClient) {
  const record = {
    linkStates: new Map<UserId, LinkState>(),
    participants: new Map<UserId, RoomEvents['peerUpdated']['participant']>(),
    rtts: new Map<UserId, number>(),
    remoteTracks: new Map<UserId, RoomEvents['remoteTrack']>(),
    errors: [] as RoomEvents['error']['error'][],
    joined: [] as UserId[],
    left: [] as UserId[],
    roomLeft: 0,
    connection: 'idle' as RoomEvents['connectionStateChanged']['to'],
    resumeToken: undefined as string | undefined,
  };
  client.on('roomJoined', ({ participants }) => {
    for (const p of participants) record.participants.set(p.userId, p);
  });
  client.on('peerJoined', ({ participant }) => {
    record.joined.push(participant.userId);
    record.participants.set(participant.userId, participant);
  });
  client.on('peerLeft', ({ userId }) => {
    record.left.push(userId);
    record.participants.delete(userId);
  });
  client.on('roomLeft', () => record.roomLeft++);
  client.on('connectionStateChanged', ({ to }) => (record.connection = to));
  client.on('sessionStarted', ({ resumeToken }) => (record.resumeToken = resumeToken));
  client.on('peerUpdated', ({ participant }) => record.participants.set(participant.userId, participant));
  client.on('linkStateChanged', ({ userId, to }) => record.linkStates.set(userId, to));
  client.on('rttMeasured', ({ userId, rttMs }) => record.rtts.set(userId, rttMs));
  client.on('remoteTrack', (event) => record.remoteTracks.set(event.userId, event));
  client.on('error', ({ error }) => record.errors.push(error));
  return record;
}
