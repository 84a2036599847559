import type { VoiceState } from '@parley/protocol';
import type { AppState, SliceCreator } from '../../app/store';

/**
 * What you asked for with the Mute and Deafen buttons. Deafen means you hear
 * nobody and are muted; undeafening gives back the mute you had before.
 */
export type VoiceSlice = {
  muted: boolean;
  deafened: boolean;
  mutedBeforeDeafen: boolean;

  muteToggled(): void;
  deafenToggled(): void;
  voiceReset(): void;
};

const initialVoice = { muted: false, deafened: false, mutedBeforeDeafen: false };

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

  voiceReset: () => set({ ...initialVoice }),
});

export function selectVoiceState(state: AppState): VoiceState {
  return { muted: state.muted, deafened: state.deafened };
}
