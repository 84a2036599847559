import { expect, vi } from 'vitest';
import type { PeerConnectionLike } from '../src/environment';
import { RoomClient } from '../src/room-client';
import type { FakeSignalServer } from './fake-signal-server';
import { recordMesh } from './mesh-recorder';
import { silentMicrophone, wrtcEnvironment } from './wrtc-environment';

/** Real WebRTC is slow next to fakes: wait up to 10 s, polling every 20 ms. */
export const WAIT = { timeout: 10_000, interval: 20 };

export type Peer = ReturnType<typeof startPeer>;

const running: Array<() => void> = [];

/** A RoomClient over real WebRTC (@roamhq/wrtc) with a silent microphone, signaling through `server`. */
export function startPeer(server: FakeSignalServer, name: string, resumeToken?: string, options: { clockOffsetMs?: number } = {}) {
  const { env, peerConnections, kill } = wrtcEnvironment(name, server, options);
  const client = new RoomClient({ url: 'ws://fake/ws', displayName: name, env, ...(resumeToken ? { resumeToken } : {}) });
  const record = recordMesh(client);
  const microphone = silentMicrophone();
  client.setLocalStream(microphone.stream);
  running.push(() => {
    client.close();
    microphone.stop();
  });
  /** The page vanishes without a goodbye: no room.leave, its connections just stop. */
  const crash = () => {
    kill();
    server.drop(client.selfId ?? '');
  };
  return { client, record, peerConnections, crash, selfId: () => client.selfId ?? '' };
}

/** Closes every peer started since the last call (vitest keeps wrtc alive otherwise). */
export function stopAllPeers(): void {
  for (const stop of running.splice(0)) stop();
}

export async function waitUntilConnected(a: Peer, b: Peer): Promise<void> {
  await vi.waitFor(() => {
    expect(a.record.linkStates.get(b.selfId())).toBe('connected');
    expect(b.record.linkStates.get(a.selfId())).toBe('connected');
  }, WAIT);
}

export function openPeerConnections(peer: Peer): PeerConnectionLike[] {
  return peer.peerConnections.filter((pc) => pc.signalingState !== 'closed');
}
