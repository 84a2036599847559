import type { RoomAccess } from '@parley/mesh';
import type { RoomId, RoomSettingsChange, UserId } from '@parley/protocol';
import { createChatControllerSlot, type ChatController } from '../features/chat';
import { joinRefusalOf } from '../features/lobby/join-refusal';
import type { JoinRefusal } from '../features/lobby/join-refusal-slice';
import {
  classifyMicError,
  openMicrophone,
  stopTracks,
  type MediaDevicesLike,
} from '../features/voice/microphone';
import { LocalMicrophone, type LocalMicrophoneDeps } from '../features/voice/local-microphone';
import type { MicrophoneWarmup } from '../features/voice/microphone-warmup';
import { RemoteStreams } from '../features/voice/remote-streams';
import { selectVoiceState } from '../features/voice/voice-slice';
import { bridgeEngine, onstage, sessionErrorOf, type Offstage } from './engine-bridge';
import type { Engine, EngineOptions } from './engine';
import type { Invitation } from './invite-link';
import type { OwnerKeys } from './owner-keys';
import { LOBBY_PATH, roomPath } from './routes';
import type { AppStore } from './store';
import type { SessionMemory } from './stored-session';

export type VoiceSessionDeps = {
  store: AppStore;
  createEngine(options: EngineOptions): Engine;
  /** undefined where the browser offers no microphone API (an insecure origin). */
  mediaDevices: MediaDevicesLike | undefined;
  /** Whether the microphone opens without a prompt; then the room is joined while it opens. */
  microphoneAllowed?(): Promise<boolean>;
  /** The microphone the join form opened (see MicrophoneWarmup); Join takes it. */
  microphoneWarmup?: Pick<MicrophoneWarmup, 'warm' | 'take' | 'takeOpen' | 'release' | 'reopen' | 'track' | 'subscribe'>;
  /** What the microphone in a call needs besides the media devices: RNNoise and the device list. */
  microphone?: Partial<Pick<LocalMicrophoneDeps, 'suppressNoise' | 'listDevices' | 'nameDevices' | 'timers' | 'later'>>;
  navigate(path: string): void;
  /** Where this tab keeps its identity so a reload rejoins as the same participant. */
  memory: SessionMemory;
  /** Starts the chat's side effects on one engine's chat channel (startBrowserChat in the browser). */
  startChat(chat: Engine['chat'], store: AppStore): ChatController;
  /** Where this browser keeps the keys that make it the owner of the rooms it created. */
  ownerKeys: Pick<OwnerKeys, 'load' | 'save'>;
  /** The invite link this page was opened with (taken off the address bar): it lets us into its room. */
  invitation?: Invitation;
  /** Starts the page's audio (meters, sounds); called from Join, Mute and Deafen, which are user gestures. */
  resumeAudio?(): void;
  /** Starts the room's sounds, unread title and notifications on one engine (startBrowserRoomCues); returns the stop. */
  startCues?(engine: Engine, store: AppStore): () => void;
  /** Runs one engine event's store changes; the browser's tells React later (appRenders.offstage, see render-pacing). */
  offstage?: Offstage;
  /** Runs Join's store changes so that React hears of them once, when the click is done (appRenders.together). */
  together?: Offstage;
};

/** What the person typed on the join form besides their name. */
export type JoinCredentials = { password?: string };

type Visit = { roomId: RoomId; displayName: string; resumeToken?: string; password?: string; invite?: string };

/**
 * One visit to one room: the microphone, the engine and its bridge to the
 * store. Owns everything that is not serializable, so the store never does.
 * A new engine per visit keeps a changed display name and a fresh handshake simple;
 * within a visit the same engine rides out signaling reconnects.
 */
export class VoiceSession {
  private engine: Engine | undefined;
  private unbridge: (() => void) | undefined;
  /** The microphone of this visit once Join opened it; undefined where the browser offers none. */
  readonly microphone: LocalMicrophone | undefined;
  private visit: Visit | undefined;
  /** Bumped by every start and teardown, so a late microphone answer is dropped. */
  private attempt = 0;
  /** The engine was asked to join (the microphone is ours): from now on its identity is worth remembering. */
  private entered = false;
  private latestResumeToken: string | undefined;
  /** Sent with every join of its room for the page's lifetime, until the server calls it invalid. */
  private invitation: Invitation | undefined;
  private readonly chatSlot = createChatControllerSlot();
  /** The room's remote audio, as the engine hands it over; stable for the page's lifetime. */
  readonly remoteStreams = new RemoteStreams();

