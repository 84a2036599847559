import { z } from 'zod';
import type { StateCreator } from 'zustand/vanilla';

/**
 * How you like your own voice handled, kept by this browser (see
 * voice-settings-storage.ts). Each field falls back to its default on its
 * own, so a setting added later does not cost anyone the ones they chose.
 */
export const VoiceSettings = z.object({
  /** You are muted unless `pushToTalkKey` is held. */
  pushToTalk: z.boolean().catch(false),
  /** A KeyboardEvent.code: the physical key, whatever the keyboard layout. */
  pushToTalkKey: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/)
    .catch('Space'),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = { pushToTalk: false, pushToTalkKey: 'Space' };

export type VoiceSettingsSlice = {
  voiceSettings: VoiceSettings;

  /** The settings this browser kept, read once when the page starts. */
  voiceSettingsLoaded(settings: VoiceSettings): void;
  voiceSettingsChanged(change: Partial<VoiceSettings>): void;
};

export const createVoiceSettingsSlice: StateCreator<VoiceSettingsSlice, [], [], VoiceSettingsSlice> = (set) => ({
  voiceSettings: DEFAULT_VOICE_SETTINGS,

  voiceSettingsLoaded: (settings) => set({ voiceSettings: settings }),
  voiceSettingsChanged: (change) => set((s) => ({ voiceSettings: { ...s.voiceSettings, ...change } })),
});

export function selectPushToTalk(state: Pick<VoiceSettingsSlice, 'voiceSettings'>): boolean {
  return state.voiceSettings.pushToTalk;
}

/** How a KeyboardEvent.code reads to a person: "Space", "T", "5", "F8". */
export function keyLabel(code: string): string {
  return /^(Key|Digit)[A-Z0-9]$/.test(code) ? code.slice(-1) : code;
}
