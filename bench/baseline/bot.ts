/**
 * Headless baseline participants: @roamhq/wrtc peers that speak the baseline
 * protocol exactly as page.js does (the joiner offers to everyone already in
 * the room, members answer, trickle ICE, no recovery) and send a beeping
 * 440 Hz tone. They fill a room past what this machine's Chromium can hold.
 */
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { parseServerMessage, parseSignalData, type BaselineServerMessage, type BaselineSignalData } from './protocol';

export type BaselineBotsOptions = {
  /** The server's baseUrl (http://host:port) or its WebSocket URL (ws://host:port/ws). */
  url: string;
  room: string;
  names: string[];
  /**
   * false: the bots of this call send each other no audio (their links to
   * each other still negotiate, recvonly), so only links to pages carry sound.
   * A sounding path between two bots costs this Node process about 3% of a
   * core (encoding, sending, receiving), so 8 bots talking among themselves
   * (56 paths) need more than this two-core machine. Default true, like a
   * room of people.
   */
  audioBetweenBots?: boolean;
};

export type BaselineBots = {
  /**
   * Bot name -> names of the people in the room it has received audio bytes
   * from (someone who left drops out; sibling bots never appear when
   * audioBetweenBots is false).
   */
  hearing(): Record<string, string[]>;
  /** Every bot leaves (sends leave, closes its links and socket). */
  close(): Promise<void>;
};

const SAMPLE_RATE = 48_000;
const FRAME_MS = 10;
const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
/** How often each link not yet heard asks getStats whether audio bytes arrived. */
const HEARING_POLL_MS = 50;
/** After a stall, send at most this many overdue frames at once and drop the rest. */
const MAX_CATCH_UP_FRAMES = 5;

/**
 * One second of sound as 100 frames of 10 ms: a 440 Hz beep for the first
 * 200 ms, then silence. 440 whole cycles per second, so it loops seamlessly.
 */
function beepFrames(): Int16Array[] {
  return Array.from({ length: 1000 / FRAME_MS }, (_, frame) => {
    const samples = new Int16Array(FRAME_SAMPLES);
    if (frame * FRAME_MS < 200) {
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        samples[i] = Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * 440 * (frame * FRAME_SAMPLES + i)) / SAMPLE_RATE));
      }
    }
    return samples;
  });
}

function socketUrl(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 'wss:' : 'ws:';
  if (parsed.pathname === '/') parsed.pathname = '/ws';
  return parsed.toString();
}

type Link = {
  name: string;
  /** A sibling bot when audio between bots is off: nothing to send or hear. */
  quiet: boolean;
  pc: RTCPeerConnection | null;
  pending: RTCIceCandidateInit[];
  queue: Promise<void>;
  heard: boolean;
  polling: boolean;
};

type Bot = {
  name: string;
  heard(): string[];
  pollHearing(): void;
  close(): void;
};

