import type { RoomId, UserId } from '@parley/protocol';
import {
  classifyMicError,
  requestMicrophone,
  stopTracks,
  type MediaDevicesLike,
} from '../features/voice/microphone';
import { bridgeEngine } from './engine-bridge';
import type { Engine } from './engine';
import { LOBBY_PATH, roomPath } from './routes';
import type { AppStore } from './store';

export type VoiceSessionDeps = {
  store: AppStore;
  createEngine(displayName: string): Engine;
  /** undefined where the browser offers no microphone API (an insecure origin). */
  mediaDevices: MediaDevicesLike | undefined;
  navigate(path: string): void;
};

type Visit = { roomId: RoomId; displayName: string };

/**
 * One visit to one room: the microphone, the engine and its bridge to the
 * store. Owns everything that is not serializable, so the store never does.
 * A new engine per visit keeps a changed display name and a fresh handshake simple.
 */
export class VoiceSession {
  private engine: Engine | undefined;
  private unbridge: (() => void) | undefined;
  private stream: MediaStream | undefined;
  private visit: Visit | undefined;
  /** Bumped by every start and teardown, so a late microphone answer is dropped. */
  private attempt = 0;

  constructor(private readonly deps: VoiceSessionDeps) {}

  /** Ask for the microphone, then go to the room and join it. */
  async join(roomId: RoomId, displayName: string): Promise<void> {
    this.teardown();
    this.visit = { roomId, displayName };
    this.deps.store.getState().displayNameChosen(displayName);
    await this.acquireMicrophoneAndEnter();
  }

  /** The "Try again" after a microphone error. */
  async retryMicrophone(): Promise<void> {
    if (this.visit && !this.engine) await this.acquireMicrophoneAndEnter();
  }

  toggleMute(): void {
    const { store } = this.deps;
    store.getState().muteToggled();
    // The engine agrees: unmuting while deafened undeafens too.
    this.engine?.setMuted(store.getState().muted);
  }

  toggleDeafen(): void {
    const { store } = this.deps;
    store.getState().deafenToggled();
    const { muted, deafened } = store.getState();
    this.engine?.setDeafened(deafened);
    // The engine stays muted after undeafening; give back the mute you had before.
    if (!deafened && !muted) this.engine?.setMuted(false);
  }

  getRemoteStream(userId: UserId): MediaStream | undefined {
    return this.engine?.getRemoteStream(userId);
  }

  /** Leave the room, release the microphone, go back to the lobby. */
  leave(options: { navigate?: boolean } = {}): void {
    this.teardown();
    if (options.navigate ?? true) this.deps.navigate(LOBBY_PATH);
  }

  /** Page is going away: close everything, navigate nowhere. */
  dispose(): void {
    this.teardown();
  }

  private async acquireMicrophoneAndEnter(): Promise<void> {
    const visit = this.visit;
    if (!visit) return;
    const attempt = ++this.attempt;
    const actions = this.deps.store.getState;
    if (!this.deps.mediaDevices) {
      actions().micFailed({ kind: 'insecure', name: 'NotSupportedError' });
      return;
    }
    actions().micRequested();
    let stream: MediaStream;
    try {
      stream = await requestMicrophone(this.deps.mediaDevices);
    } catch (error) {
      if (attempt === this.attempt) actions().micFailed(classifyMicError(error));
      return;
    }
    if (attempt !== this.attempt) {
      // Left or restarted while the permission prompt was open.
      stopTracks(stream);
      return;
    }
    this.stream = stream;
    actions().micGranted();
    this.enter(visit, stream);
  }

  private enter({ roomId, displayName }: Visit, stream: MediaStream): void {
    const { store } = this.deps;
    this.deps.navigate(roomPath(roomId));
    store.getState().roomJoining(roomId);
    try {
      const engine = this.deps.createEngine(displayName);
      this.engine = engine;
      this.unbridge = bridgeEngine(engine, store);
      engine.setLocalStream(stream);
      engine.connect();
      const { muted, deafened } = store.getState();
      engine.join(roomId, { muted, deafened });
    } catch (error) {
      store.getState().errorRaised({
        reason: 'unexpected',
        recoverable: false,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private teardown(): void {
    this.attempt++;
    this.visit = undefined;
    this.unbridge?.();
    this.unbridge = undefined;
    this.engine?.close();
    this.engine = undefined;
    stopTracks(this.stream);
    this.stream = undefined;
    const actions = this.deps.store.getState();
    actions.roomLeft();
    actions.voiceReset();
    actions.micReleased();
    actions.sessionEnded();
  }
}
