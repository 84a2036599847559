import { deafenToggled, INITIAL_VOICE_CONTROLS, muteToggled } from '@parley/mesh';
import type { VoiceState } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';

/**
 * What you asked for with the Mute and Deafen buttons, by the engine's voice
 * rules (packages/mesh/src/voice-rules.ts): deafen means you hear nobody and
 * are muted; undeafening gives back the mute you had before. This is the one
 * copy of your own voice state; the engine is told the result. Also whether the browser holds the room's sound back until you click
 * (its autoplay policy, typically after a reload rejoined by itself).
 */
export type VoiceSlice = {
  muted: boolean;
  deafened: boolean;
  mutedBeforeDeafen: boolean;
  playbackBlocked: boolean;
  /** Muted, and the microphone hears you speak: "You are muted". */
  speakingWhileMuted: boolean;

  muteToggled(): void;
  deafenToggled(): void;
  playbackRefused(): void;
  playbackResumed(): void;
  speakingWhileMutedChanged(speaking: boolean): void;
  voiceReset(): void;
};

const initialVoice = { ...INITIAL_VOICE_CONTROLS, playbackBlocked: false, speakingWhileMuted: false };

export const createVoiceSlice: StateCreator<VoiceSlice, [], [], VoiceSlice> = (set) => ({
  ...initialVoice,

  // Unmuting ends "You are muted" at once; the engine says so too, a tick later.
  muteToggled: () => set((s) => ({ ...muteToggled(s), speakingWhileMuted: false })),

  deafenToggled: () => set((s) => deafenToggled(s)),

  // Returning the same state when nothing changes spares the subscribers; these fire on every play().
  playbackRefused: () => set((s) => (s.playbackBlocked ? s : { playbackBlocked: true })),
  playbackResumed: () => set((s) => (s.playbackBlocked ? { playbackBlocked: false } : s)),

  speakingWhileMutedChanged: (speaking) => set((s) => (s.speakingWhileMuted === speaking ? s : { speakingWhileMuted: speaking })),

  voiceReset: () => set({ ...initialVoice }),
});

export function selectVoiceState(state: Pick<VoiceSlice, 'muted' | 'deafened'>): VoiceState {
  return { muted: state.muted, deafened: state.deafened };
}
