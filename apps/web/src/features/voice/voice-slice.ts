import type { VoiceState } from '@parley/protocol';
import type { AppState, SliceCreator } from '../../app/store';

/**
 * What you asked for with the Mute and Deafen buttons. Deafen means you hear
 * nobody and are muted; undeafening gives back the mute you had before.
 * Also whether the browser holds the room's sound back until you click
 * (its autoplay policy, typically after a reload rejoined by itself).
 */
export type VoiceSlice = {
  muted: boolean;
  deafened: boolean;
  mutedBeforeDeafen: boolean;
  playbackBlocked: boolean;

  muteToggled(): void;
  deafenToggled(): void;
  playbackRefused(): void;
  playbackResumed(): void;
  voiceReset(): void;
};

const initialVoice = { muted: false, deafened: false, mutedBeforeDeafen: false, playbackBlocked: false };

export const createVoiceSlice: SliceCreator<VoiceSlice> = (set) => ({
  ...initialVoice,

  muteToggled: () =>
    set((s) =>
      // Unmuting while deafened brings your hearing back too: you cannot talk into a room you cannot hear.
      s.deafened ? { muted: false, deafened: false } : { muted: !s.muted },
    ),

  deafenToggled: () =>
    set((s) =>
      s.deafened
        ? { deafened: false, muted: s.mutedBeforeDeafen }
        : { deafened: true, muted: true, mutedBeforeDeafen: s.muted },
    ),

  // Returning the same state when nothing changes spares the subscribers; these fire on every play().
  playbackRefused: () => set((s) => (s.playbackBlocked ? s : { playbackBlocked: true })),
  playbackResumed: () => set((s) => (s.playbackBlocked ? { playbackBlocked: false } : s)),

  voiceReset: () => set({ ...initialVoice }),
});

export function selectVoiceState(state: AppState): VoiceState {
  return { muted: state.muted, deafened: state.deafened };
}
