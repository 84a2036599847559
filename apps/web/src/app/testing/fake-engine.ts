import type { ConnectionState, MeshEvents } from '@parley/mesh';
import type { ChatHistoryRequest, ChatSend, ChatTypingSend, RoomId, UserId, VoiceState } from '@parley/protocol';
import type { Engine } from '../engine';

type Listener<K extends keyof MeshEvents> = (payload: MeshEvents[K]) => void;

/**
 * Stands in for MeshClient in tests: records what the app asked of it as a
 * peer would see it (in a room or not, muted or not) and lets tests emit events.
 */
export class FakeEngine implements Engine {
  private readonly listeners = new Map<keyof MeshEvents, Set<Listener<never>>>();
  connected = false;
  closed = false;
  connectionState: ConnectionState = 'idle';
  roomId: RoomId | undefined;
  voice: VoiceState = { muted: false, deafened: false };
  localStream: MediaStream | null = null;
  /** Chat frames that reached the wire, as the server would receive them. */
  readonly chatWire: (ChatSend | ChatHistoryRequest | ChatTypingSend)[] = [];

  /** `resumeToken` is what the server would see in session.hello: who this client claims to be. */
  constructor(
    readonly displayName: string,
    readonly resumeToken?: string,
  ) {}

  on<K extends keyof MeshEvents>(name: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof MeshEvents>(name: K, payload: MeshEvents[K]): void {
    if (name === 'connectionStateChanged') this.connectionState = (payload as MeshEvents['connectionStateChanged']).to;
    for (const listener of [...(this.listeners.get(name) ?? [])] as Listener<K>[]) listener(payload);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  connect(): void {
    this.connected = true;
  }

  /** Like MeshClient: only a client waiting to reconnect starts connecting at once. */
  retryNow(): void {
    if (this.connectionState === 'reconnecting') this.emit('connectionStateChanged', { from: 'reconnecting', to: 'connecting' });
  }

  join(roomId: RoomId, voice?: VoiceState): void {
    this.roomId = roomId;
    if (voice) this.voice = { ...voice };
  }

  setLocalStream(stream: MediaStream | null): void {
    this.localStream = stream;
  }

  /** What peers would be told: the voice rules live in the voice slice, the engine just publishes. */
  setVoice(voice: VoiceState): void {
    this.voice = { ...voice };
  }

  close(): void {
    this.closed = true;
    this.roomId = undefined;
  }

  getRemoteStream(_userId: UserId): MediaStream | undefined {
    return undefined; // no test plays remote audio
  }

  /** Like MeshClient: chat is not queued, so nothing reaches the wire unless the session is up. */
  sendChat(message: Omit<ChatSend, 'type'>): boolean {
    return this.toWire({ type: 'chat.send', ...message });
  }

  requestChatHistory(request: Omit<ChatHistoryRequest, 'type'>): boolean {
    return this.toWire({ type: 'chat.history', ...request });
  }

  sendTyping(roomId: RoomId): boolean {
    return this.toWire({ type: 'chat.typing', roomId });
  }

  private toWire(frame: ChatSend | ChatHistoryRequest | ChatTypingSend): boolean {
    if (this.closed || this.connectionState !== 'connected') return false;
    this.chatWire.push(frame);
    return true;
  }
}

export type FakeTrack = { readyState: 'live' | 'ended'; stop(): void };

/** A microphone stream with tracks whose `readyState` shows whether they were stopped. */
export function fakeStream(): { stream: MediaStream; tracks: FakeTrack[] } {
  const track: FakeTrack = {
    readyState: 'live',
    stop() {
      track.readyState = 'ended';
    },
  };
  const tracks = [track];
  // Only getTracks() is used on the app side; the engine fake never reads the stream.
  const stream = { getTracks: () => tracks } as unknown as MediaStream;
  return { stream, tracks };
}
