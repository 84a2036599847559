import type { UserId } from '@parley/protocol';
import type { LinkState, MeshEvents } from '../src/events';
import type { MeshClient } from '../src/mesh-client';

/** Records what a MeshClient reported, so tests can wait for conditions on it. */
export function recordMesh(client: MeshClient) {
  const record = {
    linkStates: new Map<UserId, LinkState>(),
    participants: new Map<UserId, MeshEvents['peerUpdated']['participant']>(),
    rtts: new Map<UserId, number>(),
    remoteTracks: new Map<UserId, MeshEvents['remoteTrack']>(),
    errors: [] as MeshEvents['error']['error'][],
    joined: [] as UserId[],
    left: [] as UserId[],
    roomLeft: 0,
    connection: 'idle' as MeshEvents['connectionStateChanged']['to'],
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
