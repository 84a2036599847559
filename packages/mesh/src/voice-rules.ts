import type { VoiceState } from '@parley/protocol';

/**
 * What the Mute and Deafen controls do, written once: the web app's voice
 * slice and any other caller (a Node participant) apply these and hand the
 * result to the engine, which only enforces that deafened implies muted.
 * Like Discord: deafening mutes you too, undeafening gives back the mute you
 * had before, and unmuting while deafened brings your hearing back (you
 * cannot talk into a room you cannot hear).
 */
export type VoiceControls = VoiceState & {
  /** Whether you were muted when you deafened: what undeafening returns to. */
  mutedBeforeDeafen: boolean;
};

export const INITIAL_VOICE_CONTROLS: VoiceControls = { muted: false, deafened: false, mutedBeforeDeafen: false };

export function muteToggled(controls: VoiceControls): VoiceControls {
  if (controls.deafened) return { muted: false, deafened: false, mutedBeforeDeafen: false };
  return { ...controls, muted: !controls.muted };
}

export function deafenToggled(controls: VoiceControls): VoiceControls {
  if (controls.deafened) return { muted: controls.mutedBeforeDeafen, deafened: false, mutedBeforeDeafen: false };
  return { muted: true, deafened: true, mutedBeforeDeafen: controls.muted };
}

/** The state on the wire: deafened always implies muted, whatever a caller passes. */
export function wireVoice(voice: VoiceState): VoiceState {
  return { muted: voice.muted || voice.deafened, deafened: voice.deafened };
}