async function startBot(url: string, room: string, name: string, track: MediaStreamTrack, quietTo: Set<string>): Promise<Bot> {
  const stream = new wrtc.MediaStream([track]);
  const links = new Map<string, Link>();
  const socket = new WebSocket(url);

  const send = (to: string, data: BaselineSignalData) => socket.send(JSON.stringify({ type: 'signal', to, data }));

  const addLink = (id: string, peerName: string): Link => {
    const link: Link = { name: peerName, quiet: quietTo.has(peerName), pc: null, pending: [], queue: Promise.resolve(), heard: false, polling: false };
    links.set(id, link);
    return link;
  };

  /** Negotiation steps for one link run in order; a link dropped meanwhile skips the rest. */
  const run = (id: string, link: Link, step: () => Promise<void>) => {
    link.queue = link.queue
      .then(() => (links.get(id) === link ? step() : undefined))
      .catch((error: unknown) => console.error(`baseline bot ${name}:`, error));
  };

  const connect = (id: string, link: Link): RTCPeerConnection => {
    const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
    link.pc = pc;
    if (link.quiet) pc.addTransceiver('audio', { direction: 'recvonly' });
    else pc.addTrack(track, stream);
    pc.onicecandidate = ({ candidate: c }) => {
      if (c) send(id, { candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } });
    };
    return pc;
  };

  // wrtc has no parameterless setLocalDescription: create, then set.
  const offer = async (id: string, link: Link) => {
    const pc = connect(id, link);
    const description = await pc.createOffer();
    await pc.setLocalDescription(description);
    send(id, { description: { type: 'offer', sdp: description.sdp ?? '' } });
  };

  const onDescription = async (id: string, link: Link, description: RTCSessionDescriptionInit) => {
    const pc = link.pc ?? connect(id, link);
    await pc.setRemoteDescription(description);
    for (const candidate of link.pending.splice(0)) await pc.addIceCandidate(candidate);
    if (description.type !== 'offer') return;
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    send(id, { description: { type: 'answer', sdp: answer.sdp ?? '' } });
  };

  const onCandidate = (link: Link, candidate: RTCIceCandidateInit) => {
    if (link.pc?.remoteDescription) link.pc.addIceCandidate(candidate).catch(() => undefined);
    else link.pending.push(candidate);
  };

  const drop = (id: string) => {
    links.get(id)?.pc?.close();
    links.delete(id);
  };

  const onMessage = (message: BaselineServerMessage) => {
    switch (message.type) {
      case 'joined':
        for (const peer of message.peers) {
          const link = addLink(peer.id, peer.name);
          run(peer.id, link, () => offer(peer.id, link));
        }
        return;
      case 'peer-joined':
        addLink(message.id, message.name);
        return;
      case 'peer-left':
        drop(message.id);
        return;
      case 'signal': {
        const link = links.get(message.from);
        const data = parseSignalData(message.data);
        if (!link || !data) return;
        if ('description' in data) run(message.from, link, () => onDescription(message.from, link, data.description));
        else onCandidate(link, data.candidate);
        return;
      }
      default:
        message satisfies never;
    }
  };

  const pollLink = async (link: Link) => {
    const pc = link.pc;
    if (!pc || link.quiet || link.heard || link.polling || pc.connectionState === 'closed') return;
    link.polling = true;
    try {
      let bytes = 0;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0;
      });
      link.heard = bytes > 0;
    } finally {
      link.polling = false;
    }
  };

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'join', room, name })));
    socket.on('message', (data) => {
      const message = parseServerMessage(String(data));
      if (!message) return;
      onMessage(message);
      if (message.type === 'joined') resolve();
    });
  });
  socket.on('error', (error) => console.error(`baseline bot ${name}:`, error.message));

  return {
    name,
    heard: () => [...links.values()].filter((l) => l.heard).map((l) => l.name),
    pollHearing: () => {
      for (const link of links.values()) pollLink(link).catch(() => undefined);
    },
    close: () => {
      for (const id of [...links.keys()]) drop(id);
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'leave' }));
      socket.close();
    },
  };
}

/**
 * wrtc's RTCAudioSource makes Node crash (SIGSEGV) in its clean-up when the
 * process ends by itself (node-webrtc/node-webrtc#636, still in 0.10.0);
 * leaving through process.exit() does not. This only runs once nothing is
 * left to do, so it changes how the process ends, not when.
 */
let exitGuarded = false;
function guardExit(): void {
  if (exitGuarded) return;
  exitGuarded = true;
  process.once('beforeExit', (code) => process.exit(code));
}

/** Starts one bot per name in `room`; resolves once every bot is in the room. */
export async function startBaselineBots({ url, room, names, audioBetweenBots = true }: BaselineBotsOptions): Promise<BaselineBots> {
  guardExit();
  const quietTo = new Set(audioBetweenBots ? [] : names);
  const frames = beepFrames();
  const sources = names.map(() => new wrtc.nonstandard.RTCAudioSource());
  const tracks = sources.map((source) => source.createTrack());

  // One clock for every bot's microphone: 10 ms frames, paced by elapsed time.
  const startedAt = performance.now();
  let framesSent = 0;
  const speaking = setInterval(() => {
    const due = Math.floor((performance.now() - startedAt) / FRAME_MS);
    if (due - framesSent > MAX_CATCH_UP_FRAMES) framesSent = due - MAX_CATCH_UP_FRAMES;
    for (; framesSent < due; framesSent++) {
      const samples = frames[framesSent % frames.length] as Int16Array;
      for (const source of sources) {
        source.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME_SAMPLES });
      }
    }
  }, FRAME_MS);

  const settled = await Promise.allSettled(names.map((name, i) => startBot(socketUrl(url), room, name, tracks[i] as MediaStreamTrack, quietTo)));
  const bots = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const listening = setInterval(() => bots.forEach((bot) => bot.pollHearing()), HEARING_POLL_MS);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(listening);
    clearInterval(speaking);
    for (const bot of bots) bot.close();
    for (const track of tracks) track.stop();
  };

  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await close();
    throw failure.reason;
  }
  return {
    hearing: () => Object.fromEntries(bots.map((bot) => [bot.name, bot.heard()])),
    close,
  };
}
