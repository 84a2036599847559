import type { Clock, TimerHandle } from '@parley/mesh';
import type { VoiceState } from '@parley/protocol';
import { hasCommandModifier, isInDialog, isTextEntry, type KeyPress } from './keyboard-target';

/** How long you stay audible after letting go of the key, so the end of a word is not cut. */
export const PUSH_TO_TALK_RELEASE_DELAY_MS = 250;

export type PushToTalkDeps = {
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** Your voice as the store holds it. */
  voice(): VoiceState;
  /** What the Mute button does (the voice rules, then the engine): the only way this changes your voice. */
  toggleMute(): void;
  releaseDelayMs?: number;
};

export type PushToTalkSettings = { enabled: boolean; key: string };

/**
 * Push to talk: while it is on you are muted unless its key is held. Key
 * down unmutes, key up mutes again after a short release delay. Deafened,
 * the key does not unmute (you cannot talk into a room you cannot hear).
 * Typing never talks: a key pressed in a text field is left to it, and so is
 * one pressed in a dialog (Space ticks its checkboxes). Turning push to talk
 * off leaves you muted; the Mute button takes it from there.
 *
 * The caller feeds it key events and prevents the default of every event it
 * claims (returns true for): Space must neither scroll the page nor press a
 * focused button over and over.
 */
export class PushToTalk {
  private settings: PushToTalkSettings = { enabled: false, key: 'Space' };
  /** The key is down (a key down we claimed, no key up since). */
  private held = false;
  private releaseTimer: TimerHandle | undefined;
  private readonly releaseDelayMs: number;

  constructor(private readonly deps: PushToTalkDeps) {
    this.releaseDelayMs = deps.releaseDelayMs ?? PUSH_TO_TALK_RELEASE_DELAY_MS;
  }

  /** Held, or let go less than the release delay ago: your voice is on its way. */
  get talking(): boolean {
    return this.held || this.releaseTimer !== undefined;
  }

  configure(settings: PushToTalkSettings): void {
    const before = this.settings;
    if (before.enabled === settings.enabled && before.key === settings.key) return;
    const wasTalking = this.talking;
    this.settings = { ...settings };
    // Turned on, off or onto another key: whatever was held ends here, muted.
    this.stopTalking();
    if (settings.enabled || wasTalking) this.muteIfUnmuted();
  }

  keyDown(press: KeyPress): boolean {
    if (!this.claims(press) || isTextEntry(press.target) || isInDialog(press.target)) return false;
    this.cancelRelease();
    this.held = true;
    const { muted, deafened } = this.deps.voice();
    if (muted && !deafened) this.deps.toggleMute();
    return true;
  }

  keyUp(press: Pick<KeyPress, 'code'>): boolean {
    // Whatever has the focus now: the key down was ours, so is its key up.
    if (!this.settings.enabled || press.code !== this.settings.key || !this.held) return false;
    this.held = false;
    this.releaseTimer = this.deps.clock.setTimeout(() => {
      this.releaseTimer = undefined;
      this.keepMuted();
    }, this.releaseDelayMs);
    return true;
  }

  /**
   * Ends a press at once, muted: the page lost the keyboard (another window,
   * another tab) and the key up may never come, or the room is going away.
   */
  stop(): void {
    if (!this.talking) return;
    this.stopTalking();
    this.muteIfUnmuted();
  }

  /**
   * Your voice changed some other way (a rejoin started afresh, undeafening
   * gave back an earlier unmute): unless the key is held, you stay muted.
   */
  voiceChanged(): void {
    if (!this.talking) this.keepMuted();
  }

  private claims(press: KeyPress): boolean {
    return this.settings.enabled && press.code === this.settings.key && !hasCommandModifier(press);
  }

  private keepMuted(): void {
    if (this.settings.enabled) this.muteIfUnmuted();
  }

  private muteIfUnmuted(): void {
    if (!this.deps.voice().muted) this.deps.toggleMute();
  }

  private stopTalking(): void {
    this.held = false;
    this.cancelRelease();
  }

  private cancelRelease(): void {
    if (this.releaseTimer === undefined) return;
    this.deps.clock.clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
  }
}
