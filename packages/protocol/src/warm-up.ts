import { encodeControlMessage, parseControlMessage, type ControlMessage } from './control';
import { PROTOCOL_VERSION } from './limits';
import type { ServerMessage } from './messages';
import { encodeMessage, parseServerMessage } from './parse';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n';
const someone = { userId: 'warm-up-1', displayName: 'Warm up', presence: 'online', muted: false, deafened: false } as const;
const chatLine = { roomId: 'warm-up', seq: 1, clientId: 'warm-up-client', userId: 'warm-up-1', displayName: 'Warm up', text: 'hi', sentAt: 0 };

/** One frame of every kind a client receives while it joins a room and forms its links. */
export const JOINING_FRAMES: readonly ServerMessage[] = [
  {
    type: 'session.welcome',
    protocolVersion: PROTOCOL_VERSION,
    userId: 'warm-up-0',
    resumeToken: 'warm-up',
    resumed: false,
    generation: 1,
    iceServers: [{ urls: 'stun:warm.up:3478' }, { urls: ['turn:warm.up:3478'], username: 'u', credential: 'c' }],
    iceTransportPolicy: 'all',
    iceServersExpireAt: 0,
    heartbeatIntervalMs: 1,
    graceMs: 0,
  },
  { type: 'ice.servers', iceServers: [{ urls: 'stun:warm.up:3478' }], iceTransportPolicy: 'all' },
  { type: 'room.joined', roomId: 'warm-up', selfId: 'warm-up-0', participants: [someone] },
  { type: 'room.settings', roomId: 'warm-up', ownerId: 'warm-up-1', passwordRequired: false, locked: false, listed: false, silenced: [] },
  { type: 'chat.history', roomId: 'warm-up', messages: [chatLine], hasMore: false, requestId: 1 },
  { type: 'chat.message', message: chatLine },
  { type: 'peer.joined', participant: someone },
  { type: 'peer.presence', userId: 'warm-up-1', presence: 'online' },
  { type: 'voice.state', userId: 'warm-up-1', muted: true, deafened: false },
  { type: 'peer.signal', from: 'warm-up-1', signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: SDP } } },
  {
    type: 'peer.signal',
    from: 'warm-up-1',
    signal: { kind: 'candidate', epoch: 1, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
  },
  { type: 'session.pong', seq: 1 },
];

/** The frames peers exchange on their control channel as a link opens. */
export const LINK_FRAMES: readonly ControlMessage[] = [
  { type: 'voice.state', muted: false, deafened: false },
  { type: 'ping', id: 1, sentAtMs: 0 },
  { type: 'pong', id: 1, sentAtMs: 0 },
];

/**
 * Parses one frame of each kind a join brings, and returns how many parsed.
 * The first parse of each schema builds zod's lazy internals (the union's
 * discriminator map, each object's shape) and runs the validators cold,
 * which costs milliseconds on a slow page: a client calls this while it is
 * idle before a join (the join form is up), so that the join's own frames,
 * on the critical path to the first audio, find the parsers warm.
 */
export function warmUpParsing(): number {
  let parsed = 0;
  for (const frame of JOINING_FRAMES) if (parseServerMessage(encodeMessage(frame)).ok) parsed++;
  for (const frame of LINK_FRAMES) if (parseControlMessage(encodeControlMessage(frame)).ok) parsed++;
  return parsed;
}