  constructor(private readonly deps: VoiceSessionDeps) {
    this.invitation = deps.invitation;
    const { store, mediaDevices } = deps;
    this.microphone =
      mediaDevices &&
      new LocalMicrophone({
        devices: mediaDevices,
        settings: () => store.getState().voiceSettings,
        send: (stream) => {
          if (this.entered) this.engine?.setLocalStream(stream);
        },
        suppressNoise: deps.microphone?.suppressNoise ?? (() => Promise.reject(new Error('no noise suppression here'))),
        listDevices: deps.microphone?.listDevices ?? (async () => undefined),
        ...(deps.microphone?.nameDevices ? { nameDevices: deps.microphone.nameDevices } : {}),
        // Told in a background task (LocalMicrophone.start): React hears of it as of an engine event.
        opened: (deviceId) => (deps.offstage ?? onstage)(() => store.getState().microphoneOpened(deviceId)),
        notice: (text) => store.getState().microphoneNoticeShown(text),
        ...(deps.microphone?.timers ? { timers: deps.microphone.timers } : {}),
        ...(deps.microphone?.later ? { later: deps.microphone.later } : {}),
      });
    // Another microphone, other processing, RNNoise on or off: the open microphone follows.
    store.subscribe((state, previous) => {
      if (state.voiceSettings !== previous.voiceSettings) this.microphone?.follow();
    });
  }

  /** The microphone the join form shows (opened ahead of Join), if this page opens one there. */
  get preview(): Pick<MicrophoneWarmup, 'track' | 'subscribe' | 'reopen'> | undefined {
    return this.deps.microphoneWarmup;
  }

  /** Stable for the session's lifetime; forwards to the current engine's chat controller. */
  get chat(): ChatController {
    return this.chatSlot.controller;
  }

  /**
   * Ask for the microphone, then go to the room and join it, with what lets
   * us in: the password typed (if any), this page's invite for the room, and
   * the owner key this browser holds for it.
   */
  async join(roomId: RoomId, displayName: string, credentials: JoinCredentials = {}): Promise<void> {
    // A dozen store changes (the visit before goes, the microphone is taken, the room is entered): React hears of them once.
    const together = this.deps.together ?? onstage;
    await together(() => {
      this.deps.resumeAudio?.();
      this.teardown();
      const invite = this.inviteFor(roomId);
      this.visit = {
        roomId,
        displayName,
        ...(credentials.password ? { password: credentials.password } : {}),
        ...(invite === undefined ? {} : { invite }),
      };
      const actions = this.deps.store.getState();
      actions.joinRefusalCleared();
      actions.displayNameChosen(displayName);
      return this.acquireMicrophoneAndEnter();
    });
  }

  /**
   * After a reload: come back to `roomId` as the participant this tab was,
   * without asking for a name. Resolves false when this tab holds no session for that room.
   */
  async rejoin(roomId: RoomId): Promise<boolean> {
    const stored = this.deps.memory.loadFor(roomId);
    if (!stored) return false;
    this.teardown();
    const invite = stored.invite ?? this.inviteFor(roomId);
    this.visit = { ...stored, ...(invite === undefined ? {} : { invite }) };
    const actions = this.deps.store.getState();
    actions.joinRefusalCleared();
    actions.displayNameChosen(stored.displayName);
    actions.rejoinStarted(roomId);
    await this.acquireMicrophoneAndEnter();
    return true;
  }

  /** The "Try again" after a microphone error: on the form, open its microphone again; after Join, join. */
  async retryMicrophone(): Promise<void> {
    if (this.visit && !this.engine) await this.acquireMicrophoneAndEnter();
    else if (!this.visit && this.deps.microphoneWarmup) {
      this.deps.store.getState().micReleased();
      this.deps.microphoneWarmup.warm();
    }
  }

  /** The user is on the join form: open the microphone for its check (the browser may ask). */
  warmUpMicrophone(): void {
    if (!this.engine) this.deps.microphoneWarmup?.warm();
  }

  /** The join form was left without joining: close the microphone it opened. */
  releaseMicrophonePreview(): void {
    this.deps.microphoneWarmup?.release();
  }

  /** "Retry now", or the network came back: reconnect at once instead of waiting. */
  retryNow(): void {
    this.engine?.retryNow();
  }

  /**
   * Another tab took this session over: take it back here with a fresh engine,
   * the same identity, microphone and voice state.
   */
  takeBack(): void {
    const { visit } = this;
    const stream = this.microphone?.stream();
    if (!visit || !stream) return;
    this.dropEngine();
    this.deps.store.getState().sessionEnded();
    this.enter(visit, stream);
  }

