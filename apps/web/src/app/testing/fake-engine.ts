import { type ChatEvents, type ConnectionState, Emitter, type HistoryBounds, type RoomAccess, type RoomEvents } from '@parley/mesh';
import type {
  ChatClear,
  ChatHistoryRequest,
  ChatSend,
  ChatTypingSend,
  RoomConfigure,
  RoomId,
  RoomInviteCreate,
  RoomMute,
  RoomRemove,
  RoomSettingsChange,
  UserId,
  VoiceState,
} from '@parley/protocol';
import type { ChatEngine } from '../../features/chat/chat-controller';
import type { Engine } from '../engine';

type ChatFrame = ChatSend | ChatHistoryRequest | ChatTypingSend;
/** The room owner's commands, as the server would receive them. */
export type OwnerFrame = RoomConfigure | RoomInviteCreate | RoomRemove | RoomMute | ChatClear;

/** A listener that throws fails the test, as it would surface in the console of a page. */
const rethrow = (_name: unknown, error: unknown) => {
  throw error;
};

/**
 * The engine's chat channel, faked: frames reach `wire` only while the
 * session is up (nothing is queued, as in ChatChannel), and it is ready for
 * the room when the fake engine reports a roster on a connected session.
 */
export class FakeChatChannel implements ChatEngine {
  private readonly events = new Emitter<ChatEvents>(rethrow);
  readonly on = this.events.on.bind(this.events);
  readonly emit = this.events.emit.bind(this.events);
  readonly wire: ChatFrame[] = [];
  up = false;
  closed = false;
  private ready: RoomId | undefined;
  private nextRequestId = 1;

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
  private readonly events = new Emitter<RoomEvents>(rethrow);
  readonly on = this.events.on.bind(this.events);
  connected = false;
  closed = false;
  connectionState: ConnectionState = 'idle';
  roomId: RoomId | undefined;
  /** What the latest join presented to get in (password, invite, owner key). */
  access: RoomAccess | undefined;
  voice: VoiceState = { muted: false, deafened: false };
  /** The owner's commands sent while in a room. */
  readonly ownerWire: OwnerFrame[] = [];
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

  /** As RoomClient would: the chat channel follows the session (ready on a roster while connected). */
  emit<K extends keyof RoomEvents>(name: K, payload: RoomEvents[K]): void {
    if (name === 'connectionStateChanged') this.connectionState = (payload as RoomEvents['connectionStateChanged']).to;
    this.events.emit(name, payload);
    this.chat.up = this.connectionState === 'connected' && !this.closed;
    if (name === 'roomJoined' && this.chat.up) {
      const { roomId, selfId } = payload as RoomEvents['roomJoined'];
      this.chat.becameReady(roomId, selfId);
    } else if (name === 'roomLeft' || (name === 'connectionStateChanged' && !this.chat.up)) this.chat.becameReady(undefined);
  }

  listenerCount(): number {
    return this.events.listenerCount();
  }

  connect(): void {
    this.connected = true;
  }

  /** Like RoomClient: only a client waiting to reconnect starts connecting at once. */
  retryNow(): void {
    if (this.connectionState === 'reconnecting') this.emit('connectionStateChanged', { from: 'reconnecting', to: 'connecting' });
  }

  join(roomId: RoomId, voice?: VoiceState, access: RoomAccess = {}): void {
    this.roomId = roomId;
    this.access = { ...access };
    if (voice) this.voice = { ...voice };
  }

  configureRoom(change: RoomSettingsChange): void {
    if (this.roomId !== undefined) this.ownerWire.push({ type: 'room.configure', roomId: this.roomId, ...change });
  }

  createInvite(): void {
    if (this.roomId !== undefined) this.ownerWire.push({ type: 'room.invite', roomId: this.roomId });
  }

  removeParticipant(userId: UserId): void {
    if (this.roomId !== undefined) this.ownerWire.push({ type: 'room.remove', roomId: this.roomId, userId });
  }

  muteForEveryone(userId: UserId, muted: boolean): void {
    if (this.roomId !== undefined) this.ownerWire.push({ type: 'room.mute', roomId: this.roomId, userId, muted });
  }

  clearChat(): void {
    if (this.roomId !== undefined) this.ownerWire.push({ type: 'chat.clear', roomId: this.roomId });
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

export type FakeTrack = {
  readyState: 'live' | 'ended';
  enabled: boolean;
  stop(): void;
  getSettings(): { deviceId: string };
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  unplug(): void;
};

/** A microphone stream with tracks whose `readyState` shows whether they were stopped. */
export function fakeStream(deviceId = 'default'): { stream: MediaStream; tracks: FakeTrack[] } {
  const ended = new Set<() => void>();
  const track: FakeTrack = {
    readyState: 'live',
    enabled: true,
    stop() {
      track.readyState = 'ended';
    },
    getSettings: () => ({ deviceId }),
    addEventListener: (_type: string, listener: () => void) => ended.add(listener),
    removeEventListener: (_type: string, listener: () => void) => ended.delete(listener),
    /** The device was unplugged: the browser ends the track and says so. */
    unplug() {
      track.readyState = 'ended';
      for (const listener of ended) listener();
    },
  };
  const tracks = [track];
  // The engine fake never reads the stream; the app side reads its tracks.
  const stream = { getTracks: () => tracks, getAudioTracks: () => tracks } as unknown as MediaStream;
  return { stream, tracks };
}
