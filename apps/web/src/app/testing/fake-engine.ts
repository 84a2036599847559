import type { ChatEvents, ConnectionState, HistoryBounds, RoomEvents } from '@parley/mesh';
import type { ChatHistoryRequest, ChatSend, ChatTypingSend, RoomId, UserId, VoiceState } from '@parley/protocol';
import type { ChatEngine } from '../../features/chat/chat-controller';
import type { Engine } from '../engine';

type Listener<K extends keyof RoomEvents> = (payload: RoomEvents[K]) => void;
type ChatListener<K extends keyof ChatEvents> = (payload: ChatEvents[K]) => void;
type ChatFrame = ChatSend | ChatHistoryRequest | ChatTypingSend;

/**
 * The engine's chat channel, faked: frames reach `wire` only while the
 * session is up (nothing is queued, as in ChatChannel), and it is ready for
 * the room when the fake engine reports a roster on a connected session.
 */
export class FakeChatChannel implements ChatEngine {
  private readonly listeners = new Map<keyof ChatEvents, Set<ChatListener<never>>>();
  readonly wire: ChatFrame[] = [];
  up = false;
  closed = false;
  private ready: RoomId | undefined;
  private nextRequestId = 1;

  on<K extends keyof ChatEvents>(name: K, listener: ChatListener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as ChatListener<never>);
    return () => set.delete(listener as ChatListener<never>);
  }

  emit<K extends keyof ChatEvents>(name: K, payload: ChatEvents[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])] as ChatListener<K>[]) listener(payload);
  }

  /** The id the latest history request went out with: what the server's page would echo. */
  get lastRequestId(): number {
    return this.nextRequestId - 1;
  }

  becameReady(roomId: RoomId | undefined, selfId?: UserId): void {
    if (roomId === this.ready && roomId === undefined) return;
    this.ready = roomId;
    this.emit('readyChanged', roomId === undefined || selfId === undefined ? { roomId: undefined } : { roomId, selfId });
  }

  send(message: Omit<ChatSend, 'type'>): boolean {
    return this.toWire({ type: 'chat.send', ...message });
  }

  requestHistory(roomId: RoomId, bounds: HistoryBounds): number | undefined {
    const requestId = this.nextRequestId;
    if (!this.toWire({ type: 'chat.history', roomId, requestId, ...bounds })) return undefined;
    this.nextRequestId++;
    return requestId;
  }

  sendTyping(roomId: RoomId): boolean {
    return this.toWire({ type: 'chat.typing', roomId });
  }

  private toWire(frame: ChatFrame): boolean {
    if (this.closed || !this.up) return false;
    this.wire.push(frame);
    return true;
  }
}

/**
 * Stands in for RoomClient in tests: records what the app asked of it as a
 * peer would see it (in a room or not, muted or not) and lets tests emit events.
 */
export class FakeEngine implements Engine {
  private readonly listeners = new Map<keyof RoomEvents, Set<Listener<never>>>();
  connected = false;
  closed = false;
  connectionState: ConnectionState = 'idle';
  roomId: RoomId | undefined;
  voice: VoiceState = { muted: false, deafened: false };
  localStream: MediaStream | null = null;
  readonly chat = new FakeChatChannel();

  /** Chat frames that reached the wire, as the server would receive them. */
  get chatWire(): ChatFrame[] {
    return this.chat.wire;
  }

  /** `resumeToken` is what the server would see in session.hello: who this client claims to be. */
  constructor(
    readonly displayName: string,
    readonly resumeToken?: string,
  ) {}

  on<K extends keyof RoomEvents>(name: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** As RoomClient would: the chat channel follows the session (ready on a roster while connected). */
  emit<K extends keyof RoomEvents>(name: K, payload: RoomEvents[K]): void {
    if (name === 'connectionStateChanged') this.connectionState = (payload as RoomEvents['connectionStateChanged']).to;
    for (const listener of [...(this.listeners.get(name) ?? [])] as Listener<K>[]) listener(payload);
    this.chat.up = this.connectionState === 'connected' && !this.closed;
    if (name === 'roomJoined' && this.chat.up) {
      const { roomId, selfId } = payload as RoomEvents['roomJoined'];
      this.chat.becameReady(roomId, selfId);
    } else if (name === 'roomLeft' || (name === 'connectionStateChanged' && !this.chat.up)) this.chat.becameReady(undefined);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  connect(): void {
    this.connected = true;
  }

  /** Like RoomClient: only a client waiting to reconnect starts connecting at once. */
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
    this.chat.closed = true;
    this.roomId = undefined;
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