  /** The voice slice owns the rules (deafen implies mute, undeafen gives back an earlier mute); peers hear the result once. */
  toggleMute(): void {
    this.deps.resumeAudio?.();
    const { store } = this.deps;
    store.getState().muteToggled();
    this.engine?.setVoice(selectVoiceState(store.getState()));
  }

  toggleDeafen(): void {
    this.deps.resumeAudio?.();
    const { store } = this.deps;
    store.getState().deafenToggled();
    this.engine?.setVoice(selectVoiceState(store.getState()));
  }

  /** The owner's commands; the server refuses them from anyone else. */
  configureRoom(change: RoomSettingsChange): void {
    this.engine?.configureRoom(change);
  }

  createInvite(): void {
    this.engine?.createInvite();
  }

  removeParticipant(userId: UserId): void {
    this.engine?.removeParticipant(userId);
  }

  muteForEveryone(userId: UserId, muted: boolean): void {
    this.engine?.muteForEveryone(userId, muted);
  }

  clearChat(): void {
    this.engine?.clearChat();
  }

  /** Leave the room for good (others see you go), release the microphone, go back to the lobby. */
  leave(options: { navigate?: boolean } = {}): void {
    this.teardown();
    this.deps.memory.clear();
    if (options.navigate ?? true) this.deps.navigate(LOBBY_PATH);
  }

  /**
   * The microphone and the server at the same time. The engine says hello
   * (which joins nothing) while the browser opens the microphone. Where the
   * user allowed the microphone before (no prompt can come), the room is
   * joined at once too, and the track is attached to every link when it
   * arrives; otherwise the room is joined once it is granted. A microphone
   * that fails after all takes us out of the room again, and a refused one
   * closes an engine that never joined.
   */
  private async acquireMicrophoneAndEnter(): Promise<void> {
    const visit = this.visit;
    if (!visit) return;
    const attempt = ++this.attempt;
    const actions = this.deps.store.getState;
    const devices = this.deps.mediaDevices;
    if (!devices) {
      actions().micFailed({ kind: 'insecure', name: 'NotSupportedError' });
      return;
    }
    actions().micRequested();
    const open = this.deps.microphoneWarmup?.takeOpen();
    if (open) {
      // The form's microphone is open, so it is allowed: go in within the Join click's
      // own task, before React renders the room page and anything else it wakes.
      this.microphoneOpened(visit, open);
      return;
    }
    if (!this.engine) this.startEngine(visit);
    const opening =
      this.deps.microphoneWarmup?.take() ?? openMicrophone(devices, actions().voiceSettings);
    const allowed = (await this.deps.microphoneAllowed?.()) ?? false;
    if (allowed && attempt === this.attempt && !this.entered) this.enter(visit);
    let stream: MediaStream;
    try {
      stream = await opening;
    } catch (error) {
      if (attempt !== this.attempt) return;
      // Closing the engine leaves the room it may have joined: the others see us go.
      this.dropEngine();
      actions().roomLeft();
      actions().connectionChanged('idle');
      actions().micFailed(classifyMicError(error));
      return;
    }
    if (attempt !== this.attempt) {
      // Left or restarted while the permission prompt was open.
      stopTracks(stream);
      return;
    }
    this.microphoneOpened(visit, stream);
  }

  /** Join's microphone is open: it becomes the visit's, and the room hears it (entering the room if not in yet). */
  private microphoneOpened(visit: Visit, stream: MediaStream): void {
    // Into the room first (see enter): the microphone's own bookkeeping can follow the join out.
    if (this.entered) this.engine?.setLocalStream(stream);
    else this.enter(visit, stream);
    this.microphone?.start(stream);
    this.deps.store.getState().micGranted();
  }

  /** A new engine for this visit, bridged to the store and connecting; not in any room yet. */
  private startEngine(visit: Visit): Engine | undefined {
    const { store } = this.deps;
    const { displayName, resumeToken } = visit;
    try {
      const engine = this.deps.createEngine({ displayName, ...(resumeToken === undefined ? {} : { resumeToken }) });
      this.engine = engine;
      const unbridge = bridgeEngine(engine, store, this.remoteStreams, this.deps.offstage);
      // Before connect()/join(), so the controller sees the first roomJoined.
      this.chatSlot.set(this.deps.startChat(engine.chat, store));
      const stopCues = this.deps.startCues?.(engine, store);
      const offSession = engine.on('sessionStarted', ({ resumeToken: latest }) => {
        this.latestResumeToken = latest;
        if (this.entered) this.remember(visit, latest);
      });
      const offError = engine.on('error', ({ error }) => {
        if (error.reason === 'replaced') {
          this.yieldToOtherTab();
          return;
        }
        const refusal = joinRefusalOf(sessionErrorOf(error), visit.roomId, store.getState().roomStatus === 'joining');
        if (refusal) this.turnedAway(refusal);
      });
      const offRemoved = engine.on('removedFromRoom', ({ roomId }) => this.turnedAway({ roomId, code: 'removed' }));
      const offOwnerKey = engine.on('ownerKeyIssued', ({ roomId, ownerKey }) => this.deps.ownerKeys.save(roomId, ownerKey));
      this.unbridge = () => {
        unbridge();
        offSession();
        offError();
        offRemoved();
        offOwnerKey();
        stopCues?.();
      };
      engine.connect();
      return engine;
    } catch (error) {
      store.getState().errorRaised({
        reason: 'unexpected',
        recoverable: false,
        detail: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  /** Go to the room and join it; the microphone may still be opening (no stream yet). */
  private enter(visit: Visit, stream?: MediaStream): void {
    const { store } = this.deps;
    const { roomId } = visit;
    // Push to talk: you come in muted, and speak only while its key is held (usePushToTalk).
    if (store.getState().voiceSettings.pushToTalk && !store.getState().muted) store.getState().muteToggled();
    // The engine joins first: on a greeted socket `room.join` goes out now, and the server
    // answers while the page does its part below (the engine's answers come in later tasks).
    const engine = this.engine ?? this.startEngine(visit);
    if (engine) {
      if (stream) engine.setLocalStream(stream);
      const { muted, deafened } = store.getState();
      engine.join(roomId, { muted, deafened }, this.accessFor(visit));
    }
    this.deps.navigate(roomPath(roomId));
    store.getState().roomJoining(roomId);
    if (!engine) return;
    this.entered = true;
    if (this.latestResumeToken !== undefined) this.remember(visit, this.latestResumeToken);
  }

  /** What lets us into the visit's room; the engine sends it again with every rejoin after a reconnect. */
  private accessFor(visit: Visit): RoomAccess {
    const ownerKey = this.deps.ownerKeys.load(visit.roomId);
    return {
      ...(ownerKey === undefined ? {} : { ownerKey }),
      ...(visit.invite === undefined ? {} : { invite: visit.invite }),
      ...(visit.password === undefined ? {} : { password: visit.password }),
    };
  }

  private inviteFor(roomId: RoomId): string | undefined {
    return this.invitation?.roomId === roomId ? this.invitation.token : undefined;
  }

  /** Every new session gets a new token; the latest one is the one a reload needs. */
  private remember(visit: Visit, resumeToken: string): void {
    visit.resumeToken = resumeToken;
    const { roomId, displayName, password, invite } = visit;
    this.deps.memory.save({
      roomId,
      displayName,
      resumeToken,
      ...(password === undefined ? {} : { password }),
      ...(invite === undefined ? {} : { invite }),
    });
  }

  /**
   * The server would not let us in (or the owner put us out): release
   * everything as Leave does, forget this tab's place in the room, and stay
   * on the room's address, where the join form says why and asks again.
   */
  private turnedAway(refusal: JoinRefusal): void {
    if (refusal.code === 'invite_invalid' && this.invitation?.roomId === refusal.roomId) this.invitation = undefined;
    this.teardown();
    this.deps.memory.clear();
    this.deps.store.getState().joinRefused(refusal);
  }

  /**
   * Another tab now speaks for this participant: stop hearing and sending here
   * (close this engine's links), but keep the room on screen, the microphone
   * and the identity so "Use this tab" can take it back.
   */
  private yieldToOtherTab(): void {
    this.dropEngine();
    this.deps.store.getState().roomSuspended();
  }

  private dropEngine(): void {
    this.unbridge?.();
    this.unbridge = undefined;
    this.chatSlot.set(undefined);
    this.remoteStreams.clear();
    this.engine?.close();
    this.engine = undefined;
    this.entered = false;
    this.latestResumeToken = undefined;
  }

  private teardown(): void {
    this.attempt++;
    this.visit = undefined;
    this.dropEngine();
    this.microphone?.stop();
    const actions = this.deps.store.getState();
    actions.roomLeft();
    actions.voiceReset();
    actions.micReleased();
    actions.sessionEnded();
    actions.roomSettingsReset();
    // The visit is over; unsent messages stay in localStorage for the next visit to this room.
    actions.chatReset();
  }
}
